"""The assessment indicators computed from party members' service posts, point rules, points and the pioneer index."""

INDICATORS: tuple = ()
