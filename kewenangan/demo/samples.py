"""The sample tables of the demo catalogue: the services and their variants, permit number
codes, the (invented) delegation stages, technical OPDs, fixed fees, validity, professions of
the practice permits, complaint channel and legal basis texts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from kewenangan.models import JenisIzin

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
