"""Production settings pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_environment():
    env = {
        **os.environ,
        "TRITHUC_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "trithuc.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "TRITHUC_ENCRYPTION_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "trithuc.hanoi.gov.vn",
    }
    env.pop("TRITHUC_TESTING", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_missing_secret_key():
    env = {**os.environ, "TRITHUC_ENV": "production", "DJANGO_SETTINGS_MODULE": "trithuc.settings"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
