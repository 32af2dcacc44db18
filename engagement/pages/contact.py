"""The pages of direct contact (五挂钩 links, contact days)."""

URLS: list = []
