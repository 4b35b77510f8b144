"""Every link in every message leads its recipient to the right page.

Files are driven through the real services (submit, verification, return and resubmission,
registration, technical review with a field check, a technical fix and its resubmission,
payment, signing, rejections, withdrawal, a lapse), the daily digests run, complaints are
filed, answered and escalated, and the survey invitations go out. Then, for every
``Notifikasi`` row written, every http(s) URL in its ``body``, ``body_html`` and ``link`` is
followed as the recipient would follow it: logged in as ``row.recipient`` (anonymous for a
row that has only an address). Each must answer 200 (after redirects) and be the right page:
a page about a file shows the file's number, a permit download is a PDF, and the message
about one file links to THAT file's page (the officers' file page for officers, the
applicant's page for the applicant).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from akuntabilitas.services import pengaduan as complaints
from notifikasi.models import Channel, Notifikasi
from perizinan import services
from perizinan.models import Izin, Permohonan
from perizinan.notifications import digests, events
from perizinan.services.izin import sign_permohonan
from perizinan.tasks.workflow import lapse_overdue_fixes
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import (
    current_document,
    make_service,
    pdf_upload,
    register,
    submitted,
)
from tests.perizinan.izin_support import signing_service, to_signing

pytestmark = pytest.mark.django_db

URL_RE = re.compile(r"https?://[^\s<>\"']+")

#: The events of this app and of akuntabilitas that the scenario must write.
COMPLAINT_EVENTS = {"pengaduan.diterima", "pengaduan.dijawab", "pengaduan.eskalasi"}
SURVEY_EVENTS = {"survei.undangan"}

#: Messages about one file: the page of that file they must link to, by who reads them.
OFFICER_FILE_EVENTS = {events.NEW_IN_QUEUE}
APPLICANT_FILE_EVENTS = set(events.APPLICANT_EVENTS)
#: Digests: one line per file, each with that file's link.
DIGEST_EVENTS = {events.DUE_TOMORROW, events.OVERDUE_DIGEST}
#: Where the other messages must lead.
TARGETS = {
    "survei.undangan": {"akuntabilitas:survei_token"},
    "pengaduan.diterima": {"akuntabilitas:pengaduan_lacak"},
    "pengaduan.dijawab": {"akuntabilitas:pengaduan_lacak"},
    "pengaduan.eskalasi": {"akuntabilitas:pengaduan_queue"},
    events.DUE_TOMORROW: {"petugas:dashboard", "petugas:file"},
    events.OVERDUE_DIGEST: {"petugas:dashboard", "petugas:file"},
}


# --- The scenario --------------------------------------------------------------------------------


@dataclass
class Scenario:
    fo: object
    bo: object
    kepala: object
    tt: object
    ani: object
    budi: object
    files: dict
    izin: Izin


def _flag_and_return(permohonan, fo):
    permohonan = services.transition(permohonan, name="start_verification", actor=fo)
    services.set_document_verdict(
        current_document(permohonan),
        actor=fo,
        verdict="needs_correction",
        note="Foto KTP buram",
    )
    return services.transition(
        permohonan,
        name="return_for_correction",
        actor=fo,
        note="Mohon ganti foto KTP.",
        fields_to_fix=["tempat_praktik"],
    )


def _replace_flagged_and_resubmit(permohonan, applicant):
    permohonan.refresh_from_db()
    for doc in permohonan.dokumen.filter(is_current=True):
        if doc.verdict == "needs_correction":
            services.upload_document(
                permohonan,
                actor=applicant,
                persyaratan=doc.persyaratan,
                uploaded_file=pdf_upload("ktp-baru.pdf"),
            )
    return services.submit_permohonan(permohonan, actor=applicant, declaration_accepted=True)


def _register(permohonan, fo):
    permohonan = services.transition(permohonan, name="start_verification", actor=fo)
    return register(permohonan, fo)


def _to_technical(permohonan, fo, bo):
    permohonan = _register(permohonan, fo)
    return services.transition(permohonan, name="send_to_technical", actor=bo)


@pytest.fixture
def scenario():
    PerangkatDaerahFactory(dpmptsp=True)
    dinkes = PerangkatDaerahFactory(dinkes=True)
    # The DPMPTSP's officers have no OPD (the office rule); the technical team is Dinkes'.
    fo = UserFactory(email="fo.tautan@contoh.test", front_office=True)
    bo = UserFactory(email="bo.tautan@contoh.test", back_office=True)
    kepala = UserFactory(email="kepala.tautan@contoh.test", kepala=True, full_name="Kepala Uji")
    tt = UserFactory(email="tt.tautan@contoh.test", tim_teknis=True, opd=dinkes)
    # One applicant reads English and takes SMS too; the other Indonesian, e-mail and in-app.
    ani = UserFactory(
        email="ani.tautan@contoh.test", language="en", phone="081234567890", notify_sms=True
    )
    budi = UserFactory(email="budi.tautan@contoh.test")
    reviewed = make_service(fee=True, validity_months=12, permit_code="SIP-UJI")
    files = {}

    # A: returned and resubmitted, reviewed with a field check, a technical fix and its
    # resubmission, a fee, payment, signed: issued.
    a = submitted(ani, reviewed)
    a = _flag_and_return(a, fo)
    a = _replace_flagged_and_resubmit(a, ani)
    a = _to_technical(a, fo, bo)
    events.notify_field_check(a, when=timezone.now() + dt.timedelta(days=2), place="Lokasi")
    a = services.transition(
        a,
        name="request_technical_fix",
        actor=tt,
        note="Denah belum sesuai.",
        data={"fix_working_days": 5},
    )
    a = _replace_flagged_and_resubmit(a, ani)
    assert a.status == Status.KAJIAN_TEKNIS
    a = services.transition(a, name="recommend_payment", actor=tt, data={"fee_amount": 250_000})
    a = services.transition(
        a, name="confirm_payment", actor=bo, data={"payment_reference": "STS-2026-0001"}
    )
    assert a.status == Status.PENANDATANGANAN
    izin = sign_permohonan(a, actor=kepala)
    files["issued"] = a

    # B: no technical review, rejected by the head at signing.
    b = to_signing(service=signing_service(), applicant=budi, fo=fo, bo=bo)
    files["rejected_at_signing"] = services.transition(
        b, name="reject", actor=kepala, note="Lokasi tidak sesuai tata ruang."
    )

    # C: withdrawn by the applicant.
    c = submitted(budi, reviewed)
    files["withdrawn"] = services.withdraw_permohonan(c, actor=budi, reason="Salah pilih layanan")

    # D: the applicant let the technical-fix deadline pass: lapsed.
    d = _to_technical(submitted(ani, reviewed), fo, bo)
    d = services.transition(
        d, name="request_technical_fix", actor=tt, note="Perbaiki.", data={"fix_working_days": 1}
    )
    assert digests.queue_fix_deadline_reminders(today=d.fix_due_date) > 0  # reminded first
    assert lapse_overdue_fixes(today=d.fix_due_date + dt.timedelta(days=1)) == [d.pk]
    files["lapsed"] = d

    # E: the technical team recommends a rejection (the kepala is told, with the reasons);
    # the kepala rejects.
    e = _to_technical(submitted(budi, reviewed), fo, bo)
    e = services.transition(
        e, name="recommend_rejection", actor=tt, internal_note="Lokasi di kawasan lindung."
    )
    files["rejected_by_review"] = services.transition(
        e, name="reject", actor=kepala, note="Lokasi di kawasan lindung."
    )

    # F, G: registered and running, for the digests.
    files["running_1"] = _register(submitted(budi, reviewed), fo)
    files["running_2"] = _register(submitted(ani, reviewed), fo)
    due = files["running_1"].due_date
    assert due is not None and files["running_2"].due_date == due
    day_before = due - dt.timedelta(days=1)
    while digests.next_working_day(day_before) != due:
        day_before -= dt.timedelta(days=1)
    assert digests.queue_due_tomorrow(today=day_before) > 0
    assert digests.queue_overdue_digests(today=due + dt.timedelta(days=1)) > 0

    # The permit's expiry reminders.
    izin.refresh_from_db()
    assert izin.valid_until is not None
    for days in digests.EXPIRY_REMINDER_DAYS:
        digests.queue_expiry_reminders(today=izin.valid_until - dt.timedelta(days=days))

    # Complaints: one by a visitor without an account who gives an e-mail address (an
    # anonymous complaint keeps none, issue 16), one by an applicant with an account, both
    # answered; one left unanswered past its due date and escalated to the head.
    anonymous = complaints.file_pengaduan(
        topic="layanan",
        title="Antrean lama",
        description="Dua jam di loket.",
        name="Pelapor Tanpa Akun",
        email="pelapor@contoh.test",
    ).pengaduan
    signed_in = complaints.file_pengaduan(
        topic="layanan",
        title="Berkas lambat",
        description="Belum ada kabar.",
        reporter=budi,
        permohonan_number=files["running_1"].number,
    ).pengaduan
    for pengaduan in (anonymous, signed_in):
        complaints.answer_pengaduan(pengaduan, actor=bo, answer="Sudah kami tindak lanjuti.")
    late = complaints.file_pengaduan(
        topic="layanan", title="Tidak dijawab", description="Menunggu jawaban.", anonymous=True
    ).pengaduan
    assert complaints.escalate_overdue(today=late.due_date + dt.timedelta(days=10)) >= 1

    return Scenario(fo, bo, kepala, tt, ani, budi, files, izin)


# --- Following the links -------------------------------------------------------------------------


def urls_of(row: Notifikasi) -> list[str]:
    found = []
    for text in (row.body, html.unescape(row.body_html or ""), row.link):
        for url in URL_RE.findall(text or ""):
            url = url.rstrip(".,;:!?)")
            if url not in found:
                found.append(url)
    return found


def local_path(url: str) -> str:
    site = settings.SITE_URL.rstrip("/")
    assert url.startswith(site + "/"), f"a link off the site: {url}"
    return url[len(site) :]


#: Pages whose ``public_id`` is an application's.
APPLICATION_PAGES = {
    "perizinan:permohonan_detail",
    "perizinan:permohonan_step",
    "perizinan:tanda_terima",
    "perizinan:tanda_terima_pdf",
    "perizinan:izin_download",
    "perizinan:surat_penolakan_download",
    "petugas:file",
}
PDF_PAGES = {
    "perizinan:tanda_terima_pdf",
    "perizinan:izin_download",
    "perizinan:surat_penolakan_download",
}


def target_of(path: str):
    """(url name or None, the application the path addresses or None)."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None, None
    if match.view_name not in APPLICATION_PAGES:
        return match.view_name, None
    public_id = match.kwargs.get("public_id")
    return match.view_name, Permohonan.objects.filter(public_id=public_id).first()


