from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerizinanConfig(AppConfig):
    name = "perizinan"
    verbose_name = _("Perizinan")

    def ready(self):
        self._connect_status_effects()
        self._register_notification_events()
        self._add_profile_sections()
        self._clear_memos_on_catalogue_change()
        self._renew_cached_pages_on_change()
        self._check_routes()

    @staticmethod
    def _connect_status_effects():
        """perizinan's own effects of a status change, each registered here by name: the
        applicant's and officers' messages, and the rejection letter."""
        from perizinan.notifications import events
        from perizinan.services import izin
        from perizinan.signals import status_changed

        status_changed.connect(
            events.on_status_changed, dispatch_uid="perizinan.notifications.on_status_changed"
        )
        status_changed.connect(
            izin.on_status_changed, dispatch_uid="perizinan.services.izin.on_status_changed"
        )

    @staticmethod
    def _check_routes():
        """Route health (``perizinan.route_health``): kewenangan's admin asks it before a
        change of holder (through the hook ``kewenangan.routes``), and admins are told when a
        file lands in a state no active officer can work."""
        from kewenangan.routes import register_route_checker
        from notifikasi.services import register_events
        from perizinan import route_health
        from perizinan.signals import status_changed

        register_route_checker("perizinan.workflow", route_health.missing_for_holder)
        status_changed.connect(
            route_health.on_status_changed, dispatch_uid="perizinan.route_health.on_status_changed"
        )
        register_events([route_health.ROUTE_GAP_EVENT], sample_context=route_health.sample_context)

    @staticmethod
    def _register_notification_events():
        """The events whose templates admins may edit in notifikasi's admin."""
        from notifikasi.services import register_events
        from perizinan.notifications.events import ALL_EVENTS
        from perizinan.notifications.samples import sample_context

        register_events(ALL_EVENTS, sample_context=sample_context)

    @staticmethod
    def _add_profile_sections():
        from accounts.profile import register_section
        from perizinan.views.akses import PROFILE_SECTION

        register_section(PROFILE_SECTION)

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
