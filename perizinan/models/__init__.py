"""Models of the perizinan app, one module per part of the domain.

``permohonan``: applications, their documents, status history, numbering and access log ·
``berkas``: the officers' file activity and the field report (BAP) · ``izin``: permits and
rejection letters. Every model is re-exported here, so ``from perizinan.models import
Permohonan`` works.
"""

from perizinan.models.berkas import AktivitasBerkas, BeritaAcara  # noqa: F401
from perizinan.models.izin import Izin, IzinQuerySet, SalinanIzin, SuratPenolakan  # noqa: F401
from perizinan.models.permohonan import (  # noqa: F401
    AksesDokumen,
    Dokumen,
    Penomoran,
    Permohonan,
    PermohonanQuerySet,
    RiwayatStatus,
    private_storage,
)
