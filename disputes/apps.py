from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("AI copyright disputes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from disputes.accounts import revocation
        from disputes.accounts.groups import sync_after_migrate
        from disputes.accounts.middleware import on_login
        from disputes.models import derived, generation
        from disputes.models.choices import install_choice_display

        # Runs after auth has created every model's permissions (post_migrate fires for this app after auth's).
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="disputes-staff-groups")
        user_logged_in.connect(on_login, dispatch_uid="disputes-viewer-timezone")
        revocation.connect()
        install_choice_display(self.get_models())
        derived.connect()
        generation.connect()
