"""The remuneration page of a scheme (issue 9 point 5): per cadre of the scheme's units in a
division, base, performance, bonus, deduction and total in yuan, each part's reason beside it, with
the XLSX download of the API (GET /api/v1/remuneration/?format=xlsx). For who reads remuneration
(supervision.remuneration_services.remuneration_scope); a fixed number of queries."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from supervision.api.remuneration import pay_row
from supervision.models import Scheme
from supervision.pages.dashboard import division_for
from supervision.remuneration import fen_text
from supervision.remuneration_services import may_read_remuneration, remuneration_of


class RemunerationView(LoginRequiredMixin, TemplateView):
    """村干部报酬: /assessment/schemes/<scheme>/remuneration/?division=<code>."""

    template_name = "supervision/remuneration.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scheme = get_object_or_404(Scheme.objects.readable_by(user), pk=kwargs["scheme"])
        if not may_read_remuneration(user):
            raise PermissionDenied
        division = division_for(user, self.request.GET.get("division") or scheme.division_id)
        rows = [pay_row(pay) for pay in remuneration_of(user, scheme, division.code)]
        for row in rows:
            for part in row["parts"]:
                part["yuan"] = fen_text(part["amount_fen"])
        context.update(
            scheme=scheme,
            division=division,
            rows=rows,
            total=fen_text(sum(row["total_fen"] for row in rows)),
        )
        return context
