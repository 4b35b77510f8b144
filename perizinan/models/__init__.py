"""Models of the perizinan app, one module per part of the domain.

``permohonan``: applications, their documents, status history, numbering and access log.
Every model is re-exported here, so ``from perizinan.models import Permohonan`` works.
"""

from perizinan.models.akuntabilitas import (  # noqa: F401, E402, I001
    JawabanSurvei,
    NilaiUnsur,
    Pengaduan,
    PengaduanStatus,
    PengaturanPengaduan,
    RiwayatPengaduan,
    UndanganSurvei,
)
from perizinan.models.berkas import AktivitasBerkas, BeritaAcara  # noqa: F401, E402
from perizinan.models.izin import Izin, IzinQuerySet, SuratPenolakan  # noqa: F401, E402
from perizinan.models.notifikasi import Channel, Notifikasi, TemplatNotifikasi  # noqa: F401, I001
from perizinan.models.permohonan import (  # noqa: F401
    AksesDokumen,
    Dokumen,
    Penomoran,
    Permohonan,
    PermohonanQuerySet,
    RiwayatStatus,
    private_storage,
)
