"""In-app notifications (/notifikasi/): the bell, the list, mark as read."""

from django.urls import path

from notifikasi import views

app_name = "notifikasi"

urlpatterns = [
    path("", views.NotifikasiListView.as_view(), name="list"),
    path("baca-semua/", views.notifikasi_read_all, name="read_all"),
    path("<uuid:public_id>/baca/", views.notifikasi_read, name="read"),
]
