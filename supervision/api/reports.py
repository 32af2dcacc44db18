"""Reports of the supervision app, served by governance's reports base (/api/v1/reports/<slug>/)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from governance.access.permissions import OUT_OF_SCOPE
from governance.api.reports import Column, ReportView
from supervision.choices import Grade
from supervision.models import Result, Scheme
from villages.models import QUALIFIED_LEVELS, QUALIFIED_NAME_SEPARATOR, Division

# The town's columns of a file: its name, then its code in a column of its own (the JSON's `town`).
TOWN_NAME = Column("town_name", gettext_lazy("所属镇街"))
TOWN_CODE = Column("town", gettext_lazy("镇街代码"))


def with_town_names(results: list[dict]) -> list[dict]:
    """The rows with their town's name beside its code (one query for all the towns)."""
    codes = {row["town"] for row in results if row.get("town")}
    names = dict(Division.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return [{**row, "town_name": names.get(row.get("town"), row.get("town"))} for row in results]


SCHEME_PARAMETER = OpenApiParameter("scheme", int, required=True, description="the assessment scheme's id")


def scheme_asked_for(request) -> Scheme:
    """The scheme a scheme's report names (`?scheme=<id>`), among those the caller reads: 400
    without one, 404 for one they may not read."""
    pk = request.query_params.get("scheme", "")
    if not pk.isdigit():
        raise exceptions.ValidationError({"scheme": [_("请用 scheme 参数指定考核方案。")]})
    scheme = Scheme.objects.readable_by(request.user).filter(pk=pk).first()
    if scheme is None:
        raise exceptions.NotFound(OUT_OF_SCOPE)
    return scheme


class ScoresReport(ReportView):
    """考核结果: `?scheme=<id>&division=<code>`, one row per unit of the scheme in the division,
    read from the stored results (nothing is recomputed, however wide the division): two queries
    besides the caller's grants, whatever the number of units."""

    slug = "scores"
    name = gettext_lazy("考核结果")
    model = Result
    query_parameters = (SCHEME_PARAMETER,)
    columns = (
        Column("unit", gettext_lazy("代码")),
        Column("name", gettext_lazy("名称")),
        Column("town", gettext_lazy("所属镇街")),
        Column("total", gettext_lazy("总分")),
        Column("grade", gettext_lazy("等次")),
        Column("rank", gettext_lazy("镇内排名")),
        Column("scores", gettext_lazy("各项得分")),
        Column("missing", gettext_lazy("缺少的得分")),
    )

    def filename(self) -> str:
        return f"{self.slug}-{self.request.query_params.get('scheme')}-{self.division.code}"

    def file_table(self, results):
        """The file: one row per unit, the town by its name (and its code), and one column per
        indicator of the scheme, headed by the indicator's name, holding its score as a number;
        the missing scores by their indicators' names. The JSON keeps its text `scores`."""
        indicators = list(self.scheme.indicators.order_by("position", "id").values_list("code", "name"))
        names = dict(indicators)
        columns = [
            *(column for column in self.columns if column.key not in ("town", "scores", "missing")),
            *(Column(f"indicator:{code}", name) for code, name in indicators),
            Column("missing_names", gettext_lazy("缺少的得分")),
        ]
        columns[2:2] = [TOWN_NAME, TOWN_CODE]
        rows = []
        for row in with_town_names(results):
            scores = self.unit_scores.get(row["unit"], {})
            missing = self.unit_missing.get(row["unit"], ())
            rows.append(
                {
                    **row,
                    **{f"indicator:{code}": _number(scores.get(code)) for code, _name in indicators},
                    "missing_names": "、".join(names.get(code, code) for code in missing),
                }
            )
        return columns, rows

    def rows(self, division, period):
        scheme = scheme_asked_for(self.request)
        self.scheme = scheme
        # Each unit's scores and missing indicators as stored, for the file's columns (file_table).
        self.unit_scores: dict[str, dict] = {}
        self.unit_missing: dict[str, list] = {}
        # Translated once, not once per row (bench/score_period).
        grade_labels = {grade.value: str(grade.label) for grade in Grade}
        # Rows as values, not model instances (a district's 2,456 cooperatives built 7,372 of
        # them, most of the report's time: bench/score_period); named as Division.qualified_name.
        rows = (
            self.restricted(Result)
            .of_scheme(scheme, division.code)
            .values_list(
                "unit_id",
                "unit__name",
                "unit__level",
                "unit__parent__name",
                "town_id",
                "total",
                "grade",
                "rank",
                "scores",
                "missing",
            )
        )
        for unit, name, level, parent_name, town, total, grade, rank, scores, missing in rows:
            self.unit_scores[unit], self.unit_missing[unit] = scores, missing
            qualified = level in QUALIFIED_LEVELS and parent_name
            yield {
                "unit": unit,
                "name": f"{parent_name}{QUALIFIED_NAME_SEPARATOR}{name}" if qualified else name,
                "town": town,
                "total": float(total),
                "grade": grade_labels[grade],
                "rank": rank,
                "scores": "; ".join(f"{code}: {score}" for code, score in scores.items()),
                "missing": ", ".join(missing),
            }


def _number(score):
    """A stored score as a sheet's number (JSON keeps scores as numbers or decimal strings)."""
    if score is None or isinstance(score, (int, float)):
        return score
    try:
        return float(score)
    except (TypeError, ValueError):
        return str(score)
