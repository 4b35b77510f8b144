"""Load the demo data: OPDs, the 194 sample kewenangan with their services, one account per
role and a few applications. Idempotent: running it twice changes nothing the second time.
Refused when DEBUG is false, so demo passwords never reach production."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Order matters: OPDs and services before accounts, accounts before applications.
SEEDERS = ("kewenangan.demo", "accounts.demo", "perizinan.demo", "perizinan.demo_akuntabilitas")


class Command(BaseCommand):
    help = "Load the demo data (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG=false: demo accounts have a public password."
            )
        with transaction.atomic():
            for module_name in SEEDERS:
                try:
                    module = import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name == module_name:
                        continue
                    raise
                module.seed()
                self.stdout.write(f"seeded {module_name}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
