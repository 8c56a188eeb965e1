"""The migrated SQLite test database, built once by running the migrations and copied by every later run.

Migrating an empty SQLite database takes most of a test process's start-up (every migration, 0011's table
rebuilds, 0013's triggers), and ``make test-fast`` starts one process per core. The first process that finds no
template migrates as usual and saves the result under ``var/test-db/``, named after a digest of everything the
migrated database is made from: each migration file, the project modules the migrations import (0012 reads
``disputes.models.common``), the Django and SQLite versions. Any later process copies that file into its own
in-memory database (SQLite's backup API: schema, triggers, rows of the data migrations) and then sends
``post_migrate`` as ``migrate`` would, so content types, permissions and the staff groups are made by today's code
rather than read from the copy. A changed migration changes the digest, so a stale template is never used; old
templates are removed when a new one is saved.

Only an in-memory SQLite test database with migrations is built this way; PostgreSQL (``make test`` in CI),
``--reuse-db`` and ``--nomigrations`` take pytest-django's usual path.

``loaded_once_per_process`` applies the same idea to data a group of tests reads (the demo): on an in-memory
SQLite database it is loaded for real once per process, kept as a copy in memory, and copied in again for the
next group instead of being loaded again; elsewhere it is loaded each time inside a transaction rolled back after.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import inspect
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.sqlite3.creation import DatabaseCreation
from django.db.migrations.loader import MigrationLoader


def template_dir() -> Path:
    return Path(settings.VAR_DIR) / "test-db"


_PROJECT_DIR = Path(settings.BASE_DIR).resolve()


def _project_file(obj: object) -> Path | None:
    """The file of a module, class or function if it is part of this project (not of a library)."""
    module = obj if isinstance(obj, ModuleType) else sys.modules.get(getattr(obj, "__module__", "") or "")
    path = getattr(module, "__file__", None)
    if not path:
        return None
    path = Path(path).resolve()
    if not path.is_relative_to(_PROJECT_DIR) or ".venv" in path.parts or "site-packages" in path.parts:
        return None
    return path


def template_sources() -> set[Path]:
    """The project's files a freshly migrated database is made from: every migration and what they import."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    files: set[Path] = set()
    for migration in loader.disk_migrations.values():
        module = sys.modules[type(migration).__module__]
        files.add(Path(inspect.getfile(module)).resolve())
        # What a data migration calls lives in other modules of the project (0012: disputes.models.common).
        files.update(p for value in vars(module).values() if (p := _project_file(value)) is not None)
    return files


def migrations_digest() -> str:
    """A digest of what a freshly migrated database is made from; it changes whenever that may change."""
    digest = hashlib.sha256()
    for part in (django.get_version(), sqlite3.sqlite_version, *settings.INSTALLED_APPS):
        digest.update(part.encode() + b"\0")
    for path in sorted(template_sources()):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


class TemplateDatabaseCreation(DatabaseCreation):
    """SQLite's test database creation, copying a saved migrated database instead of migrating when it can."""

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        template = template_dir() / f"sqlite-{migrations_digest()}.sqlite3"
        if template.exists():
            if verbosity >= 1:
                self.log(f"Copying the migrated test database from {template}...")
            return self._create_test_db_from(template, verbosity=verbosity, serialize=serialize)
        name = super().create_test_db(verbosity, autoclobber, serialize, keepdb)
        self._save_template(template)
        if verbosity >= 1 and template.exists():
            self.log(f"Saved the migrated test database as {template}.")
        return name

    def _create_test_db_from(self, template: Path, *, verbosity: int, serialize: bool) -> str:
        """What ``create_test_db`` does, with a copy of ``template`` in place of ``migrate``."""
        name = self._create_test_db(verbosity, autoclobber=True, keepdb=False)
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(template)) as source:
            source.backup(self.connection.connection)
        emit_post_migrate_signal(verbosity=max(verbosity - 1, 0), interactive=False, db=self.connection.alias)
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        call_command("createcachetable", database=self.connection.alias)
        return name

    def _save_template(self, template: Path) -> None:
        """Save the migrated database; when another process is saving one at the same moment, leave it to that."""
        folder = template.parent
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            if template.exists():
                return
            partial = template.with_suffix(f".{os.getpid()}.partial")
            with contextlib.closing(sqlite3.connect(partial)) as target:
                self.connection.connection.backup(target)
            os.replace(partial, template)
            # Older templates, and what a process stopped half-way through saving left behind (the lock is ours).
            for old in [*folder.glob("sqlite-*.sqlite3"), *folder.glob("sqlite-*.partial")]:
                if old != template:
                    old.unlink(missing_ok=True)


def applies(connection, *, use_migrations: bool, keepdb: bool) -> bool:
    """Whether ``connection``'s test database may be made from a template."""
    return (
        connection.vendor == "sqlite"
        and use_migrations
        and not keepdb
        and DatabaseCreation.is_in_memory_db(connection.creation._get_test_db_name())
    )


# What ``loaded_once_per_process`` loaded in this process: key -> (what the loader returned, a copy of the database).
_loaded: dict[str, tuple[Any, sqlite3.Connection]] = {}


@contextlib.contextmanager
def loaded_once_per_process(key: str, load: Callable[[], Any]) -> Iterator[Any]:
    """The test database with ``load()``'s rows in it for the duration of the block, as it was before afterwards.
    Yields what ``load()`` returned.

    On an in-memory SQLite test database outside any transaction, the first block of a process (for ``key``) runs
    ``load()`` and keeps a copy of the database it made; later blocks copy that back in (SQLite's backup API,
    milliseconds) instead of running ``load()`` again, so every block starts from the same rows ``load()`` wrote
    in this run. The database is saved before and put back after, as a rollback would. ``load()`` commits here, so
    the on-commit callbacks it registers are dropped, as the rollback drops them elsewhere. Anywhere else
    (PostgreSQL, or inside a transaction) ``load()`` runs each time inside a transaction rolled back afterwards.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if not (
        connection.vendor == "sqlite"
        and DatabaseCreation.is_in_memory_db(connection.settings_dict["NAME"])
        and not connection.in_atomic_block
    ):
        with transaction.atomic():
            yield load()
            transaction.set_rollback(True)
        return
    connection.ensure_connection()
    before = sqlite3.connect(":memory:")
    connection.connection.backup(before)
    try:
        if key in _loaded:
            result, copy = _loaded[key]
            copy.backup(connection.connection)
        else:
            with transaction.atomic():
                result = load()
                connection.run_on_commit.clear()
            copy = sqlite3.connect(":memory:")
            connection.connection.backup(copy)
            _loaded[key] = (result, copy)
        yield result
    finally:
        before.backup(connection.connection)
        before.close()
