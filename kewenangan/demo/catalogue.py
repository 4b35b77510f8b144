"""The demo catalogue: one sample kewenangan per catalogue row and variant (194), delegated
in the sample stages, each with its published service and standard."""

from __future__ import annotations

import csv

from django.db import transaction

from kewenangan.demo.opd import DATA_DIR, opd_short_name
from kewenangan.demo.samples import (
    COMPLAINT_DPMPTSP,
    FIXED_FEES,
    GENERAL_LEGAL_BASIS,
    SERVICES,
    SIP_CODES,
    STAGE_BY_CODE,
    STAGES,
    TECHNICAL_OPD,
    VALIDITY,
    VARIANTS,
    Stage,
)
from kewenangan.demo.standard import channel_note, form_fields_for, requirements_for, steps_for
from kewenangan.models import (
    IsianFormulir,
    JenisIzin,
    Kewenangan,
    LangkahProsedur,
    PerangkatDaerah,
    Persyaratan,
)
from kewenangan.services import create_kewenangan, publish_standard, reassign_kewenangan

#: The number of sample kewenangan the demo holds (as many as Barito Timur is handing over).
SAMPLE_COUNT = 194


def _stage_for(code: str) -> Stage | None:
    for prefix, year in STAGE_BY_CODE.items():
        if code.startswith(prefix):
            return STAGES[year]
    return None


