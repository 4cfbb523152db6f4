"""Uploaded files waiting for a check and a commit (imports): stored under MEDIA_ROOT with a
random name that only the uploader can use, with a small JSON of metadata beside each, and
removed once committed or after a week.

    store = UploadStore("imports", (".xlsx", ".csv"))
    upload_id = store.save(uploaded, user=request.user)
    path, meta = store.get(upload_id)  # None when unknown, malformed or of another type
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
# Uploads hold an agency's data: one never committed is removed after this many seconds.
UPLOAD_MAX_AGE = 7 * 24 * 3600


class UploadStore:
    def __init__(self, folder: str, extensions: tuple[str, ...]) -> None:
        self.folder = folder
        self.extensions = extensions

    def directory(self) -> Path:
        return Path(settings.MEDIA_ROOT) / self.folder

    def save(self, uploaded: Any, *, user: Any, **extra: Any) -> str:
        """Save the file with a random name; returns its id. `extra` goes into the metadata."""
        folder = self.directory()
        folder.mkdir(parents=True, exist_ok=True)
        self.remove_old()
        upload_id = secrets.token_urlsafe(24)
        suffix = Path(uploaded.name).suffix.lower()
        target = folder / f"{upload_id}{suffix}"
        with target.open("xb") as handle:
            for chunk in uploaded.chunks():
                handle.write(chunk)
        meta = {
            "user_id": user.pk,
            "filename": Path(uploaded.name).name[:255],
            "suffix": suffix,
            "size": uploaded.size,
            "uploaded_at": timezone.now().isoformat(),
            **extra,
        }
        self._meta_path(upload_id).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        return upload_id

    def remove_old(self) -> None:
        cutoff = time.time() - UPLOAD_MAX_AGE
        for meta_path in self.directory().glob("*.json"):
            try:
                if meta_path.stat().st_mtime < cutoff:
                    self.delete(meta_path.stem)
                    meta_path.unlink(missing_ok=True)
            except OSError:
                continue  # another worker removed it first

    def get(self, upload_id: str) -> tuple[Path, dict[str, Any]] | None:
        """The stored file and its metadata, or None when the id is malformed or unknown."""
        if not UPLOAD_ID.match(upload_id or ""):
            return None
        try:
            meta = json.loads(self._meta_path(upload_id).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        path = self.directory() / f"{upload_id}{meta.get('suffix', '')}"
        if meta.get("suffix") not in self.extensions or not path.is_file():
            return None
        return path, meta

    def update(self, upload_id: str, **values: Any) -> None:
        """Add to the metadata (the counts of the last check, a result to review)."""
        meta_path = self._meta_path(upload_id)
        if not UPLOAD_ID.match(upload_id) or not meta_path.is_file():
            return
        meta = json.loads(meta_path.read_text("utf-8"))
        meta.update(values)
        meta_path.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    def delete(self, upload_id: str) -> None:
        found = self.get(upload_id)
        if found is None:
            return
        path, _meta = found
        path.unlink(missing_ok=True)
        self._meta_path(upload_id).unlink(missing_ok=True)

    def _meta_path(self, upload_id: str) -> Path:
        return self.directory() / f"{upload_id}.json"
