"""Template helpers shared by every page."""

from typing import Any

from django import forms, template

register = template.Library()


@register.filter
def widget(bound_field: Any) -> str:
    """Render a form field's widget with Bootstrap classes and ARIA links to help and errors.

    Works for any form (ours or a package's), so templates never hand-style inputs.
    """
    w = bound_field.field.widget
    attrs: dict[str, str] = {}
    existing = w.attrs.get("class", "")
    if isinstance(w, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(w, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
        attrs["aria-invalid"] = "true"
    attrs["class"] = f"{existing} {css}".strip() if css not in existing else existing
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.id_for_label}_help")
    if bound_field.errors:
        described.append(f"{bound_field.id_for_label}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def minutes(value: Any) -> int:
    """A timedelta as whole minutes (rounded up), for messages such as the lockout page."""
    if value is None:
        return 0
    seconds = value.total_seconds()
    return int(-(-seconds // 60))


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], page: int) -> str:
    """The current URL's query string with `page` replaced, keeping repeated parameters."""
    query = context["request"].GET.copy()
    query["page"] = page
    return "?" + query.urlencode()


@register.filter
def detail_label(key: str) -> str:
    """The Vietnamese label of an audit event's detail key (the key itself if unknown)."""
    from trithuc.core.audit import DETAIL_LABELS

    return str(DETAIL_LABELS.get(key, key))


@register.filter
def detail_value(value: Any, key: str = "") -> str:
    """A detail value for reading: lists joined, mappings as "key=value", booleans in words,
    a model label ("organizations.Organization") as the model's name."""
    from django.apps import apps
    from django.utils.translation import gettext

    if key == "what" and isinstance(value, str) and value.count(".") == 1:
        try:
            return str(apps.get_model(value)._meta.verbose_name_plural)
        except (LookupError, ValueError):
            return value
    if isinstance(value, bool):
        return gettext("Có") if value else gettext("Không")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items()) or "—"
    return str(value)
