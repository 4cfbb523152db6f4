"""The unread count of the bell in the navigation bar."""

from typing import Any

from django import template

from trithuc.notifications.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    """How many of the signed-in user's notifications are unread (one COUNT query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user) if user is not None else 0
