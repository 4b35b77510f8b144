"""The notification outbox (Notifikasi) and the admin-editable message templates.

Every message is one ``Notifikasi`` row written in the same transaction as the change that
causes it (``notifikasi.services.queue_message``). A unique ``key`` makes a second write
of the same message a no-op; the delivery task locks the row, so it is sent once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    INAPP = "inapp", _("Di aplikasi")
    SMS = "sms", _("SMS/WhatsApp")


class NotifikasiQuerySet(models.QuerySet):
    def for_user(self, user) -> NotifikasiQuerySet:
        """The in-app notifications of ``user`` (the bell and the list)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user, channel=Channel.INAPP)

    def unread(self) -> NotifikasiQuerySet:
        return self.filter(read_at__isnull=True)

    def due_for_delivery(self, now) -> NotifikasiQuerySet:
        """Pending rows whose next attempt is due (the sweeper's work list)."""
        return self.filter(state=Notifikasi.State.PENDING, next_attempt_at__lte=now)


class Notifikasi(models.Model):
    """One message to one recipient on one channel: the outbox row and, for the in-app
    channel, the notification itself (``read_at``)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    public_id = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(
        _("kunci"),
        max_length=200,
        unique=True,
        help_text=_("Unik per pesan: permohonan, peristiwa, penerima dan kanal."),
    )
    event = models.CharField(_("peristiwa"), max_length=60, db_index=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifikasi",
        verbose_name=_("penerima"),
    )
    email = models.CharField(_("alamat e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("nomor telepon"), max_length=20, blank=True)
    language = models.CharField(_("bahasa"), max_length=8, default="id")
    reference = models.CharField(
        _("rujukan"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("Nomor berkas atau tiket yang dibicarakan pesan ini (untuk pencarian)."),
    )
    subject = models.CharField(_("judul"), max_length=250)
    body = models.TextField(_("isi"))
    body_html = models.TextField(_("isi HTML"), blank=True)
    link = models.CharField(_("tautan"), max_length=500, blank=True)

    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("jumlah percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    sent_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = NotifikasiQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="notifikasi_pending_idx",
            ),
            models.Index(
                fields=["recipient", "channel", "-created_at"],
                name="notifikasi_inbox_idx",
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.recipient_label} ({self.channel})"

    @property
    def recipient_label(self) -> str:
        if self.channel == Channel.EMAIL:
            return self.email
        if self.channel == Channel.SMS:
            return self.phone
        return str(self.recipient) if self.recipient_id else ""

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class TemplatNotifikasi(models.Model):
    """A message template an admin edits (Django template syntax). When none is active for an
    event, channel and language, or it fails to render, the file template under
    ``templates/notifikasi/`` is used and the error is logged."""

    event = models.CharField(_("peristiwa"), max_length=60)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("bahasa"), max_length=8, choices=settings.LANGUAGES, default="id")
    subject = models.CharField(
        _("judul"), max_length=250, help_text=_("Sintaks templat Django, satu baris.")
    )
    body = models.TextField(
        _("isi (teks)"),
        help_text=_(
            "Sintaks templat Django. Variabel: permohonan, nomor, layanan, penerima, catatan, "
            "tautan, batas_waktu, dll. (lihat pratinjau)."
        ),
    )
    body_html = models.TextField(
        _("isi HTML"),
        blank=True,
        help_text=_("Opsional, hanya e-mail. Kosong: isi teks dibungkus tata letak standar."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("templat notifikasi")
        verbose_name_plural = _("templat notifikasi")
        ordering = ["event", "channel", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "language"], name="templat_notifikasi_unique"
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.get_channel_display()} · {self.language}"
