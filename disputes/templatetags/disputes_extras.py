"""Presentation helpers: dates as an English or Japanese reader expects, names in both languages, status labels.

Nothing here queries the database: every value comes prefetched from a selector.
"""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy, ngettext

from disputes.core import timezones
from disputes.core.dates import as_date, format_day, is_japanese
from disputes.models import DatePrecision, Reliability, disputed_fields
from disputes.reminders.steps import step_label

register = template.Library()

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


@register.filter
def ldate(value, precision: str = DatePrecision.DAY) -> str:
    """``{{ event.date|ldate:event.date_precision }}``."""
    return format_day(value, precision or DatePrecision.DAY)


@register.filter
def ldatetime(value) -> str:
    """An instant in the viewer's time zone: 26 Nov 2025, 14:59 UTC / 2025年11月26日 14:59 UTC."""
    if not isinstance(value, dt.datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{_day_and_time(local)} {local.tzname() or ''}".strip()


def _day_and_time(local: dt.datetime) -> str:
    """26 Nov 2025, 14:59 / 2025年11月26日 14:59 (no zone)."""
    separator = " " if is_japanese() else ", "
    return f"{format_day(local)}{separator}{local:%H:%M}"


@register.simple_tag
def viewer_time(instant, zone_name: str = "", plain: bool = False, block: bool = False) -> str:
    """When ``instant`` is for the viewer, if their clock shows it differently from ``zone_name``'s.

    ``{% viewer_time letter.response_deadline_at letter.timezone %}`` after "26 Nov 2025 (end of day,
    Asia/Tokyo)" adds "26 Nov 2025, 09:59 your time (America/New_York)" for a viewer in New York, and nothing
    for a viewer in Tokyo. ``block=True`` puts it on a line of its own; ``plain=True`` gives text without
    markup (with a leading dash), for plain-text emails.
    """
    if not isinstance(instant, dt.datetime) or not timezone.is_aware(instant):
        return ""
    viewer = timezone.get_current_timezone_name()
    if not timezones.differs(instant, zone_name, viewer):
        return ""
    when = _day_and_time(timezone.localtime(instant))
    text = gettext("%(when)s your time (%(zone)s)") % {"when": when, "zone": viewer}
    if plain:
        return f"— {text}"
    css = "viewer-time viewer-time--block" if block else "viewer-time"
    return format_html('<span class="{}" data-testid="viewer-time">{}</span>', css, text)


@register.filter
def month_heading(value) -> str:
    day = as_date(value)
    if day is None:
        return ""
    return f"{day.year}年{day.month}月" if is_japanese() else dateformat.format(day, "F Y")


@register.filter
def period_heading(period: tuple[int, int]) -> str:
    """A timeline's heading for (year, month): "November 2025" / 2025年11月, or "2025" / 2025年 for (year, 0)."""
    year, month = period
    if not year:
        return ""
    if not month:
        return f"{year}年" if is_japanese() else str(year)
    return month_heading(dt.date(year, month, 1))


@register.filter
def days(value) -> str:
    """3 days / 3日."""
    try:
        count = int(value)
    except (TypeError, ValueError):
        return ""
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{round(value * 100)}%"


# The search box stays in view; the order and the page are not filters.
NOT_FILTERS = {"q", "page", "cursor", "after", "order", "sort"}


@register.filter
def active_filter_count(form) -> int:
    """How many filters other than the search box a bound filter form has set (for the folded phone panel)."""
    if not getattr(form, "is_bound", False):
        return 0
    data = form.data
    count = 0
    for name in form.fields:
        if name in NOT_FILTERS:
            continue
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]
        count += any(str(value).strip() for value in values)
    return count


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def reader_text(obj, field: str) -> str:
    """``obj.<field>`` in the reader's language: ``<field>_ja`` for a Japanese reader when it is filled in.

    ``{{ dispute|reader_text:"summary" }}``, ``{{ dispute|reader_text:"status_note" }}``.
    """
    if is_japanese() and getattr(obj, f"{field}_ja", ""):
        return getattr(obj, f"{field}_ja")
    return getattr(obj, field, "") or ""


@register.filter
def reader_text_lang(obj, field: str) -> str:
    """``ja`` when ``reader_text`` gives the Japanese text, else empty (the page's language applies)."""
    return "ja" if is_japanese() and getattr(obj, f"{field}_ja", "") else ""


@register.filter
def is_long_text(text: str) -> bool:
    """More than about a screenful of lede: 90 words, or 260 characters of Japanese."""
    text = str(text or "")
    return len(text) > 260 if CJK.search(text) else len(text.split()) > 90


