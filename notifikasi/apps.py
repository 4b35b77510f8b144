from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifikasiConfig(AppConfig):
    """Delivery infrastructure: the outbox, channels and gateways, receipts, admin-editable
    templates, the bell and the inbox. It knows users and addresses, never applications."""

    name = "notifikasi"
    verbose_name = _("Notifikasi")
