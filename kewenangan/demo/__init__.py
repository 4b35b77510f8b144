"""Demo data for the kewenangan app (called by ``manage.py seed_demo``). Idempotent.

**Sample data, not the regency's annex.** The Perbup annex listing Barito Timur's 194
kewenangan is not public, so the demo builds exactly 194 from ``data/catalogue.csv`` (69
researched services, see ``data/catalogue_meta.csv`` for which rows are sourced) and their
variants (penerbitan baru, perpanjangan, perubahan, pencabutan) where the service has them.
Every kewenangan is marked ``is_sample``. The Perbup numbers and dates of the delegation stages
are invented. To replace the set with the real annex, import it with
``manage.py import_kewenangan lampiran.xlsx`` (see ``kewenangan.importers``).

Existing rows are left alone: running the seed twice changes nothing the second time.

One module per concern: ``opd`` (the OPDs), ``samples`` (the sample tables: services and
their variants, delegation stages, fees, validity), ``standard`` (a service's requirements,
form fields and procedure built from them) and ``catalogue`` (the kewenangan and services).
"""

from __future__ import annotations

import logging

from kewenangan.demo.catalogue import SAMPLE_COUNT, seed_catalogue
from kewenangan.demo.opd import seed_opd

__all__ = ["SAMPLE_COUNT", "seed", "seed_catalogue", "seed_opd"]


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
