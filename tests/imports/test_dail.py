"""The DAIL import on small hand-made tables: every rule the real export needs, on a fresh clone too."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings

from disputes import models as m
from disputes.imports.dail import dail_import, dail_read
from disputes.imports.readers import ImportFileError

from .conftest import EXPORT_DATE, FIXTURES, csv_rows, write_xlsx

pytestmark = pytest.mark.django_db


def read(files, **kwargs):
    return dail_read(files["cases"], dockets=files["dockets"], sources=files["sources"], **kwargs)


def run(files, **kwargs):
    options = {k: kwargs.pop(k) for k in ("only_copyright",) if k in kwargs}
    return dail_import(export=read(files, **options), **kwargs)


def put(path, data: bytes):
    path.write_bytes(data)
    return path


def rows_by_record(report):
    return {row.record: row for row in report.rows}


def test_export_date_comes_from_the_file_name(dail_files):
    assert read(dail_files).export_date == EXPORT_DATE


def test_copyright_only_leaves_the_other_cases_out(dail_files):
    export = read(dail_files, only_copyright=True)
    assert export.skipped_not_copyright == 1
    assert sorted(c.record for c in export.cases) == ["901", "902", "903", "904", "905", "907"]


def test_import_matches_the_record_and_creates_the_rest(dail_files, lantern_record):
    before = m.Dispute.objects.count()
    report = run(dail_files, only_copyright=True)
    rows = rows_by_record(report)
    assert rows["901"].outcome == "matched"
    assert "docket number" in rows["901"].reasons[0]
    assert {rows[r].outcome for r in ("902", "903", "904", "905", "907")} == {"new"}
    assert m.Dispute.objects.count() == before + 5  # 901 enriched the record's dispute, not doubled
    assert m.Dispute.objects.filter(title__icontains="Lantern").count() == 1
    # One Quillmind, whatever the spelling; DAIL's spellings kept as aliases.
    quillmind = m.Organization.objects.get(slug="quillmind")
    assert m.Organization.objects.filter(name__icontains="quillmind").count() == 1
    assert "Quillmind AI, Inc." in quillmind.aliases
    assert m.DisputeParty.objects.filter(organization=quillmind).count() == 6
    # A proceeding with its court, docket numbers (one linked to CourtListener), parties and claims.
    proceeding = lantern_record.proceedings.get()
    assert proceeding.title == "Lantern Press, Inc. v. Quillmind AI, Inc."
    assert (
        proceeding.kind == m.ProceedingKind.CLASS_ACTION and proceeding.status == m.ProceedingStatus.PENDING
    )
    assert proceeding.forum.kind == m.OrganizationKind.COURT and proceeding.forum.name == "N.D. Cal."
    assert {(d.number, d.courtlistener_id) for d in proceeding.dockets.all()} == {
        ("3:23-cv-09001-ABC", 70000001),
        ("No. 25-1234", None),
    }
    assert (
        m.CourtListenerDocket.objects.get(docket__proceeding=proceeding).docket.courtlistener_id == 70000001
    )
    assert {c.name.casefold() for c in proceeding.causes.all()} == {
        "copyright infringement",
        "unjust enrichment",
    }
    assert {(p.organization.slug, p.role) for p in proceeding.parties.all()} == {
        ("lantern", m.ProceedingRole.PLAINTIFF),
        ("quillmind", m.ProceedingRole.DEFENDANT),
    }
    # Secondary sources become the dispute's sources, with DAIL's record.
    urls = set(lantern_record.sources.values_list("url", flat=True))
    assert "https://news.example.org/lantern-sues-quillmind" in urls
    dail = m.Source.objects.get(url__endswith="?record=901")
    assert "DAIL record 901" in dail.title and "2025-10-01" in dail.title


def test_a_date_dail_and_the_record_disagree_on_is_disputed(dail_files, lantern_record):
    report = run(dail_files, only_copyright=True)
    assert any("filing date" in c for c in rows_by_record(report)["901"].conflicts)
    filing = lantern_record.events.get(kind=m.EventKind.LAWSUIT)
    assert filing.date == dt.date(2023, 7, 10)  # the record's own date stays
    reported = m.ReportedDate.objects.filter(
        content_type=ContentType.objects.get_for_model(m.Event), object_id=filing.pk
    )
    assert sorted((r.date, r.source.url.endswith("?record=901")) for r in reported) == [
        (dt.date(2023, 7, 7), True),  # DAIL's, from the Excel serial 45114
        (dt.date(2023, 7, 10), False),
    ]
    assert m.disputed_fields(reported)["date"]


def test_unreadable_rows_are_imported_as_far_as_possible_with_the_reason(dail_files):
    rows = rows_by_record(run(dail_files, only_copyright=True))
    assert rows["903"].problems == ["no filing date"]
    assert rows["904"].problems == ["filing date 2027-12-23 is after the export date 2025-10-01"]
    assert rows["905"].problems == ["unknown court: “Denmark” names a place, not a court"]
    for record in ("903", "904", "905"):
        dispute = m.Dispute.objects.get(slug=rows[record].dispute)
        assert not dispute.events.filter(kind=m.EventKind.LAWSUIT).exists() or record == "905"
    nordic = m.Dispute.objects.get(slug=rows["905"].dispute)
    assert nordic.stage == m.Stage.CLOSED  # Inactive
    assert nordic.proceedings.get().status == m.ProceedingStatus.CLOSED
    assert nordic.proceedings.get().forum is None
    assert m.Dispute.objects.get(slug=rows["902"].dispute).stage == m.Stage.LITIGATION  # "active"
    tokyo = m.Organization.objects.get(kind=m.OrganizationKind.COURT, name="Tokyo District Court")
    assert "Tokoyo District Court" in tokyo.aliases
    filed = m.Dispute.objects.get(slug=rows["907"].dispute).events.get(kind=m.EventKind.LAWSUIT)
    assert filed.date == dt.date(2025, 8, 26)  # a text date in the same column


def test_rows_without_a_record_number_or_caption_are_rejected(tmp_path):
    rows = csv_rows("dail_cases.csv")
    rows[1][2] = ""  # no record number
    rows[2][3] = ""  # no caption
    path = write_xlsx(tmp_path / "Case_Table_2025-Oct-01.xlsx", rows)
    report = dail_import(export=dail_read(path))
    rejected = [r for r in report.rows if r.outcome == "rejected"]
    assert len(rejected) == 2
    assert any("no record number" in reason for r in rejected for reason in r.reasons)
    assert any("no caption" in reason for r in rejected for reason in r.reasons)


def test_a_second_run_changes_nothing(dail_files, lantern_record):
    run(dail_files)
    counts = [
        model.objects.count() for model in (m.Dispute, m.Organization, m.Event, m.Source, m.ReportedDate)
    ]
    again = run(dail_files)
    assert again.summary().startswith("7 rows: 0 new, 0 matched, 0 changed, 7 unchanged")
    assert [
        model.objects.count() for model in (m.Dispute, m.Organization, m.Event, m.Source, m.ReportedDate)
    ] == counts


def test_a_newer_export_updates_what_changed_and_keeps_admin_edits(dail_files, tmp_path, lantern_record):
    first = rows_by_record(run(dail_files))
    harbour = m.Dispute.objects.get(slug=first["902"].dispute)
    harbour.summary = "Corrected by an editor."
    harbour.save()
    rows = csv_rows("dail_cases.csv")
    rows[2][4] = "Songwriters sue over lyrics in outputs; amended."  # Brief_Description of 902
    rows[2][17] = "Amended complaint filed"  # Most_Recent_Activity
    rows[2][18] = "2025-02-01"
    rows[7][3] = "Sakura Shimbun Co. v. Quillmind AI"  # caption of 907
    newer = write_xlsx(tmp_path / "Case_Table_2026-Jan-05_0900.xlsx", rows)
    report = dail_import(
        export=dail_read(newer, dockets=dail_files["dockets"], sources=dail_files["sources"])
    )
    changed = rows_by_record(report)
    assert report.count("changed") == 2 and report.count("unchanged") == 5
    assert any("summary" in c for c in changed["902"].conflicts)  # the editor's summary is kept...
    harbour.refresh_from_db()
    assert harbour.summary == "Corrected by an editor."
    assert harbour.events.filter(title="Amended complaint filed", date=dt.date(2025, 2, 1)).exists()
    sakura = m.Dispute.objects.get(slug=changed["907"].dispute)
    assert sakura.title == "Sakura Shimbun Co. v. Quillmind AI"  # ...what nobody edited follows DAIL
    # ...unless told to overwrite.
    rows[2][4] = "Third version."
    newest = write_xlsx(tmp_path / "Case_Table_2026-Feb-05_0900.xlsx", rows)
    dail_import(export=dail_read(newest), overwrite=True)
    harbour.refresh_from_db()
    assert harbour.summary.startswith("Third version.")


def test_a_dry_run_writes_nothing(dail_files, lantern_record):
    counts = [
        model.objects.count() for model in (m.Dispute, m.Organization, m.Event, m.Source, m.ImportedRecord)
    ]
    report = run(dail_files, dry_run=True)
    assert report.count("new") == 6 and report.count("matched") == 1
    assert [
        model.objects.count() for model in (m.Dispute, m.Organization, m.Event, m.Source, m.ImportedRecord)
    ] == counts


def test_csv_tables_read_like_workbooks(lantern_record):
    export = dail_read(
        FIXTURES / "dail_cases.csv",
        dockets=FIXTURES / "dail_dockets.csv",
        sources=FIXTURES / "dail_sources.csv",
        export_date=EXPORT_DATE,
    )
    assert len(export.cases) == 7
    assert export.cases[0].filed == (dt.date(2023, 7, 7), m.DatePrecision.DAY)
    assert [d.number for d in export.cases[0].dockets] == ["3:23-cv-09001-ABC", "No. 25-1234"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: write_xlsx(p / "c.xlsx", csv_rows("dail_dockets.csv")), "no sheet has the column"),
        (lambda p: write_xlsx(p / "c.xlsx", [r[:3] for r in csv_rows("dail_cases.csv")]), "Caption"),
        (lambda p: put(p / "c.xlsx", b"PK\x03\x04 not really a zip"), "not a readable xlsx"),
        (lambda p: put(p / "c.pdf", b"%PDF-1.4\x00\x01\x02binary"), "neither an xlsx"),
        (lambda p: put(p / "c.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64), ".xls"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(ImportFileError, match=message):
        dail_read(path)
    assert not m.Dispute.objects.exists()


@override_settings(IMPORTS_MAX_FILE_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused(dail_files):
    with pytest.raises(ImportFileError, match="files up to"):
        dail_read(dail_files["cases"])


def test_the_command(dail_files, lantern_record, capsys):
    args = [
        str(dail_files["cases"]),
        "--dockets",
        str(dail_files["dockets"]),
        "--sources",
        str(dail_files["sources"]),
    ]
    call_command("import_dail", *args, "--only", "copyright", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run: nothing was written." in out and "6 rows: 5 new, 1 matched" in out
    assert "problem: no filing date" in out
    assert not m.ImportedRecord.objects.exists()
    call_command("import_dail", *args, "--only", "copyright")
    call_command("import_dail", *args, "--only", "copyright")
    assert "0 new, 0 matched, 0 changed, 6 unchanged" in capsys.readouterr().out


def test_the_command_refuses_a_bad_file(tmp_path):
    from django.core.management.base import CommandError

    bogus = tmp_path / "Case_Table.xlsx"
    bogus.write_text("this is not a workbook")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_dail", str(bogus))


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "Case_Table_2026-Feb-21_1952.xlsx"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ImportFileError, match=r"50\.0 MB; files up to 20 MB"):
        dail_read(big)
