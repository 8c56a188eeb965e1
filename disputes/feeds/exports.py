"""CSV and JSON exports of any filtered list of disputes, letters or events, streamed.

Each export is one SQL query (related names and counts come from correlated subqueries, not prefetches), read
with ``.iterator(chunk_size=…)``: on PostgreSQL through a server-side cursor, on SQLite with ``fetchmany``. Rows
are turned into text a chunk at a time and handed to ``StreamingHttpResponse``, so memory stays flat however
many rows there are.

Text cells that a spreadsheet would read as a formula (starting with ``= + - @``, a tab or a carriage return)
are prefixed with ``'`` in CSV (OWASP's advice). JSON keeps the text as it is, but writes ``< > &`` as ``\\u``
escapes so the file is inert if something renders it as HTML.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import (
    OuterRef,
    QuerySet,
    Subquery,
)
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from disputes.accounts.tokens import token_or_session
from disputes.core.site import absolute_url
from disputes.core.sql import SEPARATOR, joined_values, streamed, subquery_count
from disputes.core.text import csv_cell, printable
from disputes.feeds.atom import filter_errors_response
from disputes.filters.api import DisputeFilter, EventFilter, LetterFilter
from disputes.models import (
    Demand,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
    PartyRole,
    Response,
)
from disputes.models.letters import answered_sincerely
from disputes.models.published import EVENT_CONTENT_FIELDS

CHUNK_SIZE = 2000
# Text is handed to the server in pieces of about this size: big enough to be efficient, small enough to stay
# flat in memory.
BUFFER_CHARS = 64 * 1024


def _split(value: str | None) -> list[str]:
    return sorted(printable(part) for part in value.split(SEPARATOR)) if value else []


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


@dataclass(frozen=True)
class ExportSpec:
    filterset: type
    rows: Callable[[QuerySet, dt.datetime], Iterator[tuple]]  # one tuple per record, in ``columns`` order
    columns: tuple[str, ...]


# --- Disputes ---------------------------------------------------------------------------------------------

DISPUTE_COLUMNS = (
    "id",
    "slug",
    "title",
    "title_ja",
    "stage",
    "status_note",
    "claimants",
    "respondents",
    "products",
    "jurisdictions",
    "letters",
    "open_letters",
    "overdue_letters",
    "events",
    "case_numbers",
    "created_at",
    "updated_at",
    "link",
)


def dispute_rows(queryset: QuerySet, now: dt.datetime) -> Iterator[tuple]:
    parties = DisputeParty.objects.all()
    rows = (
        queryset.annotate(
            x_claimants=joined_values(
                parties.filter(role=PartyRole.CLAIMANT), "dispute_id", "organization__name"
            ),
            x_respondents=joined_values(
                parties.filter(role=PartyRole.RESPONDENT), "dispute_id", "organization__name"
            ),
            x_products=joined_values(Dispute.products.through.objects.all(), "dispute_id", "aiproduct__name"),
            x_jurisdictions=joined_values(
                Dispute.jurisdictions.through.objects.all(), "dispute_id", "jurisdiction_id"
            ),
            x_letters=subquery_count(DemandLetter.objects.all(), "dispute_id"),
            x_open_letters=subquery_count(DemandLetter.objects.open(), "dispute_id"),
            x_overdue_letters=subquery_count(DemandLetter.objects.overdue(at=now), "dispute_id"),
            x_events=subquery_count(Event.disputes.through.objects.all(), "dispute_id"),
        )
        .order_by("title", "id")
        .values_list(
            "id",
            "slug",
            "title",
            "title_ja",
            "stage",
            "status_note",
            "case_numbers",
            "created_at",
            "updated_at",
            "x_claimants",
            "x_respondents",
            "x_products",
            "x_jurisdictions",
            "x_letters",
            "x_open_letters",
            "x_overdue_letters",
            "x_events",
            named=True,
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield (
            row.id,
            row.slug,
            row.title,
            row.title_ja,
            row.stage,
            row.status_note,
            _split(row.x_claimants),
            _split(row.x_respondents),
            _split(row.x_products),
            _split(row.x_jurisdictions),
            row.x_letters,
            row.x_open_letters,
            row.x_overdue_letters,
            row.x_events,
            row.case_numbers,
            _iso(row.created_at),
            _iso(row.updated_at),
            absolute_url(Dispute.path_for(row.slug)),
        )


# --- Letters ----------------------------------------------------------------------------------------------

LETTER_COLUMNS = (
    "id",
    "dispute",
    "dispute_title",
    "kind",
    "title",
    "title_original",
    "sender",
    "recipient",
    "on_behalf_of",
    "products",
    "channel",
    "dated_on",
    "sent_on",
    "announced_on",
    "timezone",
    "deadline",
    "deadline_at",
    "deadline_source",
    "deadline_is_ours",
    "deadline_label",
    "status",
    "overdue",
    "days_overdue",
    "where_it_stands",
    "sincere_response",
    "latest_assessment",
    "responses",
    "demands",
    "url",
    "link",
)


def letter_rows(queryset: QuerySet, now: dt.datetime) -> Iterator[tuple]:
    latest = Response.objects.filter(letter_id=OuterRef("pk")).order_by("-responded_on", "-id")
    rows = (
        queryset.annotate(
            x_sincere=answered_sincerely(OuterRef("pk")),
            x_latest_assessment=Subquery(latest.values("assessment")[:1]),
            x_responses=subquery_count(Response.objects.all(), "letter_id"),
            x_demands=subquery_count(Demand.objects.all(), "letter_id"),
            x_on_behalf_of=joined_values(
                DemandLetter.on_behalf_of.through.objects.all(), "letter_id", "organization__name"
            ),
            x_products=joined_values(
                DemandLetter.products.through.objects.all(), "demandletter_id", "aiproduct__name"
            ),
        )
        .order_by("date_sort", "id")  # as the timelines order them
        .values_list(
            "id",
            "dispute__slug",
            "dispute__title",
            "kind",
            "title",
            "title_original",
            "sender__name",
            "recipient__name",
            "channel",
            "dated_on",
            "sent_on",
            "announced_on",
            "date_precision",
            "timezone",
            "response_deadline_on",
            "response_deadline_at",
            "deadline_source",
            "status",
            "url",
            "x_sincere",
            "x_latest_assessment",
            "x_responses",
            "x_demands",
            "x_on_behalf_of",
            "x_products",
            named=True,
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        # The same DeadlineState the dashboard builds from an instance, built here from the row's columns.
        state = DemandLetter.deadline_state_of(
            at=now,
            answered=bool(row.x_sincere),
            **{name: getattr(row, name) for name in DemandLetter.DEADLINE_STATE_FIELDS},
        )
        yield (
            row.id,
            row.dispute__slug,
            row.dispute__title,
            row.kind,
            row.title,
            row.title_original,
            row.sender__name,
            row.recipient__name,
            _split(row.x_on_behalf_of),
            _split(row.x_products),
            row.channel,
            _iso(row.dated_on),
            _iso(row.sent_on),
            _iso(row.announced_on),
            row.timezone,
            _iso(row.response_deadline_on),
            _iso(row.response_deadline_at),
            row.deadline_source,
            state.is_ours,
            state.deadline_label,
            row.status,
            state.overdue,
            state.overdue_days,
            state.label,
            bool(row.x_sincere),
            row.x_latest_assessment,
            row.x_responses,
            row.x_demands,
            row.url,
            absolute_url(DemandLetter.path_for(row.id, row.dispute__slug)),
        )


# --- Events -----------------------------------------------------------------------------------------------

# What an event says is the same list the API publishes (``models.published``).
EVENT_COLUMNS = ("id", "date", "date_precision", "kind", *EVENT_CONTENT_FIELDS, "created_at", "link")


def event_rows(queryset: QuerySet, now: dt.datetime) -> Iterator[tuple]:
    event_disputes = Event.disputes.through.objects.all()
    first_dispute = event_disputes.filter(event_id=OuterRef("pk")).order_by("dispute_id")
    rows = (
        queryset.annotate(
            x_disputes=joined_values(event_disputes, "event_id", "dispute__slug"),
            x_first_dispute=Subquery(first_dispute.values("dispute__slug")[:1]),
            x_products=joined_values(Event.products.through.objects.all(), "event_id", "aiproduct__name"),
        )
        .order_by("date_sort", "id")
        .values_list(
            "id",
            "date",
            "date_precision",
            "kind",
            "title",
            "title_original",
            "summary",
            "quote",
            "actor__name",
            "low_confidence",
            "created_at",
            "x_disputes",
            "x_first_dispute",
            "x_products",
            named=True,
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield (
            row.id,
            _iso(row.date),
            row.date_precision,
            row.kind,
            row.title,
            row.title_original,
            row.summary,
            row.quote,
            row.actor__name,
            _split(row.x_disputes),
            _split(row.x_products),
            row.low_confidence,
            _iso(row.created_at),
            absolute_url(Event.path_for(row.id, row.x_first_dispute)),
        )


EXPORTS: dict[str, ExportSpec] = {
    "disputes": ExportSpec(DisputeFilter, dispute_rows, DISPUTE_COLUMNS),
    "letters": ExportSpec(LetterFilter, letter_rows, LETTER_COLUMNS),
    "events": ExportSpec(EventFilter, event_rows, EVENT_COLUMNS),
}


# --- Formats ----------------------------------------------------------------------------------------------


class _Buffer:
    """A write-only file for csv.writer that keeps what was written until it is taken."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> str:
        # Control characters (other than tab and line breaks) are removed from the whole chunk at once: cheaper
        # than cell by cell, and the CSV's own separators are never among them.
        text = printable("".join(self.parts))
        self.parts, self.size = [], 0
        return text


