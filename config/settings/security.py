"""Security settings shared by every environment: who signs in and how often they may fail, what a request may
carry, which headers every response has. Production adds transport security (see production.py).

The access policy itself (who reads, adds, changes, deletes) is code: disputes/core/access.py.
"""

import datetime as dt

from .environment import env

# --- Signing in ---------------------------------------------------------------------------------------------
# django-axes first: it refuses a locked-out login before any password is checked. The second backend is Django's
# ModelBackend whose user also says whether it may read the record (no extra query per request).
# https://django-axes.readthedocs.io/en/latest/2_installation.html
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "disputes.accounts.backends.AccessModelBackend",
]
# After AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is locked out for
# AXES_COOLOFF_TIME; an administrator unlocks it earlier by deleting its row under "Axes › Access attempts" in
# the admin (or `manage.py axes_reset_username <name>`). Locking by username and address together means a
# stranger cannot lock a colleague out from elsewhere.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "disputes.accounts.views.locked_out"
AXES_VERBOSE = False
# Behind a proxy the client's address is in X-Forwarded-For (only trusted when DJANGO_BEHIND_PROXY says so), as
# written by our own proxies (DJANGO_PROXY_COUNT of them): the addresses a client puts there itself are ignored.
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=1)
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Change history -------------------------------------------------------------------------------------------
# History is read-only: the "revert" form would save whatever a partial POST carries (clearing many-to-many
# fields), so it is switched off; the history views also need the history model's own view permission.
# https://django-simple-history.readthedocs.io/en/latest/admin.html
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True

# --- What a request may carry ------------------------------------------------------------------------------------
# Bodies larger than these get a 413 with a plain message before anything reads them (disputes/core/http.py):
# anonymous requests only ever post a login form; signed-in ones may upload files (imports).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=20 * 1024 * 1024)
ANONYMOUS_REQUEST_BODY_MAX_BYTES = env.int("ANONYMOUS_REQUEST_BODY_MAX_BYTES", default=64 * 1024)
# https://docs.djangoproject.com/en/5.2/ref/settings/#data-upload-max-memory-size
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields (not files) held in memory
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads go to a temporary file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# The longest text an editor may type into a text field that has no length of its own (admin forms).
TEXT_FIELD_MAX_CHARS = env.int("TEXT_FIELD_MAX_CHARS", default=20_000)

# --- Headers on every response -------------------------------------------------------------------------------
# A policy the pages satisfy: scripts and styles come from our static files only (no inline code; htmx's
# indicator styles are switched off in base.html). The browser tests fail on any violation Chromium reports.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# https://github.com/adamchainz/django-permissions-policy
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
