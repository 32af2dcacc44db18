"""The pages of visits, visiting cadres and their quotas, kept contacts."""

URLS: list = []
