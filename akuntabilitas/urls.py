"""Public accountability: complaints, the satisfaction survey, open statistics, office reports.

Mounted at ``/``. Public: ``/pengaduan/`` (file), ``/pengaduan/lacak/`` (ticket + PIN),
``/pengaduan/register/``, ``/survei/<token>/``, ``/survei/umum/``, ``/statistik/``.
Officers: ``/pengaduan/masuk/`` (queue), ``/laporan/`` (reports), ``/laporan/kepatuhan/``.
"""

from django.urls import path

from akuntabilitas import views

app_name = "akuntabilitas"

urlpatterns = [
    # Complaints, public.
    path("pengaduan/", views.pengaduan_create, name="pengaduan_create"),
    path("pengaduan/terkirim/", views.pengaduan_terkirim, name="pengaduan_terkirim"),
    path("pengaduan/lacak/", views.pengaduan_lacak, name="pengaduan_lacak"),
    path("pengaduan/register/", views.PengaduanRegisterView.as_view(), name="pengaduan_register"),
    # Complaints, officers.
    path("pengaduan/masuk/", views.pengaduan_queue, name="pengaduan_queue"),
    path("pengaduan/masuk/<uuid:public_id>/", views.pengaduan_detail, name="pengaduan_detail"),
    path(
        "pengaduan/masuk/<uuid:public_id>/lampiran/",
        views.pengaduan_lampiran,
        name="pengaduan_lampiran",
    ),
    path(
        "pengaduan/masuk/<uuid:public_id>/<slug:move>/",
        views.pengaduan_move,
        name="pengaduan_move",
    ),
    # The satisfaction survey.
    path("survei/umum/", views.survei_umum, name="survei_umum"),
    path("survei/umum/qr.svg", views.survei_qr, name="survei_qr"),
    path("survei/terima-kasih/", views.survei_terima_kasih, name="survei_terima_kasih"),
    path("survei/<str:token>/", views.survei_token, name="survei_token"),
    # Open statistics.
    path("statistik/", views.statistik_page, name="statistik"),
    path("statistik/<slug:dataset>.csv", views.statistik_csv, name="statistik_csv"),
    # Office reports and the compliance page.
    path("laporan/", views.laporan_index, name="laporan"),
    path("laporan/kepatuhan/", views.kepatuhan, name="kepatuhan"),
    path("laporan/<slug:slug>/", views.laporan_report, name="laporan_report"),
    path(
        "laporan/<slug:slug>.<str:fmt>",
        views.laporan_download,
        name="laporan_download",
    ),
]
