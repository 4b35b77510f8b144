"""Citizens' URLs. Objects are addressed by their UUID (``public_id``), never the integer pk."""

from django.urls import path

from perizinan.views import akses as akses_views
from perizinan.views import izin as izin_views
from perizinan.views import pemohon as views

app_name = "perizinan"

urlpatterns = [
    path("permohonan/", views.PermohonanListView.as_view(), name="permohonan_list"),
    path("permohonan/baru/<slug:slug>/", views.permohonan_create, name="permohonan_create"),
    path("permohonan/<uuid:public_id>/", views.permohonan_detail, name="permohonan_detail"),
    path(
        "permohonan/<uuid:public_id>/langkah/<int:step>/",
        views.permohonan_step,
        name="permohonan_step",
    ),
    path(
        "permohonan/<uuid:public_id>/batalkan/",
        views.permohonan_withdraw,
        name="permohonan_withdraw",
    ),
    path("permohonan/<uuid:public_id>/hapus/", views.permohonan_discard, name="permohonan_discard"),
    path("permohonan/<uuid:public_id>/tanda-terima/", views.tanda_terima, name="tanda_terima"),
    path(
        "permohonan/<uuid:public_id>/tanda-terima.pdf",
        views.tanda_terima_pdf,
        name="tanda_terima_pdf",
    ),
    path("dokumen/<uuid:public_id>/", views.dokumen_download, name="dokumen_download"),
    path("lacak/", views.lacak, name="lacak"),
    # Permits (perizinan.views.izin)
    path("permohonan/<uuid:public_id>/izin.pdf", izin_views.izin_download, name="izin_download"),
    path(
        "permohonan/<uuid:public_id>/surat-penolakan.pdf",
        izin_views.surat_penolakan_download,
        name="surat_penolakan_download",
    ),
    path("verifikasi/<str:token>/", izin_views.verifikasi, name="verifikasi"),
    # The citizen's log of staff access to their documents (under the profile's address).
    path("akun/profil/akses-data/", akses_views.DataAccessView.as_view(), name="data_access"),
]
