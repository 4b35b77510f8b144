"""``manage.py import_kewenangan FILE [--dry-run]``: upsert kewenangan from CSV or XLSX.

The columns are documented in ``kewenangan.importers``. All or nothing: one bad row and
nothing changes; each error names the file, the line and the column.
"""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kewenangan.importers import KewenanganImportError, import_kewenangan


class Command(BaseCommand):
    help = "Impor daftar kewenangan (lampiran Perbup) dari berkas CSV atau XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas .csv atau .xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="tampilkan perubahan tanpa menyimpannya"
        )
        parser.add_argument(
            "--legal-basis",
            default="",
            help="dasar hukum riwayat untuk perubahan pemegang tanpa nomor Perbup di baris",
        )
        parser.add_argument(
            "--effective-date",
            type=datetime.date.fromisoformat,
            default=None,
            help="tanggal berlaku (TTTT-BB-HH) untuk perubahan tanpa tanggal Perbup",
        )
        parser.add_argument("--actor", default="", help="e-mail admin yang dicatat di riwayat")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path}: berkas tidak ditemukan.")
        actor = None
        if options["actor"]:
            actor = get_user_model().objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"--actor {options['actor']}: pengguna tidak ditemukan.")
        try:
            report = import_kewenangan(
                path,
                dry_run=options["dry_run"],
                actor=actor,
                legal_basis=options["legal_basis"],
                effective_date=options["effective_date"],
            )
        except KewenanganImportError as exc:
            raise CommandError(
                "Impor dibatalkan, tidak ada perubahan yang disimpan:\n" + "\n".join(exc.errors)
            ) from None
        prefix = "[uji coba, tidak disimpan] " if report.dry_run else ""
        for code in report.created:
            self.stdout.write(f"{prefix}baru: {code}")
        for code in report.reassigned:
            self.stdout.write(f"{prefix}pemegang berubah: {code}")
        for code, fields in report.updated.items():
            self.stdout.write(f"{prefix}diubah: {code} ({', '.join(fields)})")
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{len(report.created)} baru, {len(report.reassigned)} pindah pemegang, "
                f"{len(report.updated)} diubah, {report.unchanged} tetap."
            )
        )
