from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """{"count", "next", "previous", "results"}; ?page_size= up to 1000 (docs/api.md)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