def catalogue_rows() -> list[dict]:
    with open(DATA_DIR / "catalogue.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(DATA_DIR / "catalogue_meta.csv", newline="", encoding="utf-8") as fh:
        meta = {row["code"]: row for row in csv.DictReader(fh)}
    for row in rows:
        row["channel"] = meta.get(row["code"], {}).get("channel", "")
    return rows


def planned_kewenangan() -> list[tuple[dict, str]]:
    """(catalogue row, variant letter) for each of the sample kewenangan."""
    return [(row, letter) for row in catalogue_rows() for letter in SERVICES[row["code"]][2]]


def _names(base_name: str, letter: str) -> str:
    prefix = VARIANTS[letter][3]
    if not prefix or base_name.lower().startswith(prefix.lower()):
        return base_name
    return f"{prefix} {base_name}"


def _slug(base_slug: str, letter: str) -> str:
    suffix = VARIANTS[letter][2]
    if not suffix or base_slug.startswith(suffix):
        return base_slug
    return f"{base_slug}-{suffix}"


@transaction.atomic
def seed_catalogue(opds: dict[str, PerangkatDaerah]) -> None:
    plan = planned_kewenangan()
    assert len(plan) == SAMPLE_COUNT, len(plan)
    existing_codes = set(Kewenangan.objects.values_list("code", flat=True))
    existing_slugs = set(JenisIzin.objects.values_list("slug", flat=True))
    for row, letter in plan:
        base_slug, permit_code, _variants, kind = SERVICES[row["code"]]
        variant, code_suffix, _slug_suffix, _prefix = VARIANTS[letter]
        code = f"{row['code']}-{code_suffix}"
        slug = _slug(base_slug, letter)
        if code in existing_codes and slug in existing_slugs:
            continue
        origin = opds[opd_short_name(row["opd"])]
        technical_short = TECHNICAL_OPD.get(row["code"], origin.short_name)
        technical = opds[technical_short] if technical_short else None
        stage = _stage_for(row["code"])
        name = _names(row["name"], letter)

        kewenangan = Kewenangan.objects.filter(code=code).first()
        if kewenangan is None:
            kewenangan = create_kewenangan(
                code=code,
                name=name,
                sector=row["sector"],
                origin_opd=origin,
                technical_opd=technical,
                is_sample=True,
                actor=None,
                source="code",
                reason="Data contoh.",
            )
            if stage:
                reassign_kewenangan(
                    kewenangan,
                    delegated=True,
                    legal_basis=stage.perbup_number,
                    effective_date=stage.perbup_date,
                    actor=None,
                    reason=f"Data contoh: pelimpahan tahap {stage.year}.",
                    source="code",
                )
        if slug not in existing_slugs:
            _create_service(
                kewenangan=kewenangan,
                row=row,
                letter=letter,
                slug=slug,
                name=name,
                permit_code=permit_code,
                kind=kind,
                variant=variant,
            )


def _create_service(*, kewenangan, row, letter, slug, name, permit_code, kind, variant):
    code = row["code"]
    delegated = kewenangan.delegated
    base_product = row["product"]
    product = {
        "B": base_product,
        "P": f"{base_product} (perpanjangan)",
        "U": f"{base_product} (perubahan)",
        "C": f"Keputusan pencabutan {base_product}",
    }[letter]
    sla = int(row["sla_working_days"])
    if letter == "C":
        sla = min(sla, 3)
    field_check = row["needs_field_check"] == "true" and letter in ("B", "P")
    technical = kewenangan.technical_opd.short_name if kewenangan.technical_opd else None
    if letter == "C" or code in ("PTSP-02", "PTSP-03"):
        technical = None
    fee_idr = row["fee_idr"].strip()
    if letter == "C" or fee_idr == "0":
        fee = {"fee_kind": JenisIzin.FeeKind.GRATIS, "fee_amount": None, "fee_legal_basis": ""}
    elif code in FIXED_FEES:
        fee = {
            "fee_kind": JenisIzin.FeeKind.TETAP,
            "fee_amount": FIXED_FEES[code],
            "fee_legal_basis": "Perda Kabupaten Barito Timur tentang Pajak Daerah dan Retribusi "
            "Daerah (nilai contoh)",
        }
    else:
        fee = {
            "fee_kind": JenisIzin.FeeKind.DIHITUNG,
            "fee_amount": None,
            "fee_legal_basis": "UU 1/2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan "
            "Pemerintahan Daerah; Perda Kabupaten Barito Timur tentang Pajak Daerah dan "
            "Retribusi Daerah",
        }
    steps, stages = steps_for(
        sla=sla,
        delegated=delegated,
        holder=kewenangan.origin_opd.short_name,
        technical=technical,
        field_check=field_check,
        computed_fee=fee["fee_kind"] == JenisIzin.FeeKind.DIHITUNG,
    )
    if code in SIP_CODES and letter != "C":
        months, note = 60, "Selama STR berlaku dan tempat praktik sesuai dengan yang tercantum."
    elif letter == "C":
        months, note = None, ""
    else:
        months, note = VALIDITY.get(
            code,
            (None, "Berlaku selama kegiatan berjalan dan memenuhi ketentuan."),
        )
    # The regulation by which the holder holds the authority (the Perbup of a delegation) is
    # not written here: the published standard derives it from the current holder.
    legal_basis = [row["legal_basis"], GENERAL_LEGAL_BASIS]
    if delegated:
        complaint = COMPLAINT_DPMPTSP
    else:
        complaint = (
            f"1. Layanan pengaduan {kewenangan.origin_opd.name}.\n"
            "2. SP4N-LAPOR! di www.lapor.go.id.\n"
            "Setiap pengaduan dicatat dan ditindaklanjuti sesuai standar pelayanan."
        )
    variant_text = {
        "B": "Penerbitan baru",
        "P": "Perpanjangan",
        "U": "Perubahan data atau isi",
        "C": "Pencabutan atas permintaan pemegang",
    }[letter]
    description = f"{variant_text}: {base_product}."
    channel_text = channel_note(row["channel"])
    if channel_text and letter != "C":
        description += " " + channel_text

    service = JenisIzin.objects.create(
        kewenangan=kewenangan,
        slug=slug,
        name=name,
        kind=JenisIzin.Kind.NON_IZIN if kind == "N" else JenisIzin.Kind.IZIN,
        variant=variant,
        description=description,
        sla_working_days=sla,
        product=product[:300],
        validity_months=months,
        validity_note=note,
        complaint_channel=complaint,
        legal_basis="\n".join(legal_basis),
        needs_field_check=field_check,
        needs_technical_review=technical is not None,
        permit_code=permit_code,
        **stages,
        **fee,
    )
    Persyaratan.objects.bulk_create(
        Persyaratan(jenis_izin=service, **item)
        for item in requirements_for(row, letter, base_product)
    )
    LangkahProsedur.objects.bulk_create(
        LangkahProsedur(jenis_izin=service, order=order, **step)
        for order, step in enumerate(steps, start=1)
    )
    IsianFormulir.objects.bulk_create(
        IsianFormulir(jenis_izin=service, order=order, **item)
        for order, item in enumerate(form_fields_for(code, letter, kind), start=1)
    )
    publish_standard(service, actor=None)
    return service
