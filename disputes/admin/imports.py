"""Admin for imports: upload DAIL's tables, preview what the import would do, confirm it, watch its progress.

Also the record of what imports wrote (imported records, read-only) and the CourtListener dockets with the status of
their last refresh.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from disputes import models as m
from disputes.admin.base import ModelAdmin
from disputes.imports import runs
from disputes.imports.readers import ImportFileError


class DailUploadForm(forms.Form):
    cases = forms.FileField(label=_("Case table"), help_text=_("DAIL's Case_Table_….xlsx (or CSV)."))
    dockets = forms.FileField(label=_("Docket table"), required=False, help_text=_("Docket_Table_….xlsx"))
    sources = forms.FileField(
        label=_("Secondary sources"), required=False, help_text=_("Secondary_Source_Coverage_Table_….xlsx")
    )
    only_copyright = forms.BooleanField(label=_("Copyright cases only"), required=False, initial=True)
    overwrite = forms.BooleanField(
        label=_("Overwrite fields an admin edited"),
        required=False,
        help_text=_("Leave off to keep every correction."),
    )

    def clean(self):
        cleaned = super().clean()
        limit = settings.IMPORTS_MAX_FILE_BYTES
        for name in ("cases", "dockets", "sources"):
            upload = cleaned.get(name)
            if upload is not None and upload.size > limit:
                self.add_error(
                    name,
                    _("%(name)s is %(size).1f MB; files up to %(limit).0f MB are accepted.")
                    % {"name": upload.name, "size": upload.size / 1_048_576, "limit": limit / 1_048_576},
                )
        return cleaned


@admin.register(m.ImportRun)
class ImportRunAdmin(ModelAdmin):
    list_display = ["created_at", "status", "created_by", "processed", "total", "summary"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in m.ImportRun._meta.fields]
    change_list_template = "admin/disputes/importrun/change_list.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("outcome"))
    def summary(self, obj) -> str:
        return (obj.report or obj.preview or {}).get("summary", obj.error[:120])

    def get_urls(self):
        urls = [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="disputes_importrun_upload"),
            path("<int:pk>/run/", self.admin_site.admin_view(self.run_view), name="disputes_importrun_run"),
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="disputes_importrun_progress",
            ),
            path(
                "<int:pk>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="disputes_importrun_confirm",
            ),
        ]
        return urls + super().get_urls()

    def _check(self, request) -> None:
        if not (request.user.is_staff and request.user.has_perm("disputes.add_dispute")):
            raise PermissionDenied

    def upload_view(self, request):
        self._check(request)
        form = DailUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                run = runs.import_run_start(
                    user=request.user,
                    cases=form.cleaned_data["cases"],
                    dockets=form.cleaned_data.get("dockets"),
                    sources=form.cleaned_data.get("sources"),
                    only_copyright=form.cleaned_data["only_copyright"],
                    overwrite=form.cleaned_data["overwrite"],
                )
            except ImportFileError as exc:
                form.add_error(None, str(exc))
            else:
                messages.info(request, _("The files are readable. The preview is being prepared."))
                return redirect("admin:disputes_importrun_run", pk=run.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Import from DAIL"),
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/disputes/importrun/upload.html", context, status=400 if form.errors else 200
        )

    def run_view(self, request, pk: int):
        self._check(request)
        run = get_object_or_404(m.ImportRun, pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "run": run,
            "title": _("DAIL import"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/disputes/importrun/run.html", context)

    def progress_view(self, request, pk: int):
        self._check(request)
        run = get_object_or_404(m.ImportRun, pk=pk)
        return TemplateResponse(request, "admin/disputes/importrun/partials/progress.html", {"run": run})

    def confirm_view(self, request, pk: int):
        self._check(request)
        if request.method != "POST":
            return redirect("admin:disputes_importrun_run", pk=pk)
        run = get_object_or_404(m.ImportRun, pk=pk)
        try:
            runs.import_run_confirm(run=run)
        except ImportFileError as exc:
            messages.error(request, str(exc))
        else:
            messages.info(request, _("Importing. This page shows the progress."))
        return redirect(reverse("admin:disputes_importrun_run", kwargs={"pk": pk}))


@admin.register(m.ImportedRecord)
class ImportedRecordAdmin(ModelAdmin):
    list_display = ["source", "key", "dispute", "matched", "export_date", "updated_at"]
    list_filter = ["source", "matched", "export_date"]
    search_fields = ["key", "dispute__title"]
    readonly_fields = [
        "source",
        "key",
        "dispute",
        "matched",
        "fingerprint",
        "written",
        "export_date",
        "problems",
        "imported_at",
        "updated_at",
    ]
    list_select_related = ["dispute"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(m.CourtListenerDocket)
class CourtListenerDocketAdmin(ModelAdmin):
    """Each linked docket's last refresh: up to date, CourtListener unreachable, token refused, not found."""

    list_display = ["docket", "proceeding", "courtlistener_id", "status", "checked_at", "status_detail"]
    list_filter = ["status"]
    search_fields = ["docket__number", "docket__proceeding__title", "=docket__courtlistener_id"]
    readonly_fields = ["docket", "status", "status_detail", "checked_at", "last_ok_at", "date_modified"]
    list_select_related = ["docket__proceeding"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("proceeding"), ordering="docket__proceeding__title")
    def proceeding(self, obj) -> str:
        return obj.docket.proceeding.title
