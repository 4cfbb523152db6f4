from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """?limit=&offset=, 50 by default, at most 1,000 rows a call."""

    default_limit = 50
    max_limit = 1000
