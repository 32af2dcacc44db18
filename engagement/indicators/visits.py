"""The assessment indicators computed from visits, visiting cadres and their quotas, kept contacts."""

INDICATORS: tuple = ()
