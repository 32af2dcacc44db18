"""The pages of service centres, operating funds, emergency plans and drills."""

URLS: list = []
