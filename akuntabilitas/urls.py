"""Public accountability: complaints, the satisfaction survey, open statistics, office reports.

Mounted at ``/``. Public: ``/pengaduan/`` (file), ``/pengaduan/lacak/`` (ticket + PIN),
``/pengaduan/register/``, ``/survei/<token>/``, ``/survei/umum/``, ``/statistik/``.
Officers: ``/pengaduan/masuk/`` (queue), ``/laporan/`` (reports), ``/laporan/kepatuhan/``.
"""

from django.urls import path

from akuntabilitas.views import laporan, pengaduan, statistik, survei

app_name = "akuntabilitas"

urlpatterns = [
    # Complaints, public.
    path("pengaduan/", pengaduan.pengaduan_create, name="pengaduan_create"),
    path("pengaduan/terkirim/", pengaduan.pengaduan_terkirim, name="pengaduan_terkirim"),
    path("pengaduan/lacak/", pengaduan.pengaduan_lacak, name="pengaduan_lacak"),
    path(
        "pengaduan/register/", pengaduan.PengaduanRegisterView.as_view(), name="pengaduan_register"
    ),
    # Complaints, officers.
    path("pengaduan/masuk/", pengaduan.pengaduan_queue, name="pengaduan_queue"),
    path("pengaduan/masuk/<uuid:public_id>/", pengaduan.pengaduan_detail, name="pengaduan_detail"),
    path(
        "pengaduan/masuk/<uuid:public_id>/lampiran/",
        pengaduan.pengaduan_lampiran,
        name="pengaduan_lampiran",
    ),
    path(
        "pengaduan/masuk/<uuid:public_id>/<slug:move>/",
        pengaduan.pengaduan_move,
        name="pengaduan_move",
    ),
    # The satisfaction survey.
    path("survei/umum/", survei.survei_umum, name="survei_umum"),
    path("survei/umum/qr.svg", survei.survei_qr, name="survei_qr"),
    path("survei/terima-kasih/", survei.survei_terima_kasih, name="survei_terima_kasih"),
    path("survei/<str:token>/", survei.survei_token, name="survei_token"),
    # Open statistics.
    path("statistik/", statistik.statistik_page, name="statistik"),
    path("statistik/<slug:dataset>.csv", statistik.statistik_csv, name="statistik_csv"),
    # Office reports and the compliance page.
    path("laporan/", laporan.laporan_index, name="laporan"),
    path("laporan/kepatuhan/", laporan.kepatuhan, name="kepatuhan"),
    path("laporan/<slug:slug>/", laporan.laporan_report, name="laporan_report"),
    path(
        "laporan/<slug:slug>.<str:fmt>",
        laporan.laporan_download,
        name="laporan_download",
    ),
]
