"""Settings shared by every environment. Everything that varies by deployment comes from the environment.

With nothing set, the project runs on SQLite under ``var/`` and a Celery broker that needs no server (kombu's
filesystem transport). ``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch to PostgreSQL and Redis.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "disputes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "disputes.accounts.middleware.ViewerTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat share one SQLite file without "database is locked".
    # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "disputes:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="UTC")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Mail -------------------------------------------------------------------------------------------------
# Locally, mail is written to files under var/mail so a person can read what was sent.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AI Disputes Tracker <reminders@localhost>")

# --- Celery -----------------------------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_IS_FILESYSTEM = CELERY_BROKER_URL.startswith("filesystem://")
if CELERY_BROKER_IS_FILESYSTEM:
    _queue_dir = VAR_DIR / "celery-queue"
    (_queue_dir / "processed").mkdir(parents=True, exist_ok=True)
    # https://docs.celeryq.dev/projects/kombu/en/stable/reference/kombu.transport.filesystem.html
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir / "processed"),
        # Exchange tables (for broadcasts such as worker pings); kombu's default is ./control.
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # An unacked message comes back after this many seconds; it must exceed the longest retry countdown.
    # https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#visibility-timeout
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}

# --- Domain settings --------------------------------------------------------------------------------------
# When a letter names no response deadline, one is derived from this policy.
DISPUTES_DEFAULT_DEADLINE_DAYS = env.int("DISPUTES_DEFAULT_DEADLINE_DAYS", default=30)
# "calendar" or "business" (skips weekends and the public holidays of the sender's country).
DISPUTES_DEFAULT_DEADLINE_DAY_KIND = env.str("DISPUTES_DEFAULT_DEADLINE_DAY_KIND", default="calendar")

# --- REST framework ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI Disputes Tracker API",
    "DESCRIPTION": "Read-only access to the dispute record.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Reminders (deadline sweep and reminder delivery; see disputes/reminders_config.py) --------------------
# Days from a letter's deadline at which reminders fall due: a heads-up before, one at the deadline, then after.
REMINDERS_LADDER_DAYS = env.list("REMINDERS_LADDER_DAYS", cast=int, default=[-3, 0, 7, 14, 30])
# After the last step, repeat every this many days until a sincere response or closing (0: never).
REMINDERS_REPEAT_DAYS = env.int("REMINDERS_REPEAT_DAYS", default=30)
# Remind staff to assess a response that has waited this many days unassessed.
REMINDERS_ASSESSMENT_DAYS = env.int("REMINDERS_ASSESSMENT_DAYS", default=7)
# Who is told when nobody follows a letter or owns it (created on demand; if empty, active superusers).
REMINDERS_FALLBACK_GROUP = env.str("REMINDERS_FALLBACK_GROUP", default="Reminder fallback")
# Seconds between two sweeps by beat. The sweep is the source of truth; it is idempotent and cheap when idle.
REMINDERS_SWEEP_INTERVAL = env.float("REMINDERS_SWEEP_INTERVAL", default=60.0)
# The dashboard and /healthz/reminders/ warn when no sweep has finished for this many seconds (beat or the
# workers are down), when a reminder has waited longer than REMINDERS_STUCK_AFTER for a worker, or when one failed
# in the last REMINDERS_FAILED_WINDOW seconds.
REMINDERS_SWEEP_LATE_AFTER = env.int(
    "REMINDERS_SWEEP_LATE_AFTER", default=int(3 * REMINDERS_SWEEP_INTERVAL) + 120
)
REMINDERS_STUCK_AFTER = env.int("REMINDERS_STUCK_AFTER", default=1800)
REMINDERS_FAILED_WINDOW = env.int("REMINDERS_FAILED_WINDOW", default=86400)
# Letters (and ledger rows) handled per transaction by a sweep.
REMINDERS_SWEEP_BATCH = env.int("REMINDERS_SWEEP_BATCH", default=1000)
# A pending reminder last enqueued longer ago than this is enqueued again (its message was lost). Must exceed
# the longest retry countdown (REMINDERS_RETRY_BACKOFF_MAX) plus the time a message may wait in the queue.
REMINDERS_REENQUEUE_AFTER = env.int("REMINDERS_REENQUEUE_AFTER", default=900)
# A delivery still "sending" after this many seconds was interrupted (worker killed): it is flagged as a possible
# duplicate and sent again with the same Message-ID. Must exceed the task's hard time limit.
REMINDERS_SENDING_TIMEOUT = env.int("REMINDERS_SENDING_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60)
# Delivery retries: exponential back-off (factor in seconds, capped) with full jitter.
# https://docs.celeryq.dev/en/stable/userguide/tasks.html#automatic-retry-for-known-exceptions
REMINDERS_RETRY_BACKOFF = env.int("REMINDERS_RETRY_BACKOFF", default=30)
REMINDERS_RETRY_BACKOFF_MAX = env.int("REMINDERS_RETRY_BACKOFF_MAX", default=600)
REMINDERS_MAX_RETRIES = env.int("REMINDERS_MAX_RETRIES", default=5)
# Beat also sends one sweep when it starts, so a fresh `make run` does not wait a whole interval.
REMINDERS_SWEEP_ON_BEAT_START = env.bool("REMINDERS_SWEEP_ON_BEAT_START", default=True)
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#entries
CELERY_BEAT_SCHEDULE["sweep-deadlines"] = {
    "task": "disputes.tasks.sweep_deadlines",
    "schedule": REMINDERS_SWEEP_INTERVAL,
    # A sweep that waited longer than one interval in the queue is dropped: the next one does the same work.
    "options": {"expires": REMINDERS_SWEEP_INTERVAL},
}
# --- End of reminders -------------------------------------------------------------------------------------

# --- Digest (the follow digest; see disputes/reminders/digest.py and disputes/reminders/tasks.py) ----------------------
# Digest periods end at this hour in each reader's own time zone, or in DIGEST_TIME_ZONE for a reader who has
# none yet: every day (daily) or on DIGEST_WEEKDAY (weekly; 0 is Monday).
DIGEST_TIME_ZONE = env.str("DIGEST_TIME_ZONE", default="Asia/Tokyo")
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
DIGEST_WEEKDAY = env.int("DIGEST_WEEKDAY", default=0)
# autodiscover_tasks() looks for <app>/tasks.py; the tasks live in disputes/reminders/tasks.py.
# https://docs.celeryq.dev/en/stable/userguide/configuration.html#imports
CELERY_IMPORTS = [*globals().get("CELERY_IMPORTS", []), "disputes.reminders.tasks"]
# Hourly: the sweep sends what is due and nothing twice, so an hour missed while beat was down is caught up.
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#crontab-schedules
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["follow-digest"] = {
    "task": "disputes.tasks_digest.digest_sweep",
    "schedule": crontab(minute=5),
    "options": {"expires": 3000},
}
# --- End of digest ----------------------------------------------------------------------------------------
