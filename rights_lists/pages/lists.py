"""Pages of matters-power lists (事权清单): the lists of the jurisdiction (filtered by kind, owner
and status), one list version with its items, and the items in force for a village or
cooperative, from which a decision is opened.

Lists are read where restrict() allows and from below their owner (a district's template by the
villages that adopt it: querysets.ReadableFromBelow), as in the API.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from governance.access.querysets import holds_in
from governance.pages.mixins import ScopedFilterListView
from rights_lists.choices import DECIDING_LEVELS, Procedure
from rights_lists.filters import RightsListFilterSet
from rights_lists.models import ListItem, RightsList
from rights_lists.pages.base import yuan
from villages.models import Division


class RightsListListView(ScopedFilterListView):
    """事权清单: the list versions the visitor may read (their jurisdiction's, and the templates
    above it), by owner, kind and version, with their item counts (one query for the page)."""

    model = RightsList
    filterset_class = RightsListFilterSet
    shown_filters = ("kind", "owner", "status")
    template_name = "rights_lists/list_list.html"

    def get_queryset(self):
        return (
            RightsList.objects.readable_by(self.request.user)
            .annotate(item_count=Count("items"))
            .select_related("owner__parent")
            .order_by("owner_id", "kind", "-version")
        )


class RightsListDetailView(LoginRequiredMixin, TemplateView):
    """One list version: its owner, kind, status and validity, and its items (two queries)."""

    template_name = "rights_lists/list_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rights_list = get_object_or_404(
            RightsList.objects.readable_by(self.request.user).select_related("owner__parent", "previous"),
            pk=self.kwargs["pk"],
        )
        items = list(rights_list.items.order_by("id"))
        for item in items:
            item.threshold_yuan = yuan(item.full_procedure_above_fen)
        context.update(rights_list=rights_list, items=items)
        return context


class ItemsInForceView(LoginRequiredMixin, TemplateView):
    """现行事项 of a village or cooperative (divisions/<code>/list-items/): the items of its own
    lists, its village's (for a cooperative) and the templates it adopted, in force today, by list;
    `?procedure=` narrows them. A "新建决策" link on each item for who may open decisions there.
    404 outside the jurisdiction, for another level, or for who may not read lists there (nothing of
    them may be known, as for a record outside the jurisdiction: the pages' convention)."""

    template_name = "rights_lists/items_in_force.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        division = get_object_or_404(
            Division.objects.restrict(user, "view").filter(level__in=DECIDING_LEVELS).select_related("parent"),
            code=self.kwargs["code"],
        )
        if not holds_in(user, "rights_lists.view_listitem", division.code):
            raise Http404
        items = ListItem.objects.in_force_for(division.code).select_related("list__owner")
        procedure = self.request.GET.get("procedure", "")
        if procedure in Procedure.values:
            items = items.filter(procedure=procedure)
        groups: dict[int, dict] = {}
        for item in items.order_by("list__kind", "list_id", "id"):
            item.threshold_yuan = yuan(item.full_procedure_above_fen)
            groups.setdefault(item.list_id, {"list": item.list, "items": []})["items"].append(item)
        context.update(
            division=division,
            groups=list(groups.values()),
            procedures=Procedure.choices,
            procedure=procedure,
            may_open=holds_in(user, "rights_lists.add_decision", division.code),
        )
        return context
