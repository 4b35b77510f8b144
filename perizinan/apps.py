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
        self._renew_cached_pages_on_change()

    @staticmethod
    def _renew_cached_pages_on_change():
        """The officers' cached queue pages (``config.page_cache``) show files, their
        services, the names of the officers holding them and deadlines on the office
        calendar: a change to any of these makes every stored page stale. Changes made with
        ``QuerySet.update()`` call ``page_cache.bump()`` themselves."""
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from config.page_cache import bump
        from kewenangan.models import HariLibur, JenisIzin, Kewenangan
        from perizinan.models import Permohonan

        for model in (Permohonan, get_user_model(), JenisIzin, Kewenangan, HariLibur):
            for signal in (post_save, post_delete):
                signal.connect(bump, sender=model, dispatch_uid=f"page-cache-{model.__name__}")

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
