"""The objects and the users of the security gates (permission matrix, GET-safety, CSRF).

``build_world()`` makes, through the project's own services and factories, one of everything a
URL of the portal can point at, all belonging to citizen A and routed to the DPMPTSP with
Dinkes as the technical OPD:

* ``draft``: A's draft, every step done (the apply steps, discard);
* ``filed``: A's file in technical review (KAJIAN_TEKNIS) with documents and a BAP;
* ``signing``: A's file waiting for the head's signature (PENANDATANGANAN);
* ``issued``: A's file with a signed permit (``izin``) and a copy of it (``salinan``);
* ``rejected``: A's file refused by the head, with its rejection letter and the survey
  invitation the decision sends;
* ``complaint``: a complaint with an attachment; ``notification``: one of A's in-app
  notifications; ``template``: a requirement with a blank template to download;
* ``unverified``: an account waiting for its e-mail verification (``verify_token``);
* ``counter``: a walk-in's file entered at the DPMPTSP counter (no e-mail), returned for
  correction (the counter's correction page and the applicant's receipt with the PIN).

and one user per role of ``matrix.ROLES``, the staff ones enrolled in MFA (an authenticator
device each). The matrix names objects as ``"@filed.public_id"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.mfa import services as mfa
from accounts.tokens import make_verification_token
from akuntabilitas.models import UndanganSurvei
from akuntabilitas.services import pengaduan as complaints
from notifikasi.models import Notifikasi
from perizinan import services
from perizinan.services import counter as counter_services
from perizinan.services import izin as izin_services
from perizinan.services import lifecycle
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.mfa import give_device, verified_login
from tests.perizinan.factories import (
    APPLICANT_DATA,
    Desk,
    advance,
    bap,
    complete_draft,
    current_document,
    make_service,
    pdf_upload,
    png_bytes,
    submitted,
    upload,
)
from tests.security.matrix import ROLES

#: Tables a request may change whatever it does: the session store (every request of a
#: signed-in user records its activity there, see ``config.security``) and django-axes'
#: login-attempt logs. Nothing else is excluded from the snapshots.
VOLATILE_TABLE_PREFIXES = ("django_session", "axes_")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def resolve(self, value):
        """``"@filed.public_id"`` -> the attribute of the world's object; anything else as is."""
        if not (isinstance(value, str) and value.startswith("@")):
            return value
        name, *path = value[1:].split(".")
        obj = self.objects[name]
        for part in path:
            obj = getattr(obj, part)
        return obj

    def url(self, name: str, entry: dict) -> str:
        kwargs = {k: self.resolve(v) for k, v in (entry.get("kwargs") or {}).items()}
        return reverse(name, kwargs=kwargs or None) + entry.get("query", "")

    def client(self, role: str, **kwargs) -> Client:
        """A client signed in as ``role``; a staff role's session has passed MFA (the
        password-only session of staff is the gate of ``tests/accounts/test_mfa.py``)."""
        client = Client(**kwargs)
        user = self.users.get(role)
        if user is not None:
            verified_login(client, user)
        return client


#: The service fields of the counter file (``make_service``'s two fields).
COUNTER_FIELDS = {"tempat_praktik": "Desa Matabu", "jenis_praktik": "Mandiri"}


