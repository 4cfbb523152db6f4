"""WSGI entry point (gunicorn trithuc.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trithuc.settings")
application = get_wsgi_application()