@register.filter
def text_opening(text: str) -> str:
    """The first 60 words, or 180 characters of Japanese, with an ellipsis."""
    text = str(text or "")
    return Truncator(text).chars(180) if CJK.search(text) else Truncator(text).words(60)


@register.filter
def lang_of(text: str) -> str:
    """``ja`` for text with Japanese characters, else empty (the page's language applies)."""
    return "ja" if text and CJK.search(str(text)) else ""


# --- Names in both languages ------------------------------------------------------------------------------

NAME_FIELDS = {
    "Person": ("name", "name_original"),
    "Dispute": ("title", "title_ja"),
    "DemandLetter": ("title", "title_original"),
    "Event": ("title", "title_original"),
    "Response": ("title", "title"),
    "AIProduct": ("name", "name"),
    "Jurisdiction": ("name", "name_ja"),
    "Demand": ("text_en", "text_original"),
    "Proceeding": ("title", "title"),
    "Ruling": ("title", "title"),
}


# A Japanese translation a Japanese reader sees first when the original is not Japanese.
JAPANESE_FIELDS = {
    "DemandLetter": "title_ja",
    "Event": "title_ja",
    "Response": "title_ja",
    "Demand": "text_ja",
    "Proceeding": "title_ja",
    "Ruling": "title_ja",
    "CauseOfAction": "name_ja",
}


def names(obj) -> tuple[str, str]:
    """(primary, secondary): the reader's language first, the other one second (empty when the same)."""
    if obj is None:
        return "", ""
    kind = type(obj).__name__
    if kind == "Organization":
        # Its name in the reader's language is the model's to say (``Organization.name_in``).
        primary = obj.name_in()
        secondary = obj.name if is_japanese() else obj.name_original
        return primary, (secondary if secondary and secondary != primary else "")
    english_field, original_field = NAME_FIELDS.get(kind, ("name", "name"))
    english = getattr(obj, english_field, "") or ""
    original = getattr(obj, original_field, "") or ""
    if is_japanese() and kind in JAPANESE_FIELDS and not (original and CJK.search(original)):
        japanese = getattr(obj, JAPANESE_FIELDS[kind], "") or ""
        if japanese:
            return japanese, english
    if not original or original == english:
        return english or str(obj), ""
    if is_japanese():
        return original, english
    return english, original


@register.filter
def primary_name(obj) -> str:
    return names(obj)[0]


@register.filter
def secondary_name(obj) -> str:
    return names(obj)[1]


@register.filter
def short_name(obj) -> str:
    """CODA rather than Content Overseas Distribution Association, where there is a short name; for an
    organization, its short name in the reader's language (``Organization.name_in``)."""
    if type(obj).__name__ == "Organization":
        return obj.name_in(short=True)
    short = getattr(obj, "short_name", "")
    return short or primary_name(obj)


@register.simple_tag
def bilingual(obj, css_class: str = "") -> str:
    """The name in the reader's language, and the other language after it, each marked with its language."""
    primary, secondary = names(obj)
    if not secondary:
        return format_html(
            '<span class="name {}" lang="{}" dir="auto">{}</span>', css_class, lang_of(primary), primary
        )
    return format_html(
        '<span class="name {}" lang="{}" dir="auto">{}</span> <span class="name-alt" lang="{}" dir="auto">{}</span>',
        css_class,
        lang_of(primary),
        primary,
        lang_of(secondary),
        secondary,
    )


# --- Status labels that do not rely on colour -------------------------------------------------------------

ICONS = {
    # a figure we derived, not a fact
    "policy": "≈",
    # stages
    "letter_sent": "✉",
    "in_dialogue": "⇄",
    "escalated": "▲",
    "litigation": "⚖",
    "settled": "✓",
    "licensed": "✓",
    "closed": "■",
    # assessments
    "sincere": "✓",
    "partial": "◐",
    "evasive": "≈",
    "acknowledgement": "ⓘ",
    "refusal": "✕",
    "not_assessed": "?",
    "no_reply": "∅",
    # demand statuses
    "pending": "…",
    "complied": "✓",
    "partly_complied": "◐",
    "refused": "✕",
    "ignored": "∅",
    "superseded": "↷",
    # reliability
    "primary": "●",
    "secondary": "◐",
    "low": "○",
    # timeline entries
    "event": "•",
    "letter": "✉",
    "response": "↩",
    "deadline": "◷",
    "overdue": "⚠",
    "disputed": "≠",
    "open": "○",
    "withdrawn": "↶",
}


@register.filter
def icon(value) -> str:
    return ICONS.get(str(value), "•")


@register.simple_tag
def badge(value, label, extra: str = "") -> str:
    """``<span class="badge badge--sincere">✓ Sincere</span>``: an icon and a word, not only a colour."""
    return format_html(
        '<span class="badge badge--{} {}"><span aria-hidden="true">{}</span> {}</span>',
        value,
        extra,
        ICONS.get(str(value), "•"),
        label,
    )


