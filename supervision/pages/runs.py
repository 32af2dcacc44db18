"""Scoring runs in the browser (issue 9 point 7): a town official starts a run and watches it.

- `assessment/schemes/<pk>/runs/`: the POST of 开始计算 (services.scoring.request_run), then the run screen;
- `assessment/runs/<pk>/`: the run screen; while the run is queued or running, its progress
  fragment is fetched again every RUN_POLL_SECONDS with htmx (`hx-trigger="every 2s"`) and
  replaces itself; once done or failed, the fragment stops polling and links to the results;
- `assessment/runs/<pk>/progress/`: that fragment (units scored of the total, the state);
- `assessment/schemes/<pk>/results/`: the stored results the user reads, by town and rank: grade,
  rank, total and the entries that were missing, each unit linked to its scorecard.

Runs come from ScoringRun.objects.restrict(user, "view") (404 outside the jurisdiction); results
from Result.objects.restrict(user, "view").of_scheme, so each reader sees their units only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from governance.access.querysets import holds_in
from governance.celery import QueueUnavailable
from supervision.choices import Grade, RunState
from supervision.models import Result, ScoringRun
from supervision.pages.schemes import readable_scheme
from supervision.services import scoring as services

# How often the run screen asks for the run's progress while it is queued or running.
RUN_POLL_SECONDS = 2
RESULTS_PER_PAGE = 100
FINISHED = (RunState.DONE, RunState.FAILED)


class RunStartView(LoginRequiredMixin, View):
    """The POST of 开始计算."""

    http_method_names = ["post"]

    def post(self, request, pk):
        scheme = readable_scheme(request.user, pk)
        if not holds_in(request.user, "supervision.score_scheme", scheme.division_id):
            raise PermissionDenied
        try:
            run = services.request_run(scheme, acting_user=request.user)
        except services.SchemeFrozen as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("supervision:scheme", args=[scheme.pk]))
        except QueueUnavailable:
            messages.error(request, _("任务队列暂时不可用，未开始计算，请稍后重试。"))
            return HttpResponseRedirect(reverse("supervision:scheme", args=[scheme.pk]))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(reverse("supervision:scheme", args=[scheme.pk]))
        messages.success(request, _("已开始计算，完成后可查看结果。"))
        return HttpResponseRedirect(reverse("supervision:run", args=[run.pk]))


def run_for(user, pk) -> ScoringRun:
    runs = ScoringRun.objects.restrict(user, "view").with_progress().select_related("scheme__division")
    return get_object_or_404(runs, pk=pk)


def progress_context(run: ScoringRun) -> dict:
    return {
        "run": run,
        "finished": run.state in FINISHED,
        "percent": 100 if run.state == RunState.DONE else (run.done * 100 // run.total if run.total else 0),
        "poll_seconds": RUN_POLL_SECONDS,
    }


class RunDetailView(LoginRequiredMixin, TemplateView):
    """考核计算: the run screen, polling its progress until it is done or failed."""

    template_name = "supervision/run_detail.html"

    def get_context_data(self, **kwargs):
        run = run_for(self.request.user, kwargs["pk"])
        return {**super().get_context_data(**kwargs), **progress_context(run), "scheme": run.scheme}


class RunProgressView(LoginRequiredMixin, View):
    """The run's progress fragment (htmx)."""

    def get(self, request, pk):
        return render(request, "supervision/run_progress.html", progress_context(run_for(request.user, pk)))


class ResultsView(LoginRequiredMixin, TemplateView):
    """考核结果: the scheme's stored results the user reads, by town and rank."""

    template_name = "supervision/run_results.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        scheme = readable_scheme(user, kwargs["pk"])
        page = Paginator(Result.objects.restrict(user, "view").of_scheme(scheme), RESULTS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        names = dict(Grade.choices)
        indicators = {indicator.code: indicator.name for indicator in scheme.indicators.all()}
        rows = [
            {
                "result": result,
                "grade": names.get(result.grade, result.grade),
                "missing": [indicators.get(code, code) for code in result.missing],
            }
            for result in page.object_list
        ]
        return {**super().get_context_data(**kwargs), "scheme": scheme, "rows": rows, "page_obj": page}
