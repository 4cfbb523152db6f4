"""Base filterset and the widgets every filter form shares."""

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


def yes_no_widget() -> forms.Select:
    """A Vietnamese "all / yes / no" drop-down for boolean filters."""
    return forms.Select(choices=[("", _("Tất cả")), ("true", _("Có")), ("false", _("Không"))])


class DateInput(forms.DateInput):
    input_type = "date"


class BaseFilterSet(django_filters.FilterSet):
    """Every list page, API list and export filters through a subclass of this."""

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.SelectMultiple):
                field.widget.attrs.setdefault("size", "4")
