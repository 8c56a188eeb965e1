"""A reminder email as the bytes the mail server receives, for delivery over SMTP at hundreds a second.

Django serializes a message through the ``email`` package's generator, which re-parses and folds every header: it
costs more than rendering the email's two templates. A reminder always has the same simple shape (a plain-text
body and an HTML alternative, both UTF-8, and single-line ASCII headers besides the subject), so ``wire_bytes``
writes that shape directly, the same way Django would (8bit bodies, RFC 2047 subject), and hands anything else to
Django's own serialization: attachments, another charset, a body line longer than RFC 5322 allows (Django then
encodes the part as quoted-printable), a non-ASCII address or header. Header injection is refused as Django
refuses it. tests/reminders/test_mime.py checks that a mail parser reads the same message from both.
"""

from __future__ import annotations

import random
import re
from email.header import Header
from email.utils import formatdate
from typing import Any, cast

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, BadHeaderError

CRLF = "\r\n"
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Headers written from the message's own fields; extra headers with these names would not be ours to write.
OWN_HEADERS = {"content-type", "mime-version", "content-transfer-encoding", "subject", "from", "to"}


def wire_bytes(message: EmailMultiAlternatives) -> bytes:
    """``message`` as Django's SMTP backend would send it (``message.message().as_bytes()`` with CRLF)."""
    content = _simple(message)
    if content is None:
        return cast(Any, message.message()).as_bytes(linesep="\r\n")  # Django's MIME classes take linesep
    return content


def _simple(message: EmailMultiAlternatives) -> bytes | None:
    """The message written directly, or None if it is not of the simple shape."""
    encoding = message.encoding or settings.DEFAULT_CHARSET
    alternatives = getattr(message, "alternatives", [])
    if (
        encoding.lower() != "utf-8"
        or message.attachments
        or message.content_subtype != "plain"
        or message.cc
        or message.reply_to
        or len(alternatives) != 1
        or alternatives[0][1] != "text/html"
        or not message.to
    ):
        return None
    headers = {
        "From": str(message.extra_headers.get("From", message.from_email)),
        "To": ", ".join(str(address) for address in message.to),
    }
    extra = {str(name): str(value) for name, value in message.extra_headers.items()}
    if any(name.lower() in OWN_HEADERS - {"from"} for name in extra):
        return None
    for name, value in [*headers.items(), *extra.items(), ("Subject", str(message.subject))]:
        if "\n" in value or "\r" in value:  # as Django's forbid_multi_line_headers
            raise BadHeaderError(f"Header values can't contain newlines (got {value!r} for header {name!r})")
    if not all(
        value.isascii() and name.isascii() and len(name) + 2 + len(value) <= RFC5322_EMAIL_LINE_LENGTH_LIMIT
        for name, value in [*headers.items(), *extra.items()]
    ):
        return None  # Django encodes or folds such a header
    text, html = str(message.body), str(alternatives[0][0])
    text_lines, html_lines = _lines(text), _lines(html)
    if text_lines is None or html_lines is None:
        return None
    lower = {name.lower() for name in extra}
    if "date" not in lower:
        headers["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
    if "message-id" not in lower:
        return None  # reminders always carry theirs; make_msgid's DNS lookup is Django's business
    headers.update((name, value) for name, value in extra.items() if name.lower() != "from")
    boundary = _boundary(text, html)
    subject_text = str(message.subject)
    subject = Header(subject_text, None if subject_text.isascii() else "utf-8", header_name="Subject")
    head = CRLF.join(
        [
            f'Content-Type: multipart/alternative;{CRLF} boundary="{boundary}"',
            "MIME-Version: 1.0",
            f"Subject: {subject.encode(linesep=CRLF)}",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
    )
    body = "".join(
        f'--{boundary}{CRLF}Content-Type: text/{subtype}; charset="utf-8"{CRLF}MIME-Version: 1.0{CRLF}'
        f"Content-Transfer-Encoding: {'7bit' if part.isascii() else '8bit'}{CRLF}{CRLF}{part}{CRLF}"
        for subtype, part in (("plain", text_lines), ("html", html_lines))
    )
    return f"{head}{CRLF}{CRLF}{body}--{boundary}--{CRLF}".encode(errors="surrogateescape")


def _lines(text: str) -> str | None:
    """``text`` with CRLF line ends, or None if a line is too long to send unencoded."""
    lines = LINE_BREAK.split(text)
    # A character is at most four bytes in UTF-8: only a line of more than a quarter of the limit needs measuring.
    longest = max(map(len, lines))
    if longest > RFC5322_EMAIL_LINE_LENGTH_LIMIT // 4 and any(
        len(line.encode(errors="surrogateescape")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT for line in lines
    ):
        return None
    return CRLF.join(lines)


def _boundary(*parts: str) -> str:
    """A multipart boundary that occurs in none of ``parts`` (as the email package makes them)."""
    while True:
        boundary = f"{'=' * 15}{random.randrange(10**19):019d}=="  # noqa: S311 - unique, not secret
        if not any(boundary in part for part in parts):
            return boundary
