"""Who may do what, as structure.

Every model declares a `PermissionPolicy`: which roles may take each action and how to reach
the organisation that scopes an object. A role held in an organisation applies to its whole
subtree, and subtrees are materialised-path prefixes, so a restriction is one SQL filter
(`organization__path__startswith=...`), never a walk over Python objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q

from .choices import Role

if TYPE_CHECKING:
    from django.db.models import Model


ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class PermissionPolicy:
    """The roles allowed each action on a model, and the path from the model to its organisation.

    `org_lookup` is the ORM lookup from the model to an Organization ("organization",
    "membership__organization"); the empty string means the model *is* the Organization.
    `owner_lookup` names a user field whose owner may always view the object (own jobs).
    """

    view: frozenset[str] = frozenset()
    add: frozenset[str] = frozenset()
    change: frozenset[str] = frozenset()
    delete: frozenset[str] = frozenset()
    org_lookup: str | None = "organization"
    owner_lookup: str | None = None
    # Reference data not tied to an organisation (administrative units): holding an allowed
    # role anywhere gives the whole table.
    unscoped: bool = False
    owner_actions: frozenset[str] = field(default_factory=lambda: frozenset({"view"}))
    # Further ORM lookups to an Organization whose subtree roles may also *view* the object:
    # a plan task is followed by the monitoring agency (org_lookup) and seen by its lead
    # agency ("lead") and its coordinating agencies ("coordinators", a many-to-many, matched
    # through a subquery so rows are not repeated).
    also_view_via: tuple[str, ...] = ()

    @classmethod
    def admin_only(cls, org_lookup: str = "organization") -> PermissionPolicy:
        """Every action for system administrators only (accounts, roles, audit)."""
        admin = frozenset({Role.ADMIN.value})
        return cls(view=admin, add=admin, change=admin, delete=admin, org_lookup=org_lookup)

    def via(self, org_lookup: str, **changes: Any) -> PermissionPolicy:
        """The same rules for a related model reached through `org_lookup` (a task through
        its document's organisation), with any other field changed."""
        return replace(self, org_lookup=org_lookup, **changes)

    def roles_for(self, action: str) -> frozenset[str]:
        roles = getattr(self, action, None)
        if roles is None:
            raise ValueError(f"Unknown action {action!r}")
        return roles | {Role.ADMIN.value}

    def path_lookup(self) -> str:
        if self.org_lookup is None:
            raise ValueError("This model is not scoped by organisation.")
        return f"{self.org_lookup}__path" if self.org_lookup else "path"


def roles(*items: Role) -> frozenset[str]:
    return frozenset(item.value for item in items)


def _membership_model() -> Any:
    return apps.get_model("accounts", "Membership")


def role_paths(user: Any) -> dict[str, list[str]]:
    """Map each role the user holds to the materialised paths of the organisations it covers.

    Cached on the user object: one query per request however many restrictions it makes.
    """
    cached = getattr(user, "_trithuc_role_paths", None)
    if cached is not None:
        return cached
    result: dict[str, list[str]] = {}
    if user.is_authenticated:
        rows = (
            _membership_model()
            # A role holds whether or not its organisation is marked active: otherwise whoever
            # may edit an organisation could switch off its administrators.
            .objects.filter(user=user)
            .values_list("role", "organization__path")
        )
        for role, path in rows:
            result.setdefault(role, []).append(path)
    user._trithuc_role_paths = result
    return result


def forget_role_paths(user: Any) -> None:
    if hasattr(user, "_trithuc_role_paths"):
        del user._trithuc_role_paths


def user_roles(user: Any) -> set[str]:
    return set(role_paths(user))


def paths_for(user: Any, allowed_roles: Iterable[str]) -> list[str]:
    granted = role_paths(user)
    paths: set[str] = set()
    for role in allowed_roles:
        # An empty path would be a prefix of every organisation: never a scope.
        paths.update(path for path in granted.get(role, ()) if path)
    # A path inside another adds nothing: keep only the outermost ones.
    outer = [p for p in sorted(paths) if not any(p != q and p.startswith(q) for q in paths)]
    return outer


def policy_of(model: type[Model]) -> PermissionPolicy:
    policy = getattr(model, "permission_policy", None)
    if policy is None:
        raise TypeError(f"{model.__name__} declares no permission_policy")
    return policy


def _unscoped_allowed(user: Any, policy: PermissionPolicy, action: str) -> bool:
    """Reference data: any allowed role reads the whole table; writing it needs a role the
    policy names for that action, held at a top-level organisation (a city-wide list is not
    for the administrator of one unit). With no role named, only superusers write."""
    paths = paths_for(user, policy.roles_for(action))
    if action == "view":
        return bool(paths)
    if not getattr(policy, action, None):
        return False
    return any(path.count("/") == 1 for path in paths)


def _is_multi_valued(model: type[Model], lookup: str) -> bool:
    """Whether the lookup crosses a many-to-many or reverse foreign key."""
    current: Any = model
    for name in lookup.split("__"):
        field = current._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        current = field.related_model
    return False


def scope_q(
    user: Any, model: type[Model], action: str, policy: PermissionPolicy | None = None
) -> Q | None:
    """The filter selecting what `user` may `action` on `model` (under `policy`, by default
    the model's own); None means everything."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    policy = policy or policy_of(model)
    nothing = Q(pk__in=[])
    if not user.is_authenticated or not user.is_active:
        return nothing
    q = nothing
    if policy.unscoped:
        return None if _unscoped_allowed(user, policy, action) else nothing
    if policy.org_lookup is not None:
        lookup = f"{policy.path_lookup()}__startswith"
        for path in paths_for(user, policy.roles_for(action)):
            q |= Q(**{lookup: path})
    if action == "view" and policy.also_view_via:
        paths = paths_for(user, policy.roles_for(action))
        for via in policy.also_view_via:
            via_q = Q(pk__in=[])
            for path in paths:
                via_q |= Q(**{f"{via}__path__startswith": path})
            if not paths:
                continue
            if _is_multi_valued(model, via):
                # A many-to-many (coordinating agencies) would repeat rows as a join.
                q |= Q(pk__in=model._default_manager.filter(via_q).values("pk"))
            else:
                q |= via_q
    if policy.owner_lookup and action in policy.owner_actions:
        q |= Q(**{policy.owner_lookup: user})
    return q


def user_can(user: Any, model: type[Model], action: str) -> bool:
    """Whether the user may take `action` on at least some objects of `model` (page access)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    policy = policy_of(model)
    if policy.owner_lookup and action in policy.owner_actions:
        return True
    if policy.unscoped:
        return _unscoped_allowed(user, policy, action)
    return bool(paths_for(user, policy.roles_for(action)))


def organizations_for(user: Any, model: type[Model], action: str) -> Any:
    """The organisations in whose subtree `user` may take `action` on `model` (form choices)."""
    organization = apps.get_model("organizations", "Organization")
    if user.is_superuser:
        return organization.objects.all()
    q = Q(pk__in=[])
    for path in paths_for(user, policy_of(model).roles_for(action)):
        q |= Q(path__startswith=path)
    return organization.objects.filter(q)
