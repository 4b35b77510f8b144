"""The permission matrix (QUALITY.md §1.2, ASVS v5.0.0-8.2.1 and 8.2.2): every URL of the portal,
by name, with the status each role gets.

Read by ``test_permission_matrix.py`` (which fails when a URL of the resolver is missing here,
so that a new view cannot slip in unchecked) and by ``test_get_and_csrf.py``.

Roles (columns, in this order): ``anonymous``; ``owner``, citizen A, whose objects the URLs
point at; ``other_citizen``, citizen B; ``front_office``, ``back_office`` and ``kepala`` of the
DPMPTSP, which processes A's files; ``tim_teknis`` of Dinkes, the technical OPD of A's files;
``tim_teknis_other``, of DPUPRPERKIM; ``admin``. The objects are built by
``tests/security/world.py``; ``kwargs`` name them as ``"@object.attribute"``. Staff roles are
signed in with their second factor (MFA): without it every row below is a redirect to the
MFA page for them, which ``tests/accounts/test_mfa.py`` walks.

Statuses: a number is the status code; ``LOGIN`` is a redirect to the log-in page (302 with
``?next=``), ``ADMIN_LOGIN`` to Django admin's; ``REDIRECT`` is any other redirect. In ``post``
rows, ``ALLOWED`` marks the roles that may make the change: their POSTs are exercised by the
tests of each app (``tests/perizinan``, ``tests/accounts``); every other role's POST must get
its status AND leave the database unchanged. ``data`` is what the page's own form sends, so
that only the permission check stands between a refused POST and the change; ``control`` names
an allowed role whose POST of the same ``data`` is shown to change the database (rolled back),
which proves the refusals are not just a malformed form. ``"@pdf"`` in ``data`` is a fresh PDF
upload.

Rules the rows follow:

* Others' objects are **404, never 403** (ASVS 8.2.2): a role that may use a page but not this
  object gets exactly what it would get for an object that does not exist. 403 is only for a
  role that may not use the page at all, whatever the object (a citizen on ``/petugas/...``,
  a tim teknis on the complaint queue), so it says nothing about the object either.
  ``test_permission_matrix`` checks both by asking again with an unknown id.
* POST-only endpoints answer GET with 405 (after the log-in check where the view has one).
* ``admin:*``: Django admin's own URLs (about 150, one set per registered model) are covered by
  the row of ``admin:index``: ``AdminSite.admin_view`` guards every one of them the same way
  (an active user with ``is_staff``, which only the admin role has, see ``accounts/roles.py``),
  so only admins get 200 and everyone else the admin log-in page.
"""

from __future__ import annotations

ROLES = (
    "anonymous",
    "owner",
    "other_citizen",
    "front_office",
    "back_office",
    "tim_teknis",
    "tim_teknis_other",
    "kepala",
    "admin",
)

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
REDIRECT = "redirect"
ALLOWED = "allowed"

#: URL names covered by the ``admin:index`` row (see the module docstring).
ADMIN_NAMESPACE = "admin"

#: Tables a GET may write to, per URL: the access log of a citizen's documents. Every view or
#: download of a citizen's document by staff is recorded (UU PDP 27/2022; STYLE.md "audit what
#: matters"), and the citizen sees the record on their profile; the owner's own downloads are
#: not recorded. No other GET may change any table (see ``test_get_and_csrf``).
GET_MAY_WRITE = {
    "perizinan:dokumen_download": frozenset({"perizinan_aksesdokumen"}),
    "petugas:document": frozenset({"perizinan_aksesdokumen"}),
}

L, R, A = LOGIN, REDIRECT, ALLOWED

EVERYONE_200 = (200,) * 9
SIGNED_IN_200 = (L, 200, 200, 200, 200, 200, 200, 200, 200)
#: Pages of one of A's files: A, the DPMPTSP's officers, Dinkes' tim teknis and admins.
A_FILE = (L, 200, 404, 200, 200, 200, 404, 200, 200)
#: The officers' file pages (``/petugas/``): citizens are refused the whole area (403).
A_FILE_DESK = (L, 403, 403, 200, 200, 200, 404, 200, 200)
#: POST-only views behind the officers' area.
DESK_POST_ONLY = (L, 403, 403, 405, 405, 405, 405, 405, 405)
#: A's own editing pages (apply, withdraw): only A; even staff get 404.
A_ONLY = (L, 200, 404, 404, 404, 404, 404, 404, 404)
#: The DPMPTSP's office pages: complaints, reports (front office, back office, head, admin).
OFFICE = (L, 403, 403, 200, 200, 403, 403, 200, 200)

