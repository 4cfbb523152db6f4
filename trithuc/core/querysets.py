"""The restricting queryset every model gets from BaseModel."""

from __future__ import annotations

from typing import Any, Self

from django.db import models

from .permissions import scope_q


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = "view") -> Self:
        """Only the objects `user` may take `action` on (their organisation subtree)."""
        q = scope_q(user, self.model, action)
        if q is None:
            return self
        return self.filter(q)
