"""The database: SQLite under var/ by default, PostgreSQL when ``DATABASE_URL`` says so."""

import os

from .environment import VAR_DIR, env  # noqa: F401

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
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation costs more than it saves on the dashboard's short queries (an export's correlated
        # subqueries set it off and delay the first row by seconds).
        # https://www.postgresql.org/docs/current/jit-decision.html
        # An ``options`` parameter replaces libpq's PGOPTIONS, so what the environment asks for is kept in it.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = " ".join(
            part
            for part in (os.environ.get("PGOPTIONS", ""), options.get("options", ""), "-c jit=off")
            if part
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
