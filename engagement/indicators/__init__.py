"""The assessment indicators the engagement app computes for village schemes (issue 18 point 3),
contributed to supervision's scoring through governance's registry (registry.add_indicator), one
module per theme. Each is one set-based SQL statement over the scheme's units, as
governance.registry.Indicator describes (grids/indicators.py is the example)."""

from engagement.indicators import centres, contact, deliberation, party, visits

INDICATORS = (*contact.INDICATORS, *visits.INDICATORS, *deliberation.INDICATORS, *party.INDICATORS, *centres.INDICATORS)
