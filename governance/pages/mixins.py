"""Mixins every browser page builds on: sign-in first, then the one scoping mechanism.

Pages never filter by jurisdiction themselves; they ask the model's queryset for
`restrict(user, action)` (governance/access/querysets.py), as the API does.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from governance.access.querysets import FORBIDDEN, write_target_refusal
from governance.pages.widgets import bind_pickers


class ScopedQuerysetMixin(LoginRequiredMixin):
    """get_queryset() keeps only the rows the signed-in user may `scope_action`.

    LoginRequiredMixin comes first so that anonymous visitors are sent to the sign-in page
    rather than shown an empty page.
    """

    scope_action = "view"

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.scope_action)


class ScopedFilterListView(ScopedQuerysetMixin, FilterView):
    """A paginated list filtered with a django-filter FilterSet, over the restricted queryset.

    `default_filters` fill in filter values the visitor did not give (e.g. "current positions
    only"), so that the plain URL shows the usual view and the form reflects it.
    """

    paginate_by = 50
    default_filters: dict[str, str] = {}
    # The filters the form shows; the others (ids, say) still apply when given in the URL.
    shown_filters: tuple[str, ...] = ()
    # An invalid filter (a malformed code, say) shows the form's errors and an empty list.
    strict = True

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if self.default_filters:
            data = (kwargs["data"] or QueryDict()).copy()
            for name, value in self.default_filters.items():
                data.setdefault(name, value)
            kwargs["data"] = data
        return kwargs

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        label_empty_choices(filterset.form)
        bind_pickers(filterset.form, self.request.user)  # a picked division shows by name
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shown_filters"] = self.shown_filters
        return context


def label_empty_choices(form) -> None:
    """Name the "no filter" choice of select filters 全部 (all) instead of "---------"/"未知"."""
    everything = _("全部")
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("unknown", everything), ("true", _("是")), ("false", _("否"))]
        elif isinstance(field, forms.ChoiceField):
            field.choices = [("", everything)] + [choice for choice in field.choices if choice[0] != ""]


class ScopedWriteMixin(LoginRequiredMixin):
    """Create and edit pages: the form's save runs in a transaction and is checked against
    `restrict(user, write_action)` before it commits, as the API's writes are. A record that
    would land outside the user's scope is rolled back: 403 inside their jurisdiction, 404
    outside it. `success_message` is shown on the page the visitor is sent to.

    `find_target()` runs first, once the visitor is signed in: it finds what the page writes
    about (a division, a person) in the restricted querysets and raises Http404 or
    PermissionDenied before any form is shown or read."""

    write_action = "add"
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:  # anonymous visitors are sent to sign in first
            self.find_target()
        return super().dispatch(request, *args, **kwargs)

    def find_target(self) -> None:
        """Set what the page needs before its form (self.division, say); nothing by default."""

    def success_name(self) -> str:
        """How `success_message` names the saved record."""
        return str(self.object)

    def form_valid(self, form):
        with transaction.atomic():
            self.object = form.save()
            refusal = write_target_refusal(self.request.user, self.object, self.write_action)
            if refusal == FORBIDDEN:
                raise PermissionDenied
            if refusal is not None:
                raise Http404
        if self.success_message:
            messages.success(self.request, self.success_message % {"name": self.success_name()})
        return HttpResponseRedirect(self.get_success_url())


def object_for(user, queryset, action: str, **lookup):
    """The record `lookup` finds among the rows of `queryset` that `user` may view, for a page
    that will `action` it: 404 when it is not among them (so nothing leaks), 403 when the user
    may view it but not `action` it."""
    record = get_object_or_404(queryset.restrict(user, "view"), **lookup)
    if not queryset.model.objects.restrict(user, action).filter(pk=record.pk).exists():
        raise PermissionDenied
    return record
