"""Import publicly reported AI licensing deals (``copyright_licensing.csv``) as licences between organizations.

One licence per (rights holder, AI developer, kind, content type); the announcement becomes the licence's source.
"Licensees Undisclosed" (or an empty AI company) is a licence with undisclosed licensees. The date, where the table
gives none, is read from the announcement's address when it carries one (``/2024/12/09/``), with its precision,
and says so. Running it again adds only what is new; a licence an admin edited is left as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils.text import slugify

from disputes.models import (
    DatePrecision,
    Licence,
    LicenceKind,
    Organization,
    OrganizationKind,
    Reliability,
    Source,
    WorkType,
)

from .matching import OrganizationIndex
from .normalise import clean_text
from .readers import read_table

COLUMNS = ["Media Company", "Work Type", "Content Type", "License Type", "AI Company", "URL"]
UNDISCLOSED = {"licensees undisclosed", "undisclosed licensees", "undisclosed", ""}

_WORK_TYPES = {"literary": WorkType.LITERARY, "image": WorkType.VISUAL, "visual": WorkType.VISUAL}


def licence_kind(label: str) -> str:
    lowered = label.lower().replace("’", "'")
    if "tdm" in lowered or "text and data" in lowered:
        return LicenceKind.TDM_LICENCE
    if "publisher" in lowered and "program" in lowered:
        return LicenceKind.PUBLISHERS_PROGRAM
    if "partnership" in lowered:
        return LicenceKind.PARTNERSHIP
    if "licen" in lowered:
        return LicenceKind.AI_LICENCE
    return LicenceKind.OTHER


def work_type(label: str) -> str:
    lowered = label.lower()
    if "audio" in lowered or "music" in lowered:
        return WorkType.AUDIO
    return _WORK_TYPES.get(lowered, WorkType.OTHER)


def date_from_url(url: str) -> tuple[dt.date, str] | None:
    """An announcement's date from its address, where the address carries one; None otherwise."""
    for pattern, precision in (
        (r"/(20\d\d)[/-](\d\d)[/-](\d\d)(?:/|-|$)", DatePrecision.DAY),
        (r"/news/home/(20\d\d)(\d\d)(\d\d)\d{6}/", DatePrecision.DAY),
        (r"/(20\d\d)/(\d\d)/", DatePrecision.MONTH),
    ):
        match = re.search(pattern, url)
        if match:
            parts = [int(p) for p in match.groups()] + [1] * (3 - len(match.groups()))
            try:
                return dt.date(*parts), precision
            except ValueError:
                continue
    return None


@dataclass
class LicenceImportReport:
    dry_run: bool
    created: int = 0
    unchanged: int = 0
    sources_added: int = 0
    rejected: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.created} licences new, {self.sources_added} announcements added to known licences, "
            f"{self.unchanged} unchanged, {len(self.rejected)} rejected"
        )


class _DryRun(Exception):
    pass


def licences_import(
    file: str | Path | IO[bytes],
    *,
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> LicenceImportReport:
    name = Path(file).name if isinstance(file, str | Path) else getattr(file, "name", "upload")
    table = read_table(file, name=name, required=COLUMNS)
    report = LicenceImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            organizations = OrganizationIndex()
            for number, row in enumerate(table.rows, 2):
                with transaction.atomic():
                    _row(row, number, organizations, report)
                if progress:
                    progress(number - 1, len(table.rows), clean_text(row.get("Media Company")))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _organization(organizations: OrganizationIndex, name: str, kind: str) -> Organization:
    org = organizations.find(name)
    if org is None:
        base, n = slugify(name)[:110] or "organization", 1
        slug = base
        while Organization.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        org = Organization.objects.create(
            kind=kind, name=name[:300], slug=slug, notes="Added from a licensing table."
        )
        organizations.add(org)
    return org


def _row(row: dict, number: int, organizations: OrganizationIndex, report: LicenceImportReport) -> None:
    holder_name = clean_text(row.get("Media Company"))
    developer_name = clean_text(row.get("AI Company"))
    url = clean_text(row.get("URL"))
    if not holder_name:
        report.rejected.append(f"line {number}: no media company")
        return
    content = clean_text(row.get("Content Type"))
    holder_kind = OrganizationKind.MEDIA if content.lower() == "news" else OrganizationKind.RIGHTS_HOLDER
    holder = _organization(organizations, holder_name, holder_kind)
    undisclosed = developer_name.lower() in UNDISCLOSED
    if not developer_name:
        report.problems.append(f"line {number}: no AI company given; imported with undisclosed licensees")
    developer = (
        None if undisclosed else _organization(organizations, developer_name, OrganizationKind.AI_DEVELOPER)
    )
    if developer is not None and developer.pk == holder.pk:
        report.rejected.append(f"line {number}: {holder_name} licenses to itself")
        return
    label = clean_text(row.get("License Type"))
    kind = licence_kind(label)
    dated = date_from_url(url) if url else None
    licence, created = Licence.objects.get_or_create(
        rights_holder=holder,
        ai_developer=developer,
        kind=kind,
        content_type=content[:100],
        defaults={
            "licensees_undisclosed": undisclosed,
            "work_type": work_type(clean_text(row.get("Work Type"))),
            "announced_on": dated[0] if dated else None,
            "announced_precision": dated[1] if dated else DatePrecision.DAY,
            "note": (
                f"Reported as “{label}”."
                if label and kind in (LicenceKind.OTHER, LicenceKind.AI_LICENCE) and label != "AI License"
                else ""
            )
            + (" Date read from the announcement's address." if dated else ""),
        },
    )
    if created:
        report.created += 1
    if url.startswith(("http://", "https://")):
        source, _ = Source.objects.get_or_create(
            url=url[:1000],
            defaults={
                "title": f"Announcement: {holder_name} and {developer_name or 'undisclosed licensees'}"[:500],
                "reliability": Reliability.PRIMARY,
                "published_on": dated[0] if dated and dated[1] == DatePrecision.DAY else None,
            },
        )
        if not licence.sources.filter(pk=source.pk).exists():
            licence.sources.add(source)
            if not created:
                report.sources_added += 1
                return
    elif url:
        report.problems.append(f"line {number}: “{url}” is not a web address; no source")
    if not created:
        report.unchanged += 1
