"""Background tasks of the registry."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management import call_command
from django_tasks import task


@task()
def refresh_people() -> dict[str, Any]:
    """The scheduler's daily task: recompute every person's summary for today."""
    out = io.StringIO()
    call_command("refresh_people", stdout=out)
    text = out.getvalue().strip()
    return json.loads(text) if text else {}
