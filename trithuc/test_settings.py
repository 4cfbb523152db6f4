"""Settings for the test suite: the real settings with an immediate job backend.

DATABASE_URL still selects the database, so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ["TRITHUC_TESTING"] = "1"

from trithuc.settings import *  # noqa: F403

# Hashing with argon2 costs tens of milliseconds per user; the suite creates hundreds.
# tests/core/test_settings.py checks that the real settings hash with argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
