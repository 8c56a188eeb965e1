"""CSV and JSON exports: content, filters, formula escaping, text that stays text, one query per export, and
streaming of 100,000 rows in memory that does not grow with the number of rows."""

import csv
import datetime as dt
import io
import json
import time
import tracemalloc

import psutil
import pytest
import time_machine
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse

from disputes.core.text import csv_cell
from disputes.models import DeadlineSource, DemandLetter, LetterStatus, PartyRole, end_of_day
from disputes.models.deferred import derived_data_deferred
from tests import factories

HOSTILE = (
    '=HYPERLINK("https://evil.example","x") <script>alert("x")</script> \'single\' 😀 日本語 \u200fשלום\u200e'
)


def export_url(resource: str, fmt: str) -> str:
    return reverse("feeds:export", kwargs={"resource": resource, "fmt": fmt})


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def read_json(response) -> list[dict]:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert b"<" not in raw and b">" not in raw  # written as \u003c / \u003e
    return json.loads(raw)


@pytest.fixture
@derived_data_deferred()
def record(db):
    openai = factories.OrganizationFactory(slug="openai", name="OpenAI", kind="ai_developer")
    coda = factories.OrganizationFactory(slug="coda", name="CODA", kind="trade_association")
    ghibli = factories.OrganizationFactory(slug="ghibli", name="Studio Ghibli")
    sora = factories.AIProductFactory(slug="sora-2", name="Sora 2", developer=openai)
    dispute = factories.DisputeFactory(slug="coda-v-openai", title="CODA v. OpenAI", stage="in_dialogue")
    dispute.products.add(sora)
    factories.DisputePartyFactory(dispute=dispute, organization=coda, role=PartyRole.CLAIMANT)
    factories.DisputePartyFactory(dispute=dispute, organization=openai, role=PartyRole.RESPONDENT)
    other = factories.DisputeFactory(slug="other", title="Other dispute")
    overdue = factories.DemandLetterFactory(
        dispute=dispute, title="CODA's request", sender=coda, recipient=openai
    )
    overdue.on_behalf_of.add(ghibli)
    overdue.products.add(sora)
    factories.DemandFactory(letter=overdue, number=1)
    factories.DemandFactory(letter=overdue, number=2)
    factories.ResponseFactory(letter=overdue, evasive=True)
    answered = factories.DemandLetterFactory(
        dispute=dispute, title="Answered request", sender=coda, recipient=openai, dated_on=dt.date(2025, 10, 28),
        sent_on=dt.date(2025, 10, 28),
    )  # fmt: skip
    factories.ResponseFactory(letter=answered, sincere=True)
    elsewhere = factories.DemandLetterFactory(dispute=other, title="Elsewhere", sent_on=dt.date(2025, 10, 29))
    event = factories.EventFactory(
        disputes=[dispute, other], title="Sora 2 launch", kind="launch", actor=openai
    )
    event.products.add(sora)
    return {
        "overdue": overdue,
        "answered": answered,
        "elsewhere": elsewhere,
        "event": event,
        "dispute": dispute,
    }


@time_machine.travel("2025-12-01 00:00Z", tick=False)
def test_letters_csv(staff_client, record):
    rows = read_csv(staff_client.get(export_url("letters", "csv")))
    assert [row["title"] for row in rows] == ["CODA's request", "Answered request", "Elsewhere"]
    first = rows[0]
    assert first["dispute"] == "coda-v-openai"
    assert first["sender"] == "CODA" and first["recipient"] == "OpenAI"
    assert first["on_behalf_of"] == "Studio Ghibli"
    assert first["products"] == "Sora 2"
    assert first["deadline"] == "2025-11-26"
    assert first["deadline_at"] == "2025-11-26T14:59:59Z"
    assert first["overdue"] == "true"
    assert first["days_overdue"] == "4"  # 2025-11-26 23:59:59 JST to 2025-12-01 09:00 JST
    assert first["sincere_response"] == "false"
    assert first["latest_assessment"] == "evasive"
    assert first["responses"] == "1" and first["demands"] == "2"
    assert first["link"] == f"http://127.0.0.1:8000/disputes/coda-v-openai/#letter-{record['overdue'].pk}"
    second = rows[1]
    assert (second["overdue"], second["days_overdue"], second["sincere_response"]) == ("false", "0", "true")


@time_machine.travel("2025-12-01 00:00Z", tick=False)
def test_letters_json_matches_the_csv(staff_client, record):
    rows = read_json(staff_client.get(export_url("letters", "json")))
    assert [row["title"] for row in rows] == ["CODA's request", "Answered request", "Elsewhere"]
    assert rows[0]["on_behalf_of"] == ["Studio Ghibli"]
    assert rows[0]["days_overdue"] == 4 and rows[0]["overdue"] is True
    assert rows[0]["sincere_response"] is False and rows[1]["sincere_response"] is True
    assert rows[2]["announced_on"] is None