def csv_stream(columns: Iterable[str], rows: Iterable[tuple]) -> Iterator[str]:
    """The CSV in chunks: the header row at once (the download starts before the query has run), then the rows
    about ``BUFFER_CHARS`` at a time."""
    buffer = _Buffer()
    writer = csv.writer(buffer)
    # A byte-order mark lets Excel open UTF-8 (Japanese names) correctly.
    buffer.write("\ufeff")
    writer.writerow(columns)
    yield buffer.take()
    for row in rows:
        writer.writerow(map(csv_cell, row))
        if buffer.size >= BUFFER_CHARS:
            yield buffer.take()
    yield buffer.take()


def json_stream(columns: tuple[str, ...], rows: Iterable[tuple]) -> Iterator[str]:
    """A JSON array of objects, written one row at a time: its opening at once (the download starts before the
    query has run), then the rows about ``BUFFER_CHARS`` at a time."""
    yield "["
    parts: list[str] = []
    size = 0
    first = True
    for row in rows:
        text = (
            json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
        )
        parts.append(text if first else ",\n" + text)
        size += len(text) + 2
        first = False
        if size >= BUFFER_CHARS:
            yield "".join(parts)
            parts, size = [], 0
    parts.append("]\n")
    yield "".join(parts)


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


@token_or_session
def export(request: HttpRequest, resource: str, fmt: str):
    """``/exports/<disputes|letters|events>.<csv|json>?<filters>``, streamed."""
    spec = EXPORTS[resource]
    now = timezone.now()
    filterset = spec.filterset(request.GET, queryset=spec.filterset._meta.model.objects.all(), now=now)
    if not filterset.is_valid():
        return filter_errors_response(filterset.errors)
    rows = spec.rows(filterset.qs, now)
    stream = csv_stream(spec.columns, rows) if fmt == "csv" else json_stream(spec.columns, rows)
    response = StreamingHttpResponse(
        streamed(part.encode("utf-8") for part in stream), content_type=CONTENT_TYPES[fmt]
    )
    filename = f"{resource}-{timezone.localdate(now).isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


__all__ = ["EXPORTS", "csv_cell", "csv_stream", "export", "joined_values", "json_stream", "subquery_count"]
