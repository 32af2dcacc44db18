"""The pages of deliberation bodies, the guiding catalogue, topics and meetings."""

URLS: list = []
