from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("AI copyright disputes")
    default_auto_field = "django.db.models.BigAutoField"
