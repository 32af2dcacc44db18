"""The assessment schemes in the browser (issue 9 point 7), through supervision.services.scoring:

- `assessment/schemes/`: the schemes the user reads (SchemeQuerySet.readable_by), newest first,
  with a link to the editor for each town or district where they may set one;
- `assessment/schemes/<pk>/`: a scheme with its indicators and weights, grades and quota, its runs,
  and the steps open to the user (enter scores, start a run, results, new version, freeze);
- `assessment/divisions/<code>/schemes/new/` and `assessment/schemes/<pk>/new-version/`: the
  editor (the scheme's fields and a formset of indicators); services.create_scheme judges it all
  (weights summing to 100, grades ordered) and its errors land on the fields and rows they name;
- `assessment/schemes/<pk>/freeze/`: the POST that freezes the scheme's results.

A scheme the user may not read is a 404; one they read but may not act on, a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from governance.access.querysets import holds_anywhere, holds_in, jurisdiction_codes
from supervision.choices import ENTERED, SCHEME_LEVELS, UnitLevel
from supervision.forms import IndicatorForm, IndicatorFormSet, SchemeForm, indicators_of, source_choices
from supervision.models import Scheme, SchemeIndicator, ScoringRun
from supervision.services import scoring as services
from supervision.services.actions import RowErrors
from villages.models import Division

SCHEMES_PER_PAGE = 50


def may_view_schemes(user) -> bool:
    """The navigation's item: for those who read schemes somewhere."""
    return holds_anywhere(user, "supervision.view_scheme")


def readable_scheme(user, pk) -> Scheme:
    """The scheme `pk` among those the user reads (404 otherwise)."""
    return get_object_or_404(Scheme.objects.readable_by(user).select_related("division__parent"), pk=pk)


class SchemeListView(LoginRequiredMixin, TemplateView):
    """考核方案: the schemes the user reads, and where they may set a new one."""

    template_name = "supervision/scheme_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        schemes = (
            Scheme.objects.readable_by(user)
            .select_related("division")
            .order_by("-period", "division_id", "level", "-version", "-id")
        )
        page = Paginator(schemes, SCHEMES_PER_PAGE).get_page(self.request.GET.get("page"))
        codes = jurisdiction_codes(user, "supervision.add_scheme")
        setters = Division.objects.filter(level__in=SCHEME_LEVELS)
        setters = setters if user.is_superuser else setters.filter(code__in=codes)
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page,
            "schemes": page.object_list,
            "setters": list(setters.order_by("code")),
        }


class SchemeDetailView(LoginRequiredMixin, TemplateView):
    """A scheme: indicators, grades and quota, its runs and the steps open to the user."""

    template_name = "supervision/scheme_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        scheme = readable_scheme(user, kwargs["pk"])
        indicators = list(scheme.indicators.order_by("position", "id"))
        sources = dict(source_choices())
        runs = list(ScoringRun.objects.restrict(user, "view").filter(scheme=scheme).order_by("-id")[:10])
        return {
            **super().get_context_data(**kwargs),
            "scheme": scheme,
            "indicators": [(indicator, sources.get(indicator.source, indicator.source)) for indicator in indicators],
            "weight_total": sum(indicator.weight for indicator in indicators),
            "warnings": scheme.warnings_for(indicators),
            "runs": runs,
            "may_enter": services.may_enter_scores(user, scheme),
            "may_score": services.may_score(user, scheme),
            "may_freeze": services.may_freeze(user, scheme),
            "may_new_version": not scheme.is_frozen and services.may_create_scheme(user, scheme.division),
            "has_results": scheme.scored_run_id is not None,
        }


