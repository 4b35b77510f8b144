"""Data the browser tests set up through factories and services (never through the pages they
test): the demo service ``sip-bidan``, the officers of its desk, files at each stage."""

from __future__ import annotations

from akuntabilitas.models import JawabanSurvei
from kewenangan.models import PerangkatDaerah
from tests.factories import UserFactory
from tests.perizinan.factories import make_service, publish


def ids_past_a_thousand(*models) -> None:
    """Move the id sequences of ``models`` to at least 1000, so that an id a template prints
    without ``unlocalize`` shows as "1.000" in Indonesian and breaks the form that posts it
    back, whatever the order the tests run in (the sequences are never reset)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            if cursor.fetchone()[0] < 1000:
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), 1000)", [table])


def sip_bidan():
    from kewenangan.models import Kewenangan, Persyaratan

    ids_past_a_thousand(Kewenangan, Persyaratan)
    service = make_service(
        name="Surat Izin Praktik Bidan (SIPB)",
        slug="sip-bidan",
        permit_code="SIP-BIDAN",
        validity_months=60,
        product="Surat Izin Praktik Bidan",
        published=False,
    )
    first, photo = service.persyaratan.order_by("order")
    first.name = "Surat Tanda Registrasi (STR) Bidan"
    first.accepted_types = "pdf"
    first.save()
    photo.name, photo.accepted_types = "Pas foto 4x6", "jpg,png"
    photo.save()
    service.isian.update(print_on_permit=True)  # as the sample catalogue's SIP Bidan
    publish(service)
    return service


def officers():
    dpmptsp = PerangkatDaerah.objects.get(is_dpmptsp=True)
    dinkes = PerangkatDaerah.objects.get(short_name="Dinkes")
    return {
        "fo": UserFactory(email="fo@contoh.test", front_office=True, opd=dpmptsp),
        "bo": UserFactory(email="bo@contoh.test", back_office=True, opd=dpmptsp),
        "tt": UserFactory(email="teknis.dinkes@contoh.test", tim_teknis=True, opd=dinkes),
        "kepala": UserFactory(email="kepala@contoh.test", kepala=True, opd=dpmptsp),
    }


def earlier_survey_answers(service, value: int, n: int = 3) -> None:
    from akuntabilitas.ikm import UNSUR
    from akuntabilitas.services.survei import submit_survey

    for _ in range(n):
        submit_survey(
            answers={u.key: value for u in UNSUR},
            profile={
                "age_band": JawabanSurvei.AgeBand.values[1],
                "sex": JawabanSurvei.Sex.values[0],
                "education": JawabanSurvei.Education.values[2],
                "occupation": JawabanSurvei.Occupation.values[0],
            },
            jenis_izin=service,
        )


def submitted_file(applicant, service):
    """A submitted application of ``sip_bidan()`` (its photo requirement takes JPEG/PNG only),
    written through the services as the four steps would."""
    from perizinan import services
    from tests.perizinan.factories import APPLICANT_DATA, jpeg_bytes, pdf_upload, upload

    draft = services.start_draft(applicant=applicant, jenis_izin=service)
    draft = services.save_applicant_data(draft, actor=applicant, data=dict(APPLICANT_DATA))
    draft = services.save_form_data(
        draft, actor=applicant, data={"tempat_praktik": "Desa Matabu", "jenis_praktik": "Mandiri"}
    )
    first, photo = service.persyaratan.order_by("order")
    services.upload_document(draft, actor=applicant, persyaratan=first, uploaded_file=pdf_upload())
    services.upload_document(
        draft,
        actor=applicant,
        persyaratan=photo,
        uploaded_file=upload("foto.jpg", jpeg_bytes(), "image/jpeg"),
    )
    draft = services.mark_step(draft, actor=applicant, step=3)
    return services.submit_permohonan(draft, actor=applicant, declaration_accepted=True)


def portal_with_files():
    """Everything the accessibility pages need: the service, the desk, a citizen with files
    waiting at each officer's stage and one issued permit, and a complaint."""
    from accounts.demo import seed_kecamatan
    from akuntabilitas.services.pengaduan import file_pengaduan
    from perizinan.services.izin import sign_permohonan
    from perizinan.workflow import Status
    from tests.perizinan.factories import Desk, advance

    seed_kecamatan()
    service = sip_bidan()
    staff = officers()
    citizen = UserFactory(email="warga@contoh.test", full_name="Siti Rahmawati")
    desk = Desk(fo=staff["fo"], bo=staff["bo"], kepala=staff["kepala"], tt=staff["tt"])
    files = {
        "diajukan": submitted_file(citizen, service),
        "terdaftar": advance(submitted_file(citizen, service), Status.TERDAFTAR, desk),
        "kajian_teknis": advance(submitted_file(citizen, service), Status.KAJIAN_TEKNIS, desk),
        "penandatanganan": advance(submitted_file(citizen, service), Status.PENANDATANGANAN, desk),
    }
    issued = advance(submitted_file(citizen, service), Status.PENANDATANGANAN, desk)
    sign_permohonan(issued, actor=staff["kepala"])
    issued.refresh_from_db()
    files["terbit"] = issued
    ticket = file_pengaduan(
        topic="lainnya",
        title="Antrean loket terlalu panjang",
        description="Saya menunggu dua jam di loket.",
        anonymous=True,
    )
    return {
        "service": service,
        "staff": staff,
        "citizen": citizen,
        "files": files,
        "pengaduan": ticket.pengaduan,
    }
