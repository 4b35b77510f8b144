"""Demo applications for ``pemohon@contoh.id`` (called by ``manage.py seed_demo`` after the
catalogue and the accounts). Idempotent: it only adds what is missing. Does nothing when no
service accepts applications yet."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from perizinan import selectors, services
from perizinan.models import Permohonan
from perizinan.workflow import Status

DEMO_EMAIL = "pemohon@contoh.id"
#: Preferred services (health-worker practice permits), else any open service.
PREFERRED_SLUGS = ("sip-bidan", "sip-perawat", "sip-dokter", "sipa")
DEMO_PROFILE = {
    "nik": "6212014507900001",
    "phone": "081234567890",
    "address": "Jl. Tjilik Riwut No. 12, Tamiang Layang",
}


def demo_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def demo_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 400), (210, 220, 235)).save(out, format="JPEG")
    return out.getvalue()


def _open_services():
    services_qs = selectors.published_services().select_related("kewenangan")
    open_services = [s for s in services_qs if selectors.accepts_applications(s)]
    by_slug = {s.slug: s for s in open_services}
    preferred = [by_slug[slug] for slug in PREFERRED_SLUGS if slug in by_slug]
    others = [s for s in open_services if s.slug not in PREFERRED_SLUGS]
    return preferred + others


def _fill(permohonan: Permohonan, user: User) -> Permohonan:
    data = {**services.profile_prefill(user), **DEMO_PROFILE}
    permohonan = services.save_applicant_data(permohonan, actor=user, data=data)
    form_data = {}
    for field in selectors.form_fields_of(permohonan.jenis_izin):
        if field.choice_list:
            form_data[field.key] = field.choice_list[0]
        elif field.field_type == "date":
            form_data[field.key] = "2026-01-02"
        elif field.field_type == "number":
            form_data[field.key] = "1"
        elif field.field_type == "nik":
            form_data[field.key] = DEMO_PROFILE["nik"]
        elif field.field_type == "phone":
            form_data[field.key] = DEMO_PROFILE["phone"]
        elif field.field_type == "email":
            form_data[field.key] = user.email
        elif field.field_type == "npwp":
            form_data[field.key] = "012345678901000"
        else:
            form_data[field.key] = "Contoh isian"
    permohonan = services.save_form_data(permohonan, actor=user, data=form_data)
    pdf, jpeg = demo_pdf(), demo_jpeg()
    for requirement in selectors.requirements_of(permohonan.jenis_izin):
        if "pdf" in requirement.accepted_type_list:
            upload = SimpleUploadedFile("contoh.pdf", pdf, content_type="application/pdf")
        elif "jpg" in requirement.accepted_type_list:
            upload = SimpleUploadedFile("foto.jpg", jpeg, content_type="image/jpeg")
        else:
            continue
        services.upload_document(
            permohonan, actor=user, persyaratan=requirement, uploaded_file=upload
        )
    return services.mark_step(permohonan, actor=user, step=3)


def seed() -> list[Permohonan]:
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        return []
    open_services = _open_services()
    if not open_services:
        return []
    existing = Permohonan.objects.filter(applicant=user)
    has_submitted = existing.exclude(status=Status.DRAFT).exists()
    has_draft = existing.filter(status=Status.DRAFT).exists()
    created = []
    submitted_service = open_services[0]
    if not has_submitted:
        draft = services.start_draft(applicant=user, jenis_izin=submitted_service)
        draft = _fill(draft, user)
        if not services.missing_for_submission(draft):
            created.append(services.submit_permohonan(draft, actor=user, declaration_accepted=True))
    if not has_draft:
        draft_service = open_services[1] if len(open_services) > 1 else submitted_service
        draft = services.start_draft(applicant=user, jenis_izin=draft_service)
        created.append(
            services.save_applicant_data(
                draft, actor=user, data={**services.profile_prefill(user), **DEMO_PROFILE}
            )
        )
    return created
