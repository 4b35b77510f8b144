"""The one permission rule for applications, held to exact answers.

A small world (the DPMPTSP, Dinas Kesehatan and DPUPRPERKIM; files processed by the DPMPTSP
with each technical OPD or none, files processed by an OPD itself, drafts, files of other
applicants) and every kind of user in it. For each user the EXACT set of files
``Permohonan.objects.visible_to`` returns is written down in ``EXPECTED``: the scope may only
widen by changing this table. ``perizinan.scope.sees`` must agree with the query for every
(user, file) pair, and ``perizinan.scope.officers_for`` must be its exact inverse.
"""

from __future__ import annotations

import itertools
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from accounts.roles import OFFICER_ROLES, Role
from perizinan import scope
from perizinan.models import Permohonan
from perizinan.workflow import Status
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import APPLICANT_DATA, make_service

pytestmark = pytest.mark.django_db

# --- The world ---------------------------------------------------------------------------------

#: label -> (applicant, processing OPD, technical OPD, status). OPDs: "dpm" (the DPMPTSP),
#: "dinkes", "pupr", None.
FILES = {
    # Delegated: processed by the DPMPTSP, reviewed by the technical OPD of the authority.
    "dpm+dinkes": ("ani", "dpm", "dinkes", Status.DIAJUKAN),
    "dpm+dinkes/ditolak": ("ani", "dpm", "dinkes", Status.DITOLAK),
    "dpm+pupr": ("budi", "dpm", "pupr", Status.KAJIAN_TEKNIS),
    "dpm/no-review": ("ani", "dpm", None, Status.PENANDATANGANAN),
    "dpm+dinkes/eko": ("eko", "dpm", "dinkes", Status.VERIFIKASI),
    # Not delegated (yet): processed by the origin OPD itself.
    "dinkes+dinkes": ("budi", "dinkes", "dinkes", Status.VERIFIKASI),
    "dinkes/no-review": ("ani", "dinkes", None, Status.TERDAFTAR),
    "pupr+dinkes": ("budi", "pupr", "dinkes", Status.TERBIT),
    "pupr/no-review": ("budi", "pupr", None, Status.DIKEMBALIKAN),
    # Drafts: no number, no route yet.
    "draft/ani": ("ani", None, None, Status.DRAFT),
    "draft/budi": ("budi", None, None, Status.DRAFT),
}

ALL = frozenset(FILES)
SUBMITTED = frozenset(k for k, v in FILES.items() if v[3] != Status.DRAFT)
PROCESSED_BY = {
    opd: frozenset(k for k in SUBMITTED if FILES[k][1] == opd) for opd in ("dpm", "dinkes", "pupr")
}
REVIEWED_BY = {
    opd: frozenset(k for k in SUBMITTED if FILES[k][2] == opd) for opd in ("dpm", "dinkes", "pupr")
}

#: label -> (role, OPD, active). "anonymous" is the visitor who is not logged in.
USERS = {
    "ani": (Role.PEMOHON, None, True),
    "budi": (Role.PEMOHON, None, True),
    "citra": (Role.PEMOHON, None, True),  # no files
    "eko": (Role.PEMOHON, None, False),  # deactivated, with a file
    "admin": (Role.ADMIN, None, True),
    "admin@dinkes": (Role.ADMIN, "dinkes", True),
    "admin/inactive": (Role.ADMIN, None, False),
    "tt@dinkes": (Role.TIM_TEKNIS, "dinkes", True),
    "tt@pupr": (Role.TIM_TEKNIS, "pupr", True),
    "tt@dpm": (Role.TIM_TEKNIS, "dpm", True),
    "tt@dinkes/inactive": (Role.TIM_TEKNIS, "dinkes", False),
    "fo/inactive": (Role.FRONT_OFFICE, "dpm", False),
    "kepala@dinkes/inactive": (Role.KEPALA, "dinkes", False),
}
PROCESSING_ROLES = (Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.KEPALA)
SHORT = {Role.FRONT_OFFICE: "fo", Role.BACK_OFFICE: "bo", Role.KEPALA: "kepala"}
for _role in PROCESSING_ROLES:
    for _opd in ("dpm", "dinkes", "pupr", None):
        USERS[f"{SHORT[_role]}@{_opd or 'no-opd'}"] = (_role, _opd, True)

