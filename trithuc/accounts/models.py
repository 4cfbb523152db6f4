"""Users and roles: a role is a membership (user, organisation, role) over a subtree."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trithuc.core.choices import Role
from trithuc.core.models import BaseModel
from trithuc.core.permissions import PermissionPolicy, paths_for
from trithuc.core.querysets import RestrictedQuerySet


class UserQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> UserQuerySet:
        """Accounts of the actor's subtree that hold no power beyond it.

        An account's unit puts it in an administrator's scope, but an administrator of a
        department must not reset the password of someone who also holds a role elsewhere
        (a city administrator placed in that department) or of a superuser: that would be a
        way to take their wider powers.
        """
        qs = super().restrict(user, action)
        if getattr(user, "is_superuser", False) and user.is_active:
            return qs
        inside = Q(pk__in=[])
        for path in paths_for(user, User.permission_policy.roles_for(action)):
            inside |= Q(organization__path__startswith=path)
        roles_outside = Membership.objects.filter(user=OuterRef("pk")).exclude(inside)
        return qs.exclude(is_superuser=True).exclude(Exists(roles_outside))


class RestrictedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in: staff (with roles) or an intellectual (their own profile)."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    # The organisation the account belongs to, for scoping who may manage it.
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    # Set when an administrator creates the account or resets its password: the temporary
    # password they saw must be replaced before anything else.
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = RestrictedUserManager()  # type: ignore[misc]

    permission_policy = PermissionPolicy.admin_only()

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    @property
    def is_staff_member(self) -> bool:
        """Holds at least one staff role (and so must use TOTP)."""
        return self.memberships.exists()


class Membership(BaseModel):
    """A role held in an organisation; it applies to the organisation's whole subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("tổ chức"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("người cấp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    permission_policy = PermissionPolicy.admin_only()

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        ordering = ["organization__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:membership_list")
