"""The SQLite test database copied from a template (tests/sqlite_template.py) is the one the migrations make."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests import sqlite_template

ROOT = Path(__file__).resolve().parents[2]


def test_the_template_is_named_after_every_migration_and_what_the_data_migrations_call():
    sources = sqlite_template.template_sources()
    migrations = {p.resolve() for p in (ROOT / "disputes" / "migrations").glob("0*.py")}
    assert migrations and migrations <= sources
    # 0012_record_data computes its sort keys with the model's own functions.
    assert (ROOT / "disputes" / "models" / "common.py").resolve() in sources
    # Django's own migrations (auth, contenttypes) are part of the database too.
    assert any("django/contrib/auth/migrations" in str(p) for p in sources)


def test_a_changed_migration_changes_the_template_name(monkeypatch, tmp_path):
    migration = tmp_path / "0001_initial.py"
    migration.write_text("operations = []\n")
    monkeypatch.setattr(sqlite_template, "template_sources", lambda: {migration})
    before = sqlite_template.migrations_digest()
    migration.write_text("operations = ['changed']\n")
    assert sqlite_template.migrations_digest() != before


# Sets up the test database as the suite does on SQLite (tests/conftest.py), then prints what it holds.
SET_UP_AND_DESCRIBE = """
import json, django
django.setup()
from django.db import connection
from django.test.utils import setup_databases
from tests import sqlite_template
from tests.deploy.test_test_database import schema_and_groups
connection.creation = sqlite_template.TemplateDatabaseCreation(connection)
setup_databases(verbosity=1, interactive=False)
print(json.dumps(schema_and_groups(connection.connection)))
"""


def schema_and_groups(db: sqlite3.Connection) -> tuple[list, list]:
    """Every table, index and trigger as SQLite stores it, and the permissions of each staff group."""
    schema = db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    groups = db.execute(
        "SELECT g.name, ct.app_label, p.codename FROM auth_group g"
        " JOIN auth_group_permissions gp ON gp.group_id = g.id JOIN auth_permission p ON p.id = gp.permission_id"
        " JOIN django_content_type ct ON ct.id = p.content_type_id ORDER BY 1, 2, 3"
    ).fetchall()
    return [list(row) for row in schema], [list(row) for row in groups]


def _set_up_test_database(var_dir: Path) -> tuple[str, tuple[list, list]]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", SET_UP_AND_DESCRIBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    log, _, described = result.stdout.strip().rpartition("\n")
    schema, groups = json.loads(described)
    return log + result.stderr, (schema, groups)


@pytest.mark.slow
def test_a_copied_test_database_is_the_one_migrate_makes(tmp_path):
    """The first run migrates and saves the template; the next copies it and has the same tables, indexes,
    0013's triggers and staff groups (0002, and post_migrate) as the migrated one. Runs on SQLite whatever database
    the suite itself uses, so CI on PostgreSQL checks it too."""
    first_log, migrated = _set_up_test_database(tmp_path)
    assert "Saved the migrated test database" in first_log
    second_log, copied = _set_up_test_database(tmp_path)
    assert "Copying the migrated test database" in second_log
    assert any(row[0] == "trigger" for row in migrated[0]) and migrated[1]
    assert copied == migrated


def _in_a_sqlite_run(test_id: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_XDIST_WORKER", "CI")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", test_id],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout, result.stdout[-2000:]