@dataclass
class Visit:
    status: int
    content_type: str
    content: bytes


class Visitor:
    """Follows each path once per recipient."""

    def __init__(self):
        self.seen: dict[tuple, Visit] = {}

    def get(self, user, path: str) -> Visit:
        key = (getattr(user, "pk", None), path)
        if key not in self.seen:
            client = Client()
            if user is not None:
                client.force_login(user)
            response = client.get(path, follow=True)
            if getattr(response, "streaming", False):
                content = b"".join(response.streaming_content)
            else:
                content = response.content
            self.seen[key] = Visit(response.status_code, response.get("Content-Type", ""), content)
        return self.seen[key]


def problems_of(row: Notifikasi, visitor: Visitor) -> list[str]:
    who = row.recipient.email if row.recipient else f"<{row.email or row.phone}>"
    label = f"{row.event} [{row.channel}] to {who}"
    urls = urls_of(row)
    if not urls:
        return [f"{label}: no link at all"]
    problems = []
    targets = []
    for url in urls:
        try:
            path = local_path(url)
        except AssertionError as exc:
            problems.append(f"{label}: {exc}")
            continue
        name, permohonan = target_of(path)
        targets.append((name, permohonan, url))
        visit = visitor.get(row.recipient, path)
        if visit.status != 200:
            problems.append(f"{label}: {url} answered {visit.status}")
            continue
        if name is None:
            problems.append(f"{label}: {url} is no page of the site")
            continue
        if name in APPLICATION_PAGES and permohonan is None:
            problems.append(f"{label}: {url} addresses no application")
            continue
        if name in PDF_PAGES:
            if not visit.content_type.startswith("application/pdf"):
                problems.append(f"{label}: {url} is not a PDF ({visit.content_type})")
        elif permohonan is not None and permohonan.number.encode() not in visit.content:
            problems.append(f"{label}: {url} does not show {permohonan.number}")
    problems += _wrong_destination(row, label, targets)
    return problems


