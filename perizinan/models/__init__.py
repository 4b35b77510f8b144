"""Models of the perizinan app, one module per part of the domain.

``permohonan``: applications, their documents, status history, numbering and access log.
Every model is re-exported here, so ``from perizinan.models import Permohonan`` works.
"""

from perizinan.models.permohonan import (  # noqa: F401
    AksesDokumen,
    Dokumen,
    Penomoran,
    Permohonan,
    PermohonanQuerySet,
    RiwayatStatus,
    private_storage,
)
