"""Production settings: refuse to start with an unsafe configuration; transport security on.

``manage.py check --deploy`` with these settings is clean (tests/deploy/test_settings.py runs it).
"""

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
# Django's own rules for a strong key (the deploy check's security.W009), plus our known placeholders.
if (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    or SECRET_KEY.startswith((SECRET_KEY_INSECURE_PREFIX, "local-", "test-", "change-me", "build-only"))
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value in production: at least "
        f"{SECRET_KEY_MIN_LENGTH} characters with at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones, "
        "for example from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# --- Transport security ------------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Health probes come from inside the deployment over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
# X-Forwarded-Proto is trusted only behind a proxy that sets it (and strips it from clients); with gunicorn
# exposed directly anyone could claim HTTPS. https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
# HSTS preload is a deliberate, hard-to-undo choice for the domain's owner: not a deploy-check failure here.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
