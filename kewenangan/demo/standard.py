"""The service standard of a demo service, built from its catalogue row and variant: the
required documents, the service's own form fields and the procedure's steps with their
working days."""

from __future__ import annotations

from kewenangan.demo.samples import PROFESI, SIP_CODES


def _is_optional(requirement: str) -> bool:
    lowered = requirement.lower()
    return any(
        marker in lowered
        for marker in ("(jika", "(bila", "bila wajib", "(bagi", "(untuk", "(perpanjangan)")
    ) or ("bagi asn" in lowered)


def requirements_for(row: dict, variant: str, product: str) -> list[dict]:
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


def form_fields_for(code: str, variant: str, kind: str) -> list[dict]:
    """The service's own form fields. Every service says which of them its permit prints and
    its public verification page shows (``print_on_permit``): what the permit permits (the
    STR number, the practice address and type, the location, the size), never contact data
    or free-text reasons."""

    def field(key, label, field_type="text", required=True, choices=(), help_text="", printed=True):
        return {
            "key": key,
            "label": label,
            "field_type": field_type,
            "required": required,
            "choices": "\n".join(choices),
            "help_text": help_text,
            "print_on_permit": printed,
        }

    if variant == "C":
        return [
            field("nomor_izin_lama", "Nomor izin yang dicabut"),
            field("alasan_pencabutan", "Alasan pencabutan", "long_text", printed=False),
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
            field("naskah", "Naskah reklame", "long_text", printed=False),
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
                printed=False,
            ),
        ]
    if variant in ("P", "U"):
        fields.insert(0, field("nomor_izin_lama", "Nomor izin yang berlaku"))
    if variant == "U":
        fields.append(field("uraian_perubahan", "Uraian perubahan", "long_text"))
    return fields


def steps_for(
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
    steps = [
        {
            "title": "Pengajuan permohonan",
            "actor_role": "pemohon",
            "description": "Mengisi formulir dan mengunggah persyaratan melalui portal Satu Pintu "
            "atau dibantu petugas di loket.",
        },
        {
            "title": "Verifikasi kelengkapan berkas",
            "actor_role": "front_office",
            "working_days": verification,
            "description": "Berkas yang belum lengkap dikembalikan dengan daftar kekurangannya; "
            "berkas lengkap diberi nomor registrasi dan tanda terima.",
        },
        {
            "title": "Pemeriksaan keabsahan",
            "actor_role": "back_office",
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
                "actor_role": "tim_teknis",
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
                "actor_role": "pemohon",
                "description": "SKRD diterbitkan; pembayaran ke kas daerah. Waktu pembayaran "
                "tidak dihitung dalam jangka waktu.",
            }
        )
    steps += [
        {
            "title": "Penandatanganan",
            "actor_role": "penandatangan",
            "working_days": signing,
            "description": "Produk ditandatangani secara elektronik.",
        },
        {
            "title": "Penyerahan produk",
            "actor_role": "penyelenggara",
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


def channel_note(channel: str) -> str:
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
