"""What the kewenangan admin pages share: the warning shown over sample data, a date input,
and the intermediate page of a bulk action that asks for more input."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

SAMPLE_WARNING = _(
    'Data kewenangan dan layanan yang bertanda "data contoh" bukan lampiran Perbup yang sah. '
    "Ganti dengan impor lampiran: manage.py import_kewenangan lampiran.xlsx."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def intermediate_page(modeladmin, request, queryset, form, *, title, action, submit_label):
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": queryset,
        "action": action,
        "submit_label": submit_label,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "kewenangan/admin/action_form.html", context)
