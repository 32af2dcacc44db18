"""The assessment indicators computed from service centres, operating funds, emergency plans and drills."""

INDICATORS: tuple = ()
