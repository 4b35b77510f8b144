"""The officers' part of the state machine: every path (happy, return, technical fix, lapse,
rejection, withdrawal), the guards in the table and every forbidden move by every role."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from kewenangan.models import JenisIzin, PerangkatDaerah
from perizinan import services
from perizinan.exceptions import WorkflowError
from perizinan.workflow import (
    SYSTEM,
    TRANSITIONS,
    Status,
    actor_may,
    officer_roles_for,
    statuses_for_role,
)
from tests.factories import PerangkatDaerahFactory, UserFactory
from tests.perizinan.factories import advance, bap, desk_for, make_service, submitted

pytestmark = pytest.mark.django_db


def history(permohonan) -> list[tuple[str, str | None]]:
    return list(permohonan.riwayat.values_list("transition", "actor_role"))


# --- Happy paths ---------------------------------------------------------------------------------


def test_happy_path_with_technical_review_field_check_and_fee_goes_through_every_role():
    service = make_service(fee=True, needs_field_check=True)
    permohonan = submitted(service=service)
    desk = desk_for(permohonan)
    permohonan = advance(permohonan, Status.PENANDATANGANAN, desk)
    assert permohonan.fee_amount == 150_000  # the service's fixed fee, not the form's value
    assert permohonan.payment_reference == "STS-2026-0001"
    assert permohonan.paid_at is not None and permohonan.payment_confirmed_by == desk.bo
    signed = services.transition(permohonan, name="issue", actor=services.Actor.system(desk.kepala))
    assert signed.status == Status.TERBIT
    assert history(signed) == [
        ("submit", Role.PEMOHON),
        ("start_verification", Role.FRONT_OFFICE),
        ("register", Role.FRONT_OFFICE),
        ("send_to_technical", Role.BACK_OFFICE),
        ("recommend_payment", Role.TIM_TEKNIS),
        ("confirm_payment", Role.BACK_OFFICE),
        ("issue", Role.KEPALA),
    ]


def test_happy_path_without_technical_review_goes_from_back_office_to_signing():
    permohonan = submitted(service=make_service(technical_review=False))
    permohonan = advance(permohonan, Status.PENANDATANGANAN)
    assert [t for t, _ in history(permohonan)][-1] == "send_to_signing"


def test_signing_through_the_permit_service_when_it_is_installed():
    izin_services = pytest.importorskip("perizinan.services.izin")
    permohonan = advance(submitted(), Status.PENANDATANGANAN)
    desk = desk_for(permohonan)
    izin = izin_services.sign_permohonan(permohonan, actor=desk.kepala)
    permohonan.refresh_from_db()
    assert permohonan.status == Status.TERBIT
    assert izin.permohonan_id == permohonan.pk


def test_computed_fee_is_entered_by_the_tim_teknis():
    service = make_service(fee_kind=JenisIzin.FeeKind.DIHITUNG)
    permohonan = advance(submitted(service=service), Status.KAJIAN_TEKNIS)
    desk = desk_for(permohonan)
    with pytest.raises(ValidationError):
        services.transition(permohonan, name="recommend_payment", actor=desk.tt, data={})
    result = services.transition(
        permohonan, name="recommend_payment", actor=desk.tt, data={"fee_amount": "1.250.000"}
    )
    assert result.status == Status.MENUNGGU_PEMBAYARAN
    assert result.fee_amount == 1_250_000


# --- Guards --------------------------------------------------------------------------------------


def test_recommendation_needs_the_field_report_when_the_service_has_a_field_check():
    permohonan = advance(submitted(service=make_service(needs_field_check=True)), "kajian_teknis")
    desk = desk_for(permohonan)
    with pytest.raises(WorkflowError, match="BAP"):
        services.transition(permohonan, name="recommend_approval", actor=desk.tt)
    bap(permohonan, desk.tt)
    assert (
        services.transition(permohonan, name="recommend_approval", actor=desk.tt).status
        == Status.PENANDATANGANAN
    )


def test_rejection_recommendation_does_not_need_a_field_report():
    permohonan = advance(submitted(service=make_service(needs_field_check=True)), "kajian_teknis")
    result = services.transition(
        permohonan,
        name="recommend_rejection",
        actor=desk_for(permohonan).tt,
        internal_note="Tidak layak",
    )
    # A recommendation goes to the signer, who decides (issue 13 item 7).
    assert result.status == Status.PENANDATANGANAN
    assert result.recommendation == "rejection"


def test_payment_confirmation_requires_a_reference_number():
    permohonan = advance(submitted(service=make_service(fee=True)), Status.MENUNGGU_PEMBAYARAN)
    with pytest.raises(ValidationError):
        services.transition(
            permohonan, name="confirm_payment", actor=desk_for(permohonan).bo, data={}
        )
    permohonan.refresh_from_db()
    assert permohonan.status == Status.MENUNGGU_PEMBAYARAN
    assert permohonan.paid_at is None


def test_payment_cannot_be_confirmed_before_the_amount_is_assessed():
    from perizinan.models import Permohonan

    permohonan = advance(submitted(service=make_service(fee=True)), Status.MENUNGGU_PEMBAYARAN)
    Permohonan.objects.filter(pk=permohonan.pk).update(fee_amount=None)
    permohonan.refresh_from_db()
    with pytest.raises(WorkflowError):
        services.transition(
            permohonan,
            name="confirm_payment",
            actor=desk_for(permohonan).bo,
            data={"payment_reference": "STS-1"},
        )


def test_free_service_skips_payment():
    permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
    with pytest.raises(WorkflowError):
        services.transition(
            permohonan,
            name="recommend_payment",
            actor=desk_for(permohonan).tt,
            data={"fee_amount": 1},
        )


# --- Return, technical fix, lapse, rejection, withdrawal -----------------------------------------


def test_return_for_correction_and_resubmission_goes_back_to_the_front_office():
    permohonan = advance(submitted(), Status.VERIFIKASI)
    desk = desk_for(permohonan)
    returned = services.transition(
        permohonan, name="return_for_correction", actor=desk.fo, note="Lengkapi alamat"
    )
    assert returned.status == Status.DIKEMBALIKAN
    again = services.submit_permohonan(
        returned, actor=returned.applicant, declaration_accepted=True
    )
    assert again.status == Status.DIAJUKAN


def test_technical_fix_by_the_applicant_goes_back_to_the_tim_teknis():
    permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
    desk = desk_for(permohonan)
    waiting = services.transition(
        permohonan,
        name="request_technical_fix",
        actor=desk.tt,
        note="Denah ruang praktik belum sesuai",
        data={"fix_working_days": 10},
    )
    assert waiting.status == Status.PERBAIKAN_TEKNIS
    assert waiting.fix_due_date is not None
    fixed = services.submit_permohonan(waiting, actor=waiting.applicant, declaration_accepted=True)
    assert fixed.status == Status.KAJIAN_TEKNIS
    assert fixed.fix_due_date is None


def test_lapse_is_a_system_move_only():
    permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
    desk = desk_for(permohonan)
    waiting = services.transition(
        permohonan, name="request_technical_fix", actor=desk.tt, note="Perbaiki denah"
    )
    for actor in (desk.tt, desk.fo, desk.bo, desk.kepala, waiting.applicant):
        with pytest.raises(WorkflowError):
            services.transition(waiting, name="lapse", actor=actor)
    lapsed = services.transition(waiting, name="lapse", actor=services.Actor.system())
    assert lapsed.status == Status.GUGUR
    assert lapsed.riwayat.last().actor_role == SYSTEM


def test_head_rejects_at_signing_with_a_reason():
    permohonan = advance(submitted(), Status.PENANDATANGANAN)
    kepala = desk_for(permohonan).kepala
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="reject", actor=kepala, note="")
    rejected = services.transition(
        permohonan, name="reject", actor=kepala, note="Lokasi di kawasan lindung (Perda RTRW)"
    )
    assert rejected.status == Status.DITOLAK
    assert rejected.decided_at is not None


@pytest.mark.parametrize(
    "stage",
    [
        Status.DIAJUKAN,
        Status.VERIFIKASI,
        Status.TERDAFTAR,
        Status.KAJIAN_TEKNIS,
        Status.MENUNGGU_PEMBAYARAN,
    ],
)
def test_applicant_withdraws_at_any_stage_before_signing(stage):
    permohonan = advance(submitted(service=make_service(fee=True)), stage)
    result = services.withdraw_permohonan(
        permohonan, actor=permohonan.applicant, reason="Tidak jadi membuka praktik"
    )
    assert result.status == Status.DIBATALKAN


# --- Every forbidden move by every role ----------------------------------------------------------

ROLES = [
    Role.PEMOHON,
    Role.FRONT_OFFICE,
    Role.BACK_OFFICE,
    Role.TIM_TEKNIS,
    Role.KEPALA,
    Role.ADMIN,
]


def test_only_the_roles_in_the_table_may_take_a_move():
    permohonan = submitted()
    dpmptsp = PerangkatDaerah.objects.get(is_dpmptsp=True)
    users = {
        Role.PEMOHON: permohonan.applicant,
        Role.ADMIN: UserFactory(admin=True),
        Role.TIM_TEKNIS: UserFactory(tim_teknis=True, opd=permohonan.technical_opd),
    }
    for role in (Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.KEPALA):
        users[role] = UserFactory(role=role, opd=dpmptsp)
    checked = 0
    for move in TRANSITIONS:
        if move.system_only:
            continue
        for role in ROLES:
            allowed = actor_may(move, permohonan, users[role])
            assert allowed == (role in move.roles), (move.name, role)
            checked += 1
    assert checked == len(ROLES) * len([t for t in TRANSITIONS if not t.system_only])


def test_front_office_cannot_sign():
    permohonan = advance(submitted(), Status.PENANDATANGANAN)
    desk = desk_for(permohonan)
    for name in ("issue", "reject"):
        with pytest.raises(WorkflowError):
            services.transition(permohonan, name=name, actor=desk.fo, note="x")


def test_back_office_cannot_recommend_and_tim_teknis_cannot_register():
    permohonan = advance(submitted(), Status.KAJIAN_TEKNIS)
    desk = desk_for(permohonan)
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="recommend_approval", actor=desk.bo)
    other = advance(submitted(), Status.VERIFIKASI)
    with pytest.raises(WorkflowError):
        services.transition(other, name="register", actor=desk.tt)


def test_tim_teknis_of_dinkes_cannot_act_on_a_pupr_file():
    pupr = PerangkatDaerahFactory(pupr=True)
    service = make_service()
    service.kewenangan.__class__.objects.filter(pk=service.kewenangan_id).update(technical_opd=pupr)
    permohonan = advance(submitted(service=service), Status.KAJIAN_TEKNIS)
    dinkes_tt = UserFactory(tim_teknis=True, opd=PerangkatDaerahFactory(dinkes=True))
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="recommend_approval", actor=dinkes_tt)


def test_admin_takes_no_move_in_the_workflow():
    permohonan = submitted()
    with pytest.raises(WorkflowError):
        services.transition(permohonan, name="start_verification", actor=UserFactory(admin=True))


def test_officer_roles_per_state_come_from_the_table():
    assert officer_roles_for(Status.DIAJUKAN) == {Role.FRONT_OFFICE}
    assert officer_roles_for(Status.KAJIAN_TEKNIS) == {Role.TIM_TEKNIS}
    assert officer_roles_for(Status.PENANDATANGANAN) == {Role.KEPALA}
    assert officer_roles_for(Status.DIKEMBALIKAN) == frozenset()
    assert statuses_for_role(Role.BACK_OFFICE) == [Status.TERDAFTAR, Status.MENUNGGU_PEMBAYARAN]
