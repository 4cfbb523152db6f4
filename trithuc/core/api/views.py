from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import exceptions, viewsets

from trithuc.core import audit
from trithuc.core.choices import AuditKind
from trithuc.core.models import Job

from .serializers import JobSerializer

ACTION_FOR_VIEWSET_ACTION = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class RestrictedModelViewSet(viewsets.ModelViewSet):
    """A viewset whose queryset is always `restrict(user, action)` for the request's action."""

    def get_queryset(self) -> Any:
        action = ACTION_FOR_VIEWSET_ACTION.get(self.action or "", "view")
        return super().get_queryset().restrict(self.request.user, action)

    def perform_create(self, serializer: Any) -> None:
        with transaction.atomic(), _as_api_errors():
            obj = serializer.save()
            self._check_scope(obj)
            audit.record(AuditKind.OBJECT_CREATED, obj=obj, request=self.request)

    def perform_update(self, serializer: Any) -> None:
        with transaction.atomic(), _as_api_errors():
            obj = serializer.save()
            self._check_scope(obj)
            audit.record(AuditKind.OBJECT_CHANGED, obj=obj, request=self.request)

    def perform_destroy(self, instance: Any) -> None:
        blockers = instance.delete_blockers()
        if blockers:
            raise exceptions.ValidationError({"detail": blockers})
        with transaction.atomic():
            audit.record(AuditKind.OBJECT_DELETED, obj=instance, request=self.request)
            instance.delete()

    def _check_scope(self, obj: Any) -> None:
        # What was written must still be inside the caller's scope (no planting objects
        # in another agency's subtree); otherwise the whole write is rolled back.
        model = type(obj)
        if not model.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists():
            raise exceptions.PermissionDenied("Bạn không có quyền ghi dữ liệu vào đơn vị này.")


@contextmanager
def _as_api_errors() -> Iterator[None]:
    """A model rule broken at write time (the tree, under its lock) answers 400, not 500."""
    try:
        yield
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        raise exceptions.ValidationError(detail) from exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """DRF's handler, with a Vietnamese message for a body that is not valid JSON (DRF
    writes that one without gettext)."""
    from django.utils.translation import gettext as _
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith("JSON parse error"):
        exc = exceptions.ParseError(
            _("Dữ liệu gửi lên không phải JSON hợp lệ (%(detail)s). Hãy kiểm tra lại nội dung.")
            % {"detail": str(exc.detail).removeprefix("JSON parse error - ")}
        )
    return drf_exception_handler(exc, context)


class RestrictedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and retrieve, always through `restrict(user, "view")`."""

    def get_queryset(self) -> Any:
        return super().get_queryset().restrict(self.request.user, "view")


class JobViewSet(RestrictedReadOnlyViewSet):
    """Background jobs the caller started: poll one for its progress and result."""

    queryset = Job.objects.order_by("-created_at")
    serializer_class = JobSerializer
