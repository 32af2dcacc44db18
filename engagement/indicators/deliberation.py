"""The assessment indicators computed from deliberation bodies, the guiding catalogue, topics and meetings."""

INDICATORS: tuple = ()
