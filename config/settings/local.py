"""Settings for a developer's machine: ``make run``."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A fixed key is fine on a developer's machine; production refuses to start without its own.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
