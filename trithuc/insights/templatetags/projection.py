"""Figures of the projection pages: expected numbers of people, rounded only for display."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats, numberformat

register = template.Library()


@register.filter
def people(value: Any) -> str:
    """A whole number of people with the language's thousands separator ("3.289" in
    Vietnamese, "3,289" in English); "—" for no value."""
    if value is None or value == "":
        return "—"
    try:
        number = round(float(value))
    except (TypeError, ValueError):
        return "—"
    return numberformat.format(
        number,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=0,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )
