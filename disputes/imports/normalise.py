"""Turn the free text of outside tables into comparable values: dates, lists, courts, captions, names, dockets.

Each function is total: given anything a spreadsheet cell may hold it returns a value or ``None`` (or raises
``ValueError`` with a message fit to show, for dates), never something half-parsed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from disputes.models import DatePrecision

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, allowing for its 1900 leap-year bug.

_TEXT_DATE_FORMATS = [
    ("%Y-%m-%d", DatePrecision.DAY),
    ("%Y/%m/%d", DatePrecision.DAY),
    ("%m/%d/%Y", DatePrecision.DAY),
    ("%m/%d/%y", DatePrecision.DAY),
    ("%d.%m.%Y", DatePrecision.DAY),
    ("%B %d, %Y", DatePrecision.DAY),
    ("%b %d, %Y", DatePrecision.DAY),
    ("%b. %d, %Y", DatePrecision.DAY),
    ("%d %B %Y", DatePrecision.DAY),
    ("%d %b %Y", DatePrecision.DAY),
    ("%Y-%m", DatePrecision.MONTH),
    ("%B %Y", DatePrecision.MONTH),
    ("%b %Y", DatePrecision.MONTH),
    ("%Y", DatePrecision.YEAR),
]


def parse_date(value) -> tuple[dt.date, str] | None:
    """A cell's date and its precision: datetimes, Excel serial numbers (45114 is 2023-07-07) and text dates.

    Empty cells give ``None``; anything else that is not a date raises ``ValueError``.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, dt.date):
        return value, DatePrecision.DAY
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value), DatePrecision.DAY
    text = str(value).strip()
    if not text or text.lower() in {"n/a", "na", "none", "unknown", "-", "tbd"}:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text)), DatePrecision.DAY
    text = re.sub(r"\s+", " ", text.replace("Sept.", "Sep.").replace("Sept ", "Sep "))
    text = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", text)
    for fmt, precision in _TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date(), precision  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise ValueError(f"“{value}” is not a date")


def _serial(number: float) -> dt.date:
    if not 1 <= number < 2958466:
        raise ValueError(f"{number} is not an Excel date")
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


_LIST_ITEM = re.compile(r"'((?:[^']|'(?![,\s]*'|\s*$))*)'")


def parse_list(value) -> list[str]:
    """DAIL's list cells: ``'Copyright Infringement','Unjust Enrichment'`` → two items; plain text splits on commas."""
    if value is None:
        return []
    text = str(value).strip()
    if not text:
        return []
    if text.startswith("'"):
        items = _LIST_ITEM.findall(text)
    else:
        items = text.split(",")
    seen, result = set(), []
    for item in items:
        item = re.sub(r"\s+", " ", item).strip()
        if item and item.lower() not in seen:
            seen.add(item.lower())
            result.append(item)
    return result


def clean_text(value) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").strip()


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces: for comparing names, not for showing them."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&", " and ").replace("æ", "ae")
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# Words that say what kind of company it is, not which one.
_CORPORATE = {
    "inc",
    "incorporated",
    "llc",
    "l l c",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "pbc",
    "lp",
    "l p",
    "llp",
    "gmbh",
    "ag",
    "sa",
    "spa",
    "s p a",
    "bv",
    "b v",
    "nv",
    "ab",
    "as",
    "a s",
    "sas",
    "kk",
    "pvt",
    "pte",
    "the",
    "et",
    "al",
    "ev",
    "e v",
    "u c",
    "uc",
}


def org_key(name: str) -> str:
    """The comparable key of an organization's name: ``Meta Platforms, Inc.`` and ``meta platforms`` agree."""
    text = re.sub(r"\.com\b", "", name or "", flags=re.I).replace(".", "")
    words = fold(re.sub(r"\bopen\s+ai\b", "openai", text, flags=re.I)).split()
    while words and words[-1] in _CORPORATE:
        words.pop()
    while words and words[0] == "the":
        words.pop(0)
    # "Perplexity AI" and "Perplexity", "Stability AI Ltd" and "Stability" are the same company.
    if len(words) > 1 and words[-1] == "ai":
        words.pop()
    return " ".join(words)


_ROLE_PREFIX = re.compile(
    r"^\s*(plaintiffs?|defendants?|claimants?|respondents?|appellants?|appellees?|petitioners?)\s*:\s*", re.I
)
_COUNSEL = re.compile(r"\b(llp|law offices?|law firm|p\.c\.|counsel|attorneys?)\b", re.I)
_QUOTED_ALIAS = re.compile(r"\(\s*(?:d/b/a\s+)?[\"“”'‘’]([^\"“”'‘’()]+)[\"“”'‘’]\s*\)")
# "(RIAA)", "(d/b/a Udio.com)": an acronym or a trading name in brackets is another name; "(US)" is not.
_BRACKETED_ALIAS = re.compile(r"\(\s*(?:d/b/a\s+([^()]+?)|([A-Z][A-Z&]{2,}))\s*\)")