def _wrong_destination(row, label, targets) -> list[str]:
    subject_file = (
        Permohonan.objects.filter(number=row.reference).first() if row.reference else None
    )
    names = {name for name, _p, _u in targets}
    if row.event in OFFICER_FILE_EVENTS | APPLICANT_FILE_EVENTS:
        page = "petugas:file" if row.event in OFFICER_FILE_EVENTS else "perizinan:permohonan_detail"
        if subject_file is None:
            return [f"{label}: no application number in the row's reference"]
        if not any(name == page and p == subject_file for name, p, _u in targets):
            links = ", ".join(u for _n, _p, u in targets)
            return [f"{label}: no link to {page} of {subject_file.number} (links: {links})"]
        if row.event == events.ISSUED and not any(
            name == "perizinan:izin_download" and p == subject_file for name, p, _u in targets
        ):
            return [f"{label}: no download link of the permit of {subject_file.number}"]
        return []
    problems = []
    wanted = TARGETS.get(row.event)
    if wanted is None:
        return [f"{label}: an event this test does not know; add it to TARGETS"]
    if row.event in DIGEST_EVENTS:
        problems += _digest_lines(row, label)
        wanted = wanted - {"petugas:file"}  # checked line by line
    missing = wanted - names
    if missing:
        problems.append(f"{label}: no link to {sorted(missing)} (got {sorted(map(str, names))})")
    return problems


