"""Shared fixtures, and the rule that decides which tests need which real service.

Tests marked ``postgres`` or ``redis`` need those servers (``DATABASE_URL`` / ``CELERY_BROKER_URL``); tests marked
``browser`` need Chromium. On a developer machine without them those tests are deselected with a clear note; in CI
(``CI=true``) a missing service is an error, so every test runs there.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from disputes import models as m
from tests import factories, sqlite_template

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def shared_data_dir() -> Path | None:
    """The real data sets (``../shared/data`` beside the checkout, or ``SHARED_DATA_DIR``), if present."""
    candidates = [os.environ.get("SHARED_DATA_DIR", "")]
    root = Path(__file__).resolve().parents[1]
    candidates += [str(parent / "shared" / "data") for parent in (root.parent, root.parent.parent)]
    return next((Path(c) for c in candidates if c and (Path(c) / "dail").is_dir()), None)


def _missing_services() -> dict[str, str]:
    missing = {}
    if not settings.USING_POSTGRES:
        missing["postgres"] = "DATABASE_URL does not point at PostgreSQL"
    if not settings.CELERY_BROKER_URL.startswith("redis://") or not shutil.which("redis-server"):
        missing["redis"] = "CELERY_BROKER_URL does not point at Redis (or redis-server is not installed)"
    if not os.path.exists(CHROMIUM_PATH):
        missing["browser"] = f"Chromium is not installed at {CHROMIUM_PATH}"
    if shared_data_dir() is None:
        missing["shared_data"] = "the real data sets (../shared/data) are not beside this checkout"
    return missing


def pytest_collection_modifyitems(config, items):
    missing = _missing_services()
    if not missing:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        needed = {m for item in items for m in missing if item.get_closest_marker(m)}
        if needed:
            raise pytest.UsageError(
                "CI must run every test, but: " + "; ".join(missing[m] for m in sorted(needed))
            )
        return
    keep, drop = [], []
    for item in items:
        (drop if any(item.get_closest_marker(m) for m in missing) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line(
                f"Deselected {len(drop)} tests that need a service this machine was not given: "
                + "; ".join(missing.values())
                + ". CI runs them all (see .ci/run).",
                yellow=True,
            )


@pytest.fixture(scope="session")
def _sqlite_test_db_from_template(django_db_use_migrations, django_db_keepdb, django_db_createdb):
    """Make the SQLite test database from the saved migrated one (tests/sqlite_template.py) when it can."""
    from django.db import connections

    keepdb = django_db_keepdb and not django_db_createdb
    for connection in connections.all(initialized_only=False):
        if sqlite_template.applies(connection, use_migrations=django_db_use_migrations, keepdb=keepdb):
            connection.creation = sqlite_template.TemplateDatabaseCreation(connection)


@pytest.fixture(scope="session")
def django_db_setup(_sqlite_test_db_from_template, django_db_setup):
    """pytest-django's test databases, the SQLite one copied from a template (asked for first, above)."""
    yield


@pytest.fixture
def user(db):
    """A member of staff in the Readers group: may read everything, change nothing."""
    return factories.UserFactory(is_staff=True)


@pytest.fixture
def outsider(db):
    """An active account that is not staff: signs in, reads nothing."""
    return factories.UserFactory(username="outsider")


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(is_staff=True)


@pytest.fixture
def editor(db):
    return factories.UserFactory(is_staff=True, groups=["Editors"])


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def admin_client_logged(client, superuser):
    client.force_login(superuser)
    return client


# --- The dashboard's usual cast: CODA v. OpenAI and its neighbours, and Hana, a staff member ---------------


@pytest.fixture
def scenario(db):
    scenario = factories.build_coda_scenario()
    # Content types are cached for the life of the process; load them as a running server would have.
    ContentType.objects.get_for_models(m.Event, m.DemandLetter, m.Response)
    return scenario


@pytest.fixture
def staff(db):
    return factories.UserFactory(
        username="hana", first_name="Hana", last_name="Sato", email="hana@example.org", is_staff=True
    )


@pytest.fixture
def logged_in(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture(autouse=True)
def _reset_language():
    """A test that switches to Japanese (a request with a language cookie does) must not leak it to the next."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
