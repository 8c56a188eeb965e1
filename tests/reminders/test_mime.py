"""The bytes a reminder email is sent as over SMTP (``reminders.mime.wire_bytes``): a mail parser reads from them
the same message as from Django's own serialization, whatever the text; what the fast path does not handle goes
through Django's."""

import email
import email.policy

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import BadHeaderError

from disputes.reminders.mime import wire_bytes

HEADERS = {
    "Message-ID": "<reminder-7.letter-3.v1.after-7d@disputes.example.org>",
    "Auto-Submitted": "auto-generated",
    "X-Auto-Response-Suppress": "All",
    "X-Disputes-Reminder": "7",
}


def message(
    subject="Overdue by 3 days: A → B, “Letter”", text="Overdue.\n", html="<p>Overdue.</p>\n", **kwargs
):
    kwargs.setdefault("to", ["reader@example.org"])
    kwargs.setdefault("headers", dict(HEADERS))
    kwargs.setdefault("from_email", "AI Disputes Tracker <reminders@example.org>")
    built = EmailMultiAlternatives(subject=subject, body=text, **kwargs)
    built.attach_alternative(html, "text/html")
    return built


def read(raw: bytes):
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF line ends only, as SMTP wants
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    return email.message_from_bytes(raw, policy=email.policy.default)


def seen(parsed) -> dict:
    """What a mail client shows of a message: its headers (decoded) and each part's type, encoding and text."""
    headers = {name.lower(): str(value) for name, value in parsed.items() if name.lower() != "content-type"}
    parts = [
        (
            part.get_content_type(),
            part.get_content_charset(),
            part["Content-Transfer-Encoding"],
            part.get_content(),
        )
        for part in parsed.walk()
        if not part.is_multipart()
    ]
    return {"headers": headers, "type": parsed.get_content_type(), "parts": parts}


def same_as_django(built) -> dict:
    ours, django = seen(read(wire_bytes(built))), seen(read(built.message().as_bytes(linesep="\r\n")))
    ours["headers"].pop("date"), django["headers"].pop("date")  # the clock moved between the two
    # Django's folding of a long or non-ASCII subject can gain or lose a space at its ends; ours reads back exact.
    subject = str(built.subject)
    assert ours["headers"].pop("subject") == subject
    assert django["headers"].pop("subject").strip() == subject.strip()
    assert ours == django
    return ours


@pytest.mark.parametrize(
    ("subject", "text", "html"),
    [
        ("Overdue by 3 days: A → B, “Letter”", "Overdue by 3 days.\n\nA → B\n", "<p>Overdue → “x”</p>\n"),
        ("Plain ASCII subject", "plain ascii\n", "<p>ascii</p>"),
        (
            "期限を3日過ぎました：日本音楽著作権協会 → OpenAI、「Sora 2 に関する要請」",
            "回答なし。\r\n二行目\r",
            "<p>日本語</p>",
        ),
        ("A long subject " + "word " * 40, "no final newline", "<p>x</p>"),
        ("Dots and From lines", ".\n..leading dots\nFrom the sender\n", "<p>.</p>\n.\n"),
        ("Lines of 998 bytes", "x" * 998 + "\n" + "é" * 499 + "\n", "<p>" + "y" * 990 + "</p>"),
    ],
)
def test_a_parser_reads_the_same_message_as_from_djangos_bytes(subject, text, html):
    shown = same_as_django(message(subject, text, html))
    assert shown["headers"]["message-id"] == HEADERS["Message-ID"]
    assert [part[0] for part in shown["parts"]] == ["text/plain", "text/html"]


def test_what_the_fast_path_does_not_handle_goes_through_django(settings):
    long_line = "z" * 999  # Django sends such a part quoted-printable
    shown = same_as_django(message(text=f"{long_line}\n"))
    assert shown["parts"][0][2] == "quoted-printable"
    shown = same_as_django(message(to=["Lecteur Été <lecteur@exämple.org>"]))  # encoded name, punycode domain
    assert "xn--" in shown["headers"]["to"]
    same_as_django(message(headers={**HEADERS, "X-Note": "café"}))
    same_as_django(message(cc=["other@example.org"]))
    same_as_django(message(to=[f"reader{i}@example.org" for i in range(60)]))  # a To line Django folds
    same_as_django(message(headers={**HEADERS, "Date": "Tue, 25 Nov 2025 10:00:00 +0900"}))
    attached = message()
    attached.attach("notes.txt", "notes", "text/plain")
    same_as_django(attached)


@pytest.mark.parametrize("field", ["subject", "header"])
def test_a_header_with_a_line_break_is_refused_as_django_refuses_it(field):
    built = (
        message(subject="Overdue\nBcc: everyone@example.org")
        if field == "subject"
        else message(headers={**HEADERS, "X-Disputes-Reminder": "7\r\nBcc: everyone@example.org"})
    )
    with pytest.raises(BadHeaderError):
        wire_bytes(built)
    with pytest.raises(BadHeaderError):
        built.message()


def test_a_reminder_is_written_without_djangos_generator(monkeypatch):
    built = message()
    monkeypatch.setattr(built, "message", lambda: pytest.fail("went through Django's generator"))
    assert read(wire_bytes(built))["Message-ID"] == HEADERS["Message-ID"]
