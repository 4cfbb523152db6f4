"""How django-axes names the account an attempt was for."""

from typing import Any


def attempted_username(request: Any, credentials: dict | None = None) -> str | None:
    """allauth passes `username`; the form field is `login`. Case-folded, so "NguyenVanA"
    and "nguyenvana" count towards the same lockout."""
    name = None
    if credentials:
        name = credentials.get("username") or credentials.get("login") or credentials.get("email")
    if not name and request is not None and request.method == "POST":
        name = request.POST.get("login")
    return name.strip().lower() if name else None