def build_world() -> World:
    world = World()
    dpmptsp = PerangkatDaerahFactory(dpmptsp=True)
    dinkes = PerangkatDaerahFactory(dinkes=True)
    pupr = PerangkatDaerahFactory(pupr=True)
    owner = UserFactory(email="warga.a@contoh.test", full_name="Warga A")
    users = {
        "owner": owner,
        "other_citizen": UserFactory(email="warga.b@contoh.test", full_name="Warga B"),
        "front_office": UserFactory(email="fo@contoh.test", front_office=True, opd=dpmptsp),
        "back_office": UserFactory(email="bo@contoh.test", back_office=True, opd=dpmptsp),
        "tim_teknis": UserFactory(email="tt.dinkes@contoh.test", tim_teknis=True, opd=dinkes),
        "tim_teknis_other": UserFactory(email="tt.pupr@contoh.test", tim_teknis=True, opd=pupr),
        "kepala": UserFactory(email="kepala@contoh.test", kepala=True, opd=dpmptsp),
        "admin": UserFactory(email="admin@contoh.test", admin=True),
    }
    assert set(users) | {"anonymous"} == set(ROLES)
    for user in users.values():
        if mfa.required_for(user):
            give_device(user)  # enrolled staff: logging in writes nothing during the tests
    world.users = users
    desk = Desk(
        fo=users["front_office"], bo=users["back_office"], kepala=users["kepala"],
        tt=users["tim_teknis"],
    )  # fmt: skip

    service = make_service(technical_review=True, permit_code="SIP-BDN", validity_months=12)
    template = service.persyaratan.order_by("order").first()
    template.template_file.save("formulir-kosong.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))

    filed = advance(submitted(owner, service), Status.KAJIAN_TEKNIS, desk)
    bap(filed, desk.tt)
    signing = advance(submitted(owner, service), Status.PENANDATANGANAN, desk)
    issued = advance(submitted(owner, service), Status.PENANDATANGANAN, desk)
    izin = izin_services.sign_permohonan(issued, actor=desk.kepala)
    salinan = lifecycle.issue_copy(izin, actor=owner, reason="Izin asli hilang.")
    rejected = advance(submitted(owner, service), Status.PENANDATANGANAN, desk)
    rejected = services.transition(
        rejected, name="reject", actor=desk.kepala, note="Dokumen tidak memenuhi syarat."
    )

    walk_in = counter_services.create_assisted_application(
        officer=desk.fo,
        jenis_izin=service,
        applicant_data=dict(APPLICANT_DATA),
        email="",
        form_data=COUNTER_FIELDS,
        files={r.pk: pdf_upload() for r in service.persyaratan.all()},
        declaration_accepted=True,
    ).permohonan
    walk_in = services.transition(
        walk_in, name="return_for_correction", actor=desk.fo, note="Lengkapi alamat."
    )

    # Last: ``submitted()`` above resumes A's open draft of the service, if there is one.
    draft = complete_draft(owner, service)

    ticket = complaints.file_pengaduan(
        topic="layanan",
        title="Antrean loket lama",
        description="Saya menunggu dua jam di loket tanpa kepastian.",
        anonymous=True,
        attachment=upload("antrean.png", png_bytes(), "image/png"),
    )
    notification = Notifikasi.objects.for_user(owner).order_by("created_at", "id").first()
    assert notification is not None, "the transitions above notify the applicant in-app"
    unverified = UserFactory(email="baru@contoh.test", unverified=True)

    world.objects = {
        "users": SimpleNamespace(**users),
        "service": service,
        "template": template,
        "draft": draft,
        "filed": filed,
        "document": current_document(filed),
        "bap": filed.berita_acara.get(),
        "signing": signing,
        "issued": issued,
        "izin": izin,
        "salinan": salinan,
        "rejected": rejected,
        "counter": walk_in,
        "survey": UndanganSurvei.objects.get(permohonan=rejected),
        "complaint": ticket.pengaduan,
        "notification": notification,
        "verify_token": make_verification_token(unverified),
        "today": timezone.localdate(),
    }
    return world


# --- Database snapshots -----------------------------------------------------------------------


def watched_tables() -> list[tuple[str, bool]]:
    """Every table of the database except the volatile ones, with whether it has an
    ``updated_at`` column."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, bool_or(column_name = 'updated_at') "
            "FROM information_schema.columns WHERE table_schema = current_schema() "
            "GROUP BY table_name ORDER BY table_name"
        )
        rows = cursor.fetchall()
    return [
        (name, has_updated)
        for name, has_updated in rows
        if name != "django_migrations" and not name.startswith(VOLATILE_TABLE_PREFIXES)
    ]


def _digest_query(table: str, has_updated_at: bool) -> str:
    updated = "max(t.updated_at)::text" if has_updated_at else "NULL"
    digest = "md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
    return f"SELECT %s, count(*), {updated}, {digest} FROM {table} t"  # noqa: S608


class Snapshot:
    """Per watched table: the row count, ``max(updated_at)`` where the column exists, and a
    digest of every row's content (so that an ``UPDATE`` without ``updated_at``, such as a
    notification marked read, shows too). One query for all tables."""

    def __init__(self, tables: list[tuple[str, bool]] | None = None):
        tables = tables if tables is not None else watched_tables()
        qn = connection.ops.quote_name
        # Table names come from information_schema and are quoted: no injection here.
        parts = [_digest_query(qn(name), has) for name, has in tables]
        self.sql = " UNION ALL ".join(parts)
        self.params = [name for name, _has in tables]

    def take(self) -> dict[str, tuple]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return {name: tuple(values) for name, *values in cursor.fetchall()}


def changes(before: dict, after: dict, *, allowed: frozenset | set = frozenset()) -> dict:
    """The tables whose count or latest ``updated_at`` differ, except ``allowed`` ones."""
    return {
        name: (before.get(name), after.get(name))
        for name in set(before) | set(after)
        if before.get(name) != after.get(name) and name not in allowed
    }
