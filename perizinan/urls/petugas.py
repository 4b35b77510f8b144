"""Officers' area (/petugas/): dashboards, queues, the file page and the officers' actions."""

from django.urls import path

from perizinan.views import petugas as views

app_name = "petugas"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("berkas/", views.queue, name="queue"),
    path("berkas/ambil-berikutnya/", views.claim_next, name="claim_next"),
    path("berkas/<uuid:public_id>/", views.file_detail, name="file"),
    path("berkas/<uuid:public_id>/tindakan/<slug:name>/", views.act, name="act"),
    path("berkas/<uuid:public_id>/ambil/", views.claim, name="claim"),
    path("berkas/<uuid:public_id>/lepas/", views.release, name="release"),
    path("berkas/<uuid:public_id>/alihkan/", views.reassign, name="reassign"),
    path("berkas/<uuid:public_id>/catatan/", views.add_note, name="note"),
    path("berkas/<uuid:public_id>/bap/", views.upload_bap, name="bap_upload"),
    path("dokumen/<uuid:public_id>/", views.document, name="document"),
    path("dokumen/<uuid:public_id>/periksa/", views.judge, name="judge"),
    path("bap/<uuid:public_id>/", views.berita_acara, name="bap"),
    path("loket/", views.counter, name="counter"),
    path("loket/<slug:slug>/", views.counter_entry, name="counter_entry"),
]

# --- Permits: the head's signing queue, batch signing, issued permits, revocation -------------

from perizinan.views import izin as izin_views  # noqa: E402

urlpatterns += [
    path("tanda-tangan/", izin_views.sign_queue, name="sign_queue"),
    path("tanda-tangan/sekaligus/", izin_views.sign_batch, name="sign_batch"),
    path("tanda-tangan/<uuid:public_id>/", izin_views.sign, name="sign"),
    path("izin/", izin_views.izin_list, name="izin_list"),
    path("izin/<uuid:public_id>/cabut/", izin_views.izin_revoke, name="izin_revoke"),
]
