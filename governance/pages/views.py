"""Portal-wide pages: home, the public page of a village, and the audit history of any scoped record."""

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from governance.audit import HistoryRenderer, history_of
from governance.base_models import ScopedModel
from governance.privacy import may_see_personal_data
from governance.registry import get_division_model, registry


class HomeView(LoginRequiredMixin, TemplateView):
    """Where the user's navigation starts: what waits for them, then the panels the apps contribute
    (the divisions they are assigned to, with their roles, come from the villages app).

    Everything shown comes through governance.registry, so the home page names no domain app.
    """

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        counts = {work.key: work.count(user) for work in registry.ordered(registry.pending_work)}
        context["pending_counts"] = counts
        context["pending"] = [
            {
                "key": work.key,
                "message": work.message(counts[work.key]),
                "url": reverse(work.url_name),
                "link_label": work.link_label,
            }
            for work in registry.ordered(registry.pending_work)
            if counts[work.key]
        ]
        context["panels"] = rendered_panels(registry.home_panels, self.request)
        context["panels_by_key"] = {panel["key"]: panel["context"] for panel in context["panels"]}
        return context


def rendered_panels(panels: dict, *subject) -> list[dict]:
    """The panels whose context function gives a context for `subject` (a request, a division;
    a person and the request)."""
    shown = []
    for panel in registry.ordered(panels):
        panel_context = panel.context(*subject)
        if panel_context is not None:
            shown.append({"key": panel.key, "template": panel.template, "context": panel_context})
    return shown


class PublicDivisionView(TemplateView):
    """The public page of a village or community (/public/<code>/): no sign-in.

    What it shows — the published covenant, resolutions and outcomes, disclosures, the red and
    black lists — is contributed by the apps as sections (governance.registry.public_sections),
    each given only the division: the public sees published records, names masked
    (governance.privacy.mask_name), never an ID number or a phone. An unknown code, or a division
    that has no public page (a town, a cooperative), is 404.
    """

    template_name = "governance/public_division.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        division = get_division_model().objects.filter(code=self.kwargs["code"]).select_related("parent").first()
        if division is None or not division.has_public_page():
            raise Http404
        context["division"] = division
        context["sections"] = rendered_panels(registry.public_sections, division)
        return context


class HistoryView(LoginRequiredMixin, TemplateView):
    """The audit trail of one record, for those who may view the record.

    Any model under jurisdiction scoping (a ScopedModel) has one; the record is looked up in the
    restricted queryset, so a record out of scope answers 404 like every detail page.
    """

    template_name = "governance/history.html"
    paginate_by = 50

    def get_object(self):
        try:
            model = apps.get_model(self.kwargs["app_label"], self.kwargs["model_name"])
        except LookupError:
            raise Http404 from None
        if not issubclass(model, ScopedModel):
            raise Http404
        try:
            pk = model._meta.pk.to_python(self.kwargs["pk"])
        except ValidationError:
            raise Http404 from None
        # The code that decides who sees the record comes along in the same query.
        in_scope = model.objects.restrict(self.request.user, "view").annotate(_scope_code=F(model.scope_field))
        return get_object_or_404(in_scope, pk=pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        model = type(obj)
        visible = may_see_personal_data(self.request.user, obj._scope_code)
        events = history_of(obj)
        page = Paginator(events, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(
            object=obj,
            model_name=model._meta.verbose_name,
            page_obj=page,
            # The acting users and the records the events point to: one query per model for the page.
            events=HistoryRenderer(model, visible=visible).describe(page.object_list),
        )
        return context
