"""The WSGI entry point for production servers (gunicorn). `make run` and tests choose their own settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
