"""OPDs, the delegated authorities (kewenangan), service types (JenisIzin) and their published
service standards, one module per concern; every model is re-exported here
(``from kewenangan.models import JenisIzin``):

``opd``: the regency's agencies (PerangkatDaerah) · ``kewenangan``: the authorities and the
history of who holds them (Pelimpahan) · ``jenis_izin``: the service types · ``standar``: a
service's requirements, procedure, form fields and its frozen published versions ·
``kantor``: the office's local closures and its service pledge (maklumat).

Invariants that matter live here (constraints, ``clean``); every change of state goes through
``kewenangan/services.py``.
"""

from kewenangan.models.jenis_izin import JenisIzin, JenisIzinQuerySet
from kewenangan.models.kantor import HariLibur, Maklumat, MaklumatQuerySet
from kewenangan.models.kewenangan import (
    HOLDER_FIELDS,
    HolderChangeWithoutHistory,
    Kewenangan,
    KewenanganQuerySet,
    Pelimpahan,
)
from kewenangan.models.opd import PejabatPenandatangan, PerangkatDaerah
from kewenangan.models.standar import IsianFormulir, LangkahProsedur, Persyaratan, VersiStandar

__all__ = [
    "HOLDER_FIELDS",
    "HariLibur",
    "HolderChangeWithoutHistory",
    "IsianFormulir",
    "JenisIzin",
    "JenisIzinQuerySet",
    "Kewenangan",
    "KewenanganQuerySet",
    "LangkahProsedur",
    "Maklumat",
    "MaklumatQuerySet",
    "PejabatPenandatangan",
    "Pelimpahan",
    "PerangkatDaerah",
    "Persyaratan",
    "VersiStandar",
]
