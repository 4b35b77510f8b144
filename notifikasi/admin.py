"""Admin pages of the notifications: the outbox (read-only, with "retry now") and the
editable message templates with a preview."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template import Template, TemplateSyntaxError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifikasi import services
from notifikasi.delivery import retry_now
from notifikasi.models import Channel, Notifikasi, TemplatNotifikasi
from notifikasi.rendering import base_context, render_db_template


@admin.register(Notifikasi)
class NotifikasiAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "event",
        "channel",
        "recipient_label",
        "state",
        "attempts",
        "sent_at",
        "short_error",
    )
    list_filter = ("state", "channel", "event")
    search_fields = ("key", "reference", "email", "phone", "subject")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notifikasi._meta.fields]
    actions = ["retry_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("penerima"))
    def recipient_label(self, obj):
        return obj.recipient_label

    @admin.display(description=_("galat"))
    def short_error(self, obj):
        return (obj.last_error or "")[:80]

    @admin.action(description=_("Kirim ulang sekarang (yang gagal atau tertunda)"))
    def retry_selected(self, request, queryset):
        count = retry_now(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(n)d pesan dijadwalkan ulang.", "%(n)d pesan dijadwalkan ulang.", count)
            % {"n": count},
            messages.SUCCESS,
        )


def sample_context() -> dict:
    """Made-up values for the preview: the site's own plus those each event's owner
    registered (``notifikasi.services.register_events``)."""
    return {**base_context(), **services.sample_context()}


def _event_choices():
    return [(e, e) for e in services.registered_events()]


class TemplatNotifikasiForm(forms.ModelForm):
    event = forms.ChoiceField(label=_("peristiwa"), choices=_event_choices)

    class Meta:
        model = TemplatNotifikasi
        fields = ("event", "channel", "language", "subject", "body", "body_html", "is_active")

    def clean(self):
        cleaned = super().clean()
        for name in ("subject", "body", "body_html"):
            try:
                Template(cleaned.get(name) or "")
            except TemplateSyntaxError as exc:
                self.add_error(name, _("Templat tidak valid: %(error)s") % {"error": exc})
        return cleaned


@admin.register(TemplatNotifikasi)
class TemplatNotifikasiAdmin(admin.ModelAdmin):
    form = TemplatNotifikasiForm
    list_display = ("event", "channel", "language", "subject", "is_active", "updated_at")
    list_filter = ("channel", "language", "is_active", "event")
    readonly_fields = ("preview",)
    fields = (
        "event",
        "channel",
        "language",
        "subject",
        "body",
        "body_html",
        "is_active",
        "preview",
    )

    @admin.display(description=_("pratinjau (contoh data)"))
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return _("Simpan dulu untuk melihat pratinjau.")
        try:
            rendered = render_db_template(obj, sample_context(), channel=obj.channel)
        except Exception as exc:  # noqa: BLE001 - show the admin what is wrong
            return format_html(
                '<p class="errornote">{}</p>',
                _("Templat gagal dirender (pesan memakai templat berkas): %(error)s")
                % {"error": f"{exc.__class__.__name__}: {exc}"},
            )
        html = ""
        if obj.channel == Channel.EMAIL and rendered.body_html:
            html = format_html(
                '<iframe title="{}" sandbox srcdoc="{}" width="640" height="420"></iframe>',
                _("Pratinjau HTML"),
                rendered.body_html,
            )
        return format_html(
            "<p><strong>{}</strong></p><pre>{}</pre>{}", rendered.subject, rendered.body, html
        )
