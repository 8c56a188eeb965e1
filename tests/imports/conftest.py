"""Fixtures of the import tests: the hand-made DAIL and licensing tables, and workbooks built from them."""

import csv
import datetime as dt
from pathlib import Path

import pytest

from disputes import models as m
from tests import factories

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
EXPORT_DATE = dt.date(2025, 10, 1)


def csv_rows(name: str) -> list[list[str]]:
    with (FIXTURES / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_xlsx(path: Path, rows: list[list], *, sheet: str = "Case_Table", extra_sheet: bool = True) -> Path:
    """A workbook laid out like DAIL's: the table, then a sheet describing the fields."""
    import openpyxl

    workbook = openpyxl.Workbook()
    table = workbook.active
    table.title = sheet
    for row in rows:
        table.append([_cell(v) for v in row])
    if extra_sheet:
        fields = workbook.create_sheet("Field Names, Types, Labels")
        fields.append(["Name", "DataType", "Unique", "Label"])
        for name in rows[0]:
            fields.append([name, "Text (255)", 0, name])
    workbook.save(path)
    return path


def _cell(value: str):
    if value.isdigit():
        return int(value)
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d")  # noqa: DTZ007 - Excel cells have no time zone
    except ValueError:
        return value or None


@pytest.fixture
def dail_files(tmp_path):
    """The hand-made case, docket and source tables as xlsx workbooks (dates as Excel dates, like DAIL's)."""
    return {
        "cases": write_xlsx(tmp_path / "Case_Table_2025-Oct-01_1200.xlsx", csv_rows("dail_cases.csv")),
        "dockets": write_xlsx(
            tmp_path / "Docket_Table_2025-Oct-01_1200.xlsx",
            csv_rows("dail_dockets.csv"),
            sheet="Docket_Table",
        ),
        "sources": write_xlsx(
            tmp_path / "Sources_2025-Oct-01.xlsx", csv_rows("dail_sources.csv"), sheet="Sources"
        ),
    }


@pytest.fixture
def lantern_record(db):
    """The record before the import: Lantern Press v. Quillmind, with its own filing date (2023-07-10)."""
    quillmind = factories.OrganizationFactory(
        name="Quillmind AI", slug="quillmind", kind=m.OrganizationKind.AI_DEVELOPER, aliases="Quillmind"
    )
    lantern = factories.OrganizationFactory(
        name="Lantern Press", slug="lantern", kind=m.OrganizationKind.RIGHTS_HOLDER
    )
    dispute = factories.DisputeFactory(
        title="Lantern Press v. Quillmind",
        slug="lantern-v-quillmind-ours",
        case_numbers="N.D. Cal. No. 3:23-cv-9001 (Judge Example)",
        summary="Our own summary.",
    )
    factories.DisputePartyFactory(dispute=dispute, organization=lantern, role=m.PartyRole.CLAIMANT)
    factories.DisputePartyFactory(dispute=dispute, organization=quillmind, role=m.PartyRole.RESPONDENT)
    source = factories.SourceFactory(url="https://court.example.org/lantern-complaint")
    event = factories.EventFactory(
        kind=m.EventKind.LAWSUIT, date=dt.date(2023, 7, 10), title="Complaint filed"
    )
    event.disputes.add(dispute)
    event.sources.add(source)
    return dispute
