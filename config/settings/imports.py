"""Imports of outside records (DAIL, licensing tables) and the CourtListener docket refresh."""

from .broker import CELERY_BEAT_SCHEDULE
from .environment import env

# Files larger than this are refused by the importers (command line and admin upload) before anything is read.
IMPORTS_MAX_FILE_BYTES = env.int("IMPORTS_MAX_FILE_BYTES", default=20 * 1024 * 1024)

# CourtListener REST API v4 (https://www.courtlistener.com/help/api/rest/). The token is each deployment's own,
# from https://www.courtlistener.com/profile/api/; without one linked dockets are not refreshed and say so.
COURTLISTENER_API_TOKEN = env.str("COURTLISTENER_API_TOKEN", default="")
COURTLISTENER_BASE_URL = env.str(
    "COURTLISTENER_BASE_URL", default="https://www.courtlistener.com/api/rest/v4/"
)
COURTLISTENER_TIMEOUT = env.float("COURTLISTENER_TIMEOUT", default=15.0)
# At least this many seconds between two requests from one process (CourtListener allows 5,000 an hour).
COURTLISTENER_MIN_INTERVAL = env.float("COURTLISTENER_MIN_INTERVAL", default=1.0)
# Attempts per request when the API answers 429 or 5xx or cannot be reached, with exponential back-off.
COURTLISTENER_ATTEMPTS = env.int("COURTLISTENER_ATTEMPTS", default=3)
COURTLISTENER_BACKOFF = env.float("COURTLISTENER_BACKOFF", default=2.0)
# Pages of docket entries (newest first) read per docket per refresh.
COURTLISTENER_MAX_PAGES = env.int("COURTLISTENER_MAX_PAGES", default=3)
# Dockets refreshed per run of the periodic task, least recently checked first.
COURTLISTENER_DOCKETS_PER_RUN = env.int("COURTLISTENER_DOCKETS_PER_RUN", default=50)
COURTLISTENER_REFRESH_INTERVAL = env.float("COURTLISTENER_REFRESH_INTERVAL", default=6 * 3600.0)

CELERY_BEAT_SCHEDULE["courtlistener-refresh"] = {
    "task": "disputes.imports.tasks.courtlistener_refresh",
    "schedule": COURTLISTENER_REFRESH_INTERVAL,
    "options": {"expires": COURTLISTENER_REFRESH_INTERVAL},
}