@register.filter
def only_low_confidence(sources) -> bool:
    """Whether every one of ``sources`` (prefetched) is of low confidence, so the fact rests on weak ground."""
    sources = list(sources or [])
    return bool(sources) and all(source.reliability == Reliability.LOW for source in sources)


@register.filter
def reminder_step(step: str) -> str:
    """before-3d → “3 days before the deadline” (``disputes.reminders.steps.step_label``)."""
    return step_label(step)


@register.filter
def user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


DATE_FIELD_LABELS = {
    "date": gettext_lazy("date"),
    "sent_on": gettext_lazy("date sent"),
    "dated_on": gettext_lazy("date on the letter"),
    "announced_on": gettext_lazy("date announced"),
    "responded_on": gettext_lazy("date of the response"),
}


@register.filter
def date_field_label(name: str) -> str:
    return DATE_FIELD_LABELS.get(name, name)


# --- Uncertain dates, quotes and parties in the reader's language ---------------------------------------------


@register.filter
def precision_note(precision: str) -> str:
    """A title for a date known only to the month or the year ("" for a day)."""
    if precision == DatePrecision.MONTH:
        return gettext("Known only to the month")
    if precision == DatePrecision.YEAR:
        return gettext("Known only to the year")
    return ""


@register.filter
def event_date(event) -> str:
    """An event's date at its precision, with its qualifier and the end of its period: "Around Feb 2025 – Jun 2025"."""
    text = format_day(event.date, event.date_precision)
    if getattr(event, "date_end", None):
        text = gettext("%(start)s – %(end)s") % {
            "start": text,
            "end": format_day(event.date_end, event.date_end_precision),
        }
    qualifier = getattr(event, "date_qualifier", "exact")
    if qualifier == "around":
        text = gettext("around %(date)s") % {"date": text}
    elif qualifier == "before":
        text = gettext("before %(date)s") % {"date": text}
    elif qualifier == "after":
        text = gettext("after %(date)s") % {"date": text}
    return text


@register.inclusion_tag("disputes/partials/quote.html")
def reader_quote(obj):
    """A quote as given, with the translation into the reader's language when it is in another one."""
    quote, translation = obj.quote_for("ja" if is_japanese() else "en")
    return {
        "quote": quote,
        "quote_lang": getattr(obj, "quote_language", "") or lang_of(quote),
        "translation": translation,
    }


@register.filter
def party_name(party) -> str:
    """A party (organization, person or class) as the reader reads it."""
    return party.who_for("ja" if is_japanese() else "en")


@register.filter
def money(amount) -> str:
    """¥2,168,000,000 / US$1,500,000,000 / € 5 — the value with its currency; "" when only described."""
    if amount.value is None:
        return ""
    symbols = {"JPY": "¥", "USD": "US$", "EUR": "€", "GBP": "£"}
    value = f"{amount.value:,.0f}" if amount.value == amount.value.to_integral() else f"{amount.value:,.2f}"
    symbol = symbols.get(amount.currency)
    return f"{symbol}{value}" if symbol else f"{amount.currency} {value}"


@register.filter
def partial_period(obj) -> str:
    """An amount's period at its precision: "Feb 2025 – Jun 2025"."""
    start = format_day(obj.period_start, obj.period_start_precision) if obj.period_start else ""
    end = format_day(obj.period_end, obj.period_end_precision) if obj.period_end else ""
    if start and end:
        return gettext("%(start)s – %(end)s") % {"start": start, "end": end}
    return start or end


@register.filter
def join_names(organizations) -> str:
    """CODA, OpenAI, Microsoft: short names joined in the reader's language."""
    separator = "、" if is_japanese() else ", "
    return separator.join(short_name(org) for org in organizations)


@register.filter
def disputed_dates(reported_dates) -> dict:
    """The fields of a record whose sources disagree (prefetched reported dates)."""
    return disputed_fields(reported_dates)


@register.simple_tag(takes_context=True)
def entry_html(context, entry, template_name: str, name: str):
    """One entry of a timeline: its kept HTML (``entry.kept``, see ``core/kept.py``) when there is
    some; otherwise ``template_name`` rendered with the entry alone as ``name`` (no user, no page around it, so
    the result can be kept for every reader of the same language and time zone), and kept."""
    kept = entry.kept
    if kept is not None and kept.html is not None:
        return kept.html
    template = context.template.engine.get_template(template_name)
    html = template.render(context.new({name: entry}))
    if kept is not None:
        kept.keep(getattr(entry, "date", None), html)
    return mark_safe(html)  # noqa: S308 -- a template's output, escaped as it rendered
