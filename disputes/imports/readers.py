"""Read a table from an xlsx workbook or a CSV file into rows of text-keyed dicts, or refuse it clearly.

A file is refused (``ImportFileError``, nothing written) when it is too large, is neither an xlsx workbook nor
UTF-8 CSV, or has no sheet with the columns the table needs. DAIL's workbooks carry a second sheet describing the
fields; the reader picks the sheet whose header has the required columns, whatever its name or position.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from disputes.core.errors import DisputeError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class ImportFileError(DisputeError):
    """A file that cannot be imported at all; the message says why, for the person who chose it."""


@dataclass
class Table:
    name: str
    sheet: str
    columns: list[str]
    rows: list[dict[str, Any]]


def max_bytes() -> int:
    return getattr(settings, "IMPORTS_MAX_FILE_BYTES", DEFAULT_MAX_BYTES)


def read_table(source: str | Path | IO[bytes], *, name: str, required: Iterable[str]) -> Table:
    """The rows of the first sheet (or the CSV) whose header contains every column in ``required``."""
    required = list(required)
    data = _read_bytes(source, name=name)
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, name=name, required=required)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("%(name)s is an old Excel (.xls) file; save it as .xlsx or CSV and try again.") % {"name": name}
        )
    return _read_csv(data, name=name, required=required)


def _read_bytes(source: str | Path | IO[bytes], *, name: str) -> bytes:
    limit = max_bytes()
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise ImportFileError(_("%(name)s: no such file.") % {"name": name})
        if path.stat().st_size > limit:
            raise ImportFileError(_too_large(name, path.stat().st_size, limit))
        return path.read_bytes()
    data = source.read(limit + 1)
    if len(data) > limit:
        raise ImportFileError(_too_large(name, getattr(source, "size", None) or len(data), limit))
    return data


def _too_large(name: str, size: int, limit: int) -> str:
    return _("%(name)s is %(size).1f MB; files up to %(limit).0f MB are accepted.") % {
        "name": name,
        "size": size / 1_048_576,
        "limit": limit / 1_048_576,
    }


def _missing(name: str, required: list[str], found: list[list[str]]) -> ImportFileError:
    best = max(found, key=lambda cols: len(set(cols) & set(required)), default=[])
    missing = [c for c in required if c not in best]
    return ImportFileError(
        _("%(name)s does not look like the expected table: no sheet has the column(s) %(missing)s.")
        % {"name": name, "missing": ", ".join(missing)}
    )


def _header(values: Iterable[Any]) -> list[str]:
    return [str(v).strip() if v is not None else "" for v in values]


def _read_xlsx(data: bytes, *, name: str, required: list[str]) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(
            _("%(name)s is not a readable xlsx workbook (%(error)s).") % {"name": name, "error": exc}
        ) from exc
    headers = []
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = _header(next(rows, ()))
            headers.append(header)
            if all(column in header for column in required):
                records = []
                for values in rows:
                    if values is None or all(v is None or v == "" for v in values):
                        continue
                    records.append({h: v for h, v in zip(header, values, strict=False) if h})
                return Table(name=name, sheet=sheet.title, columns=header, rows=records)
    finally:
        workbook.close()
    raise _missing(name, required, headers)


def _read_csv(data: bytes, *, name: str, required: list[str]) -> Table:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("%(name)s is neither an xlsx workbook nor a CSV file.") % {"name": name})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("%(name)s is neither an xlsx workbook nor a UTF-8 CSV file.") % {"name": name}
            ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _header(next(reader, []))
        if not all(column in header for column in required):
            raise _missing(name, required, [header])
        records = [
            {h: (v if v != "" else None) for h, v in zip(header, row, strict=False) if h}
            for row in reader
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as exc:
        raise ImportFileError(
            _("%(name)s is not a readable CSV file (%(error)s).") % {"name": name, "error": exc}
        ) from exc
    return Table(name=name, sheet="", columns=header, rows=records)
