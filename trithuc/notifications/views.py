"""The user's own notifications: the list (unread first), marking one or all as read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from trithuc.core.views import generic

from . import services
from .models import Notification


class NotificationListView(generic.ObjectListView):
    queryset = Notification.objects.all()
    template_name = "notifications/notification_list.html"
    paginate_by = 30

    def get_queryset(self) -> QuerySet:
        is_read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
        return (
            super()
            .get_queryset()
            .annotate(is_read_rank=is_read)
            .order_by("is_read_rank", "-created_at", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["unread"] = services.unread_count(self.request.user)
        return ctx


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """To `next` when it is a page of this site, otherwise to the list."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:notification_list")
    return HttpResponseRedirect(target)


class NotificationReadView(generic.ObjectPermissionMixin, View):
    """POST: one notification of the user's own becomes read (another's is 404)."""

    queryset = Notification.objects.all()
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.mark_read(self.get_restricted_object(pk=pk))
        return _back(request)


class NotificationReadAllView(generic.ObjectPermissionMixin, View):
    """POST: every unread notification of the user becomes read."""

    queryset = Notification.objects.all()
    action = "change"

    def post(self, request: HttpRequest) -> HttpResponse:
        count = services.mark_all_read(user=request.user)
        messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
        return _back(request)
