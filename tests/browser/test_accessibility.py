"""Accessibility, in the browser: axe-core with the WCAG 2.0/2.1/2.2 A and AA tags on every
page, as every role, including each main form's error state (zero violations; no rule is
excluded), plus scripted checks for what axe cannot see: the citizen's application completed
with the keyboard alone, focus always visible and never under a sticky header, targets of at
least 24x24 px (or spaced), a password that can be pasted.

Public pages are scanned on a phone (390x844) and a laptop; the officers' on a laptop.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from config.navigation import items_for
from perizinan.models import Permohonan
from perizinan.services import record_document_access
from perizinan.workflow import Status
from tests.browser.data import portal_with_files
from tests.browser.support import (
    DESKTOP,
    PHONE,
    Camera,
    Findings,
    check_focus_on_tab,
    check_target_size,
    label,
    log_in,
    needs_chromium,
    scan,
)
from tests.factories import PASSWORD, UserFactory
from tests.perizinan.factories import VALID_NIK, jpeg_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/layanan/",
    "/layanan/sip-bidan/",
    "/kewenangan/",
    "/maklumat/",
    "/lacak/",
    "/statistik/",
    "/pengaduan/",
    "/pengaduan/lacak/",
    "/pengaduan/register/",
    "/survei/umum/",
    "/akun/masuk/",
    "/akun/daftar/",
    "/akun/lupa-sandi/",
    "/akun/kirim-ulang-verifikasi/",
    "/akun/verifikasi/tautan-tidak-berlaku/",
    "/verifikasi/token-tidak-dikenal/",
]

# Public forms submitted empty: (page, the submit button's name).
PUBLIC_FORMS = [
    ("/akun/masuk/", "Masuk"),
    ("/akun/daftar/", "Daftar"),
    ("/akun/lupa-sandi/", None),
    ("/akun/kirim-ulang-verifikasi/", None),
    ("/lacak/", "Lacak"),
    ("/pengaduan/", None),
    ("/pengaduan/lacak/", "Lihat"),
    ("/survei/umum/", "Kirim survei"),
]


@pytest.fixture
def portal(site):
    return portal_with_files()


def submit_empty(page, button: str | None) -> None:
    main = page.get_by_role("main")
    if button:
        target = main.get_by_role("button", name=button, exact=True).first
    else:
        target = main.locator("form button[type=submit]").last
    with page.expect_navigation():
        target.click()


ERRORS = ".is-invalid, .invalid-feedback, .alert-danger, .errorlist"


def scan_error_state(page, findings: Findings, what: str) -> None:
    """The page must show an error (else the error state was not reached), then axe."""
    assert page.locator(ERRORS).count(), f"{what}: no error shown"
    scan(page, findings, what)


def file_url(permohonan: Permohonan) -> str:
    return reverse("petugas:file", kwargs={"public_id": permohonan.public_id})


# --- axe-core on every page --------------------------------------------------------------------


def test_public_pages_have_no_axe_violations_on_a_phone_and_a_laptop(site, portal):
    findings = Findings()
    for name, viewport in (("phone", PHONE), ("laptop", DESKTOP)):
        page = site.new_page(viewport=viewport)
        for path in PUBLIC_PAGES:
            page.goto(site.url + path)
            scan(page, findings, f"{name} {path}")
        token = portal["files"]["terbit"].izin.verification_token
        page.goto(f"{site.url}/verifikasi/{token}/")
        scan(page, findings, f"{name} permit verification")
    findings.assert_empty()


def test_public_forms_have_no_axe_violations_in_their_error_state(site, portal):
    findings = Findings()
    page = site.new_page(viewport=PHONE)
    for path, button in PUBLIC_FORMS:
        page.goto(site.url + path)
        submit_empty(page, button)
        scan_error_state(page, findings, f"{path} submitted empty")
    findings.assert_empty()


def test_citizen_pages_and_forms_have_no_axe_violations(site, portal):
    findings = Findings()
    files = portal["files"]
    # Staff looked at the citizen's documents, so that the profile and /akun/profil/akses-data/
    # are scanned with their table of access records, not only the empty state.
    for officer, inline in ((portal["staff"]["fo"], True), (portal["staff"]["tt"], False)):
        for dokumen in files["kajian_teknis"].dokumen.filter(is_current=True):
            record_document_access(dokumen, user=officer, inline=inline)
    page = site.new_page(viewport=PHONE)
    log_in(page, site.url, portal["citizen"].email, PASSWORD)
    pages = [item["url"] for item in items_for(portal["citizen"])] + [
        "/permohonan/",
        "/notifikasi/",
        "/akun/profil/",
        "/akun/profil/akses-data/",
        "/akun/kata-sandi/",
        reverse("perizinan:permohonan_detail", args=[files["diajukan"].public_id]),
        reverse("perizinan:permohonan_detail", args=[files["terbit"].public_id]),
        reverse("perizinan:tanda_terima", args=[files["diajukan"].public_id]),
        reverse("perizinan:permohonan_withdraw", args=[files["diajukan"].public_id]),
        reverse("perizinan:permohonan_create", args=["sip-bidan"]),
        reverse("perizinan:permohonan_claim"),
    ]
    for path in dict.fromkeys(pages):
        page.goto(site.url + path)
        scan(page, findings, f"citizen {path}")

    # Error states: profile, password change, withdrawal without a reason.
    page.goto(f"{site.url}/akun/profil/")
    page.get_by_label(label("NIK")).fill("123")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan profil").click()
    scan_error_state(page, findings, "citizen profile with an invalid NIK")
    page.goto(f"{site.url}/akun/kata-sandi/")
    submit_empty(page, None)
    scan_error_state(page, findings, "citizen password change submitted empty")
    page.goto(
        site.url + reverse("perizinan:permohonan_withdraw", args=[files["diajukan"].public_id])
    )
    submit_empty(page, None)
    scan_error_state(page, findings, "citizen withdrawal submitted empty")

    # The four steps of a new application, each submitted empty.
    page.goto(f"{site.url}/permohonan/baru/sip-bidan/")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Mulai mengisi|Lanjutkan draf")).click()
    draft = Permohonan.objects.filter(status=Status.DRAFT).latest("pk")
    for field in page.locator("main form input[type=text], main form input:not([type])").all():
        field.fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan dan lanjut").click()
    scan_error_state(page, findings, "apply step 1 submitted empty")
    for step in (2, 3, 4):
        page.goto(f"{site.url}/permohonan/{draft.public_id}/langkah/{step}/")
        scan(page, findings, f"apply step {step}")
        if step == 3:
            card = page.locator("li.card").first
            card.locator("input[type=file]").set_input_files(
                {"name": "bukan-pdf.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}
            )
            target = card.get_by_role("button", name="Unggah")
        else:
            target = page.locator("main form").last.locator("button[type=submit]").first
        with page.expect_navigation():
            target.click()
        scan_error_state(page, findings, f"apply step {step} in its error state")
    findings.assert_empty()


OFFICER_ERROR_FORMS = {
    # role: (file stage, the move submitted without its required note)
    Role.FRONT_OFFICE: ("diajukan", "Kembalikan untuk dilengkapi"),
    Role.BACK_OFFICE: ("terdaftar", None),
    Role.TIM_TEKNIS: ("kajian_teknis", "Minta perbaikan teknis"),
    Role.KEPALA: ("penandatanganan", "Tolak permohonan"),
}


@pytest.mark.parametrize(
    "role", [Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.TIM_TEKNIS, Role.KEPALA, Role.ADMIN]
)
def test_officer_pages_and_forms_have_no_axe_violations(site, portal, role):
    findings = Findings()
    staff = portal["staff"]
    files = portal["files"]
    user = {
        Role.FRONT_OFFICE: staff["fo"],
        Role.BACK_OFFICE: staff["bo"],
        Role.TIM_TEKNIS: staff["tt"],
        Role.KEPALA: staff["kepala"],
        Role.ADMIN: None,
    }[role] or UserFactory(email="admin@contoh.test", admin=True)
    page = site.new_page()
    log_in(page, site.url, user.email, PASSWORD)
    pages = [item["url"] for item in items_for(user)] + ["/notifikasi/", "/akun/profil/"]
    visible = Permohonan.objects.visible_to(user)
    pages += [file_url(p) for p in files.values() if visible.filter(pk=p.pk).exists()]
    if role == Role.KEPALA:
        pages.append(reverse("petugas:sign", args=[files["penandatanganan"].public_id]))
    if role == Role.FRONT_OFFICE:
        pages += ["/petugas/loket/", "/petugas/loket/sip-bidan/"]
    if role in (Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.KEPALA, Role.ADMIN):
        pages.append(
            reverse("akuntabilitas:pengaduan_detail", args=[portal["pengaduan"].public_id])
        )
    for path in dict.fromkeys(pages):
        page.goto(site.url + path)
        scan(page, findings, f"{role} {path}")
        if path == "/laporan/":
            reports = page.locator("main a[href^='/laporan/']").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
            for report in dict.fromkeys(r for r in reports if not re.search(r"\.\w+$", r)):
                page.goto(site.url + report)
                scan(page, findings, f"{role} {report}")

    # Error states.
    stage, move = OFFICER_ERROR_FORMS.get(role, (None, None))
    if stage:
        page.goto(site.url + file_url(files[stage]))
        if role == Role.FRONT_OFFICE:  # the return is offered once verification has started
            page.locator("summary", has_text="Mulai verifikasi").first.click()
            with page.expect_navigation():
                page.locator("details[open] form button[type=submit]").first.click()
        if move:
            page.locator("summary", has_text=move).first.click()
            with page.expect_navigation():
                page.locator("details[open] form button[type=submit]").first.click()
            scan_error_state(page, findings, f"{role} file: {move} submitted")
        note = page.locator("form[action$='/catatan/']")
        with page.expect_navigation():
            note.locator("button[type=submit]").click()
        scan_error_state(page, findings, f"{role} file: empty internal note")
    if role == Role.FRONT_OFFICE:
        page.goto(f"{site.url}/petugas/loket/sip-bidan/")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
        scan_error_state(page, findings, "counter entry submitted empty")
    if role == Role.BACK_OFFICE:
        page.goto(
            site.url
            + reverse("akuntabilitas:pengaduan_detail", args=[portal["pengaduan"].public_id])
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Kirim jawaban").click()
        scan_error_state(page, findings, "complaint answer submitted empty")
    if role == Role.ADMIN:
        page.goto(f"{site.url}/admin/kewenangan/kewenangan/")
        page.locator("input[name=_selected_action]").first.check()
        page.locator("select[name=action]").select_option("reassign_selected")
        with page.expect_navigation():
            page.locator("button[name=index]").click()
        # Django admin forms keep the browser's own validation; switch it off to reach the
        # server's error state (the browser's messages are the browser's own UI).
        page.locator("#content form").evaluate("form => { form.noValidate = true; }")
        with page.expect_navigation():
            page.get_by_role("button", name="Simpan dan catat riwayat").click()
        scan_error_state(page, findings, "admin bulk action submitted empty")
        page.goto(f"{site.url}/admin/accounts/user/")
        scan(page, findings, "admin users")
    findings.assert_empty()


# --- What axe cannot see -----------------------------------------------------------------------


def press_until_focused(page, locator, *, key="Tab", limit=80) -> None:
    """Press Tab until ``locator`` has the focus (the keyboard user's way to reach it)."""
    handle = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("el => document.activeElement === el", handle):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{locator} never received the focus with {key}")


def press_and_load(page, key: str = "Enter") -> None:
    """Press a key that submits a form or follows a link, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def type_into(page, locator, text: str) -> None:
    press_until_focused(page, locator)
    page.keyboard.press("Control+a")
    page.keyboard.type(text)


def test_a_citizen_applies_with_the_keyboard_alone(site, portal):
    """Tab, Enter, Space and arrow keys only: no click, no ``fill``; the file chooser opens
    from the keyboard and Playwright answers it as the system dialog would."""
    shot = Camera("keyboard")
    citizen = UserFactory(
        email="keyboard@contoh.test",
        full_name="Rina Keyboard",
        nik=VALID_NIK,
        phone="081234567891",
        address="Jl. Panglima Batur 3",
    )
    page = site.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{site.url}/akun/masuk/")
    type_into(page, page.get_by_label("E-mail"), citizen.email)
    type_into(page, page.get_by_label("Kata sandi"), PASSWORD)
    press_and_load(page)
    assert "/akun/masuk/" not in page.url

    page.goto(f"{site.url}/layanan/sip-bidan/")
    press_until_focused(page, page.get_by_role("link", name="Ajukan permohonan"))
    press_and_load(page)
    press_until_focused(page, page.get_by_role("button", name="Mulai mengisi permohonan"))
    press_and_load(page)
    shot(page, "langkah-1")

    # Step 1: prefilled from the profile; the applicant kind is a radio group.
    press_until_focused(page, page.get_by_role("button", name="Simpan dan lanjut"))
    press_and_load(page)
    assert "/langkah/2/" in page.url, page.url

    # Step 2: a text field and a select (opened and chosen with the arrow keys).
    type_into(page, page.get_by_label(label("Alamat tempat praktik")), "Desa Matabu")
    press_until_focused(page, page.get_by_label(label("Jenis praktik")))
    page.keyboard.press("ArrowDown")
    shot(page, "langkah-2")
    press_until_focused(page, page.get_by_role("button", name="Simpan dan lanjut"))
    press_and_load(page)
    assert "/langkah/3/" in page.url, page.url

    # Step 3: each upload's file input opened with Space, its button pressed with Enter.
    files = [
        {"name": "str.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
        {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()},
    ]
    for index, payload in enumerate(files):
        card = page.locator("li.card").nth(index)
        press_until_focused(page, card.locator("input[type=file]"))
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
        chooser.value.set_files(payload)
        press_until_focused(page, card.get_by_role("button", name="Unggah"))
        press_and_load(page)
        assert page.locator("li.card").nth(index).get_by_text("Tersimpan").is_visible()
    shot(page, "langkah-3")
    press_until_focused(page, page.get_by_role("button", name="Simpan dan lanjut"))
    press_and_load(page)
    assert "/langkah/4/" in page.url, page.url

    # Step 4: the declaration ticked with Space, submitted with Enter.
    press_until_focused(page, page.get_by_label(re.compile("benar")))
    page.keyboard.press("Space")
    press_until_focused(page, page.get_by_role("button", name="Ajukan permohonan"))
    press_and_load(page)
    permohonan = Permohonan.objects.get(applicant=citizen)
    assert permohonan.status == Status.DIAJUKAN
    assert permohonan.number in page.locator("main").inner_text()
    shot(page, "tanda-terima")


FOCUS_PAGES = ["/", "/layanan/sip-bidan/", "/akun/masuk/", "/pengaduan/", "/statistik/"]


def test_focus_is_always_visible_and_never_under_a_sticky_header(site, portal):
    findings = Findings()
    for viewport in (PHONE, DESKTOP):
        page = site.new_page(viewport=viewport)
        for path in FOCUS_PAGES:
            page.goto(site.url + path)
            stops = check_focus_on_tab(page, findings, f"{viewport['width']}px {path}")
            assert stops > 3, f"{path}: only {stops} focusable element(s) reached with Tab"
    officer = site.new_page(viewport=DESKTOP)
    log_in(officer, site.url, portal["staff"]["fo"].email, PASSWORD)
    for path in ("/petugas/", "/petugas/berkas/", file_url(portal["files"]["diajukan"])):
        officer.goto(site.url + path)
        check_focus_on_tab(officer, findings, f"front office {path}", max_stops=120)
    findings.assert_empty()


def test_targets_are_at_least_24_px_or_spaced_apart(site, portal):
    findings = Findings()
    for viewport in (PHONE, DESKTOP):
        page = site.new_page(viewport=viewport)
        for path in PUBLIC_PAGES:
            page.goto(site.url + path)
            check_target_size(page, findings, f"{viewport['width']}px {path}")
    officer = site.new_page(viewport=DESKTOP)
    log_in(officer, site.url, portal["staff"]["fo"].email, PASSWORD)
    for path in ("/petugas/", "/petugas/berkas/", file_url(portal["files"]["diajukan"])):
        officer.goto(site.url + path)
        check_target_size(officer, findings, f"front office {path}")
    findings.assert_empty()


def test_a_password_can_be_pasted_into_the_login_field(site, portal):
    page = site.new_page(viewport=PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page.goto(f"{site.url}/akun/masuk/")
    page.get_by_label("E-mail").fill(portal["citizen"].email)
    page.evaluate("text => navigator.clipboard.writeText(text)", PASSWORD)
    password = page.get_by_label("Kata sandi")
    password.focus()
    page.keyboard.press("Control+v")
    assert password.input_value() == PASSWORD
    # Nothing on the page cancels a paste event either.
    cancelled = password.evaluate(
        """el => {
            const data = new DataTransfer();
            data.setData('text/plain', 'x');
            const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                       cancelable: true});
            return !el.dispatchEvent(event);
        }"""
    )
    assert not cancelled
    assert password.get_attribute("onpaste") is None
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Masuk").click()
    assert "/akun/masuk/" not in page.url
