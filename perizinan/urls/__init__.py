"""Citizens' URLs. Objects are addressed by their UUID (``public_id``), never the integer pk."""

from django.urls import path

from perizinan.views import akses as akses_views
from perizinan.views import izin as izin_views
from perizinan.views import lifecycle as lifecycle_views
from perizinan.views.pemohon import apply, claim, files, tracking

app_name = "perizinan"

urlpatterns = [
    path("permohonan/", files.PermohonanListView.as_view(), name="permohonan_list"),
    path("permohonan/baru/<slug:slug>/", apply.permohonan_create, name="permohonan_create"),
    # A counter file into the citizen's own account, with its number and PIN.
    path("permohonan/klaim/", claim.permohonan_claim, name="permohonan_claim"),
    path("permohonan/<uuid:public_id>/", files.permohonan_detail, name="permohonan_detail"),
    path(
        "permohonan/<uuid:public_id>/langkah/<int:step>/",
        apply.permohonan_step,
        name="permohonan_step",
    ),
    path(
        "permohonan/<uuid:public_id>/batalkan/",
        apply.permohonan_withdraw,
        name="permohonan_withdraw",
    ),
    path("permohonan/<uuid:public_id>/hapus/", apply.permohonan_discard, name="permohonan_discard"),
    path("permohonan/<uuid:public_id>/tanda-terima/", files.tanda_terima, name="tanda_terima"),
    path(
        "permohonan/<uuid:public_id>/tanda-terima.pdf",
        files.tanda_terima_pdf,
        name="tanda_terima_pdf",
    ),
    path("dokumen/<uuid:public_id>/", files.dokumen_download, name="dokumen_download"),
    path("lacak/", tracking.lacak, name="lacak"),
    # Permits (perizinan.views.izin)
    path("permohonan/<uuid:public_id>/izin.pdf", izin_views.izin_download, name="izin_download"),
    path(
        "permohonan/<uuid:public_id>/surat-penolakan.pdf",
        izin_views.surat_penolakan_download,
        name="surat_penolakan_download",
    ),
    path("verifikasi/<str:token>/", izin_views.verifikasi, name="verifikasi"),
    # A permit's life after issue (perizinan.views.lifecycle)
    path("izin/<uuid:public_id>/perpanjangan/", lifecycle_views.izin_renew, name="izin_renew"),
    path("izin/<uuid:public_id>/perubahan/", lifecycle_views.izin_amend, name="izin_amend"),
    path("izin/<uuid:public_id>/salinan/", lifecycle_views.izin_copy, name="izin_copy"),
    path(
        "izin/salinan/<uuid:public_id>.pdf",
        lifecycle_views.salinan_download,
        name="salinan_download",
    ),
    # The citizen's log of staff access to their documents (under the profile's address).
    path("akun/profil/akses-data/", akses_views.DataAccessView.as_view(), name="data_access"),
]