MATRIX: dict[str, dict] = {
    # --- Portal --------------------------------------------------------------------------------
    "home": {"get": EVERYONE_200},
    "healthz": {"get": EVERYONE_200},
    "baseline": {"get": EVERYONE_200},
    "favicon": {"get": EVERYONE_200},
    # GET without ``next`` only redirects home; the language is chosen by POST.
    "set_language": {"get": (R,) * 9, "post": (A,) * 9},
    "admin:index": {"get": (ADMIN_LOGIN,) * 8 + (200,)},
    # The session-timeout dialog's "extend" button: JSON 401 once the session is gone.
    "session_extend": {"get": (405,) * 9, "post": (401,) + (A,) * 8},
    # --- Accounts ------------------------------------------------------------------------------
    # Signed-in users are sent on (home) from the log-in and sign-up pages, POST included.
    "accounts:login": {"get": (200,) + (R,) * 8, "post": (A,) + (R,) * 8},
    "accounts:logout": {"get": (405,) * 9, "post": (A,) * 9},
    "accounts:signup": {"get": (200,) + (R,) * 8, "post": (A,) + (R,) * 8},
    "accounts:signup_done": {"get": EVERYONE_200},
    "accounts:resend_verification": {"get": EVERYONE_200, "post": (A,) * 9},
    # GET shows a button; only the POST verifies (the token is the credential).
    "accounts:verify_email": {
        "kwargs": {"token": "@verify_token"},
        "get": EVERYONE_200,
        "post": (A,) * 9,
    },
    # The second factor (accounts/mfa/): staff only; citizens are sent home. The world's staff
    # sessions have passed it, so the code and enrolment pages send them on; the password-only
    # session of staff is tested in tests/accounts/test_mfa.py.
    "accounts:mfa_verify": {"get": (L, R, R) + (R,) * 6, "post": (L, R, R) + (A,) * 6},
    "accounts:mfa_enrol": {"get": (L, R, R) + (R,) * 6, "post": (L, R, R) + (A,) * 6},
    "accounts:mfa_backup_codes": {
        "get": (L, R, R) + (200,) * 6,
        "post": (L, R, R) + (A,) * 6,
        "control": "front_office",
    },
    "accounts:profile": {"get": SIGNED_IN_200, "post": (L,) + (A,) * 8},
    # Staff access to the signed-in citizen's own documents (UU PDP 27/2022): no id in the
    # URL; a page only citizens use, so staff are refused it whatever the data (403).
    "perizinan:data_access": {"get": (L, 200, 200, 403, 403, 403, 403, 403, 403)},
    "accounts:password_change": {"get": SIGNED_IN_200, "post": (L,) + (A,) * 8},
    "accounts:password_reset": {"get": EVERYONE_200, "post": (A,) * 9},
    "accounts:password_reset_done": {"get": EVERYONE_200},
    "accounts:password_reset_complete": {"get": EVERYONE_200},
    # An invalid link shows the "link expired" page; the token is the credential.
    "accounts:password_reset_confirm": {
        "kwargs": {"uidb64": "MQ", "token": "cdf-0123456789abcdef"},
        "get": EVERYONE_200,
        "post": (A,) * 9,
    },
    # --- Catalogue (public) --------------------------------------------------------------------
    "kewenangan:layanan_list": {"get": EVERYONE_200},
    "kewenangan:layanan_detail": {"kwargs": {"slug": "@service.slug"}, "get": EVERYONE_200},
    "kewenangan:template_download": {
        "kwargs": {"slug": "@service.slug", "pk": "@template.pk"},
        "get": EVERYONE_200,
        "download": True,
    },
    "kewenangan:kewenangan_list": {"get": EVERYONE_200},
    "kewenangan:maklumat": {"get": EVERYONE_200},
    # --- Citizens' applications ----------------------------------------------------------------
    "perizinan:permohonan_list": {"get": SIGNED_IN_200},
    # Any citizen may open a draft for a published service; staff may not apply.
    "perizinan:permohonan_create": {
        "kwargs": {"slug": "@service.slug"},
        "get": (L, 200, 200, 403, 403, 403, 403, 403, 403),
        "post": (L, A, A, 403, 403, 403, 403, 403, 403),
        "control": "other_citizen",
    },
    # A counter file into one's own account with its number and PIN: any citizen (the PIN is
    # the credential); staff are refused the page whatever the data.
    "perizinan:permohonan_claim": {
        "get": (L, 200, 200, 403, 403, 403, 403, 403, 403),
        "post": (L, A, A, 403, 403, 403, 403, 403, 403),
        "data": {"number": "@filed.number", "pin": "@filed.pin"},
    },
    "perizinan:permohonan_detail": {"kwargs": {"public_id": "@filed.public_id"}, "get": A_FILE},
    "perizinan:permohonan_step": {
        "kwargs": {"public_id": "@draft.public_id", "step": 1},
        "get": A_ONLY,
        "post": (L, A, 404, 404, 404, 404, 404, 404, 404),
        "data": {"full_name": "Diubah Orang Lain", "nik": "6212014507900009"},
    },
    "perizinan:permohonan_withdraw": {
        "kwargs": {"public_id": "@filed.public_id"},
        "get": A_ONLY,
        "post": (L, A, 404, 404, 404, 404, 404, 404, 404),
        "data": {"reason": "Dibatalkan oleh orang lain"},
        "control": "owner",
    },
    "perizinan:permohonan_discard": {
        "kwargs": {"public_id": "@draft.public_id"},
        "get": (L, 200, 404, 404, 404, 404, 404, 404, 404),
        "post": (L, A, 404, 404, 404, 404, 404, 404, 404),
        "control": "owner",
    },
    "perizinan:tanda_terima": {"kwargs": {"public_id": "@filed.public_id"}, "get": A_FILE},
    "perizinan:tanda_terima_pdf": {
        "kwargs": {"public_id": "@filed.public_id"},
        "get": A_FILE,
        "download": True,
    },
    "perizinan:dokumen_download": {
        "kwargs": {"public_id": "@document.public_id"},
        "get": A_FILE,
        "download": True,
    },
    "perizinan:lacak": {"get": EVERYONE_200, "post": (A,) * 9},
    "perizinan:izin_download": {
        "kwargs": {"public_id": "@issued.public_id"},
        "get": A_FILE,
        "download": True,
    },
    "perizinan:surat_penolakan_download": {
        "kwargs": {"public_id": "@rejected.public_id"},
        "get": A_FILE,
        "download": True,
    },
    # A permit's life after issue (issue 13): renewal and amendment are the holder's (a
    # citizen's) own requests, so officers may not use them at all (403); the world's permit
    # is not yet due for renewal, so only the amendment has a control.
    "perizinan:izin_renew": {
        "kwargs": {"public_id": "@izin.public_id"},
        "get": (L,) + (405,) * 8,
        "post": (L, A, 404, 403, 403, 403, 403, 403, 403),
    },
    "perizinan:izin_amend": {
        "kwargs": {"public_id": "@izin.public_id"},
        "get": (L,) + (405,) * 8,
        "post": (L, A, 404, 403, 403, 403, 403, 403, 403),
        "control": "owner",
    },
    # A copy (salinan): the holder, the head of the file's office and admins.
    "perizinan:izin_copy": {
        "kwargs": {"public_id": "@izin.public_id"},
        "get": (L, 200, 404, 404, 404, 404, 404, 200, 200),
        "post": (L, A, 404, 404, 404, 404, 404, A, A),
        "data": {"reason": "Izin asli hilang saat banjir."},
        "control": "kepala",
    },
    "perizinan:salinan_download": {
        "kwargs": {"public_id": "@salinan.public_id"},
        "get": A_FILE,
        "download": True,
    },
    "perizinan:verifikasi": {
        "kwargs": {"token": "@izin.verification_token"},
        "get": EVERYONE_200,
        "missing": 404,
    },
    # --- Officers' desk ------------------------------------------------------------------------
    "petugas:dashboard": {"get": (L, 403, 403, 200, 200, 200, 200, 200, 200)},
    "petugas:queue": {"get": (L, 403, 403, 200, 200, 200, 200, 200, 200)},
    # Everyone in the area takes the next file of their OWN queue, never someone else's.
    "petugas:claim_next": {
        "get": DESK_POST_ONLY,
        "post": (L, 403, 403, A, A, A, A, A, A),
    },
    "petugas:file": {"kwargs": {"public_id": "@filed.public_id"}, "get": A_FILE_DESK},
    # The file is in technical review: the move is the tim teknis'. The others in scope are
    # told so on the file page (a redirect with a message); nothing changes.
    "petugas:act": {
        "kwargs": {"public_id": "@filed.public_id", "name": "recommend_approval"},
        "get": DESK_POST_ONLY,
        "post": (L, 403, 403, R, R, A, 404, R, R),
        "data": {
            "t-recommend_approval-state_version": "@filed.state_version",
            "t-recommend_approval-note": "Disetujui.",
        },
        "control": "tim_teknis",
    },
    "petugas:claim": {
        "kwargs": {"public_id": "@filed.public_id"},
        "get": DESK_POST_ONLY,
        "post": (L, 403, 403, R, R, A, 404, R, R),
        "control": "tim_teknis",
    },
    "petugas:release": {
        "kwargs": {"public_id": "@filed.public_id"},
        "get": DESK_POST_ONLY,
        "post": (L, 403, 403, R, R, A, 404, R, R),
    },
    "petugas:reassign": {
        "kwargs": {"public_id": "@filed.public_id"},
        "get": DESK_POST_ONLY,
        "post": (L, 403, 403, 403, 403, 403, 404, A, A),
        "data": {"to_user": "@users.tim_teknis.pk", "reason": "Dialihkan."},
        "control": "kepala",
    },
    "petugas:note": {
        "kwargs": {"public_id": "@filed.public_id"},
        "get": DESK_POST_ONLY,
        "post": (L, 403, 403, A, A, A, 404, A, A),
        "data": {"text": "Catatan dari luar lingkup."},
        "control": "front_office",
    },
    "petugas:bap_upload": {
        "kwargs": {"public_id": "@filed.public_id"},
        "get": DESK_POST_ONLY,
        "post": (L, 403, 403, R, R, A, 404, R, R),
        "data": {"inspected_on": "@today", "summary": "Lokasi sesuai.", "file": "@pdf"},
        "control": "tim_teknis",
    },
    "petugas:document": {
        "kwargs": {"public_id": "@document.public_id"},
        "get": A_FILE_DESK,
        "download": True,
    },
    "petugas:judge": {
        "kwargs": {"public_id": "@document.public_id"},
        "get": DESK_POST_ONLY,
        "post": (L, 403, 403, R, R, A, 404, R, R),
        "data": {"v{document.pk}-verdict": "valid", "v{document.pk}-note": ""},
        "control": "tim_teknis",
    },
    "petugas:bap": {
        "kwargs": {"public_id": "@bap.public_id"},
        "get": A_FILE_DESK,
        "download": True,
    },
    # Assisted entry at the counter: the front office only.
    "petugas:counter": {"get": (L, 403, 403, 200, 403, 403, 403, 403, 403)},
    # A counter file's follow-up (issue 13, item 1): the front office of the processing office
    # corrects @counter (back with its walk-in applicant) and prints its receipt with the PIN;
    # other officers who see the file get 404 for the correction page, a refusal for the print.
    "petugas:counter_fix": {
        "kwargs": {"public_id": "@counter.public_id"},
        "get": (L, 403, 403, 200, 404, 404, 404, 404, 404),
        "post": (L, 403, 403, A, 404, 404, 404, 404, 404),
        "data": {
            "p-applicant_kind": "perorangan",
            "p-full_name": "Ina Walk-in",
            "p-nik": "6212014507900002",
            "p-phone": "081234567891",
            "p-address": "Desa Matabu, RT 02",
            "f-tempat_praktik": "Desa Matabu",
            "f-jenis_praktik": "Mandiri",
            "d-declaration": "on",
        },
        "control": "front_office",
    },
    "petugas:applicant_receipt": {
        "kwargs": {"public_id": "@counter.public_id"},
        "get": DESK_POST_ONLY,
        "post": (L, 403, 403, A, R, R, 404, R, R),
        "control": "front_office",
    },
    "petugas:counter_entry": {
        "kwargs": {"slug": "@service.slug"},
        "get": (L, 403, 403, 200, 403, 403, 403, 403, 403),
        "post": (L, 403, 403, A, 403, 403, 403, 403, 403),
    },
    # Signing: the head only. Another role gets 404 for the file, not 403.
    "petugas:sign_queue": {"get": (L, 403, 403, 403, 403, 403, 403, 200, 403)},
    "petugas:sign_batch": {
        "get": (L,) + (405,) * 8,
        "post": (L, 403, 403, 403, 403, 403, 403, A, 403),
        # The confirmation page's POST (the first POST only shows what would be signed).
        "data": {"permohonan": "@signing.public_id", "confirm": "1"},
        "control": "kepala",
    },
    "petugas:sign": {
        "kwargs": {"public_id": "@signing.public_id"},
        "get": (L, 404, 404, 404, 404, 404, 404, 200, 404),
        "post": (L, 404, 404, 404, 404, 404, 404, A, 404),
        "control": "kepala",
    },
    "petugas:izin_list": {"get": (L, 403, 403, 403, 403, 403, 403, 200, 200)},
    # Route health: admins only; every other role may not use the page at all.
    "petugas:route_health": {"get": (L, 403, 403, 403, 403, 403, 403, 403, 200)},
    "petugas:izin_revoke": {
        "kwargs": {"public_id": "@izin.public_id"},
        "get": (L, 404, 404, 404, 404, 404, 404, 200, 200),
        "post": (L, 404, 404, 404, 404, 404, 404, A, A),
        "data": {"reason": "Izin dicabut karena pelanggaran berat yang terbukti."},
        "control": "kepala",
    },
    # --- Notifications -------------------------------------------------------------------------
    "notifikasi:list": {"get": SIGNED_IN_200},
    # ``require_POST`` runs before the log-in check here: GET is 405 for everyone.
    "notifikasi:read_all": {"get": (405,) * 9, "post": (L,) + (A,) * 8},
    "notifikasi:read": {
        "kwargs": {"public_id": "@notification.public_id"},
        "get": (405,) * 9,
        "post": (L, A, 404, 404, 404, 404, 404, 404, 404),
        "control": "owner",
    },
    # --- Complaints, survey, statistics, reports -----------------------------------------------
    "akuntabilitas:pengaduan_create": {"get": EVERYONE_200, "post": (A,) * 9},
    # Shows the new ticket once; without one in the session it sends to the ticket lookup.
    "akuntabilitas:pengaduan_terkirim": {"get": (R,) * 9},
    "akuntabilitas:pengaduan_lacak": {"get": EVERYONE_200, "post": (A,) * 9},
    "akuntabilitas:pengaduan_register": {"get": EVERYONE_200},
    "akuntabilitas:pengaduan_queue": {"get": OFFICE},
    "akuntabilitas:pengaduan_detail": {
        "kwargs": {"public_id": "@complaint.public_id"},
        "get": OFFICE,
    },
    "akuntabilitas:pengaduan_lampiran": {
        "kwargs": {"public_id": "@complaint.public_id"},
        "get": OFFICE,
        "download": True,
    },
    # The head reads complaints but does not handle them: told so, nothing changes.
    "akuntabilitas:pengaduan_move": {
        "kwargs": {"public_id": "@complaint.public_id", "move": "follow_up"},
        "get": (L,) + (405,) * 8,
        "post": (L, 403, 403, A, A, 403, 403, R, A),
        "data": {"state_version": "@complaint.state_version", "note": "Ditindaklanjuti."},
        "control": "front_office",
    },
    "akuntabilitas:survei_umum": {"get": EVERYONE_200, "post": (A,) * 9},
    "akuntabilitas:survei_qr": {"get": EVERYONE_200},
    "akuntabilitas:survei_terima_kasih": {"get": EVERYONE_200},
    "akuntabilitas:survei_token": {
        "kwargs": {"token": "@survey.token"},
        "get": EVERYONE_200,
        "post": (A,) * 9,
        "missing": 410,
    },
    "akuntabilitas:statistik": {"get": EVERYONE_200},
    "akuntabilitas:statistik_csv": {
        "kwargs": {"dataset": "bulanan"},
        "get": EVERYONE_200,
        "download": True,
    },
    "akuntabilitas:laporan": {"get": OFFICE},
    "akuntabilitas:kepatuhan": {"get": (L, 403, 403, 403, 403, 403, 403, 200, 200)},
    "akuntabilitas:laporan_report": {"kwargs": {"slug": "rekap"}, "get": OFFICE},
    "akuntabilitas:laporan_download": {
        "kwargs": {"slug": "rekap", "fmt": "csv"},
        "get": OFFICE,
        "download": True,
    },
}

#: Every status a row may hold.
GET_STATUSES = frozenset({200, 401, 403, 404, 405, 410, LOGIN, ADMIN_LOGIN, REDIRECT})
POST_STATUSES = GET_STATUSES | {ALLOWED, 400}


def row(entry: dict, method: str = "get") -> dict[str, object]:
    """``{role: expected}`` for one matrix entry."""
    return dict(zip(ROLES, entry[method], strict=True))
