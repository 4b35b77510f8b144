"""``manage.py export_kewenangan FILE``: write every kewenangan as CSV or XLSX, in the format
``import_kewenangan`` reads (``-`` writes CSV to standard output)."""

from django.core.management.base import BaseCommand, CommandError

from kewenangan.importers import export_csv, export_kewenangan


class Command(BaseCommand):
    help = "Ekspor daftar kewenangan ke berkas CSV atau XLSX (format yang sama dengan impor)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas .csv atau .xlsx, atau - untuk CSV ke layar")

    def handle(self, *args, **options):
        target = options["file"]
        if target == "-":
            export_csv(self.stdout)
            return
        try:
            count = export_kewenangan(target)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"{count} kewenangan ditulis ke {target}.")
