"""The pages of party members' service posts, point rules, points and the pioneer index."""

URLS: list = []
