"""The DAIL import from the admin: upload, preview, confirm, progress; bad files refused with nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from disputes import models as m
from disputes.imports.runs import import_run_execute
from tests.oncommit import queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    return tmp_path


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def test_upload_preview_confirm(
    admin_client_logged, dail_files, lantern_record, var_dir, django_capture_on_commit_callbacks
):
    url = reverse("admin:disputes_importrun_upload")
    assert admin_client_logged.get(url).status_code == 200
    disputes_before = m.Dispute.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client_logged.post(
            url,
            {
                "cases": upload(dail_files["cases"]),
                "dockets": upload(dail_files["dockets"]),
                "sources": upload(dail_files["sources"]),
                "only_copyright": "on",
            },
        )
    run = m.ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "admin:disputes_importrun_run", args=[run.pk]
    )
    assert (
        run.status == m.ImportStatus.PREVIEWING and len(queued(callbacks)) == 1
    )  # the preview is queued on commit
    assert (var_dir / "imports").is_dir()

    # The worker's part, run here: the preview is a dry run.
    import_run_execute(run_id=run.pk, confirm=False)
    run.refresh_from_db()
    assert run.status == m.ImportStatus.PREVIEWED and run.total == 6
    assert run.preview["counts"] == {
        "new": 5,
        "matched": 1,
        "changed": 0,
        "unchanged": 0,
        "rejected": 0,
        "conflicting": 1,
    }
    assert m.Dispute.objects.count() == disputes_before  # nothing written yet
    page = admin_client_logged.get(reverse("admin:disputes_importrun_run", args=[run.pk])).content.decode()
    assert "6 rows: 5 new, 1 matched" in page and "Confirm the import" in page
    assert "no filing date" in page and "matched “Lantern Press v. Quillmind” by docket number" in page
    assert "DAIL says 2023-07-07, the record says 2023-07-10" in page

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client_logged.post(reverse("admin:disputes_importrun_confirm", args=[run.pk]))
    assert response.status_code == 302 and len(queued(callbacks)) == 1
    run.refresh_from_db()
    assert run.status == m.ImportStatus.RUNNING
    progress = admin_client_logged.get(
        reverse("admin:disputes_importrun_progress", args=[run.pk])
    ).content.decode()
    assert 'hx-trigger="every 1s"' in progress  # the page polls while it runs
    import_run_execute(run_id=run.pk, confirm=True)
    run.refresh_from_db()
    assert run.status == m.ImportStatus.DONE and run.report["counts"]["new"] == 5
    assert m.Dispute.objects.count() == disputes_before + 5
    progress = admin_client_logged.get(
        reverse("admin:disputes_importrun_progress", args=[run.pk])
    ).content.decode()
    assert "every 1s" not in progress and "5 new" in progress
    # A run that is not previewed cannot be confirmed twice.
    admin_client_logged.post(reverse("admin:disputes_importrun_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == m.ImportStatus.DONE


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (lambda f: {"cases": upload(f["dockets"])}, "no sheet has the column"),
        (
            lambda f: {"cases": SimpleUploadedFile("Case_Table.xlsx", b"PK\x03\x04 broken")},
            "not a readable xlsx",
        ),
        (lambda f: {"cases": SimpleUploadedFile("notes.pdf", b"%PDF-1.4\x00\x00")}, "neither an xlsx"),
        (lambda f: {"cases": upload(f["cases"]), "dockets": upload(f["sources"])}, "no sheet has the column"),
    ],
)
def test_bad_files_are_refused_with_nothing_written(admin_client_logged, dail_files, var_dir, files, message):
    response = admin_client_logged.post(reverse("admin:disputes_importrun_upload"), files(dail_files))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not m.ImportRun.objects.exists() and not m.Dispute.objects.exists()
    assert not (var_dir / "imports").exists()


@override_settings(IMPORTS_MAX_FILE_BYTES=1024)
def test_a_file_too_large_is_refused(admin_client_logged, dail_files, var_dir):
    response = admin_client_logged.post(
        reverse("admin:disputes_importrun_upload"), {"cases": upload(dail_files["cases"])}
    )
    assert response.status_code == 400 and "files up to" in response.content.decode()
    assert not m.ImportRun.objects.exists()


def test_staff_without_rights_cannot_import(client, dail_files):
    from tests import factories

    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get(reverse("admin:disputes_importrun_upload")).status_code == 403
