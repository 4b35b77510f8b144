from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KewenanganConfig(AppConfig):
    name = "kewenangan"
    verbose_name = _("Kewenangan dan standar pelayanan")
