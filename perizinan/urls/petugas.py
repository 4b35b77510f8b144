"""Officers' area (/petugas/): dashboards, queues, the file page and the officers' actions."""

from django.urls import path

from perizinan.views import izin as izin_views
from perizinan.views.petugas import actions, counter, desk, documents, file_page, route_health

app_name = "petugas"

urlpatterns = [
    path("", desk.dashboard, name="dashboard"),
    path("berkas/", desk.queue, name="queue"),
    path("berkas/ambil-berikutnya/", actions.claim_next, name="claim_next"),
    path("berkas/<uuid:public_id>/", file_page.file_detail, name="file"),
    path("berkas/<uuid:public_id>/tindakan/<slug:name>/", actions.act, name="act"),
    path("berkas/<uuid:public_id>/ambil/", actions.claim, name="claim"),
    path("berkas/<uuid:public_id>/lepas/", actions.release, name="release"),
    path("berkas/<uuid:public_id>/alihkan/", actions.reassign, name="reassign"),
    path("berkas/<uuid:public_id>/catatan/", actions.add_note, name="note"),
    path("berkas/<uuid:public_id>/bap/", actions.upload_bap, name="bap_upload"),
    path("dokumen/<uuid:public_id>/", documents.document, name="document"),
    path("dokumen/<uuid:public_id>/periksa/", actions.judge, name="judge"),
    path("bap/<uuid:public_id>/", documents.berita_acara, name="bap"),
    path("loket/", counter.counter, name="counter"),
    # Admins: services and files whose next move has no active officer.
    path("kesehatan-rute/", route_health.route_health_page, name="route_health"),
    path("loket/<slug:slug>/", counter.counter_entry, name="counter_entry"),
    path("berkas/<uuid:public_id>/perbaiki-di-loket/", counter.counter_fix, name="counter_fix"),
    path(
        "berkas/<uuid:public_id>/tanda-terima-pemohon/",
        counter.applicant_receipt,
        name="applicant_receipt",
    ),
    # Permits (perizinan.views.izin): the head's signing queue, batch signing, issued
    # permits, revocation.
    path("tanda-tangan/", izin_views.sign_queue, name="sign_queue"),
    path("tanda-tangan/sekaligus/", izin_views.sign_batch, name="sign_batch"),
    path("tanda-tangan/<uuid:public_id>/", izin_views.sign, name="sign"),
    path("izin/", izin_views.izin_list, name="izin_list"),
    path("izin/<uuid:public_id>/cabut/", izin_views.izin_revoke, name="izin_revoke"),
]
