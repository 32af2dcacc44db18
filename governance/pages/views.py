"""Portal-wide pages: the home navigation and the audit history of any scoped record."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from governance.access.models import Assignment
from governance.audit import history_of
from governance.base_models import ScopedModel
from villages.models import Division, PositionFiling
from villages.privacy import masked, masked_diff, may_see_personal_data

# pghistory's event labels, as the history page names them.
EVENT_LABELS = {"insert": _("新增"), "update": _("修改"), "delete": _("删除")}


class HomeView(LoginRequiredMixin, TemplateView):
    """Where the user's navigation starts: the divisions they are assigned to, with their roles.

    A superuser holds no assignments and starts at the top of the hierarchy instead.
    """

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        divisions = Division.objects.restrict(user, "view").with_counts().order_by("code")
        if user.is_superuser:
            context["divisions"] = divisions.filter(parent__isnull=True)
            return context
        # The user's own assignments are not scoped data: anyone may know their own roles.
        # Which of those divisions the page shows is still decided by restrict() above.
        roles_by_code: dict[str, list[str]] = {}
        for assignment in Assignment.objects.filter(user=user).select_related("role").order_by("role__slug"):
            # Role names are stored in Chinese, as marked for translation in roles.py: translate
            # the stored name so that the English page names the role in English.
            roles_by_code.setdefault(assignment.division_id, []).append(gettext(assignment.role.name))
        shown = list(divisions.filter(code__in=roles_by_code))
        for division in shown:
            division.role_names = roles_by_code[division.code]
        context["divisions"] = shown
        # What waits for this user: filings (备案) they may decide.
        context["filings_awaiting"] = PositionFiling.objects.restrict(user, "view").awaiting_decision_by(user).count()
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
        events = list(page.object_list)
        # One query for the acting users of the whole page, not one per event.
        user_ids = {event.pgh_context.get("user") for event in events if event.pgh_context}
        users = get_user_model().objects.in_bulk([pk for pk in user_ids if pk is not None])
        field_names = {field.attname: field.verbose_name for field in model._meta.concrete_fields}
        context.update(
            object=obj,
            model_name=model._meta.verbose_name,
            page_obj=page,
            events=[self._describe(event, users, field_names, visible) for event in events],
        )
        return context

    @staticmethod
    def _describe(event, users, field_names, visible: bool) -> dict:
        """What the template shows of one event: personal data masked unless `visible`."""
        context = event.pgh_context or {}
        if event.pgh_diff:
            diff = masked_diff(event.pgh_diff, visible)
            changes = [(field_names.get(name, name), before, after) for name, (before, after) in diff.items()]
        else:
            # An insert (or a delete) has no diff: show the whole snapshot as the values it holds.
            data = masked(event.pgh_data or {}, visible)
            changes = [(field_names.get(name, name), None, value) for name, value in data.items()]
        return {
            "created_at": event.pgh_created_at,
            "label": EVENT_LABELS.get(event.pgh_label, event.pgh_label),
            "user": users.get(context.get("user")),
            "is_diff": bool(event.pgh_diff),
            "changes": changes,
        }
