"""The importers on the real DAIL export of 21 February 2026 and the public licensing table (../shared/data).

Deselected with a note where the data sets are not beside the checkout; CI always has them.
"""

import copy
import time

import pytest

from disputes import models as m
from disputes.demo.loader import demo_load
from disputes.imports.dail import dail_import, dail_read
from disputes.imports.licensing import licences_import
from disputes.imports.readers import ImportFileError
from tests.conftest import shared_data_dir

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]

# The demo's disputes that DAIL also lists, by DAIL record number.
KNOWN_OVERLAPS = {
    "82": "andersen-v-stability-ai",
    "87": "getty-v-stability-ai",
    "94": "getty-v-stability-ai",
    "90": "kadrey-v-meta",
    "98": "authors-guild-v-openai",
    "102": "thomson-reuters-v-ross",
    "107": "nyt-v-microsoft-openai",
    "198": "labels-v-suno-udio",
    "199": "labels-v-suno-udio",
    "251": "bartz-v-anthropic",
    "304": "disney-universal-v-midjourney",
    "364": "disney-universal-v-midjourney",
}


def dail_tables():
    folder = shared_data_dir() / "dail"
    return {
        "cases": next(folder.glob("Case_Table_*.xlsx")),
        "dockets": next(folder.glob("Docket_Table_*.xlsx")),
        "sources": next(folder.glob("Secondary_Source_Coverage_Table_*.xlsx")),
    }


def test_dail_copyright_cases_into_the_demo_record():
    demo_load()
    demo_disputes = m.Dispute.objects.count()
    tables = dail_tables()
    started = time.monotonic()
    export = dail_read(
        tables["cases"], dockets=tables["dockets"], sources=tables["sources"], only_copyright=True
    )
    report = dail_import(export=export)
    seconds = time.monotonic() - started
    print(f"\nDAIL copyright import: {report.summary()} in {seconds:.1f} s")
    assert seconds < 60

    assert export.export_date.isoformat() == "2026-02-21"
    assert len(export.cases) == 120 and export.skipped_not_copyright == 255
    assert report.count("rejected") == 0
    assert report.count("matched") == len(KNOWN_OVERLAPS)
    assert report.count("new") == 120 - len(KNOWN_OVERLAPS)
    assert m.Dispute.objects.count() == demo_disputes + 120 - len(KNOWN_OVERLAPS)
    # The known overlaps enrich the demo's disputes; none is doubled.
    rows = {row.record: row for row in report.rows}
    for record, slug in KNOWN_OVERLAPS.items():
        assert rows[record].dispute == slug, (record, rows[record].reasons)
    for caption in ("Kadrey", "Bartz", "Andersen", "Getty"):
        assert m.Dispute.objects.filter(title__istartswith=caption).count() == 1, caption
    assert m.ImportedRecord.objects.filter(source=m.ImportSource.DAIL_CASE).count() == 120
    assert m.DisputeParty.objects.filter(dispute__imported_records__isnull=False).count() > 300
    assert m.CourtListenerDocket.objects.count() > 90
    assert m.Proceeding.objects.filter(dispute__imported_records__isnull=False).count() >= 120
    # One OpenAI however DAIL spells it.
    openai = m.Organization.objects.get(slug="openai")
    assert (
        m.Organization.objects.filter(name__in=["OpenAI, Inc.", "Open AI Inc.", "OpenAI Inc."]).count() == 0
    )
    assert m.DisputeParty.objects.filter(organization=openai).count() > 20
    # Readable problems, not errors: no date, a date after the export, a place for a court.
    problems = [p for row in report.rows for p in row.problems]
    assert "filing date 2026-12-23 is after the export date 2026-02-21" in problems
    assert "no filing date" in problems
    assert any(p.startswith("unknown court") for p in problems)
    assert m.Organization.objects.filter(kind=m.OrganizationKind.COURT, name="Tokyo District Court").exists()
    # Authors Guild: DAIL says 2023-09-09, the record 2023-09-19: a disputed date with both sources.
    assert any("filing date" in c for c in rows["98"].conflicts)

    # Idempotent.
    again = dail_import(export=export)
    assert again.summary().startswith("120 rows: 0 new, 0 matched, 0 changed, 120 unchanged")

    # A changed row in a newer export is updated and reported.
    newer = copy.deepcopy(export)
    case = next(c for c in newer.cases if c.record == "509")  # NYT v. Perplexity, created by the import
    case.raw["Status_Disposition"] = "Inactive"
    case.inactive = True
    report = dail_import(export=newer)
    assert report.count("changed") == 1 and report.count("unchanged") == 119
    assert m.Dispute.objects.get(slug=rows["509"].dispute).stage == m.Stage.CLOSED


def test_licensing_table():
    path = shared_data_dir() / "licensing" / "copyright_licensing.csv"
    report = licences_import(path)
    assert report.rejected == []
    assert m.Licence.objects.count() == 232  # 233 rows, one announcement of a deal already listed
    assert m.Licence.objects.filter(licensees_undisclosed=True, ai_developer__isnull=True).count() == 22
    assert m.Licence.objects.filter(ai_developer__name="OpenAI").count() >= 20
    assert m.Licence.objects.filter(announced_on__isnull=False).count() > 40
    again = licences_import(path)
    assert again.created == 0 and again.sources_added == 0


@pytest.mark.parametrize(
    ("table", "as_", "message"), [("dockets", "cases", "no sheet"), ("cases", "dockets", "no sheet")]
)
def test_a_real_table_given_as_another_is_refused(table, as_, message):
    tables = dail_tables()
    with pytest.raises(ImportFileError, match=message):
        if as_ == "cases":
            dail_read(tables[table])
        else:
            dail_read(tables["cases"], dockets=tables[table])
    assert not m.Dispute.objects.exists()