class SchemeEditorView(LoginRequiredMixin, TemplateView):
    """制定考核方案: a new scheme of a town or the district, or a new version of a scheme (its
    division, level and period, the next version number), through services.create_scheme."""

    template_name = "supervision/scheme_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.base = None
            if "pk" in kwargs:
                self.base = readable_scheme(request.user, kwargs["pk"])
                self.division = self.base.division
            else:
                self.division = get_object_or_404(
                    Division.objects.restrict(request.user, "view").filter(level__in=SCHEME_LEVELS),
                    code=kwargs["code"],
                )
            if not services.may_create_scheme(request.user, self.division):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def initial(self) -> tuple[dict, list[dict]]:
        base = self.base
        if base is None:
            return {"level": UnitLevel.VILLAGE, "excellent_share": 20}, []
        rows = [
            {"code": i.code, "name": i.name, "weight": i.weight, "source": i.source}
            for i in base.indicators.order_by("position", "id")
        ]
        fields = {
            "name": base.name,
            "level": base.level,
            "period": base.period,
            "excellent": base.excellent_from,
            "good": base.good_from,
            "passing": base.pass_from,
            "excellent_share": base.excellent_share,
            "community_workers": base.community_workers,
        }
        return fields, rows

    def get(self, request, *args, **kwargs):
        fields, rows = self.initial()
        form = SchemeForm(initial=fields, fixed=self.base is not None)
        formset = IndicatorFormSet(initial=rows, prefix="indicators")
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        if "add_rows" in request.POST:
            return self.more_rows(request.POST)
        fields, _rows = self.initial()
        form = SchemeForm(request.POST, initial=fields, fixed=self.base is not None)
        formset = IndicatorFormSet(request.POST, prefix="indicators")
        if form.is_valid() and formset.is_valid():
            rows = indicators_of(formset)
            data = form.cleaned_data
            try:
                scheme = services.create_scheme(
                    acting_user=request.user,
                    division=self.division,
                    level=data["level"],
                    period=data["period"],
                    name=data["name"],
                    indicators=[row for _form, row in rows],
                    grades={"excellent": data["excellent"], "good": data["good"], "pass": data["passing"]},
                    excellent_share=data["excellent_share"],
                    community_workers=bool(data.get("community_workers")),
                )
            except RowErrors as error:
                for index, row_errors in error.errors.items():
                    row_form = rows[index][0]
                    for field, field_errors in row_errors.items():
                        row_form.add_error(field if field in row_form.fields else None, field_errors)
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    if field == "indicators":
                        formset._non_form_errors = formset.error_class(field_errors)
                    else:
                        target = SchemeForm.SERVICE_FIELDS.get(field, field)
                        form.add_error(target if target in form.fields else None, field_errors)
            else:
                messages.success(request, _("已保存考核方案“%(name)s”。") % {"name": scheme.name})
                return HttpResponseRedirect(reverse("supervision:scheme", args=[scheme.pk]))
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def more_rows(self, data):
        """添加指标行: the form again as typed, unsaved and unjudged, with EXTRA_INDICATOR_ROWS
        more empty indicator rows (rows left empty are dropped)."""
        fields, _rows = self.initial()
        typed = {**fields, **{name: data.get(name) for name in SchemeForm.base_fields if name in data}}
        try:
            total = min(int(data.get("indicators-TOTAL_FORMS", 0)), IndicatorFormSet.max_num)
        except ValueError:
            total = 0
        rows = []
        for index in range(total):
            row = {key: data.get(f"indicators-{index}-{key}", "") for key in IndicatorForm.base_fields}
            if any(row[key] for key in ("code", "name", "weight")):
                rows.append(row)
        form = SchemeForm(initial=typed, fixed=self.base is not None)
        formset = IndicatorFormSet(initial=rows, prefix="indicators")
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "division": self.division, "base": self.base}


class SchemeFreezeView(LoginRequiredMixin, View):
    """The POST of 冻结结果: services.freeze_scheme, its refusal as a message."""

    http_method_names = ["post"]

    def post(self, request, pk):
        scheme = readable_scheme(request.user, pk)
        if not holds_in(request.user, "supervision.freeze_scheme", scheme.division_id):
            raise PermissionDenied
        try:
            services.freeze_scheme(scheme, acting_user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except services.SchemeFrozen as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("考核结果已冻结，不能再录入或计算。"))
        return HttpResponseRedirect(reverse("supervision:scheme", args=[scheme.pk]))


def indicator_rows(scheme: Scheme) -> list[SchemeIndicator]:
    return list(scheme.indicators.filter(source=ENTERED).order_by("position", "id"))