def _digest_lines(row, label) -> list[str]:
    """Each line naming a file carries the link to that file's page."""
    problems = []
    listed = 0
    numbers = dict(Permohonan.objects.exclude(number=None).values_list("number", "public_id"))
    for line in row.body.splitlines():
        for number in numbers:
            if number not in line:
                continue
            listed += 1
            permohonan = Permohonan.objects.get(number=number)
            here = {target_of(local_path(u.rstrip(".,;:!?)"))) for u in URL_RE.findall(line)}
            if ("petugas:file", permohonan) not in here:
                problems.append(f"{label}: the line of {number} does not link to its file page")
    if row.channel != Channel.SMS and listed == 0:
        problems.append(f"{label}: lists no file")
    return problems


# --- The tests -----------------------------------------------------------------------------------


def test_the_scenario_writes_every_kind_of_message(scenario):
    written = set(Notifikasi.objects.values_list("event", flat=True))
    expected = set(events.ALL_EVENTS) | COMPLAINT_EVENTS | SURVEY_EVENTS
    assert expected - written == set()
    assert {Channel.EMAIL, Channel.INAPP, Channel.SMS} <= set(
        Notifikasi.objects.values_list("channel", flat=True)
    )
    assert Notifikasi.objects.filter(recipient__isnull=True).exists()  # address-only rows


def test_every_link_in_every_message_leads_its_recipient_to_the_right_page(scenario):
    visitor = Visitor()
    problems = []
    for row in Notifikasi.objects.select_related("recipient").order_by("id"):
        problems += problems_of(row, visitor)
    assert not problems, "\n".join(problems)


def test_officers_messages_about_a_file_link_to_the_file_page(scenario):
    rows = Notifikasi.objects.filter(event=events.NEW_IN_QUEUE, channel=Channel.EMAIL)
    assert {r.recipient for r in rows} == {scenario.fo, scenario.bo, scenario.tt, scenario.kepala}
    for row in rows:
        file = Permohonan.objects.get(number=row.reference)
        assert f"/petugas/berkas/{file.public_id}/" in row.body, row.body
        assert row.link.endswith(f"/petugas/berkas/{file.public_id}/"), row.link


def test_the_issued_message_links_to_the_permit_download_of_the_application(scenario):
    a = scenario.files["issued"]
    (row,) = Notifikasi.objects.filter(
        event=events.ISSUED, channel=Channel.EMAIL, recipient=scenario.ani
    )
    assert f"/permohonan/{a.public_id}/izin.pdf" in row.body
    client = Client()
    client.force_login(scenario.ani)
    response = client.get(f"/permohonan/{a.public_id}/izin.pdf")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/pdf")
