from typing import Any

from rest_framework.permissions import BasePermission

from trithuc.core.permissions import user_can

ACTION_FOR_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class RestrictedPermission(BasePermission):
    """Signed in, and holding a role that allows the method's action on this model somewhere.

    Object scope is applied by the viewset's restricted queryset (outside it: 404).
    """

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return True
        return user_can(request.user, queryset.model, ACTION_FOR_METHOD.get(request.method, "view"))
