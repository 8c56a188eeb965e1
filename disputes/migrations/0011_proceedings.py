"""Proceedings (courts, dockets, judges, parties, claims, rulings, appeals), amounts, several recipients and actors,
uncertain dates (qualifier, period, sort key) and Japanese texts. Data is carried over by 0012_record_data."""

import disputes.models.common
import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("disputes", "0010_dispute_status_note_ja"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Amount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("claimed", "Claimed (damages sought)"),
                            ("awarded", "Awarded"),
                            ("settled", "Settlement"),
                            ("licence_fee", "Licence fee"),
                            ("investment", "Investment"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "currency",
                    models.CharField(
                        help_text="ISO 4217: JPY, USD, EUR, GBP.",
                        max_length=3,
                        validators=[disputes.models.common.validate_currency],
                        verbose_name="currency",
                    ),
                ),
                (
                    "value",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="Leave empty when only described (“billions”); say so in the basis.",
                        max_digits=20,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="amount",
                    ),
                ),
                (
                    "basis",
                    models.CharField(
                        blank=True,
                        help_text="How it is reckoned, e.g. “¥ per article × articles”.",
                        max_length=500,
                        verbose_name="basis",
                    ),
                ),
                ("basis_ja", models.CharField(blank=True, max_length=500, verbose_name="basis (Japanese)")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("claimed", "As claimed or reported"),
                            ("confirmed", "Confirmed by a primary source"),
                        ],
                        default="claimed",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "period_start",
                    models.DateField(
                        blank=True,
                        help_text="The period the amount covers.",
                        null=True,
                        verbose_name="period from",
                    ),
                ),
                (
                    "period_start_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=10,
                        verbose_name="from: precision",
                    ),
                ),
                ("period_end", models.DateField(blank=True, null=True, verbose_name="period until")),
                (
                    "period_end_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=10,
                        verbose_name="until: precision",
                    ),
                ),
            ],
            options={
                "verbose_name": "amount",
                "verbose_name_plural": "amounts",
                "ordering": ["dispute", "kind", "id"],
            },
        ),
        migrations.CreateModel(
            name="CauseOfAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="name (English)")),
                ("name_ja", models.CharField(blank=True, max_length=200, verbose_name="name (Japanese)")),
                (
                    "statute",
                    models.CharField(
                        blank=True,
                        help_text="e.g. 17 U.S.C. § 1202, 著作権法第30条の4.",
                        max_length=200,
                        verbose_name="statute",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="description")),
            ],
            options={
                "verbose_name": "cause of action",
                "verbose_name_plural": "causes of action",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Claim",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="e.g. “against OpenAI only”.",
                        max_length=300,
                        verbose_name="note",
                    ),
                ),
                ("note_ja", models.CharField(blank=True, max_length=300, verbose_name="note (Japanese)")),
            ],
            options={
                "verbose_name": "claim",
                "verbose_name_plural": "claims",
                "ordering": ["proceeding", "id"],
            },
        ),
        migrations.CreateModel(
            name="ClaimRuling",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("survives", "Survives (goes ahead)"),
                            ("dismissed_with_leave", "Dismissed with leave to amend"),
                            ("dismissed", "Dismissed"),
                            ("upheld", "Upheld (for the claimant)"),
                            ("rejected", "Rejected (for the respondent)"),
                            ("partly_upheld", "Partly upheld"),
                            ("withdrawn", "Withdrawn or dropped"),
                            ("settled", "Settled"),
                            ("reversed", "Reversed on appeal"),
                            ("affirmed", "Affirmed on appeal"),
                        ],
                        max_length=30,
                        verbose_name="outcome",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="note")),
                ("note_ja", models.CharField(blank=True, max_length=500, verbose_name="note (Japanese)")),
            ],
            options={
                "verbose_name": "outcome for a claim",
                "verbose_name_plural": "outcomes per claim",
                "ordering": ["ruling", "id"],
            },
        ),
        migrations.CreateModel(
            name="DocketNumber",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "number",
                    models.CharField(
                        help_text="As the court writes it, e.g. 3:24-cv-05417-WHA.",
                        max_length=100,
                        verbose_name="number",
                    ),
                ),
                (
                    "courtlistener_id",
                    models.PositiveBigIntegerField(
                        blank=True,
                        help_text="The number in courtlistener.com/docket/<id>/.",
                        null=True,
                        verbose_name="CourtListener docket id",
                    ),
                ),
                ("url", models.URLField(blank=True, max_length=1000, verbose_name="docket URL")),
            ],
            options={
                "verbose_name": "docket number",
                "verbose_name_plural": "docket numbers",
                "ordering": ["proceeding", "id"],
            },
        ),
        migrations.CreateModel(
            name="EventActor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        blank=True, help_text="e.g. “co-signatory”.", max_length=200, verbose_name="role"
                    ),
                ),
                ("role_ja", models.CharField(blank=True, max_length=200, verbose_name="role (Japanese)")),
            ],
            options={
                "verbose_name": "other actor",
                "verbose_name_plural": "other actors",
                "ordering": ["event", "id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAmount",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="updated")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("claimed", "Claimed (damages sought)"),
                            ("awarded", "Awarded"),
                            ("settled", "Settlement"),
                            ("licence_fee", "Licence fee"),
                            ("investment", "Investment"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "currency",
                    models.CharField(
                        help_text="ISO 4217: JPY, USD, EUR, GBP.",
                        max_length=3,
                        validators=[disputes.models.common.validate_currency],
                        verbose_name="currency",
                    ),
                ),
                (
                    "value",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="Leave empty when only described (“billions”); say so in the basis.",
                        max_digits=20,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="amount",
                    ),
                ),
                (
                    "basis",
                    models.CharField(
                        blank=True,
                        help_text="How it is reckoned, e.g. “¥ per article × articles”.",
                        max_length=500,
                        verbose_name="basis",
                    ),
                ),
                ("basis_ja", models.CharField(blank=True, max_length=500, verbose_name="basis (Japanese)")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("claimed", "As claimed or reported"),
                            ("confirmed", "Confirmed by a primary source"),
                        ],
                        default="claimed",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "period_start",
                    models.DateField(
                        blank=True,
                        help_text="The period the amount covers.",
                        null=True,
                        verbose_name="period from",
                    ),
                ),
                (
                    "period_start_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=10,
                        verbose_name="from: precision",
                    ),
                ),
                ("period_end", models.DateField(blank=True, null=True, verbose_name="period until")),
                (
                    "period_end_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=10,
                        verbose_name="until: precision",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical amount",
                "verbose_name_plural": "historical amounts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDocketNumber",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "number",
                    models.CharField(
                        help_text="As the court writes it, e.g. 3:24-cv-05417-WHA.",
                        max_length=100,
                        verbose_name="number",
                    ),
                ),
                (
                    "courtlistener_id",
                    models.PositiveBigIntegerField(
                        blank=True,
                        help_text="The number in courtlistener.com/docket/<id>/.",
                        null=True,
                        verbose_name="CourtListener docket id",
                    ),
                ),
                ("url", models.URLField(blank=True, max_length=1000, verbose_name="docket URL")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical docket number",
                "verbose_name_plural": "historical docket numbers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalProceeding",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="updated")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("lawsuit", "Lawsuit"),
                            ("class_action", "Class action"),
                            ("appeal", "Appeal"),
                            ("mdl", "Consolidated or multidistrict litigation"),
                            ("arbitration", "Arbitration"),
                            ("mediation", "Mediation"),
                            ("regulator_complaint", "Complaint to a regulator"),
                            ("criminal_complaint", "Criminal complaint"),
                            ("other", "Other"),
                        ],
                        default="lawsuit",
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="As the case is cited, e.g. “Bartz v. Anthropic PBC”.",
                        max_length=300,
                        verbose_name="title",
                    ),
                ),
                ("title_ja", models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)")),
                ("filed_on", models.DateField(blank=True, null=True, verbose_name="filed")),
                (
                    "filed_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=10,
                        verbose_name="filed: precision",
                    ),
                ),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="closed")),
                (
                    "closed_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=10,
                        verbose_name="closed: precision",
                    ),
                ),
                ("filed_sort", models.BigIntegerField(default=0, editable=False, verbose_name="sort key")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("announced", "Announced or reported, not confirmed filed"),
                            ("pending", "Pending"),
                            ("stayed", "Stayed"),
                            ("on_appeal", "Decided, on appeal"),
                            ("closed", "Closed"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "disposition",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Not yet disposed of"),
                            ("for_claimant", "Judgment for the claimant"),
                            ("for_respondent", "Judgment for the respondent"),
                            ("mixed", "Mixed judgment"),
                            ("settled", "Settled"),
                            ("dismissed", "Dismissed"),
                            ("withdrawn", "Withdrawn"),
                            ("consolidated", "Consolidated into another proceeding"),
                            ("other", "Other"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="disposition",
                    ),
                ),
                ("status_note", models.CharField(blank=True, max_length=300, verbose_name="status note")),
                (
                    "status_note_ja",
                    models.CharField(blank=True, max_length=300, verbose_name="status note (Japanese)"),
                ),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("summary_ja", models.TextField(blank=True, verbose_name="summary (Japanese)")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical proceeding",
                "verbose_name_plural": "historical proceedings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalProceedingParty",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "class_description",
                    models.CharField(
                        blank=True,
                        help_text="For a class: who it is, e.g. “authors of books in LibGen and PiLiMi”.",
                        max_length=300,
                        verbose_name="class",
                    ),
                ),
                (
                    "class_description_ja",
                    models.CharField(blank=True, max_length=300, verbose_name="class (Japanese)"),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                ("note_ja", models.CharField(blank=True, max_length=300, verbose_name="note (Japanese)")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("plaintiff", "Plaintiff or claimant"),
                            ("defendant", "Defendant or respondent"),
                            ("class_representative", "Class representative"),
                            ("class", "Class"),
                            ("intervenor", "Intervenor"),
                            ("amicus", "Amicus curiae"),
                            ("appellant", "Appellant"),
                            ("appellee", "Appellee or respondent on appeal"),
                            ("complainant", "Complainant"),
                            ("counsel", "Counsel"),
                            ("third_party", "Third party"),
                        ],
                        max_length=30,
                        verbose_name="role",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical party to the proceeding",
                "verbose_name_plural": "historical parties to the proceeding",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRuling",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="updated")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("motion_to_dismiss", "Motion to dismiss or strike out"),
                            ("summary_judgment", "Summary judgment"),
                            ("judgment", "Judgment after trial"),
                            ("injunction", "Injunction"),
                            ("discovery", "Discovery or preservation order"),
                            ("procedural", "Procedural order"),
                            ("class_certification", "Class certification"),
                            ("settlement_approval", "Settlement approval"),
                            ("appeal_decision", "Decision on appeal"),
                            ("other", "Other"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                ("decided_on", models.DateField(verbose_name="decided")),
                (
                    "decided_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=10,
                        verbose_name="decided: precision",
                    ),
                ),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("title_ja", models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)")),
                (
                    "citation",
                    models.CharField(
                        blank=True,
                        help_text="e.g. [2025] EWHC 2863 (Ch).",
                        max_length=200,
                        verbose_name="citation",
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("summary_ja", models.TextField(blank=True, verbose_name="summary (Japanese)")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical ruling",
                "verbose_name_plural": "historical rulings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="LetterOnBehalf",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
            ],
            options={
                "verbose_name": "on behalf of",
                "verbose_name_plural": "on behalf of",
                "ordering": ["letter", "id"],
            },
        ),
        migrations.CreateModel(
            name="LetterRecipient",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True, help_text="e.g. “copied”.", max_length=300, verbose_name="note"
                    ),
                ),
            ],
            options={
                "verbose_name": "other recipient",
                "verbose_name_plural": "other recipients",
                "ordering": ["letter", "id"],
            },
        ),
        migrations.CreateModel(
            name="Proceeding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("lawsuit", "Lawsuit"),
                            ("class_action", "Class action"),
                            ("appeal", "Appeal"),
                            ("mdl", "Consolidated or multidistrict litigation"),
                            ("arbitration", "Arbitration"),
                            ("mediation", "Mediation"),
                            ("regulator_complaint", "Complaint to a regulator"),
                            ("criminal_complaint", "Criminal complaint"),
                            ("other", "Other"),
                        ],
                        default="lawsuit",
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="As the case is cited, e.g. “Bartz v. Anthropic PBC”.",
                        max_length=300,
                        verbose_name="title",
                    ),
                ),
                ("title_ja", models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)")),
                ("filed_on", models.DateField(blank=True, null=True, verbose_name="filed")),
                (
                    "filed_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=10,
                        verbose_name="filed: precision",
                    ),
                ),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="closed")),
                (
                    "closed_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=10,
                        verbose_name="closed: precision",
                    ),
                ),
                ("filed_sort", models.BigIntegerField(default=0, editable=False, verbose_name="sort key")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("announced", "Announced or reported, not confirmed filed"),
                            ("pending", "Pending"),
                            ("stayed", "Stayed"),
                            ("on_appeal", "Decided, on appeal"),
                            ("closed", "Closed"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "disposition",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Not yet disposed of"),
                            ("for_claimant", "Judgment for the claimant"),
                            ("for_respondent", "Judgment for the respondent"),
                            ("mixed", "Mixed judgment"),
                            ("settled", "Settled"),
                            ("dismissed", "Dismissed"),
                            ("withdrawn", "Withdrawn"),
                            ("consolidated", "Consolidated into another proceeding"),
                            ("other", "Other"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="disposition",
                    ),
                ),
                ("status_note", models.CharField(blank=True, max_length=300, verbose_name="status note")),
                (
                    "status_note_ja",
                    models.CharField(blank=True, max_length=300, verbose_name="status note (Japanese)"),
                ),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("summary_ja", models.TextField(blank=True, verbose_name="summary (Japanese)")),
            ],
            options={
                "verbose_name": "proceeding",
                "verbose_name_plural": "proceedings",
                "ordering": ["dispute", "filed_sort", "id"],
            },
        ),
        migrations.CreateModel(
            name="ProceedingJudge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("presiding", "Presiding judge"),
                            ("judge", "Judge"),
                            ("magistrate", "Magistrate judge"),
                            ("panel", "Panel member"),
                            ("arbitrator", "Arbitrator"),
                            ("mediator", "Mediator"),
                        ],
                        default="presiding",
                        max_length=20,
                        verbose_name="role",
                    ),
                ),
            ],
            options={
                "verbose_name": "judge",
                "verbose_name_plural": "judges",
                "ordering": ["proceeding", "role", "id"],
            },
        ),
        migrations.CreateModel(
            name="ProceedingParty",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "class_description",
                    models.CharField(
                        blank=True,
                        help_text="For a class: who it is, e.g. “authors of books in LibGen and PiLiMi”.",
                        max_length=300,
                        verbose_name="class",
                    ),
                ),
                (
                    "class_description_ja",
                    models.CharField(blank=True, max_length=300, verbose_name="class (Japanese)"),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                ("note_ja", models.CharField(blank=True, max_length=300, verbose_name="note (Japanese)")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("plaintiff", "Plaintiff or claimant"),
                            ("defendant", "Defendant or respondent"),
                            ("class_representative", "Class representative"),
                            ("class", "Class"),
                            ("intervenor", "Intervenor"),
                            ("amicus", "Amicus curiae"),
                            ("appellant", "Appellant"),
                            ("appellee", "Appellee or respondent on appeal"),
                            ("complainant", "Complainant"),
                            ("counsel", "Counsel"),
                            ("third_party", "Third party"),
                        ],
                        max_length=30,
                        verbose_name="role",
                    ),
                ),
            ],
            options={
                "verbose_name": "party to the proceeding",
                "verbose_name_plural": "parties to the proceeding",
                "ordering": ["proceeding", "role", "id"],
            },
        ),
        migrations.CreateModel(
            name="Ruling",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("motion_to_dismiss", "Motion to dismiss or strike out"),
                            ("summary_judgment", "Summary judgment"),
                            ("judgment", "Judgment after trial"),
                            ("injunction", "Injunction"),
                            ("discovery", "Discovery or preservation order"),
                            ("procedural", "Procedural order"),
                            ("class_certification", "Class certification"),
                            ("settlement_approval", "Settlement approval"),
                            ("appeal_decision", "Decision on appeal"),
                            ("other", "Other"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                ("decided_on", models.DateField(verbose_name="decided")),
                (
                    "decided_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=10,
                        verbose_name="decided: precision",
                    ),
                ),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("title_ja", models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)")),
                (
                    "citation",
                    models.CharField(
                        blank=True,
                        help_text="e.g. [2025] EWHC 2863 (Ch).",
                        max_length=200,
                        verbose_name="citation",
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("summary_ja", models.TextField(blank=True, verbose_name="summary (Japanese)")),
            ],
            options={
                "verbose_name": "ruling",
                "verbose_name_plural": "rulings",
                "ordering": ["proceeding", "decided_on", "id"],
            },
        ),
        migrations.AlterModelOptions(
            name="disputeparty",
            options={
                "ordering": ["role", "organization__name", "person__name", "class_description"],
                "verbose_name": "party",
                "verbose_name_plural": "parties",
            },
        ),
        migrations.AlterModelOptions(
            name="event",
            options={
                "ordering": ["date_sort", "id"],
                "verbose_name": "event",
                "verbose_name_plural": "events",
            },
        ),
        migrations.RemoveConstraint(
            model_name="event",
            name="event_kind_valid",
        ),
        migrations.RemoveConstraint(
            model_name="organization",
            name="organization_kind_valid",
        ),
        migrations.RemoveConstraint(
            model_name="source",
            name="source_reliability_valid",
        ),
        migrations.AddField(
            model_name="demand",
            name="status_note_ja",
            field=models.CharField(blank=True, max_length=500, verbose_name="status note (Japanese)"),
        ),
        migrations.AddField(
            model_name="demand",
            name="text_ja",
            field=models.TextField(
                blank=True,
                help_text="A translation for Japanese readers when the original is not Japanese.",
                verbose_name="text (Japanese)",
            ),
        ),
        migrations.AddField(
            model_name="demandletter",
            name="on_behalf_note_ja",
            field=models.CharField(
                blank=True,
                help_text="e.g. 会員社からの要請に基づき.",
                max_length=500,
                verbose_name="on whose behalf (Japanese)",
            ),
        ),
        migrations.AddField(
            model_name="demandletter",
            name="status_note_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="status note (Japanese)"),
        ),
        migrations.AddField(
            model_name="demandletter",
            name="summary_ja",
            field=models.TextField(blank=True, verbose_name="summary (Japanese)"),
        ),
        migrations.AddField(
            model_name="demandletter",
            name="title_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)"),
        ),
        migrations.AddField(
            model_name="disputeparty",
            name="class_description",
            field=models.CharField(
                blank=True,
                help_text="For a class: who it is, e.g. “authors of books in LibGen and PiLiMi”.",
                max_length=300,
                verbose_name="class",
            ),
        ),
        migrations.AddField(
            model_name="disputeparty",
            name="class_description_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="class (Japanese)"),
        ),
        migrations.AddField(
            model_name="disputeparty",
            name="note_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="note (Japanese)"),
        ),
        migrations.AddField(
            model_name="disputeparty",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="party_roles",
                to="disputes.person",
                verbose_name="person",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="date_end",
            field=models.DateField(
                blank=True,
                help_text="For a period (“February to June 2025”): its end.",
                null=True,
                verbose_name="until",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="date_end_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                default="day",
                max_length=10,
                verbose_name="until: precision",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="date_qualifier",
            field=models.CharField(
                choices=[("exact", "On"), ("around", "Around"), ("before", "Before"), ("after", "After")],
                default="exact",
                help_text="“Around” or “before” when the sources say so.",
                max_length=10,
                verbose_name="qualifier",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="date_sort",
            field=models.BigIntegerField(db_index=True, default=0, editable=False, verbose_name="sort key"),
        ),
        migrations.AddField(
            model_name="event",
            name="quote_language",
            field=models.CharField(
                blank=True,
                help_text="ISO 639-1 code of the quote as given, e.g. en or ja.",
                max_length=10,
                verbose_name="quote's language",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="quote_translation",
            field=models.TextField(
                blank=True,
                help_text="A translation, when the quote is not in English.",
                verbose_name="quote in English",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="quote_translation_ja",
            field=models.TextField(
                blank=True,
                help_text="A translation, when the quote is not in Japanese.",
                verbose_name="quote in Japanese",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="summary_ja",
            field=models.TextField(blank=True, verbose_name="summary (Japanese)"),
        ),
        migrations.AddField(
            model_name="event",
            name="title_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicaldemand",
            name="status_note_ja",
            field=models.CharField(blank=True, max_length=500, verbose_name="status note (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicaldemand",
            name="text_ja",
            field=models.TextField(
                blank=True,
                help_text="A translation for Japanese readers when the original is not Japanese.",
                verbose_name="text (Japanese)",
            ),
        ),
        migrations.AddField(
            model_name="historicaldemandletter",
            name="on_behalf_note_ja",
            field=models.CharField(
                blank=True,
                help_text="e.g. 会員社からの要請に基づき.",
                max_length=500,
                verbose_name="on whose behalf (Japanese)",
            ),
        ),
        migrations.AddField(
            model_name="historicaldemandletter",
            name="status_note_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="status note (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicaldemandletter",
            name="summary_ja",
            field=models.TextField(blank=True, verbose_name="summary (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicaldemandletter",
            name="title_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicaldisputeparty",
            name="class_description",
            field=models.CharField(
                blank=True,
                help_text="For a class: who it is, e.g. “authors of books in LibGen and PiLiMi”.",
                max_length=300,
                verbose_name="class",
            ),
        ),
        migrations.AddField(
            model_name="historicaldisputeparty",
            name="class_description_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="class (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicaldisputeparty",
            name="note_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="note (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicaldisputeparty",
            name="person",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.person",
                verbose_name="person",
            ),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="date_end",
            field=models.DateField(
                blank=True,
                help_text="For a period (“February to June 2025”): its end.",
                null=True,
                verbose_name="until",
            ),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="date_end_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                default="day",
                max_length=10,
                verbose_name="until: precision",
            ),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="date_qualifier",
            field=models.CharField(
                choices=[("exact", "On"), ("around", "Around"), ("before", "Before"), ("after", "After")],
                default="exact",
                help_text="“Around” or “before” when the sources say so.",
                max_length=10,
                verbose_name="qualifier",
            ),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="date_sort",
            field=models.BigIntegerField(db_index=True, default=0, editable=False, verbose_name="sort key"),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="quote_language",
            field=models.CharField(
                blank=True,
                help_text="ISO 639-1 code of the quote as given, e.g. en or ja.",
                max_length=10,
                verbose_name="quote's language",
            ),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="quote_translation",
            field=models.TextField(
                blank=True,
                help_text="A translation, when the quote is not in English.",
                verbose_name="quote in English",
            ),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="quote_translation_ja",
            field=models.TextField(
                blank=True,
                help_text="A translation, when the quote is not in Japanese.",
                verbose_name="quote in Japanese",
            ),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="summary_ja",
            field=models.TextField(blank=True, verbose_name="summary (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="title_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="court_level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("trial", "Trial or first instance"),
                    ("appellate", "Appellate"),
                    ("supreme", "Supreme or final"),
                    ("panel", "Panel (e.g. JPML)"),
                    ("other", "Other"),
                ],
                help_text="Courts only: trial, appellate or supreme.",
                max_length=20,
                verbose_name="court level",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="jurisdiction",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="For a court or a regulator: the legal system it belongs to.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.jurisdiction",
                verbose_name="jurisdiction",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="notes_ja",
            field=models.TextField(
                blank=True,
                help_text="Shown to Japanese readers; the English notes otherwise.",
                verbose_name="notes (Japanese)",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="notes_ja",
            field=models.TextField(blank=True, verbose_name="notes (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="position_ja",
            field=models.CharField(
                blank=True,
                help_text="Shown to Japanese readers.",
                max_length=300,
                verbose_name="position (Japanese)",
            ),
        ),
        migrations.AddField(
            model_name="historicalresponse",
            name="assessment_reason_ja",
            field=models.TextField(blank=True, verbose_name="why (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicalresponse",
            name="quote_language",
            field=models.CharField(
                blank=True,
                help_text="ISO 639-1 code of the quote as given, e.g. en or ja.",
                max_length=10,
                verbose_name="quote's language",
            ),
        ),
        migrations.AddField(
            model_name="historicalresponse",
            name="quote_translation",
            field=models.TextField(
                blank=True,
                help_text="A translation, when the quote is not in English.",
                verbose_name="quote in English",
            ),
        ),
        migrations.AddField(
            model_name="historicalresponse",
            name="quote_translation_ja",
            field=models.TextField(
                blank=True,
                help_text="A translation, when the quote is not in Japanese.",
                verbose_name="quote in Japanese",
            ),
        ),
        migrations.AddField(
            model_name="historicalresponse",
            name="summary_ja",
            field=models.TextField(blank=True, verbose_name="summary (Japanese)"),
        ),
        migrations.AddField(
            model_name="historicalresponse",
            name="title_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)"),
        ),
        migrations.AddField(
            model_name="organization",
            name="court_level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("trial", "Trial or first instance"),
                    ("appellate", "Appellate"),
                    ("supreme", "Supreme or final"),
                    ("panel", "Panel (e.g. JPML)"),
                    ("other", "Other"),
                ],
                help_text="Courts only: trial, appellate or supreme.",
                max_length=20,
                verbose_name="court level",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="jurisdiction",
            field=models.ForeignKey(
                blank=True,
                help_text="For a court or a regulator: the legal system it belongs to.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organizations",
                to="disputes.jurisdiction",
                verbose_name="jurisdiction",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="notes_ja",
            field=models.TextField(
                blank=True,
                help_text="Shown to Japanese readers; the English notes otherwise.",
                verbose_name="notes (Japanese)",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="notes_ja",
            field=models.TextField(blank=True, verbose_name="notes (Japanese)"),
        ),
        migrations.AddField(
            model_name="person",
            name="position_ja",
            field=models.CharField(
                blank=True,
                help_text="Shown to Japanese readers.",
                max_length=300,
                verbose_name="position (Japanese)",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="assessment_reason_ja",
            field=models.TextField(blank=True, verbose_name="why (Japanese)"),
        ),
        migrations.AddField(
            model_name="response",
            name="quote_language",
            field=models.CharField(
                blank=True,
                help_text="ISO 639-1 code of the quote as given, e.g. en or ja.",
                max_length=10,
                verbose_name="quote's language",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="quote_translation",
            field=models.TextField(
                blank=True,
                help_text="A translation, when the quote is not in English.",
                verbose_name="quote in English",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="quote_translation_ja",
            field=models.TextField(
                blank=True,
                help_text="A translation, when the quote is not in Japanese.",
                verbose_name="quote in Japanese",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="summary_ja",
            field=models.TextField(blank=True, verbose_name="summary (Japanese)"),
        ),
        migrations.AddField(
            model_name="response",
            name="title_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)"),
        ),
        migrations.AlterField(
            model_name="demandletter",
            name="recipient",
            field=models.ForeignKey(
                help_text="The main recipient; add others under “Other recipients”.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="letters_received",
                to="disputes.organization",
                verbose_name="recipient",
            ),
        ),
        migrations.AlterField(
            model_name="disputeparty",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="party_roles",
                to="disputes.organization",
                verbose_name="organization",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="date",
            field=models.DateField(
                help_text="For a month or a year, any day in it: it is stored as the first day at that precision.",
                verbose_name="date",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.CharField(
                choices=[
                    ("launch", "Launch"),
                    ("statement", "Statement"),
                    ("government", "Government action"),
                    ("lawsuit", "Lawsuit"),
                    ("filing", "Court filing"),
                    ("hearing", "Hearing or trial"),
                    ("ruling", "Ruling"),
                    ("appeal", "Appeal"),
                    ("settlement", "Settlement"),
                    ("license", "Licence"),
                    ("law", "Law or policy"),
                    ("response", "Response"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldemandletter",
            name="recipient",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The main recipient; add others under “Other recipients”.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.organization",
                verbose_name="recipient",
            ),
        ),
        migrations.AlterField(
            model_name="historicalevent",
            name="date",
            field=models.DateField(
                help_text="For a month or a year, any day in it: it is stored as the first day at that precision.",
                verbose_name="date",
            ),
        ),
        migrations.AlterField(
            model_name="historicalevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("launch", "Launch"),
                    ("statement", "Statement"),
                    ("government", "Government action"),
                    ("lawsuit", "Lawsuit"),
                    ("filing", "Court filing"),
                    ("hearing", "Hearing or trial"),
                    ("ruling", "Ruling"),
                    ("appeal", "Appeal"),
                    ("settlement", "Settlement"),
                    ("license", "Licence"),
                    ("law", "Law or policy"),
                    ("response", "Response"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="historicalorganization",
            name="kind",
            field=models.CharField(
                choices=[
                    ("trade_association", "Trade association"),
                    ("collecting_society", "Collecting society"),
                    ("rights_holder", "Rights holder"),
                    ("ai_developer", "AI developer"),
                    ("government", "Government body"),
                    ("union", "Union or guild"),
                    ("agency", "Agency"),
                    ("court", "Court"),
                    ("regulator", "Regulator"),
                    ("law_firm", "Law firm"),
                    ("media", "Media"),
                    ("other", "Other"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreporteddate",
            name="field",
            field=models.CharField(
                choices=[
                    ("date", "Date"),
                    ("date_end", "End of the period"),
                    ("dated_on", "Dated (written on the letter)"),
                    ("sent_on", "Sent"),
                    ("announced_on", "Announced"),
                    ("responded_on", "Responded"),
                    ("launched_on", "Launched"),
                    ("filed_on", "Filed"),
                    ("closed_on", "Closed"),
                    ("decided_on", "Decided"),
                    ("period_start", "Start of the period"),
                    ("period_end", "End of the period"),
                ],
                default="date",
                help_text="Which date of the record the source gives: an event's date, a letter's sent date, ...",
                max_length=40,
                verbose_name="field",
            ),
        ),
        migrations.AlterField(
            model_name="historicalresponse",
            name="channel",
            field=models.CharField(
                choices=[
                    ("letter", "Letter"),
                    ("public_statement", "Public statement"),
                    ("blog_post", "Blog post"),
                    ("press_comment", "Press comment"),
                    ("meeting", "Meeting"),
                    ("court_filing", "Court filing"),
                    ("none", "No reply reported"),
                ],
                max_length=20,
                verbose_name="channel",
            ),
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="reliability",
            field=models.CharField(
                choices=[
                    ("primary", "Primary"),
                    ("analysis", "Law-firm or expert analysis"),
                    ("secondary", "Secondary"),
                    ("low", "Low confidence"),
                ],
                default="secondary",
                help_text="Primary: the party itself, a court or a government. Analysis: a law firm's or a scholar's reading of the documents. Secondary: a news outlet. Low confidence: an aggregator, a forum or an AI-written site.",
                max_length=20,
                verbose_name="reliability",
            ),
        ),
        migrations.AlterField(
            model_name="organization",
            name="kind",
            field=models.CharField(
                choices=[
                    ("trade_association", "Trade association"),
                    ("collecting_society", "Collecting society"),
                    ("rights_holder", "Rights holder"),
                    ("ai_developer", "AI developer"),
                    ("government", "Government body"),
                    ("union", "Union or guild"),
                    ("agency", "Agency"),
                    ("court", "Court"),
                    ("regulator", "Regulator"),
                    ("law_firm", "Law firm"),
                    ("media", "Media"),
                    ("other", "Other"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="reporteddate",
            name="field",
            field=models.CharField(
                choices=[
                    ("date", "Date"),
                    ("date_end", "End of the period"),
                    ("dated_on", "Dated (written on the letter)"),
                    ("sent_on", "Sent"),
                    ("announced_on", "Announced"),
                    ("responded_on", "Responded"),
                    ("launched_on", "Launched"),
                    ("filed_on", "Filed"),
                    ("closed_on", "Closed"),
                    ("decided_on", "Decided"),
                    ("period_start", "Start of the period"),
                    ("period_end", "End of the period"),
                ],
                default="date",
                help_text="Which date of the record the source gives: an event's date, a letter's sent date, ...",
                max_length=40,
                verbose_name="field",
            ),
        ),
        migrations.AlterField(
            model_name="response",
            name="channel",
            field=models.CharField(
                choices=[
                    ("letter", "Letter"),
                    ("public_statement", "Public statement"),
                    ("blog_post", "Blog post"),
                    ("press_comment", "Press comment"),
                    ("meeting", "Meeting"),
                    ("court_filing", "Court filing"),
                    ("none", "No reply reported"),
                ],
                max_length=20,
                verbose_name="channel",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="reliability",
            field=models.CharField(
                choices=[
                    ("primary", "Primary"),
                    ("analysis", "Law-firm or expert analysis"),
                    ("secondary", "Secondary"),
                    ("low", "Low confidence"),
                ],
                default="secondary",
                help_text="Primary: the party itself, a court or a government. Analysis: a law firm's or a scholar's reading of the documents. Secondary: a news outlet. Low confidence: an aggregator, a forum or an AI-written site.",
                max_length=20,
                verbose_name="reliability",
            ),
        ),
        migrations.AddConstraint(
            model_name="disputeparty",
            constraint=models.UniqueConstraint(
                fields=("dispute", "person", "role"), name="disputeparty_unique_person"
            ),
        ),
        migrations.AddConstraint(
            model_name="disputeparty",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("organization__isnull", False),
                        models.Q(("person__isnull", False), _negated=True),
                        ("class_description", ""),
                    ),
                    models.Q(
                        models.Q(("organization__isnull", False), _negated=True),
                        ("person__isnull", False),
                        ("class_description", ""),
                    ),
                    models.Q(
                        models.Q(("organization__isnull", False), _negated=True),
                        models.Q(("person__isnull", False), _negated=True),
                        models.Q(("class_description", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="disputeparty_one_party",
                violation_error_message="A party is an organization, a person or a class: exactly one of them.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "trade_association",
                            "collecting_society",
                            "rights_holder",
                            "ai_developer",
                            "government",
                            "union",
                            "agency",
                            "court",
                            "regulator",
                            "law_firm",
                            "media",
                            "other",
                        ],
                    )
                ),
                name="organization_kind_valid",
                violation_error_message="Kind must be one of: trade_association, collecting_society, rights_holder, ai_developer, government, union, agency, court, regulator, law_firm, media, other.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("court_level", ""),
                    models.Q(
                        ("court_level__in", ["trial", "appellate", "supreme", "panel", "other"]),
                        ("kind", "court"),
                    ),
                    _connector="OR",
                ),
                name="organization_court_level_for_courts",
                violation_error_message="Only a court has a court level.",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(("reliability__in", ["primary", "analysis", "secondary", "low"])),
                name="source_reliability_valid",
                violation_error_message="Reliability must be one of: primary, analysis, secondary, low.",
            ),
        ),
        migrations.AddField(
            model_name="amount",
            name="dispute",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="amounts",
                to="disputes.dispute",
                verbose_name="dispute",
            ),
        ),
        migrations.AddField(
            model_name="amount",
            name="event",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="amounts",
                to="disputes.event",
                verbose_name="event",
            ),
        ),
        migrations.AddField(
            model_name="amount",
            name="payer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="disputes.organization",
                verbose_name="paid by",
            ),
        ),
        migrations.AddField(
            model_name="amount",
            name="sources",
            field=models.ManyToManyField(
                blank=True, related_name="amounts", to="disputes.source", verbose_name="sources"
            ),
        ),
        migrations.AddField(
            model_name="causeofaction",
            name="jurisdiction",
            field=models.ForeignKey(
                blank=True,
                help_text="Leave empty when it exists in many legal systems.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="disputes.jurisdiction",
                verbose_name="jurisdiction",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="cause",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="disputes.causeofaction",
                verbose_name="cause of action",
            ),
        ),
        migrations.AddField(
            model_name="claimruling",
            name="claim",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="outcomes",
                to="disputes.claim",
                verbose_name="claim",
            ),
        ),
        migrations.AddField(
            model_name="docketnumber",
            name="court",
            field=models.ForeignKey(
                blank=True,
                help_text="Leave empty for the proceeding's own court.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dockets",
                to="disputes.organization",
                verbose_name="court",
            ),
        ),
        migrations.AddField(
            model_name="eventactor",
            name="event",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="other_actors",
                to="disputes.event",
                verbose_name="event",
            ),
        ),
        migrations.AddField(
            model_name="eventactor",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events_also",
                to="disputes.organization",
                verbose_name="organization",
            ),
        ),
        migrations.AddField(
            model_name="eventactor",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events_also",
                to="disputes.person",
                verbose_name="person",
            ),
        ),
        migrations.AddField(
            model_name="historicalamount",
            name="dispute",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.dispute",
                verbose_name="dispute",
            ),
        ),
        migrations.AddField(
            model_name="historicalamount",
            name="event",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.event",
                verbose_name="event",
            ),
        ),
        migrations.AddField(
            model_name="historicalamount",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalamount",
            name="payer",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.organization",
                verbose_name="paid by",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocketnumber",
            name="court",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Leave empty for the proceeding's own court.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.organization",
                verbose_name="court",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocketnumber",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalproceeding",
            name="dispute",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.dispute",
                verbose_name="dispute",
            ),
        ),
        migrations.AddField(
            model_name="historicalproceeding",
            name="forum",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="A court (an organization of kind “court”), a regulator or an arbitral body.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.organization",
                verbose_name="court or forum",
            ),
        ),
        migrations.AddField(
            model_name="historicalproceeding",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalproceedingparty",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalproceedingparty",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.organization",
                verbose_name="organization",
            ),
        ),
        migrations.AddField(
            model_name="historicalproceedingparty",
            name="person",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.person",
                verbose_name="person",
            ),
        ),
        migrations.AddField(
            model_name="historicalruling",
            name="event",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The timeline's event for this ruling, if there is one.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.event",
                verbose_name="event on the timeline",
            ),
        ),
        migrations.AddField(
            model_name="historicalruling",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="letteronbehalf",
            name="letter",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="on_behalf_links",
                to="disputes.demandletter",
                verbose_name="letter",
            ),
        ),
        migrations.AddField(
            model_name="letteronbehalf",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="disputes.organization",
                verbose_name="on behalf of",
            ),
        ),
        migrations.AddField(
            model_name="letterrecipient",
            name="letter",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="recipient_links",
                to="disputes.demandletter",
                verbose_name="letter",
            ),
        ),
        migrations.AddField(
            model_name="letterrecipient",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="disputes.organization",
                verbose_name="recipient",
            ),
        ),
        migrations.AddField(
            model_name="demandletter",
            name="additional_recipients",
            field=models.ManyToManyField(
                blank=True,
                related_name="letters_also_received",
                through="disputes.LetterRecipient",
                to="disputes.organization",
                verbose_name="other recipients",
            ),
        ),
        migrations.AddField(
            model_name="proceeding",
            name="appeal_of",
            field=models.ForeignKey(
                blank=True,
                help_text="For an appeal: the proceeding whose decision is appealed.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appeals",
                to="disputes.proceeding",
                verbose_name="appeal of",
            ),
        ),
        migrations.AddField(
            model_name="proceeding",
            name="causes",
            field=models.ManyToManyField(
                blank=True,
                related_name="proceedings",
                through="disputes.Claim",
                to="disputes.causeofaction",
                verbose_name="claims",
            ),
        ),
        migrations.AddField(
            model_name="proceeding",
            name="consolidated_into",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="consolidated",
                to="disputes.proceeding",
                verbose_name="consolidated into",
            ),
        ),
        migrations.AddField(
            model_name="proceeding",
            name="dispute",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="proceedings",
                to="disputes.dispute",
                verbose_name="dispute",
            ),
        ),
        migrations.AddField(
            model_name="proceeding",
            name="forum",
            field=models.ForeignKey(
                blank=True,
                help_text="A court (an organization of kind “court”), a regulator or an arbitral body.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="proceedings_heard",
                to="disputes.organization",
                verbose_name="court or forum",
            ),
        ),
        migrations.AddField(
            model_name="proceeding",
            name="sources",
            field=models.ManyToManyField(
                blank=True, related_name="proceedings", to="disputes.source", verbose_name="sources"
            ),
        ),
        migrations.AddField(
            model_name="historicalruling",
            name="proceeding",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="historicalproceedingparty",
            name="proceeding",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="historicalproceeding",
            name="appeal_of",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="For an appeal: the proceeding whose decision is appealed.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.proceeding",
                verbose_name="appeal of",
            ),
        ),
        migrations.AddField(
            model_name="historicalproceeding",
            name="consolidated_into",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.proceeding",
                verbose_name="consolidated into",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocketnumber",
            name="proceeding",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="historicalamount",
            name="proceeding",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="docketnumber",
            name="proceeding",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="dockets",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="proceeding",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="claims",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="amount",
            name="proceeding",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="amounts",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="proceeding",
            field=models.ForeignKey(
                blank=True,
                help_text="The lawsuit or other proceeding it happened in, if any.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="events",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="proceeding",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The lawsuit or other proceeding it happened in, if any.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "launch",
                            "statement",
                            "government",
                            "lawsuit",
                            "filing",
                            "hearing",
                            "ruling",
                            "appeal",
                            "settlement",
                            "license",
                            "law",
                            "response",
                            "other",
                        ],
                    )
                ),
                name="event_kind_valid",
                violation_error_message="Kind must be one of: launch, statement, government, lawsuit, filing, hearing, ruling, appeal, settlement, license, law, response, other.",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("date_end_precision__in", ["day", "month", "year"])),
                name="event_end_precision_valid",
                violation_error_message="Date end precision must be one of: day, month, year.",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("date_qualifier__in", ["exact", "around", "before", "after"])),
                name="event_qualifier_valid",
                violation_error_message="Date qualifier must be one of: exact, around, before, after.",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_end__isnull", True), ("date_end__gte", models.F("date")), _connector="OR"
                ),
                name="event_period_ends_after_start",
                violation_error_message="The end of the period cannot be before its start.",
            ),
        ),
        migrations.AddField(
            model_name="proceedingjudge",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="disputes.person",
                verbose_name="judge",
            ),
        ),
        migrations.AddField(
            model_name="proceedingjudge",
            name="proceeding",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="judge_links",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="proceeding",
            name="judges",
            field=models.ManyToManyField(
                blank=True,
                related_name="proceedings_judged",
                through="disputes.ProceedingJudge",
                to="disputes.person",
                verbose_name="judges",
            ),
        ),
        migrations.AddField(
            model_name="proceedingparty",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="proceeding_roles",
                to="disputes.organization",
                verbose_name="organization",
            ),
        ),
        migrations.AddField(
            model_name="proceedingparty",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="proceeding_roles",
                to="disputes.person",
                verbose_name="person",
            ),
        ),
        migrations.AddField(
            model_name="proceedingparty",
            name="proceeding",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="parties",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="ruling",
            name="event",
            field=models.OneToOneField(
                blank=True,
                help_text="The timeline's event for this ruling, if there is one.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="ruling",
                to="disputes.event",
                verbose_name="event on the timeline",
            ),
        ),
        migrations.AddField(
            model_name="ruling",
            name="judges",
            field=models.ManyToManyField(
                blank=True, related_name="rulings", to="disputes.person", verbose_name="judges"
            ),
        ),
        migrations.AddField(
            model_name="ruling",
            name="proceeding",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rulings",
                to="disputes.proceeding",
                verbose_name="proceeding",
            ),
        ),
        migrations.AddField(
            model_name="ruling",
            name="sources",
            field=models.ManyToManyField(
                blank=True, related_name="rulings", to="disputes.source", verbose_name="sources"
            ),
        ),
        migrations.AddField(
            model_name="historicalamount",
            name="ruling",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="disputes.ruling",
                verbose_name="ruling",
            ),
        ),
        migrations.AddField(
            model_name="claimruling",
            name="ruling",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="outcomes",
                to="disputes.ruling",
                verbose_name="ruling",
            ),
        ),
        migrations.AddField(
            model_name="amount",
            name="ruling",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="amounts",
                to="disputes.ruling",
                verbose_name="ruling",
            ),
        ),
        migrations.AddConstraint(
            model_name="eventactor",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("organization__isnull", False), ("person__isnull", True)),
                    models.Q(("organization__isnull", True), ("person__isnull", False)),
                    _connector="OR",
                ),
                name="eventactor_one_actor",
                violation_error_message="An actor is an organization or a person: exactly one of them.",
            ),
        ),
        migrations.AddConstraint(
            model_name="eventactor",
            constraint=models.UniqueConstraint(
                fields=("event", "organization"), name="eventactor_unique_organization"
            ),
        ),
        migrations.AddConstraint(
            model_name="eventactor",
            constraint=models.UniqueConstraint(fields=("event", "person"), name="eventactor_unique_person"),
        ),
        migrations.AddConstraint(
            model_name="letteronbehalf",
            constraint=models.UniqueConstraint(
                fields=("letter", "organization"), name="letteronbehalf_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="letterrecipient",
            constraint=models.UniqueConstraint(
                fields=("letter", "organization"), name="letterrecipient_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="docketnumber",
            constraint=models.UniqueConstraint(
                fields=("proceeding", "number"), name="docketnumber_unique_per_proceeding"
            ),
        ),
        migrations.AddConstraint(
            model_name="docketnumber",
            constraint=models.UniqueConstraint(
                condition=models.Q(("courtlistener_id__isnull", False)),
                fields=("courtlistener_id",),
                name="docketnumber_unique_courtlistener",
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.UniqueConstraint(
                fields=("proceeding", "cause"), name="claim_unique_per_proceeding"
            ),
        ),
        migrations.AddConstraint(
            model_name="proceedingjudge",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("role__in", ["presiding", "judge", "magistrate", "panel", "arbitrator", "mediator"])
                ),
                name="proceedingjudge_role_valid",
                violation_error_message="Role must be one of: presiding, judge, magistrate, panel, arbitrator, mediator.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceedingjudge",
            constraint=models.UniqueConstraint(
                fields=("proceeding", "person"), name="proceedingjudge_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="proceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "lawsuit",
                            "class_action",
                            "appeal",
                            "mdl",
                            "arbitration",
                            "mediation",
                            "regulator_complaint",
                            "criminal_complaint",
                            "other",
                        ],
                    )
                ),
                name="proceeding_kind_valid",
                violation_error_message="Kind must be one of: lawsuit, class_action, appeal, mdl, arbitration, mediation, regulator_complaint, criminal_complaint, other.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["announced", "pending", "stayed", "on_appeal", "closed"])),
                name="proceeding_status_valid",
                violation_error_message="Status must be one of: announced, pending, stayed, on_appeal, closed.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "disposition__in",
                        [
                            "",
                            "for_claimant",
                            "for_respondent",
                            "mixed",
                            "settled",
                            "dismissed",
                            "withdrawn",
                            "consolidated",
                            "other",
                        ],
                    )
                ),
                name="proceeding_disposition_valid",
                violation_error_message="Disposition must be one of: , for_claimant, for_respondent, mixed, settled, dismissed, withdrawn, consolidated, other.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(("filed_precision__in", ["day", "month", "year"])),
                name="proceeding_filed_precision_valid",
                violation_error_message="Filed precision must be one of: day, month, year.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(("closed_precision__in", ["day", "month", "year"])),
                name="proceeding_closed_precision_valid",
                violation_error_message="Closed precision must be one of: day, month, year.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "closed"), _negated=True),
                    models.Q(("disposition", ""), _negated=True),
                    _connector="OR",
                ),
                name="proceeding_closed_has_disposition",
                violation_error_message="A closed proceeding needs its disposition (how it ended).",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["announced", "pending", "stayed"]), _negated=True),
                    ("disposition__in", ["", "consolidated"]),
                    _connector="OR",
                ),
                name="proceeding_open_has_no_disposition",
                violation_error_message="A proceeding still pending has no disposition; set the status to closed or on appeal.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(("closed_on__isnull", True), ("status", "closed"), _connector="OR"),
                name="proceeding_closed_on_only_when_closed",
                violation_error_message="Only a closed proceeding has a closing date.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("closed_on__isnull", True),
                    ("filed_on__isnull", True),
                    ("closed_on__gte", models.F("filed_on")),
                    _connector="OR",
                ),
                name="proceeding_closed_not_before_filed",
                violation_error_message="A proceeding cannot close before it was filed.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceeding",
            constraint=models.CheckConstraint(
                condition=models.Q(("appeal_of", models.F("id")), _negated=True),
                name="proceeding_not_own_appeal",
                violation_error_message="A proceeding cannot be an appeal of itself.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceedingparty",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "role__in",
                        [
                            "plaintiff",
                            "defendant",
                            "class_representative",
                            "class",
                            "intervenor",
                            "amicus",
                            "appellant",
                            "appellee",
                            "complainant",
                            "counsel",
                            "third_party",
                        ],
                    )
                ),
                name="proceedingparty_role_valid",
                violation_error_message="Role must be one of: plaintiff, defendant, class_representative, class, intervenor, amicus, appellant, appellee, complainant, counsel, third_party.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceedingparty",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("organization__isnull", False),
                        models.Q(("person__isnull", False), _negated=True),
                        ("class_description", ""),
                    ),
                    models.Q(
                        models.Q(("organization__isnull", False), _negated=True),
                        ("person__isnull", False),
                        ("class_description", ""),
                    ),
                    models.Q(
                        models.Q(("organization__isnull", False), _negated=True),
                        models.Q(("person__isnull", False), _negated=True),
                        models.Q(("class_description", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="proceedingparty_one_party",
                violation_error_message="A party is an organization, a person or a class: exactly one of them.",
            ),
        ),
        migrations.AddConstraint(
            model_name="proceedingparty",
            constraint=models.UniqueConstraint(
                fields=("proceeding", "organization", "role"), name="proceedingparty_unique_organization"
            ),
        ),
        migrations.AddConstraint(
            model_name="proceedingparty",
            constraint=models.UniqueConstraint(
                fields=("proceeding", "person", "role"), name="proceedingparty_unique_person"
            ),
        ),
        migrations.AddConstraint(
            model_name="ruling",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "motion_to_dismiss",
                            "summary_judgment",
                            "judgment",
                            "injunction",
                            "discovery",
                            "procedural",
                            "class_certification",
                            "settlement_approval",
                            "appeal_decision",
                            "other",
                        ],
                    )
                ),
                name="ruling_kind_valid",
                violation_error_message="Kind must be one of: motion_to_dismiss, summary_judgment, judgment, injunction, discovery, procedural, class_certification, settlement_approval, appeal_decision, other.",
            ),
        ),
        migrations.AddConstraint(
            model_name="ruling",
            constraint=models.CheckConstraint(
                condition=models.Q(("decided_precision__in", ["day", "month", "year"])),
                name="ruling_precision_valid",
                violation_error_message="Decided precision must be one of: day, month, year.",
            ),
        ),
        migrations.AddConstraint(
            model_name="claimruling",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "outcome__in",
                        [
                            "survives",
                            "dismissed_with_leave",
                            "dismissed",
                            "upheld",
                            "rejected",
                            "partly_upheld",
                            "withdrawn",
                            "settled",
                            "reversed",
                            "affirmed",
                        ],
                    )
                ),
                name="claimruling_outcome_valid",
                violation_error_message="Outcome must be one of: survives, dismissed_with_leave, dismissed, upheld, rejected, partly_upheld, withdrawn, settled, reversed, affirmed.",
            ),
        ),
        migrations.AddConstraint(
            model_name="claimruling",
            constraint=models.UniqueConstraint(fields=("ruling", "claim"), name="claimruling_unique"),
        ),
        migrations.AddConstraint(
            model_name="amount",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["claimed", "awarded", "settled", "licence_fee", "investment", "other"])
                ),
                name="amount_kind_valid",
                violation_error_message="Kind must be one of: claimed, awarded, settled, licence_fee, investment, other.",
            ),
        ),
        migrations.AddConstraint(
            model_name="amount",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["claimed", "confirmed"])),
                name="amount_status_valid",
                violation_error_message="Status must be one of: claimed, confirmed.",
            ),
        ),
        migrations.AddConstraint(
            model_name="amount",
            constraint=models.CheckConstraint(
                condition=models.Q(("period_start_precision__in", ["day", "month", "year"])),
                name="amount_start_precision_valid",
                violation_error_message="Period start precision must be one of: day, month, year.",
            ),
        ),
        migrations.AddConstraint(
            model_name="amount",
            constraint=models.CheckConstraint(
                condition=models.Q(("period_end_precision__in", ["day", "month", "year"])),
                name="amount_end_precision_valid",
                violation_error_message="Period end precision must be one of: day, month, year.",
            ),
        ),
        migrations.AddConstraint(
            model_name="amount",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__isnull", True), ("value__gte", 0), _connector="OR"),
                name="amount_not_negative",
                violation_error_message="An amount cannot be negative.",
            ),
        ),
        migrations.AddConstraint(
            model_name="amount",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("value__isnull", False), models.Q(("basis", ""), _negated=True), _connector="OR"
                ),
                name="amount_value_or_basis",
                violation_error_message="Give the amount, or describe it in the basis.",
            ),
        ),
        migrations.AddConstraint(
            model_name="amount",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("period_end__isnull", True),
                    ("period_start__isnull", True),
                    ("period_end__gte", models.F("period_start")),
                    _connector="OR",
                ),
                name="amount_period_in_order",
                violation_error_message="The period cannot end before it starts.",
            ),
        ),
    ]
