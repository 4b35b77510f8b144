"""The events perizinan sends, and made-up values of every variable their templates use, for
the preview of ``notifikasi``'s template admin (registered in ``PerizinanConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def sample_context() -> dict:
    site_url = settings.SITE_URL.rstrip("/")
    today = timezone.localdate()
    row = {
        "nomor": "BTM-2026-000123",
        "layanan": "Surat Izin Praktik Bidan",
        "status": "Kajian teknis",
        "batas_waktu": today - dt.timedelta(days=2),
        "tautan": site_url + "/petugas/",
    }
    return {
        "penerima": {"get_full_name": "Siti Rahmawati"},
        "nomor": "BTM-2026-000123",
        "layanan": "Surat Izin Praktik Bidan",
        "nama_pemohon": "Siti Rahmawati",
        "status": "Terdaftar",
        "batas_waktu": today + dt.timedelta(days=10),
        "batas_perbaikan": today + dt.timedelta(days=14),
        "jumlah_retribusi": "Rp 150.000",
        "bank": "Bank Kalteng",
        "rekening_nama": "Rekening Kas Umum Daerah Kabupaten Barito Timur",
        "rekening_nomor": "",
        "tautan": site_url + "/permohonan/…/",
        "tautan_unduh": site_url + "/izin/…/unduh/",
        "catatan": "Foto KTP kurang jelas; unggah ulang hasil pindaian berwarna.",
        "isian_diperbaiki": ["Alamat tempat praktik"],
        "dokumen_diperbaiki": ["KTP"],
        "waktu": timezone.localtime() + dt.timedelta(days=3),
        "tempat": "Jl. Tjilik Riwut No. 12, Tamiang Layang",
        "nomor_izin": "503/0042/SIPB/DPMPTSP/2026",
        "berlaku_sampai": today + dt.timedelta(days=60),
        "sisa_hari": 60,
        "tanggal": today,
        "berkas": [row, {**row, "nomor": "BTM-2026-000124"}],
        "jumlah": 2,
    }
