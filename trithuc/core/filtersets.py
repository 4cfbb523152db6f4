"""Base filterset: Bootstrap-friendly widgets, the request at hand for scoped choices."""

from typing import Any

import django_filters


class BaseFilterSet(django_filters.FilterSet):
    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if field.widget.input_type == "select" else "form-control"  # type: ignore[attr-defined]
            field.widget.attrs.setdefault("class", css)
