from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


def rows_between(object_list, bottom: int, top: int):
    """Rows bottom..top of a list, the joins paid for those rows only ("deferred join").

    A page of a queryset that joins (select_related) or computes (annotations) would have
    PostgreSQL join and compute every row of the caller's scope before sorting and cutting the
    page: 4,759 grid events joined to their grid, category and three users for 50 of them. So the
    page's keys are chosen first, sorted and cut without the joins, and the rows are read by those
    keys; one statement still (`pk IN (SELECT pk ... LIMIT)`), so a list's query count does not
    change. Querysets with DISTINCT or a UNION keep the plain slice.
    """
    if not isinstance(object_list, QuerySet):
        return object_list[bottom:top]
    query = object_list.query
    if query.distinct or query.combinator or query.is_sliced or not (query.select_related or query.annotations):
        return object_list[bottom:top]
    return object_list.filter(pk__in=object_list.values("pk")[bottom:top])


class DeferredJoinPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows_between(self.object_list, bottom, top), number, self)


class PortalPagination(PageNumberPagination):
    """{"count", "next", "previous", "results"}; ?page_size= up to 1000 (docs/api.md)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    django_paginator_class = DeferredJoinPaginator
