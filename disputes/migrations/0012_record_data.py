"""Carry existing data over to 0011's shapes, then finish the schema that needed the data first.

- Letters' "on behalf of" organizations move to the explicit through table (which can carry a note).
- Reported dates' free-text ``field`` becomes a choice: case and spaces are forgiven (``Date`` → ``date``); a value
  that is no date field at all becomes ``date`` with the original kept in the note, so nothing is lost.
- Dates with month or year precision are stored as the first day of their period; events get their sort key.
- Quotes get their language (Japanese when they contain kana or kanji, else English).
- The controlled list of causes of action starts with the ones the disputes need; admins extend it.
"""

import re

from django.db import migrations, models

from disputes.models.common import date_sort_key, normalise_partial_date

FIELDS = [
    "date",
    "date_end",
    "dated_on",
    "sent_on",
    "announced_on",
    "responded_on",
    "launched_on",
    "filed_on",
    "closed_on",
    "decided_on",
    "period_start",
    "period_end",
]

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")

CAUSES = [
    ("copyright-infringement", "Copyright infringement", "著作権侵害", ""),
    ("contributory-infringement", "Contributory copyright infringement", "寄与侵害", ""),
    ("vicarious-infringement", "Vicarious copyright infringement", "代位責任による侵害", ""),
    (
        "secondary-infringement-uk",
        "Secondary copyright infringement",
        "間接侵害（英国）",
        "CDPA 1988 ss. 22–23",
    ),
    (
        "dmca-1202",
        "DMCA § 1202 (removal of copyright management information)",
        "DMCA第1202条（著作権管理情報の除去）",
        "17 U.S.C. § 1202",
    ),
    ("unfair-competition", "Unfair competition", "不正競争", ""),
    ("unjust-enrichment", "Unjust enrichment", "不当利得", ""),
    ("trademark-infringement", "Trademark infringement", "商標権侵害", ""),
    ("trademark-dilution", "Trademark dilution", "商標の希釈化", "15 U.S.C. § 1125(c)"),
    (
        "lanham-act",
        "False designation of origin (Lanham Act)",
        "出所の虚偽表示（ランハム法）",
        "15 U.S.C. § 1125(a)",
    ),
    ("database-right", "Database right infringement", "データベース権侵害", ""),
    ("passing-off", "Passing off", "詐称通用", ""),
    ("breach-of-contract", "Breach of contract", "契約違反", ""),
    (
        "tort-damages-jp",
        "Damages in tort (Civil Code art. 709)",
        "不法行為に基づく損害賠償（民法709条）",
        "民法第709条",
    ),
    (
        "injunction-copyright-jp",
        "Injunction against infringement (Copyright Act art. 112)",
        "差止請求（著作権法112条）",
        "著作権法第112条",
    ),
]


def forwards(apps, schema_editor):
    DemandLetter = apps.get_model("disputes", "DemandLetter")
    LetterOnBehalf = apps.get_model("disputes", "LetterOnBehalf")
    through = DemandLetter._meta.get_field("on_behalf_of").remote_field.through
    LetterOnBehalf.objects.bulk_create(
        [
            LetterOnBehalf(letter_id=row.demandletter_id, organization_id=row.organization_id)
            for row in through.objects.all()
        ],
        ignore_conflicts=True,
    )

    ReportedDate = apps.get_model("disputes", "ReportedDate")
    for reported in ReportedDate.objects.exclude(field__in=FIELDS):
        cleaned = reported.field.strip().lower().replace(" ", "_")
        if cleaned not in FIELDS:
            reported.note = f"{reported.note} (field was “{reported.field}”)".strip()
            cleaned = "date"
        reported.field = cleaned
        reported.save(update_fields=["field", "note"])
    for reported in ReportedDate.objects.exclude(precision="day"):
        normal = normalise_partial_date(reported.date, reported.precision)
        if normal != reported.date:
            reported.date = normal
            reported.save(update_fields=["date"])

    Event = apps.get_model("disputes", "Event")
    for event in Event.objects.all().iterator():
        event.date = normalise_partial_date(event.date, event.date_precision)
        event.date_sort = date_sort_key(event.date, event.date_precision)
        if event.quote and not event.quote_language:
            event.quote_language = "ja" if JAPANESE.search(event.quote) else "en"
        event.save(update_fields=["date", "date_sort", "quote_language"])

    Response = apps.get_model("disputes", "Response")
    for response in Response.objects.all().iterator():
        response.responded_on = normalise_partial_date(response.responded_on, response.date_precision)
        if response.quote and not response.quote_language:
            response.quote_language = "ja" if JAPANESE.search(response.quote) else "en"
        response.save(update_fields=["responded_on", "quote_language"])

    for letter in DemandLetter.objects.exclude(date_precision="day"):
        for name in ("dated_on", "sent_on", "announced_on"):
            setattr(letter, name, normalise_partial_date(getattr(letter, name), letter.date_precision))
        letter.save(update_fields=["dated_on", "sent_on", "announced_on"])

    CauseOfAction = apps.get_model("disputes", "CauseOfAction")
    for slug, name, name_ja, statute in CAUSES:
        CauseOfAction.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_ja": name_ja, "statute": statute}
        )


def backwards(apps, schema_editor):
    DemandLetter = apps.get_model("disputes", "DemandLetter")
    LetterOnBehalf = apps.get_model("disputes", "LetterOnBehalf")
    through = DemandLetter._meta.get_field("on_behalf_of").remote_field.through
    through.objects.bulk_create(
        [
            through(demandletter_id=link.letter_id, organization_id=link.organization_id)
            for link in LetterOnBehalf.objects.all()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0011_proceedings"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="demandletter", name="on_behalf_of"),
        migrations.AddField(
            model_name="demandletter",
            name="on_behalf_of",
            field=models.ManyToManyField(
                blank=True,
                help_text="The members or clients the sender acted for, where named.",
                related_name="letters_on_behalf",
                through="disputes.LetterOnBehalf",
                to="disputes.organization",
                verbose_name="on behalf of",
            ),
        ),
        migrations.AddConstraint(
            model_name="reporteddate",
            constraint=models.CheckConstraint(
                condition=models.Q(("field__in", FIELDS)),
                name="reporteddate_field_valid",
                violation_error_message="Field must be one of: " + ", ".join(FIELDS) + ".",
            ),
        ),
    ]