#: The rule, written out. Officers see submitted files only; the front office, back office and
#: head those PROCESSED by their office (the DPMPTSP when they have no OPD); the tim teknis those
#: REVIEWED by their OPD, never those their OPD processes; admins everything.
EXPECTED: dict[str, frozenset] = {
    "ani": frozenset(
        {"dpm+dinkes", "dpm+dinkes/ditolak", "dpm/no-review", "dinkes/no-review", "draft/ani"}
    ),
    "budi": frozenset({"dpm+pupr", "dinkes+dinkes", "pupr+dinkes", "pupr/no-review", "draft/budi"}),
    "citra": frozenset(),
    "eko": frozenset(),
    "admin": ALL,
    "admin@dinkes": ALL,
    "admin/inactive": frozenset(),
    "tt@dinkes": frozenset(
        {"dpm+dinkes", "dpm+dinkes/ditolak", "dpm+dinkes/eko", "dinkes+dinkes", "pupr+dinkes"}
    ),
    "tt@pupr": frozenset({"dpm+pupr"}),
    "tt@dpm": frozenset(),
    "tt@dinkes/inactive": frozenset(),
    "fo/inactive": frozenset(),
    "kepala@dinkes/inactive": frozenset(),
    "anonymous": frozenset(),
}
_DPM = frozenset(
    {"dpm+dinkes", "dpm+dinkes/ditolak", "dpm+pupr", "dpm/no-review", "dpm+dinkes/eko"}
)
for _role in PROCESSING_ROLES:
    EXPECTED[f"{SHORT[_role]}@dpm"] = _DPM
    EXPECTED[f"{SHORT[_role]}@no-opd"] = _DPM
    EXPECTED[f"{SHORT[_role]}@dinkes"] = frozenset({"dinkes+dinkes", "dinkes/no-review"})
    EXPECTED[f"{SHORT[_role]}@pupr"] = frozenset({"pupr+dinkes", "pupr/no-review"})


def test_the_table_is_consistent_with_the_world():
    """Every user of the world has an expected set, and the sets follow the written rule."""
    assert set(EXPECTED) == set(USERS) | {"anonymous"}
    assert PROCESSED_BY["dpm"] == _DPM
    assert EXPECTED["tt@dinkes"] == REVIEWED_BY["dinkes"]
    assert EXPECTED["tt@pupr"] == REVIEWED_BY["pupr"]


class World:
    def __init__(self):
        self.opds = {
            "dpm": PerangkatDaerahFactory(dpmptsp=True),
            "dinkes": PerangkatDaerahFactory(dinkes=True),
            "pupr": PerangkatDaerahFactory(pupr=True),
        }
        self.users: dict[str, object] = {}
        for label, (role, opd, active) in USERS.items():
            slug = label.replace("@", ".at.").replace("/", ".")
            self.users[label] = UserFactory(
                email=f"{slug}@scope.test",
                role=role,
                opd=self.opds[opd] if opd else None,
                is_active=active,
            )
        self.users["anonymous"] = AnonymousUser()
        service = make_service()
        now = timezone.now()
        self.files: dict[str, Permohonan] = {}
        for label, (applicant, processing, technical, status) in FILES.items():
            draft = status == Status.DRAFT
            self.files[label] = Permohonan.objects.create(
                applicant=self.users[applicant],
                jenis_izin=service,
                status=status,
                number=None if draft else f"SCOPE-{uuid.uuid4().hex[:10].upper()}",
                pin="" if draft else "123456",
                applicant_data=dict(APPLICANT_DATA),
                processing_opd=self.opds[processing] if processing else None,
                technical_opd=self.opds[technical] if technical else None,
                route_delegated=None if draft else processing == "dpm",
                submitted_at=None if draft else now,
            )
        self.label_of = {p.pk: label for label, p in self.files.items()}

    def user(self, label):
        """A fresh copy of the user (no cached relations)."""
        user = self.users[label]
        if isinstance(user, AnonymousUser):
            return user
        return User.objects.get(pk=user.pk)

    def fresh_files(self) -> dict[str, Permohonan]:
        by_pk = {p.pk: p for p in Permohonan.objects.all()}
        return {label: by_pk[p.pk] for label, p in self.files.items()}

    def visible(self, label) -> frozenset:
        pks = Permohonan.objects.visible_to(self.user(label)).values_list("pk", flat=True)
        return frozenset(self.label_of[pk] for pk in pks)


@pytest.fixture
def world():
    return World()


# --- visible_to ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", sorted(EXPECTED))
def test_each_user_sees_exactly_the_files_of_the_table(world, label):
    assert sorted(world.visible(label)) == sorted(EXPECTED[label])


def test_a_tim_teknis_never_sees_the_files_their_opd_processes_without_reviewing_them(world):
    """Dinkes processes "dinkes/no-review" itself, without a technical review: its front office
    sees it, its technical team does not."""
    assert "dinkes/no-review" in world.visible("fo@dinkes")
    assert "dinkes/no-review" not in world.visible("tt@dinkes")
    assert "pupr/no-review" not in world.visible("tt@pupr")
    assert "pupr+dinkes" not in world.visible("tt@pupr")


