"""Imports started from the admin: upload, preview (a dry run), confirm (the real run), with progress.

``import_run_start`` reads the uploaded files at once, so a bad file is refused with its reason before anything is
stored; good files are kept under ``VAR_DIR/imports/`` and a worker makes the preview. ``import_run_execute`` runs
in the worker: the dry run for the preview, or the import itself once confirmed. Progress is written through a
connection of its own, so the page polling it sees it while the import's transaction is still open.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

from disputes.models import ImportRun, ImportStatus

from .dail import dail_import, dail_read
from .readers import ImportFileError

logger = logging.getLogger(__name__)

IMPORT_TASK = "disputes.imports.tasks.import_run"


def upload_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _store(upload, folder: Path) -> str:
    name = Path(upload.name).name.replace("/", "_")[:150] or "upload"
    path = folder / name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(path)


def import_run_start(
    *, user, cases, dockets=None, sources=None, only_copyright: bool, overwrite: bool
) -> ImportRun:
    """Check the uploaded files, keep them, and queue the preview. Raises ``ImportFileError``; then nothing is kept."""
    for upload in (cases, dockets, sources):
        if upload is not None:
            upload.seek(0)
    dail_read(cases, dockets=dockets, sources=sources, only_copyright=only_copyright)
    folder = upload_dir() / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for key, upload in (("cases_file", cases), ("dockets_file", dockets), ("sources_file", sources)):
        if upload is not None:
            upload.seek(0)
            paths[key] = _store(upload, folder)
    with transaction.atomic():
        run = ImportRun.objects.create(
            created_by=user,
            status=ImportStatus.PREVIEWING,
            only_copyright=only_copyright,
            overwrite=overwrite,
            **paths,
        )
        _enqueue(run.pk, confirm=False)
    return run


def import_run_confirm(*, run: ImportRun) -> ImportRun:
    if run.status != ImportStatus.PREVIEWED:
        raise ImportFileError("Only a previewed import can be confirmed.")
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING, processed=0)
        _enqueue(run.pk, confirm=True)
    run.refresh_from_db()
    return run


def _enqueue(run_id: int, *, confirm: bool) -> None:
    # By name: the tasks module imports this one. The message leaves once the run is committed.
    transaction.on_commit(lambda: current_app.send_task(IMPORT_TASK, args=[run_id, confirm]))


class _ProgressWriter:
    """Writes a run's progress on a connection of its own (autocommit), visible while the import runs."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        self.table = ImportRun._meta.db_table

    def __call__(self, done: int, total: int, label: str) -> None:
        if done != total and done % 5:
            return
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self.table} SET processed = %s, total = %s WHERE id = %s",  # noqa: S608 - our table
                    [done, total, self.run_id],
                )
        except DatabaseError:  # SQLite locks the file while the import writes: progress waits for the end.
            logger.debug("progress of import run %s not written", self.run_id, exc_info=True)

    def close(self) -> None:
        self.connection.close()


def import_run_execute(*, run_id: int, confirm: bool) -> ImportRun:
    run = ImportRun.objects.get(pk=run_id)
    progress = _ProgressWriter(run_id)
    try:
        export = dail_read(
            run.cases_file,
            dockets=run.dockets_file or None,
            sources=run.sources_file or None,
            only_copyright=run.only_copyright,
        )
        report = dail_import(export=export, dry_run=not confirm, overwrite=run.overwrite, progress=progress)
    except ImportFileError as exc:
        run.status, run.error = ImportStatus.FAILED, str(exc)
    except Exception as exc:
        logger.exception("import run %s failed", run_id)
        run.status, run.error = ImportStatus.FAILED, f"{exc.__class__.__name__}: {exc}"
    else:
        if confirm:
            run.status, run.report, run.finished_at = ImportStatus.DONE, report.as_dict(), timezone.now()
        else:
            run.status, run.preview = ImportStatus.PREVIEWED, report.as_dict()
        run.processed = run.total = len(export.cases)
    finally:
        progress.close()
    run.save(update_fields=["status", "error", "report", "preview", "finished_at", "processed", "total"])
    return run
