"""The SQLite test database copied from a template (tests/sqlite_template.py) is the one the migrations make."""

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

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


def _schema_and_groups(db: sqlite3.Connection) -> tuple[list, list]:
    schema = db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    groups = db.execute(
        "SELECT g.name, ct.app_label, p.codename FROM auth_group g"
        " JOIN auth_group_permissions gp ON gp.group_id = g.id JOIN auth_permission p ON p.id = gp.permission_id"
        " JOIN django_content_type ct ON ct.id = p.content_type_id ORDER BY 1, 2, 3"
    ).fetchall()
    return schema, groups


@pytest.mark.slow
@pytest.mark.django_db
def test_the_test_database_is_what_migrate_makes(tmp_path):
    """Tables, indexes, 0013's triggers and the staff groups of 0002, exactly as ``migrate`` makes them."""
    if connection.vendor != "sqlite":
        pytest.skip("the template is for the SQLite test database; PostgreSQL is migrated as usual")
    fresh = tmp_path / "migrated.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DATABASE_URL": f"sqlite:///{fresh}", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    connection.ensure_connection()
    with closing(sqlite3.connect(fresh)) as migrated:
        expected = _schema_and_groups(migrated)
    actual = _schema_and_groups(connection.connection)
    assert any(row[0] == "trigger" for row in expected[0])
    assert expected[1]
    assert actual == expected
