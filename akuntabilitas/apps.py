from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AkuntabilitasConfig(AppConfig):
    """Public accountability: complaints, the satisfaction survey and IKM, statistics,
    reports and the compliance page. It reads perizinan and kewenangan; nobody imports it."""

    name = "akuntabilitas"
    verbose_name = _("Akuntabilitas publik")

    def ready(self):
        from akuntabilitas.services import survei
        from perizinan.signals import status_changed

        # A decision on a file invites its applicant to the satisfaction survey.
        status_changed.connect(
            survei.on_status_changed, dispatch_uid="akuntabilitas.services.survei.on_status_changed"
        )
