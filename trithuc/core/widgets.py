"""Form widgets shared by every app."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.urls import reverse


class SuggestionInput(forms.TextInput):
    """A text box with suggestions fetched as the user types (htmx into a <datalist>).

    For choices among thousands (communes, the organisations of a city), where a <select>
    would weigh hundreds of kilobytes on every page of a slow office PC. The endpoint named
    `url_name` receives the typed text under the field's name (and `field`, `extra`) and
    answers <option> elements.
    """

    template_name = "core/widgets/suggestion_input.html"

    def __init__(self, url_name: str, *, extra: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.url_name = url_name
        self.extra = extra or {}

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id', name)}_options"
        attrs.update(
            {
                "list": list_id,
                "autocomplete": "off",
                "hx-get": reverse(self.url_name),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{list_id}",
                "hx-vals": json.dumps({"field": name, **self.extra}),
            }
        )
        return super().get_context(name, value, attrs)