def test_disputes_and_events(staff_client, record):
    disputes = read_csv(staff_client.get(export_url("disputes", "csv")))
    coda = next(row for row in disputes if row["slug"] == "coda-v-openai")
    assert (coda["claimants"], coda["respondents"], coda["products"]) == ("CODA", "OpenAI", "Sora 2")
    assert (coda["letters"], coda["events"], coda["stage"]) == ("2", "1", "in_dialogue")
    events = read_json(staff_client.get(export_url("events", "json")))
    assert events == [
        {
            "id": record["event"].pk,
            "date": "2025-10-10",
            "date_precision": "day",
            "kind": "launch",
            "title": "Sora 2 launch",
            "title_original": "",
            "summary": "Someone said something.",
            "quote": "",
            "actor": "OpenAI",
            "disputes": ["coda-v-openai", "other"],
            "products": ["Sora 2"],
            "low_confidence": False,
            "created_at": events[0]["created_at"],
            "link": f"http://127.0.0.1:8000/disputes/coda-v-openai/#event-{record['event'].pk}",
        }
    ]


def test_exports_take_the_dashboard_filters(staff_client, record):
    rows = read_csv(staff_client.get(export_url("letters", "csv"), {"dispute": "other"}))
    assert [row["title"] for row in rows] == ["Elsewhere"]
    rows = read_csv(staff_client.get(export_url("letters", "csv"), {"party": "coda"}))
    assert {row["title"] for row in rows} == {"CODA's request", "Answered request"}
    rows = read_csv(staff_client.get(export_url("letters", "csv"), {"date_from": "2025-10-28"}))
    assert {row["title"] for row in rows} == {"Answered request", "Elsewhere"}
    rows = read_json(staff_client.get(export_url("disputes", "json"), {"stage": "in_dialogue"}))
    assert [row["slug"] for row in rows] == ["coda-v-openai"]
    rows = read_json(staff_client.get(export_url("events", "json"), {"product": "sora-2"}))
    assert len(rows) == 1
    record["answered"].status = LetterStatus.CLOSED
    record["answered"].save()
    rows = read_json(staff_client.get(export_url("letters", "json"), {"status": ["closed"]}))
    assert [row["title"] for row in rows] == ["Answered request"]


@pytest.mark.parametrize("query", [{"date_from": "2025-02-30"}, {"party": "nobody"}, {"stage": "?"}])
def test_bad_filters_are_a_400(staff_client, record, query):
    response = staff_client.get(export_url("letters", "csv"), query)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


def test_unknown_resources_and_formats_are_404(staff_client, record):
    assert staff_client.get("/exports/users.csv").status_code == 404
    assert staff_client.get("/exports/letters.xlsx").status_code == 404


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_that_would_start_a_formula_are_escaped(trigger):
    assert csv_cell(f"{trigger}1+1") == f"'{trigger}1+1"
    assert csv_cell(f"a{trigger}b") == f"a{trigger}b"
    assert csv_cell(-3) == -3  # numbers are numbers, not text
    assert csv_cell(True) == "true"
    assert csv_cell(None) == ""


