"""Text made safe for the formats the record is read in: XML and iCalendar (no control characters) and
spreadsheets (no cell that runs as a formula)."""

from __future__ import annotations

import re

# Characters XML 1.0 and iCalendar text cannot carry: C0 controls except tab and line breaks, DEL, non-characters.
CONTROL_CHARS = (
    "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)) + "\ufffe\uffff"
)
_CONTROL = re.compile(f"[{re.escape(CONTROL_CHARS)}]")
# OWASP: characters that make a spreadsheet read a cell as a formula, and their full-width forms, which
# spreadsheets in Japanese locales read the same way.
FORMULA_TRIGGERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
# Invisible characters a spreadsheet skips before the trigger: spaces of every kind (str.lstrip()), zero-width
# characters and bidirectional controls.
INVISIBLE_LEAD = (
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def printable(text: object) -> str:
    """``text`` without the control characters that XML 1.0 and iCalendar text cannot carry."""
    return _CONTROL.sub("", str(text or ""))


def csv_cell(value) -> str | int:
    """A cell as a spreadsheet should see it: text that would start a formula (even after spaces or invisible
    characters, or with a full-width sign) is prefixed with ``'``."""
    if value.__class__ is str:
        # Control characters are removed later (see _Buffer.take), so look past them for the trigger.
        head = value.lstrip(CONTROL_CHARS)
        if head and head[0] in FORMULA_TRIGGERS:
            return "'" + value
        # " =1+1" and "\u3000＝1+1" are formulas too once a spreadsheet trims the leading space.
        while True:
            trimmed = head.lstrip().lstrip(INVISIBLE_LEAD).lstrip(CONTROL_CHARS)
            if trimmed == head:
                break
            head = trimmed
        return "'" + value if head and head[0] in FORMULA_TRIGGERS else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        return csv_cell("; ".join(value))
    return csv_cell(str(value))
