"""Load the demo data: OPDs, the 194 sample kewenangan with their services, one account per
role and a few applications. Idempotent: running it twice changes nothing the second time.
Refused when DEBUG is false, so demo passwords never reach production.

Each part of the domain seeds its own data in its ``demo`` module (``seed()``); they run in the
order of ``INSTALLED_APPS``, which lists the parts lower ones first (OPDs and services before
accounts, accounts before applications, applications before complaints and surveys), so this
command names none of them."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def seeders() -> list[str]:
    """The ``<app>.demo`` modules of the project's own apps, in ``INSTALLED_APPS`` order."""
    names = []
    for config in apps.get_app_configs():
        if config.name.startswith("django.") or "." in config.name:
            continue
        module_name = f"{config.name}.demo"
        if find_spec(module_name) is not None:
            names.append(module_name)
    return names


class Command(BaseCommand):
    help = "Load the demo data (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG=false: demo accounts have a public password."
            )
        with transaction.atomic():
            for module_name in seeders():
                import_module(module_name).seed()
                self.stdout.write(f"seeded {module_name}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