def test_text_from_the_record_stays_text(staff_client, record):
    letter = record["overdue"]
    letter.title = HOSTILE
    letter.summary = "+cmd|' /C calc'!A0"
    letter.save()
    record["dispute"].title = "@SUM(1+1)*cmd|' /C calc'!A0"
    record["dispute"].save()
    factories.OrganizationFactory(slug="minus", name="-2+3")  # not in any export row
    rows = read_csv(staff_client.get(export_url("letters", "csv")))
    row = next(r for r in rows if r["id"] == str(letter.pk))
    assert row["title"] == "'" + HOSTILE
    assert row["dispute_title"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    rows = read_json(staff_client.get(export_url("letters", "json")))
    row = next(r for r in rows if r["id"] == letter.pk)
    assert row["title"] == HOSTILE  # JSON is data: no spreadsheet prefix, exact text
    assert row["dispute_title"] == "@SUM(1+1)*cmd|' /C calc'!A0"


def test_an_attachment_with_a_dated_name(staff_client, record):
    with time_machine.travel("2025-12-01 00:00Z"):
        response = staff_client.get(export_url("events", "csv"))
    assert response["Content-Disposition"] == 'attachment; filename="events-2025-12-01.csv"'


@pytest.mark.parametrize("fmt, opening", [("csv", "\ufeffid,"), ("json", "[")])
def test_the_download_starts_before_the_query_runs(staff_client, record, fmt, opening):
    """The first chunk is the header row (or the array's opening) alone: a client sees the download start at
    once however long the query takes; the rows follow."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = staff_client.get(export_url("letters", fmt))
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(chunks).decode("utf-8")
    assert first.startswith(opening) and "\n" not in first.rstrip("\r\n")
    assert not [q for q in queries if "disputes_demandletter" in q["sql"]]
    rest = b"".join(chunks).decode("utf-8")
    assert "CODA's request" in rest


@derived_data_deferred()
def _grow(record, n: int) -> None:
    for _ in range(n):
        letter = factories.DemandLetterFactory(dispute=record["dispute"])
        letter.on_behalf_of.add(factories.OrganizationFactory())
        factories.DemandFactory(letter=letter)
        factories.ResponseFactory(letter=letter)
        factories.EventFactory(disputes=[record["dispute"]]).products.add(factories.AIProductFactory())


@pytest.mark.parametrize("resource", ["disputes", "letters", "events"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_one_query_per_export_whatever_the_size(
    staff_client, record, django_assert_num_queries, resource, fmt
):
    def run() -> int:
        # Session, user, the export, and the savepoint it streams in (a transaction of its own outside tests).
        with django_assert_num_queries(2 + 1 + 2):
            response = staff_client.get(export_url(resource, fmt))
            return len(b"".join(response.streaming_content))

    small = run()
    _grow(record, 12)
    assert run() > small or resource == "disputes"


# --- Streaming 100,000 rows -------------------------------------------------------------------------------


def _bulk_letters(n: int, *, batch: int = 2000):
    """``n`` letters in one dispute, created with bulk_create in batches."""
    dispute = factories.DisputeFactory()
    sender = factories.OrganizationFactory(
        name="Sender with a long name, 一般社団法人コンテンツ海外流通促進機構"
    )
    recipient = factories.OrganizationFactory(name="=Recipient")
    deadline = dt.date(2025, 11, 26)
    deadline_at = end_of_day(deadline, "Asia/Tokyo")
    for first in range(0, n, batch):
        DemandLetter.objects.bulk_create(
            DemandLetter(
                dispute=dispute,
                title=f"Request {i} 要望書 <b>",
                title_original="要望書",
                summary="x" * 200,
                sender=sender,
                recipient=recipient,
                dated_on=dt.date(2025, 10, 27),
                sent_on=dt.date(2025, 10, 27),
                timezone="Asia/Tokyo",
                response_deadline_on=deadline,
                response_deadline_at=deadline_at,
                deadline_source=DeadlineSource.STATED,
            )
            for i in range(first, min(first + batch, n))
        )
    return dispute


def _copy_letters(dispute, times: int) -> None:
    """Copy the dispute's letters ``times`` times inside the database (INSERT … SELECT): seconds saved on
    building 100,000 model instances that would only be thrown away."""
    fields = [f.column for f in DemandLetter._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(c) for c in fields)
    table = connection.ops.quote_name(DemandLetter._meta.db_table)
    ids = list(DemandLetter.objects.filter(dispute=dispute).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for _ in range(times):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} WHERE id BETWEEN %s AND %s",
                [min(ids), max(ids)],
            )


def _stream(client, url: str, *, trace: bool) -> dict:
    """Consume an export. Peak memory while doing so: traced by tracemalloc (Python objects) when ``trace``,
    and always as the growth of the process's resident set (which also sees the database driver's buffers)."""
    process = psutil.Process()
    started = time.perf_counter()
    response = client.get(url)
    baseline = high = process.memory_info().rss
    if trace:
        tracemalloc.start()
        tracemalloc.reset_peak()
    try:
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
            high = max(high, process.memory_info().rss)
        peak = tracemalloc.get_traced_memory()[1] if trace else None
    finally:
        if trace:
            tracemalloc.stop()
    return {
        "lines": lines,
        "traced_peak": peak,
        "rss_growth": high - baseline,
        "seconds": time.perf_counter() - started,
        "bytes": size,
    }


@pytest.mark.slow
def test_a_large_export_streams_in_constant_memory(staff_client, db):
    """10,000 then 100,000 letters: ten times the rows and the bytes, the same memory.

    tracemalloc slows Python several times over, so it watches the CSV export; the JSON export is watched by
    the resident set size only.
    """
    dispute = _bulk_letters(10_000)
    runs = {
        "csv 10k": _stream(staff_client, export_url("letters", "csv"), trace=True),
        "json 10k": _stream(staff_client, export_url("letters", "json"), trace=False),
    }
    _copy_letters(dispute, 9)
    runs["csv 100k"] = _stream(staff_client, export_url("letters", "csv"), trace=True)
    runs["json 100k"] = _stream(staff_client, export_url("letters", "json"), trace=False)
    print("\nexport: lines, traced peak MB, RSS growth MB, seconds, MB sent")  # shown with pytest -s
    for name, run in runs.items():
        traced = f"{run['traced_peak'] / 1e6:.2f}" if run["traced_peak"] is not None else "-"
        print(
            f"  {name}: {run['lines']}, {traced}, {run['rss_growth'] / 1e6:.1f},"
            f" {run['seconds']:.1f}, {run['bytes'] / 1e6:.1f}"
        )

    assert runs["csv 100k"]["lines"] == 100_001  # the header and every row
    assert runs["json 100k"]["lines"] == 100_000  # one row per line
    for fmt in ("csv", "json"):
        small, large = runs[f"{fmt} 10k"], runs[f"{fmt} 100k"]
        assert large["bytes"] > 9 * small["bytes"]
        # Loading 100,000 rows would take hundreds of megabytes; streaming them takes what 10,000 take.
        assert large["rss_growth"] < small["rss_growth"] + 16_000_000
        assert large["rss_growth"] < 32_000_000
    small, large = runs["csv 10k"]["traced_peak"], runs["csv 100k"]["traced_peak"]
    assert large < small * 1.5 + 1_000_000
    assert large < 16_000_000