@dataclass
class NamedOrganization:
    name: str
    aliases: list[str] = field(default_factory=list)
    side: str = ""  # "claimant", "respondent" or "" when the cell does not say

    @property
    def key(self) -> str:
        return org_key(self.name)


def split_organizations(value) -> list[NamedOrganization]:
    """``Organizations_involved``: names separated by ``;`` (or ``,`` when there is no ``;``), with aliases in quotes.

    ``Suno, Inc. (“Suno”)`` is one organization with the alias Suno; ``Plaintiffs: A; B. Defendant: C`` gives the
    sides; law firms and counsel are left out (they are not parties).
    """
    text = clean_text(value)
    if not text:
        return []
    text = re.sub(r"\s+", " ", text)
    # "Plaintiffs: A; B. Defendant: C" → segments with a side.
    segments = re.split(
        r"(?:(?<=[.;\s])|^)\s*(?=(?:plaintiffs?|defendants?|plaintiffs[’']? counsel)\s*:)", text, flags=re.I
    )
    result: list[NamedOrganization] = []
    for segment in segments:
        side = ""
        match = _ROLE_PREFIX.match(segment)
        if re.match(r"^\s*plaintiffs?[’']? counsel", segment, re.I):
            continue
        if match:
            role = match.group(1).lower()
            side = (
                "claimant"
                if role.startswith(("plaintiff", "claimant", "petitioner", "appellant"))
                else "respondent"
            )
            segment = segment[match.end() :]
        for piece in segment.split(";"):
            for raw in _split_keeping_suffixes(piece, ","):
                named = _one_organization(raw, side)
                if named:
                    result.append(named)
    return result


_SUFFIX_ONLY = re.compile(r"(inc|llc|ltd|l\.?p|corp|co|plc|pbc|gmbh|s\.?a|b\.?v|l\.?l\.?c)\.?", re.I)


def _split_keeping_suffixes(text: str, separator: str) -> list[str]:
    """Split on commas without cutting ``Suno, Inc.`` in two: a piece that is only a corporate suffix rejoins."""
    merged: list[str] = []
    for part in text.split(separator):
        bare = re.sub(r"\([^()]*\)", "", part).strip(" .")
        if merged and separator == "," and _SUFFIX_ONLY.fullmatch(bare):
            merged[-1] = merged[-1] + "," + part
        else:
            merged.append(part)
    return merged


def _one_organization(raw: str, side: str) -> NamedOrganization | None:
    aliases = [a.strip() for a in _QUOTED_ALIAS.findall(raw)]
    aliases += [(a or b).strip() for a, b in _BRACKETED_ALIAS.findall(raw)]
    name = _BRACKETED_ALIAS.sub("", _QUOTED_ALIAS.sub("", raw))
    name = re.sub(r"\((?:[^()]*)\)", lambda m: "" if _is_note(m.group(0)) else m.group(0), name)
    name = re.sub(r"\s+", " ", name).strip(" ;:,—-")
    name = re.sub(r"\s+(etc|et al)\.?$", "", name, flags=re.I).strip(" ;:,")
    if name.endswith(".") and not re.search(
        r"\b(inc|ltd|co|corp|l\.?p|s\.?a|b\.?v|l\.?l\.?c|s\.p\.a)\.$", name, re.I
    ):
        name = name.rstrip(".")
    if not name or len(name) < 2 or name.startswith("["):
        return None
    if _COUNSEL.search(name):
        return None
    if re.search(r"\b(\d+ related entities|and its related corporate entities)\b", name, re.I):
        name = re.sub(
            r"\s*(\(?\d+ related entities\)?|and its related corporate entities)", "", name, flags=re.I
        ).strip()
    return NamedOrganization(
        name=name[:300], aliases=[a for a in aliases if org_key(a) != org_key(name)], side=side
    )


def _is_note(parenthesised: str) -> bool:
    inner = parenthesised.strip("() ").lower()
    return any(
        word in inner
        for word in ("counsel", "e.g.", "including", "referring", "press publisher", "plaintiff")
    )


# --- Courts ------------------------------------------------------------------------------------------------

