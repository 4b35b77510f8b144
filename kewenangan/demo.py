"""Demo data for the kewenangan app (called by ``manage.py seed_demo``). Idempotent.

**Sample data, not the regency's annex.** The Perbup annex listing Barito Timur's 194
kewenangan is not public, so the demo builds exactly 194 from ``data/catalogue.csv`` (69
researched services, see ``data/catalogue_meta.csv`` for which rows are sourced) and their
variants (penerbitan baru, perpanjangan, perubahan, pencabutan) where the service has them.
Every kewenangan is marked ``is_sample``. The Perbup numbers and dates of the delegation stages
are invented. To replace the set with the real annex, import it with
``manage.py import_kewenangan lampiran.xlsx`` (see ``kewenangan/importers.py``).

Existing rows are left alone: running the seed twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from kewenangan.models import (
    IsianFormulir,
    JenisIzin,
    Kewenangan,
    LangkahProsedur,
    PerangkatDaerah,
    Persyaratan,
)
from kewenangan.services import create_kewenangan, publish_standard, reassign_kewenangan

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The number of sample kewenangan the demo holds (as many as Barito Timur is handing over).
SAMPLE_COUNT = 194


def _kind_for(name: str) -> str:
    first = name.split(" ", 1)[0].lower()
    return {
        "dinas": PerangkatDaerah.Kind.DINAS,
        "badan": PerangkatDaerah.Kind.BADAN,
        "satuan": PerangkatDaerah.Kind.SATUAN,
        "kantor": PerangkatDaerah.Kind.KANTOR,
    }.get(first, PerangkatDaerah.Kind.LAINNYA)


#: OPDs the catalogue names that ``opd_bartim.csv`` lacks: (short name, name).
EXTRA_OPDS = [("Disbun", "Dinas Perkebunan")]


def seed_opd() -> dict[str, PerangkatDaerah]:
    """The OPDs of ``data/opd_bartim.csv`` (confirmed and typical ones) and those the catalogue
    adds, keyed by short name."""
    result = {}
    with open(DATA_DIR / "opd_bartim.csv", newline="", encoding="utf-8") as fh:
        rows = [
            (row["short"].strip(), row["name"].split(" (")[0].strip()) for row in csv.DictReader(fh)
        ]
    for short, name in rows + EXTRA_OPDS:
        opd, _ = PerangkatDaerah.objects.update_or_create(
            short_name=short,
            defaults={"name": name, "kind": _kind_for(name), "is_dpmptsp": short == "DPMPTSP"},
        )
        result[short] = opd
    return result


#: ``catalogue.csv`` column ``opd`` (its start) -> short name of the seeded OPD.
OPD_BY_CATALOGUE_NAME = [
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pekerjaan Umum", "DPUPRPERKIM"),
    ("Dinas Lingkungan Hidup", "DLH"),
    ("Dinas Perhubungan", "Dishub"),
    ("Dinas Kebudayaan, Pariwisata", "Disbudparpora"),
    ("Dinas Pendidikan", "Disdik"),
    ("Dinas Perdagangan dan Perindustrian", "Disperindag"),
    ("Dinas Koperasi", "Diskop UKM"),
    ("Dinas Pertanian", "Distan"),
    ("Dinas Perkebunan", "Disbun"),
    ("Dinas Perikanan", "Diskan"),
    ("Dinas Tenaga Kerja", "Disnakertrans"),
    ("Dinas Sosial", "Dinsos"),
    ("Dinas Komunikasi", "Diskominfo"),
    ("Badan Kesatuan Bangsa", "Kesbangpol"),
    ("Satuan Polisi Pamong Praja", "Satpol PP"),
    ("Dinas Penanaman Modal", "DPMPTSP"),
]


def opd_short_name(catalogue_opd: str) -> str:
    for prefix, short in OPD_BY_CATALOGUE_NAME:
        if catalogue_opd.startswith(prefix):
            return short
    raise ValueError(f"catalogue OPD without a mapping: {catalogue_opd!r}")


# Variants: B baru, P perpanjangan, U perubahan, C pencabutan.
VARIANTS = {
    "B": (JenisIzin.Variant.BARU, "BARU", "", ""),
    "P": (JenisIzin.Variant.PERPANJANGAN, "PANJANG", "perpanjangan", "Perpanjangan"),
    "U": (JenisIzin.Variant.PERUBAHAN, "UBAH", "perubahan", "Perubahan"),
    "C": (JenisIzin.Variant.PENCABUTAN, "CABUT", "pencabutan", "Pencabutan"),
}

#: code -> (slug of the "baru" service, permit number code, variants, N for non-permit)
SERVICES = {
    "KES-01": ("sip-dokter", "SIP-DR", "BPUC", ""),
    "KES-02": ("sip-dokter-spesialis", "SIP-DRSP", "BPUC", ""),
    "KES-03": ("sip-bidan", "SIPB", "BPUC", ""),
    "KES-04": ("sip-perawat", "SIPP", "BPUC", ""),
    "KES-05": ("sipa", "SIPA", "BPUC", ""),
    "KES-06": ("sipttk", "SIPTTK", "BPUC", ""),
    "KES-07": ("sip-tenaga-kesehatan", "SIP-NAKES", "BPUC", ""),
    "KES-08": ("izin-apotek", "SIA", "BPUC", ""),
    "KES-09": ("izin-toko-obat", "ITO", "BPUC", ""),
    "KES-10": ("izin-klinik-pratama", "IOK", "BPUC", ""),
    "KES-11": ("izin-laboratorium-klinik", "IOLK", "BPUC", ""),
    "KES-12": ("slhs", "SLHS", "BPUC", ""),
    "KES-13": ("spp-irt", "SPPIRT", "BPUC", ""),
    "KES-14": ("izin-optikal", "IOPT", "BPUC", ""),
    "KES-15": ("stpt", "STPT", "BPUC", ""),
    "KES-16": ("izin-rumah-sakit", "IORS", "BPUC", ""),
    "PU-01": ("pbg", "PBG", "BU", ""),
    "PU-02": ("slf", "SLF", "BP", ""),
    "PU-03": ("sktr", "SKTR", "B", "N"),
    "PU-04": ("pkkpr", "PKKPR", "BU", ""),
    "PU-05": ("izin-rumija", "RUMIJA", "BPC", ""),
    "PU-06": ("izin-galian-utilitas", "GALIAN", "B", ""),
    "PU-07": ("site-plan", "SITEPLAN", "BU", ""),
    "LH-01": ("sppl", "SPPL", "BU", "N"),
    "LH-02": ("pkplh", "PKPLH", "BU", ""),
    "LH-03": ("skklh", "SKKLH", "BU", ""),
    "LH-04": ("pertek-air-limbah", "PERTEK-AL", "BU", ""),
    "LH-05": ("rintek-limbah-b3", "RINTEK-LB3", "BU", ""),
    "HUB-01": ("izin-trayek", "TRAYEK", "BPUC", ""),
    "HUB-02": ("andalalin", "ANDALALIN", "BU", ""),
    "HUB-03": ("izin-parkir", "PARKIR", "BPC", ""),
    "HUB-04": ("dispensasi-jalan", "DISPENSASI", "B", "N"),
    "PAR-01": ("tdup", "TDUP", "BUC", ""),
    "PAR-02": ("sertifikat-usaha-pariwisata", "SSUP", "BPU", ""),
    "PAR-03": ("rekomendasi-event", "REK-EVENT", "B", "N"),
    "PAR-04": ("izin-fasilitas-olahraga", "FASOR", "B", ""),
    "DIK-01": ("izin-pendirian-paud", "IPPAUD", "B", ""),
    "DIK-02": ("izin-operasional-paud", "IOPAUD", "BPUC", ""),
    "DIK-03": ("izin-sd-smp-swasta", "IOSP", "BPUC", ""),
    "DIK-04": ("izin-lkp", "ILKP", "BPUC", ""),
    "DIK-05": ("izin-pkbm", "IPKBM", "BPUC", ""),
    "DAG-01": ("iuts", "IUTS", "BPUC", ""),
    "DAG-02": ("iui", "IUI", "BUC", ""),
    "DAG-03": ("izin-minuman-beralkohol", "SKPA", "BPC", ""),
    "DAG-04": ("tdg", "TDG", "BUC", ""),
    "KOP-01": ("izin-usaha-simpan-pinjam", "USP", "BUC", ""),
    "KOP-02": ("izin-cabang-ksp", "KCKSP", "BC", ""),
    "TAN-01": ("sip-dokter-hewan", "SIP-DRH", "BPUC", ""),
    "TAN-02": ("izin-rph", "RPH", "BPUC", ""),
    "TAN-03": ("izin-peternakan", "IUPT", "BUC", ""),
    "TAN-04": ("skkh", "SKKH", "B", "N"),
    "BUN-01": ("iup-perkebunan", "IUPB", "BUC", ""),
    "BUN-02": ("std-b", "STDB", "BUC", "N"),
    "IKN-01": ("tpupi", "TPUPI", "BUC", "N"),
    "NAK-01": ("perpanjangan-imta", "IMTA", "P", ""),
    "NAK-02": ("pengesahan-peraturan-perusahaan", "PP", "BU", "N"),
    "NAK-03": ("pencatatan-serikat-pekerja", "SPSB", "BU", "N"),
    "NAK-04": ("izin-lpk", "LPK", "BPUC", ""),
    "SOS-01": ("tanda-daftar-lks", "LKS", "BPUC", "N"),
    "SOS-02": ("izin-pub", "PUB", "B", ""),
    "KOM-01": ("menara-telekomunikasi", "MENARA", "BU", "N"),
    "KBP-01": ("skp-penelitian", "SKP", "B", "N"),
    "KBP-02": ("skt-ormas", "SKT", "BPU", "N"),
    "DAM-01": ("rekomendasi-proteksi-kebakaran", "REK-DAMKAR", "B", "N"),
    "PTSP-01": ("izin-reklame", "REKLAME", "BPUC", ""),
    "PTSP-02": ("reklame-insidentil", "REK-INS", "B", ""),
    "PTSP-03": ("pendampingan-nib", "NIB", "B", "N"),
    "PKM-01": ("izin-tpu", "TPU", "BP", ""),
    "WLT-01": ("izin-walet", "WALET", "BPUC", ""),
}


@dataclass(frozen=True)
class Stage:
    year: int
    perbup_number: str
    perbup_date: datetime.date


# Sample delegation stages (invented numbers; the consolidation began in 2019).
STAGES = {
    2019: Stage(2019, "Perbup Barito Timur Nomor 23 Tahun 2019", datetime.date(2019, 8, 12)),
    2021: Stage(2021, "Perbup Barito Timur Nomor 9 Tahun 2021", datetime.date(2021, 4, 5)),
    2023: Stage(2023, "Perbup Barito Timur Nomor 31 Tahun 2023", datetime.date(2023, 10, 16)),
    2025: Stage(2025, "Perbup Barito Timur Nomor 12 Tahun 2025", datetime.date(2025, 6, 2)),
    2026: Stage(2026, "Perbup Barito Timur Nomor 5 Tahun 2026", datetime.date(2026, 2, 16)),
}

#: code prefix -> stage year (absent: not delegated yet, still processed by the origin OPD).
STAGE_BY_CODE = {
    "PTSP-": 2019,
    "TAN-01": 2019,
    "KES-0": 2019,  # KES-01..KES-09
    "KES-1": 2021,  # KES-10..KES-16
    "PU-": 2021,
    "PKM-": 2021,
    "LH-": 2023,
    "HUB-": 2023,
    "PAR-": 2023,
    "DIK-": 2025,
    "TAN-": 2025,
    "KOM-": 2025,
    "DAM-": 2025,
    "NAK-": 2026,
    "SOS-": 2026,
}

#: Technical OPD when it is not the origin OPD (None: no technical review).
TECHNICAL_OPD = {"PTSP-01": "DPUPRPERKIM", "PTSP-02": None, "PTSP-03": None}

#: Fixed fees (tarif tetap): sample amounts, to be set from the regency's Perda.
FIXED_FEES = {"PKM-01": 100_000}

SIP_CODES = {"KES-01", "KES-02", "KES-03", "KES-04", "KES-05", "KES-06", "KES-07", "TAN-01"}

PROFESI = {
    "KES-01": ["Dokter", "Dokter gigi"],
    "KES-02": ["Dokter spesialis", "Dokter gigi spesialis"],
    "KES-04": ["Perawat", "Perawat gigi"],
    "KES-07": [
        "Fisioterapis",
        "Ahli teknologi laboratorium medik",
        "Radiografer",
        "Nutrisionis",
        "Perekam medis dan informasi kesehatan",
        "Terapis gigi dan mulut",
        "Sanitarian",
        "Elektromedis",
        "Okupasi terapis",
        "Terapis wicara",
    ],
}

VALIDITY = {
    "KES-08": (
        60,
        "Selama apotek beroperasi sesuai ketentuan; diperpanjang paling lambat 3 bulan "
        "sebelum berakhir.",
    ),
    "KES-12": (36, ""),
    "KES-13": (60, ""),
    "PU-02": (None, "5 tahun untuk bangunan umum, 20 tahun untuk rumah tinggal."),
    "PTSP-02": (None, "Sesuai masa tayang, paling lama 30 hari."),
    "KBP-01": (None, "Sesuai jangka waktu penelitian."),
    "TAN-04": (None, "Berlaku untuk satu kali pengangkutan."),
}

COMPLAINT_DPMPTSP = (
    "1. Loket pengaduan DPMPTSP Kabupaten Barito Timur.\n"
    "2. Formulir pengaduan daring di portal Satu Pintu (menu Pengaduan).\n"
    "3. SP4N-LAPOR! di www.lapor.go.id.\n"
    "Setiap pengaduan dicatat, diberi nomor dan ditindaklanjuti sesuai standar pelayanan."
)

GENERAL_LEGAL_BASIS = (
    "UU 25/2009 tentang Pelayanan Publik; "
    "Peraturan Menteri PANRB 15/2014 tentang Pedoman Standar Pelayanan"
)


def _is_optional(requirement: str) -> bool:
    lowered = requirement.lower()
    return any(
        marker in lowered
        for marker in ("(jika", "(bila", "bila wajib", "(bagi", "(untuk", "(perpanjangan)")
    ) or ("bagi asn" in lowered)


def _requirements(row: dict, variant: str, product: str) -> list[dict]:
    names = [r.strip() for r in row["requirements"].split(";") if r.strip()]
    if variant == "C":
        names = [
            "Surat permohonan pencabutan",
            "KTP pemohon atau akta badan usaha",
            f"Asli {product}",
        ]
    elif variant == "P":
        names = [f"{product} yang masih berlaku"] + [
            n for n in names if not n.lower().startswith(("surat permohonan", "formulir"))
        ]
        names.insert(0, "Surat permohonan perpanjangan")
    elif variant == "U":
        names = [
            "Surat permohonan perubahan",
            "KTP pemohon atau akta badan usaha",
            f"Asli {product}",
            "Dokumen pendukung perubahan (mis. akta perubahan, keterangan pindah alamat)",
        ]
    result = []
    for order, name in enumerate(names, start=1):
        is_photo = "foto" in name.lower() and "fotokopi" not in name.lower()
        result.append(
            {
                "order": order,
                "name": name[:300],
                "mandatory": not _is_optional(name),
                "accepted_types": "jpg,png" if is_photo else "pdf,jpg,png",
                "max_size_kb": 1024 if is_photo else 2048,
            }
        )
    return result


def _form_fields(code: str, variant: str, kind: str) -> list[dict]:
    def field(key, label, field_type="text", required=True, choices=(), help_text=""):
        return {
            "key": key,
            "label": label,
            "field_type": field_type,
            "required": required,
            "choices": "\n".join(choices),
            "help_text": help_text,
        }

    if variant == "C":
        return [
            field("nomor_izin_lama", "Nomor izin yang dicabut"),
            field("alasan_pencabutan", "Alasan pencabutan", "long_text"),
        ]
    if code in SIP_CODES:
        fields = []
        if code in PROFESI:
            fields.append(field("profesi", "Profesi", "choice", choices=PROFESI[code]))
        fields += [
            field(
                "nomor_str",
                "Nomor STR",
                help_text="Nomor Surat Tanda Registrasi yang tercantum pada STR Anda.",
            ),
            field(
                "jenis_praktik",
                "Jenis tempat praktik",
                "choice",
                choices=["Praktik mandiri", "Fasilitas pelayanan kesehatan"],
            ),
            field("nama_fasyankes", "Nama fasilitas pelayanan kesehatan", required=False),
            field("alamat_praktik", "Alamat tempat praktik", "long_text"),
            field("sip_ke", "SIP ke-", "choice", choices=["1", "2", "3"]),
        ]
    elif code == "PU-01":
        fields = [
            field("nomor_registrasi_simbg", "Nomor registrasi SIMBG"),
            field(
                "fungsi_bangunan",
                "Fungsi bangunan",
                "choice",
                choices=["Hunian", "Keagamaan", "Usaha", "Sosial dan budaya", "Khusus"],
            ),
            field("luas_bangunan", "Luas bangunan (m²)", "number"),
            field("jumlah_lantai", "Jumlah lantai", "number"),
            field("alamat_bangunan", "Alamat bangunan", "long_text"),
        ]
    elif code in ("PTSP-01", "PTSP-02"):
        fields = [
            field(
                "jenis_reklame",
                "Jenis reklame",
                "choice",
                choices=[
                    "Papan/billboard",
                    "Baliho",
                    "Spanduk",
                    "Umbul-umbul",
                    "Neon box",
                    "Lainnya",
                ],
            ),
            field("ukuran", "Ukuran (panjang x lebar, meter)"),
            field("lokasi", "Lokasi pemasangan", "long_text"),
            field("naskah", "Naskah reklame", "long_text"),
        ]
        if code == "PTSP-02":
            fields += [
                field("tanggal_mulai", "Tanggal mulai tayang", "date"),
                field("tanggal_selesai", "Tanggal selesai tayang", "date"),
            ]
    elif code == "KBP-01":
        fields = [
            field("judul_penelitian", "Judul penelitian"),
            field("instansi_asal", "Perguruan tinggi atau instansi asal"),
            field("lokasi_penelitian", "Lokasi penelitian", "long_text"),
            field("tanggal_mulai", "Tanggal mulai", "date"),
            field("tanggal_selesai", "Tanggal selesai", "date"),
        ]
    elif kind == "N":
        fields = [field("keperluan", "Keperluan", "long_text")]
    else:
        fields = [
            field("nama_usaha", "Nama usaha atau lembaga"),
            field("alamat_lokasi", "Alamat lokasi kegiatan", "long_text"),
            field(
                "telepon_penanggung_jawab",
                "Telepon penanggung jawab",
                "phone",
                required=False,
            ),
        ]
    if variant in ("P", "U"):
        fields.insert(0, field("nomor_izin_lama", "Nomor izin yang berlaku"))
    if variant == "U":
        fields.append(field("uraian_perubahan", "Uraian perubahan", "long_text"))
    return fields


def _steps(
    *,
    sla: int,
    delegated: bool,
    holder: str,
    technical: str | None,
    field_check: bool,
    computed_fee: bool,
) -> tuple[list[dict], dict]:
    split = sla >= 3
    verification = 1 if split else None
    signing = 1 if split else None
    technical_days = (sla - 2) if split and technical else None
    office = "DPMPTSP" if delegated else holder
    steps = [
        {
            "title": "Pengajuan permohonan",
            "actor": "Pemohon",
            "description": "Mengisi formulir dan mengunggah persyaratan melalui portal Satu Pintu "
            "atau dibantu petugas di loket.",
        },
        {
            "title": "Verifikasi kelengkapan berkas",
            "actor": f"Front office {office}",
            "working_days": verification,
            "description": "Berkas yang belum lengkap dikembalikan dengan daftar kekurangannya; "
            "berkas lengkap diberi nomor registrasi dan tanda terima.",
        },
        {
            "title": "Pemeriksaan keabsahan",
            "actor": f"Back office {office}",
            "working_days": None if technical else ((sla - 2) if split else None),
            "description": "Memeriksa keabsahan dokumen dan menyiapkan konsep produk.",
        },
    ]
    if technical:
        steps.append(
            {
                "title": "Pemeriksaan lapangan dan kajian teknis"
                if field_check
                else "Kajian teknis",
                "actor": f"Tim teknis {technical}",
                "working_days": technical_days,
                "description": "Menyusun berita acara pemeriksaan (BAP) dan rekomendasi teknis."
                if field_check
                else "Memberikan rekomendasi teknis.",
            }
        )
    if computed_fee:
        steps.append(
            {
                "title": "Penetapan dan pembayaran retribusi",
                "actor": "Pemohon",
                "description": "SKRD diterbitkan; pembayaran ke kas daerah. Waktu pembayaran "
                "tidak dihitung dalam jangka waktu.",
            }
        )
    steps += [
        {
            "title": "Penandatanganan",
            "actor": "Kepala DPMPTSP" if delegated else f"Kepala {holder}",
            "working_days": signing,
            "description": "Produk ditandatangani secara elektronik.",
        },
        {
            "title": "Penyerahan produk",
            "actor": office,
            "description": "Produk dapat diunduh di portal dan diperiksa keasliannya melalui "
            "kode QR.",
        },
    ]
    stages = {
        "sla_verification_days": verification,
        "sla_technical_days": technical_days,
        "sla_signing_days": signing,
    }
    return steps, stages


def _channel_note(channel: str) -> str:
    if "SIMBG" in channel:
        return (
            "Permohonan teknis diajukan melalui SIMBG (Kementerian PUPR); portal ini mencatat "
            "tindak lanjut di daerah."
        )
    if channel.startswith("OSS"):
        return (
            "Untuk kegiatan berusaha, perizinan diajukan melalui OSS-RBA; DPMPTSP dan tim teknis "
            "memverifikasi di daerah."
        )
    return ""


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
    steps, stages = _steps(
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
    legal_basis = [row["legal_basis"]]
    if delegated:
        legal_basis.append(
            f"{kewenangan.perbup_number} tentang Pendelegasian Kewenangan Penyelenggaraan "
            "Perizinan dan Non-Perizinan kepada Kepala DPMPTSP"
        )
    legal_basis.append(GENERAL_LEGAL_BASIS)
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
    channel_note = _channel_note(row["channel"])
    if channel_note and letter != "C":
        description += " " + channel_note

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
        Persyaratan(jenis_izin=service, **item) for item in _requirements(row, letter, base_product)
    )
    LangkahProsedur.objects.bulk_create(
        LangkahProsedur(jenis_izin=service, order=order, **step)
        for order, step in enumerate(steps, start=1)
    )
    IsianFormulir.objects.bulk_create(
        IsianFormulir(jenis_izin=service, order=order, **item)
        for order, item in enumerate(_form_fields(code, letter, kind), start=1)
    )
    publish_standard(service, actor=None)
    return service


def seed() -> None:
    opds = seed_opd()
    # One log line per created kewenangan would drown the output of ``make run``.
    service_log = logging.getLogger("kewenangan.services")
    level = service_log.level
    service_log.setLevel(logging.WARNING)
    try:
        seed_catalogue(opds)
    finally:
        service_log.setLevel(level)
