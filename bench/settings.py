"""Production settings plus what only the page benchmark needs: a bare logged-in view and a query counter.

Never used by the site itself: ``bench/pages.py`` starts gunicorn with ``DJANGO_SETTINGS_MODULE=bench.settings``.
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = [*MIDDLEWARE, "bench.middleware.count_queries"]
