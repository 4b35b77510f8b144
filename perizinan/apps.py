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

        self._clear_memos_on_catalogue_change()

    @staticmethod
    def _clear_memos_on_catalogue_change():
        """The queue filter memoizes the published services and the calendar its local
        closures (``config.memo``): a change to either clears the memos at once in this
        process."""
        from django.db.models.signals import post_delete, post_save

        from config.memo import clear_all
        from kewenangan.models import HariLibur, JenisIzin, Kewenangan

        for model in (JenisIzin, Kewenangan, HariLibur):
            for signal in (post_save, post_delete):
                signal.connect(clear_all, sender=model, dispatch_uid=f"memo-{model.__name__}")
