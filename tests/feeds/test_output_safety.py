"""What the record holds stays data in every format: iCalendar lines cannot be broken or injected, spreadsheet
cells cannot become formulas, and right-to-left tricks in names cannot reorder the page around them."""

import re

import icalendar
import pytest
from django.urls import reverse

from disputes.core.text import csv_cell
from tests import factories
from tests.http import body

pytestmark = pytest.mark.django_db

CRLF_TITLE = "CODA v. OpenAI\r\nX-INJECTED:yes\rBEGIN:VEVENT\nSUMMARY:fake"


@pytest.fixture
def crlf_dispute(db):
    dispute = factories.DisputeFactory(slug="crlf", title=CRLF_TITLE)
    factories.DemandLetterFactory(dispute=dispute, title=CRLF_TITLE)
    return dispute


def _content_lines(body: bytes) -> list[str]:
    """Content lines as a parser that splits on any of CR, LF or CRLF sees them (after unfolding)."""
    text = re.sub(r"\r\n[ \t]", "", body.decode())
    return [line for line in re.split(r"\r\n|\r|\n", text) if line]


def test_a_title_with_line_breaks_keeps_the_dispute_calendar_working(staff_client, crlf_dispute):
    response = staff_client.get(
        reverse("feeds:calendar-dispute", kwargs={"slug": crlf_dispute.slug}), {"since": "2025-06-01"}
    )
    assert response.status_code == 200
    lines = _content_lines(body(response))
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines]
    assert "X-INJECTED" not in names
    assert names.count("BEGIN") == names.count("END")
    assert sum(1 for line in lines if line == "BEGIN:VEVENT") == 1
    calendar = icalendar.Calendar.from_ical(body(response))
    # One property, its line breaks escaped (the parser leaves an X- property's value as written).
    assert str(calendar["X-WR-CALNAME"]).startswith(r"CODA v. OpenAI\nX-INJECTED:yes\nBEGIN:VEVENT")
    [event] = calendar.walk("VEVENT")
    assert "X-INJECTED:yes\nBEGIN:VEVENT" in str(event["SUMMARY"])


def test_every_text_line_of_the_calendar_is_escaped(staff_client, crlf_dispute):
    wire = body(staff_client.get(reverse("feeds:calendar"), {"since": "2025-06-01"}))
    assert b"VEVENT" in wire
    assert b"\rX-INJECTED" not in wire and b"\nX-INJECTED" not in wire
    assert b"\rBEGIN:VEVENT\\n" not in wire


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        " =1+1",
        "\t=1+1",
        "  +cmd|' /C calc'!A0",
        "\u3000=1+1",  # an ideographic space
        "\u00a0-2+3",  # a no-break space
        "＝1+1",  # full-width equals sign
        "＋1",
        "－1",
        "＠SUM(A1)",
        ' ＝HYPERLINK("https://evil.example")',
        "\u200b=1+1",  # a zero-width space
        "\u202e=1+1",  # a right-to-left override
    ],
)
def test_formula_escaping_looks_past_spaces_and_knows_full_width_signs(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["a=b", "Getty v. Stability", "- not at the start? no, at the start", "日本語"]
)
def test_ordinary_text_is_left_alone(value):
    expected = "'" + value if value.startswith("-") else value
    assert csv_cell(value) == expected


def test_an_export_escapes_a_title_behind_a_space(staff_client):
    factories.DisputeFactory(slug="sneaky", title=' ＝HYPERLINK("https://evil.example","x")')
    body = b"".join(staff_client.get("/exports/disputes.csv").streaming_content).decode("utf-8-sig")
    assert "' ＝HYPERLINK" in body


BIDI_TITLE = "Harmless \u202egnp.exe\u202c title"


def test_user_supplied_names_are_isolated_in_html(staff_client):
    dispute = factories.DisputeFactory(slug="bidi", title=BIDI_TITLE)
    organization = factories.OrganizationFactory(slug="bidi-org", name="Org \u202eevil\u202c")
    factories.DisputePartyFactory(dispute=dispute, organization=organization)
    pages = [
        reverse("disputes:dispute-detail", kwargs={"slug": dispute.slug}),
        reverse("disputes:dispute-list"),
        reverse("disputes:organization-detail", kwargs={"slug": organization.slug}),
    ]
    for url in pages:
        html = staff_client.get(url).content.decode()
        # The tab's title is plain text, and each <option> is a paragraph of its own: an override cannot leak.
        html = re.sub(r"<title>.*?</title>|<option[^>]*>.*?</option>", "", html, flags=re.S)
        for text in (BIDI_TITLE, "Org \u202eevil\u202c"):
            if text not in html:
                continue
            for match in re.finditer(re.escape(text), html):
                before = html[max(0, match.start() - 200) : match.start()]
                isolated = before.rstrip().endswith("<bdi>") or re.search(r'dir="auto"[^<>]*>\s*$', before)
                assert isolated, f"{url}: {html[match.start() - 120 : match.end() + 20]!r}"
