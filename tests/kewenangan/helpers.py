"""Helpers for the kewenangan tests: a published service with a full standard, and the POST
data of a Django admin change form."""

from __future__ import annotations

import datetime

from kewenangan.services import publish_standard
from tests.factories import (
    IsianFormulirFactory,
    JenisIzinFactory,
    LangkahProsedurFactory,
    PersyaratanFactory,
)


def published_service(*, requirements: int = 2, actor=None, **kwargs):
    """A JenisIzin with requirements, two steps and a form field, published (version 1)."""
    service = JenisIzinFactory(**kwargs)
    for _ in range(requirements):
        PersyaratanFactory(jenis_izin=service)
    LangkahProsedurFactory(jenis_izin=service, title="Pengajuan permohonan")
    LangkahProsedurFactory(jenis_izin=service, title="Penandatanganan")
    IsianFormulirFactory(
        jenis_izin=service, key="profesi", label="Profesi", field_type="choice", choices="Bidan"
    )
    publish_standard(service, actor=actor)
    return service


def _as_post_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def admin_form_data(response, **overrides) -> dict:
    """What a browser would post back from an admin change page, with ``overrides``."""
    data = {}

    def put(name, value):
        value = _as_post_value(value)
        if value is not None:
            data[name] = value

    form = response.context["adminform"].form
    for name in form.fields:
        put(name, form[name].value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            put(f"{formset.prefix}-{name}", management[name].value())
        for sub in formset.forms:
            for name in sub.fields:
                if name == "template_file":
                    continue
                put(f"{sub.prefix}-{name}", sub[name].value())
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = _as_post_value(value)
    return data
