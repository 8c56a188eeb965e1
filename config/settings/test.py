"""Settings for the test suite (pytest-django)."""

import warnings

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "test-mail")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Every page renders its entries from the database in tests (their query counts are pinned that way); the tests
# of the kept entries themselves switch a real cache on (tests/dashboard/test_fragments.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# A naive datetime reaching a DateTimeField is a bug: make it fail the test.
warnings.filterwarnings(
    "error", r"DateTimeField .* received a naive datetime", RuntimeWarning, r"django\.db\.models\.fields"
)
# django-axes refuses authenticate() calls without a request (Client.login makes those); the login-throttling
# tests switch it on (tests/accounts/test_login_throttling.py).
AXES_ENABLED = False
