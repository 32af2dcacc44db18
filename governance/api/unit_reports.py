"""The base of reports with one row per town or village of the division asked for."""

from __future__ import annotations

import datetime

from governance.api.reports import ReportView
from governance.registry import get_division_model
from governance.reporting import units_and_successors, units_of


class PerUnitReport(ReportView):
    """A report with one row per town or village of the division (governance.reporting.unit_level),
    in code order."""

    def units(self, division, on: datetime.date) -> list[dict]:
        """The towns or villages of the subtree the caller may view, active on the day: one query."""
        return units_of(self.restricted(get_division_model()), division, on)

    def units_and_successors(self, division, on: datetime.date) -> tuple[list[dict], dict[str, str]]:
        """The units (as units()) and the units merged away by the day → their last successor,
        for a report that groups its rows in Python (governance.reporting.unit_in): one query."""
        return units_and_successors(self.restricted(get_division_model()), division, on)

    def unit_length(self, division) -> int:
        """How many leading digits of a code name the unit it counts in."""
        return division.report_unit_code_length
