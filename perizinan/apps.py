from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerizinanConfig(AppConfig):
    name = "perizinan"
    verbose_name = _("Perizinan")

    def ready(self):
        # Connect the receivers of perizinan.signals.status_changed.
        from perizinan import notifications  # noqa: F401
        from perizinan.services import (  # noqa: F401
            izin,  # rejection letters
            survei,  # survey invitations
        )
