"""The assessment indicators computed from direct contact (五挂钩 links, contact days)."""

INDICATORS: tuple = ()
