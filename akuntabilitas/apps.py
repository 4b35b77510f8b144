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

        from perizinan.scanning import HeldUploads, register_held_uploads

        # A complaint's attachment stored while the scanner was away is scanned by
        # perizinan's rescan task, like the applicants' documents.
        register_held_uploads(
            HeldUploads(
                "akuntabilitas.Pengaduan",
                name_field="attachment_name",
                status_field="attachment_scan_status",
                scanned_at_field="attachment_scanned_at",
                signature_field="attachment_scan_signature",
            )
        )
