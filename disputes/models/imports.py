"""What an import wrote and when: one row per imported record, and one row per import run.

An importer never trusts its own memory of the record: each imported record keeps a fingerprint of the source row it
came from and the values it wrote. A later run with the same row changes nothing; a changed row updates only the
fields whose current value is still the one the import wrote, because any other value is an admin's correction.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .common import choices_check
from .disputes import Dispute
from .fields import optional_link


class ImportSource(models.TextChoices):
    DAIL_CASE = "dail_case", _("DAIL case")
    DAIL_DOCKET = "dail_docket", _("DAIL docket")
    LICENSING = "licensing", _("Licensing deal")


class ImportedRecord(models.Model):
    """One row of an external table, the dispute it went into, and what the import last wrote for it."""

    source = models.CharField(_("table"), max_length=20, choices=ImportSource.choices)
    key = models.CharField(
        _("record number"), max_length=100, help_text=_("The row's own id in that table, e.g. DAIL's 90.")
    )
    dispute = optional_link(Dispute, _("dispute"), on_delete=models.SET_NULL, related_name="imported_records")
    matched = models.BooleanField(
        _("matched an existing dispute"),
        default=False,
        help_text=_("The row enriched a dispute that was already in the record rather than creating one."),
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, help_text=_("SHA-256 of the source row."))
    written = models.JSONField(
        _("values written"),
        default=dict,
        blank=True,
        help_text=_("What the import last wrote, per field: a field whose value differs was edited since."),
    )
    export_date = models.DateField(_("export date"), null=True, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    imported_at = models.DateTimeField(_("first imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        ordering = ["source", "key"]
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            choices_check("source", ImportSource, "importedrecord_source_valid"),
            models.UniqueConstraint(fields=["source", "key"], name="importedrecord_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.key}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PREVIEWING = "previewing", _("Preparing the preview")
    PREVIEWED = "previewed", _("Preview ready")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """An import started from the admin: the uploaded files, its progress, the preview and the outcome."""

    created_by = optional_link(
        settings.AUTH_USER_MODEL, _("started by"), on_delete=models.SET_NULL, related_name="import_runs"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    cases_file = models.CharField(_("cases file"), max_length=500)
    dockets_file = models.CharField(_("dockets file"), max_length=500, blank=True)
    sources_file = models.CharField(_("sources file"), max_length=500, blank=True)
    only_copyright = models.BooleanField(_("copyright cases only"), default=True)
    overwrite = models.BooleanField(
        _("overwrite admin edits"),
        default=False,
        help_text=_("Write DAIL's values over fields an admin changed."),
    )
    processed = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        constraints = [choices_check("status", ImportStatus, "importrun_status_valid")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0