# Known misspellings and variants in the tables, fixed before anything else looks at the court.
COURT_FIXES = [
    (re.compile(r"\bTokoyo\b", re.I), "Tokyo"),
    (re.compile(r"^N\.?\s*D\.?\s*Ca(?:l|lifornia)?\.?$", re.I), "N.D. Cal."),
    (re.compile(r"^C\.?\s*D\.?\s*Ca(?:l|lifornia)?\.?$", re.I), "C.D. Cal."),
    (re.compile(r"^S\.?\s*D\.?\s*N\.?\s*Y\.?$", re.I), "S.D.N.Y."),
    (re.compile(r"^D\.\s*N\.\s*J\.?$", re.I), "D.N.J."),
]

_US_DISTRICTS = {
    "northern district of california": "N.D. Cal.",
    "central district of california": "C.D. Cal.",
    "southern district of new york": "S.D.N.Y.",
    "eastern district of new york": "E.D.N.Y.",
    "northern district of illinois": "N.D. Ill.",
    "district of massachusetts": "D. Mass.",
    "d. massachusetts": "D. Mass.",
    "district of delaware": "D. Del.",
    "district of colorado": "D. Colo.",
}


def court_name(value) -> str:
    """A court as the tables write it, with known typos fixed and US district courts in their short form."""
    text = re.sub(r"\s+", " ", clean_text(value)).strip().rstrip(",")
    text = re.sub(r"^(federal|state)\s*:\s*", "", text, flags=re.I)
    text = re.sub(r"^(federal )?district court,\s+", "", text, flags=re.I).strip(" ,")
    if not text:
        return ""
    lowered = text.lower()
    for long, short in _US_DISTRICTS.items():
        if long in lowered:
            return short
    for pattern, replacement in COURT_FIXES:
        text = pattern.sub(replacement, text)
    return text


def court_key(value) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(court_name(value)))


# --- Captions and dockets ----------------------------------------------------------------------------------

_VERSUS = re.compile(r"\s+(?:v|vs|v\.s)\.?\s+", re.I)


def caption_sides(caption: str) -> tuple[str, str]:
    """``Kadrey v. Meta Platforms, Inc.`` → (``Kadrey``, ``Meta Platforms, Inc.``); no ``v.`` → (caption, "")."""
    parts = _VERSUS.split(clean_text(caption), maxsplit=1)
    if len(parts) == 2:
        return parts[0].strip(), parts[1].strip()
    return clean_text(caption), ""


def caption_key(caption: str, *, short: bool = False) -> str:
    """A caption reduced to its first named party on each side: ``kadrey v meta platforms``.

    ``short=True`` keeps one word a side (``kadrey v meta``), for a looser comparison that needs another clue.
    """
    left, right = caption_sides(caption)
    if not right:
        return ""
    return f"{first_party(left, short=short)} v {first_party(right, short=short)}"


def first_party(side: str, *, short: bool = False) -> str:
    side = re.split(r"\s+(?:et al\.?|and others|&|and)(?:\s|$)|,|\(|/", side, maxsplit=1, flags=re.I)[0]
    key = org_key(side)
    return key.split()[0] if short and key else key


_DOCKET_CORE = re.compile(r"(\d{1,2}):?(\d{2,4})-?([a-z]{2})-?0*(\d{1,6})", re.I)


def docket_key(number) -> str:
    """A comparable docket number: ``3:23-cv-03417-VC``, ``No. 3:23-cv-3417`` and ``3:2023cv03417`` agree.

    US federal numbers reduce to office:year-type-number (two-digit year, number without leading zeros); anything
    else is folded to letters and digits.
    """
    text = clean_text(number)
    if not text:
        return ""
    mdl = _MDL.search(text)
    if mdl:
        return f"mdl-{int(mdl.group(1))}"
    match = _DOCKET_CORE.search(text.replace(" ", ""))
    if match:
        office, year, kind, serial = match.groups()
        return f"{int(office)}:{year[-2:]}-{kind.lower()}-{int(serial)}"
    return re.sub(r"[^a-z0-9]", "", fold(text))


_MDL = re.compile(r"MDL\s*No\.?\s*(\d+)", re.I)


def docket_keys_in(text: str) -> set[str]:
    """Every US federal docket or MDL number mentioned in free text (such as a dispute's ``case numbers``)."""
    keys = {
        f"{int(o)}:{y[-2:]}-{k.lower()}-{int(n)}"
        for o, y, k, n in _DOCKET_CORE.findall((text or "").replace(" ", ""))
    }
    return keys | {f"mdl-{int(n)}" for n in _MDL.findall(text or "")}


_COURTLISTENER = re.compile(r"courtlistener\.com/docket/(\d+)", re.I)


def courtlistener_id(link) -> int | None:
    match = _COURTLISTENER.search(clean_text(link))
    return int(match.group(1)) if match else None