@pytest.mark.parametrize("role", PROCESSING_ROLES)
def test_an_officer_of_the_dpmptsp_and_one_without_an_opd_see_the_same_files(world, role):
    with_opd = world.visible(f"{SHORT[role]}@dpm")
    without = world.visible(f"{SHORT[role]}@no-opd")
    assert with_opd == without == PROCESSED_BY["dpm"]


def test_a_draft_is_hidden_from_officers_even_with_a_route_filled_in(world):
    """The exclusion of drafts does not lean on their route being empty."""
    draft = world.files["draft/ani"]
    Permohonan.objects.filter(pk=draft.pk).update(
        processing_opd=world.opds["dpm"], technical_opd=world.opds["dinkes"]
    )
    draft.refresh_from_db()
    for label in ("fo@dpm", "fo@no-opd", "bo@dpm", "kepala@no-opd", "tt@dinkes"):
        assert "draft/ani" not in world.visible(label), label
        assert scope.sees(world.user(label), draft) is False, label
    assert "draft/ani" in world.visible("ani")
    assert "draft/ani" in world.visible("admin")


# --- sees() agrees with visible_to() -------------------------------------------------------------


def test_sees_agrees_with_visible_to_for_every_user_and_file(world):
    files = world.fresh_files()
    disagreements = []
    for user_label in sorted(EXPECTED):
        user = world.user(user_label)
        visible = world.visible(user_label)
        for file_label, permohonan in files.items():
            predicate = scope.sees(user, permohonan)
            if predicate != (file_label in visible):
                disagreements.append(
                    f"{user_label} / {file_label}: sees={predicate}, "
                    f"visible_to={file_label in visible}"
                )
    assert not disagreements, "\n".join(disagreements)


def test_sees_matches_the_table(world):
    files = world.fresh_files()
    for user_label in sorted(EXPECTED):
        user = world.user(user_label)
        seen = frozenset(label for label, p in files.items() if scope.sees(user, p))
        assert sorted(seen) == sorted(EXPECTED[user_label]), user_label


# --- officers_for() is the inverse ---------------------------------------------------------------

ROLE_SETS = [
    frozenset(combo)
    for n in (1, 2, 4)
    for combo in itertools.combinations(sorted(OFFICER_ROLES), n)
]


def test_officers_for_returns_exactly_the_officers_with_those_roles_who_see_the_file(world):
    files = world.fresh_files()
    people = {
        label: world.user(label)
        for label, (role, _opd, _active) in USERS.items()
        if role in OFFICER_ROLES
    }
    visible = {label: world.visible(label) for label in people}
    wrong = []
    for file_label, permohonan in files.items():
        for roles in ROLE_SETS:
            got = scope.officers_for(permohonan, roles)
            got_labels = sorted(world_label(people, u) for u in got)
            expected = sorted(
                label
                for label, user in people.items()
                if user.role in roles and file_label in visible[label]
            )
            if got_labels != expected or len(got) != len(set(u.pk for u in got)):
                wrong.append(f"{file_label} {sorted(roles)}: got {got_labels}, want {expected}")
    assert not wrong, "\n".join(wrong)


def world_label(people: dict, user) -> str:
    for label, person in people.items():
        if person.pk == user.pk:
            return label
    return f"<not in the world: {user.pk}>"


def test_officers_for_a_dpmptsp_file_names_the_officers_with_and_without_an_opd(world):
    files = world.fresh_files()
    got = scope.officers_for(files["dpm+dinkes"], {Role.FRONT_OFFICE, Role.TIM_TEKNIS})
    assert sorted(u.email for u in got) == sorted(
        [
            "fo.at.dpm@scope.test",
            "fo.at.no-opd@scope.test",
            "tt.at.dinkes@scope.test",
        ]
    )


def test_officers_for_leaves_out_the_inactive_and_the_admins(world):
    files = world.fresh_files()
    everyone = set(Role.values)
    got = {u.email for f in files.values() for u in scope.officers_for(f, everyone)}
    assert "fo.inactive@scope.test" not in got
    assert "tt.at.dinkes.inactive@scope.test" not in got
    assert "kepala.at.dinkes.inactive@scope.test" not in got
    assert not any(email.startswith("admin") for email in got)


def test_a_tim_teknis_without_an_opd_sees_nothing(world):
    """The database refuses such a user (``user_tim_teknis_has_opd``); should one reach the
    rule anyway (an unsaved or half-migrated row), the scope is empty, not everything."""
    orphan = User(email="tt.tanpa.opd@scope.test", role=Role.TIM_TEKNIS, opd=None)
    assert not Permohonan.objects.visible_to(orphan).exists()
    assert not any(scope.sees(orphan, p) for p in world.fresh_files().values())
