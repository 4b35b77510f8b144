from django.urls import path

from kewenangan import views

app_name = "kewenangan"

urlpatterns = [
    path("layanan/", views.LayananListView.as_view(), name="layanan_list"),
    path("layanan/<slug:slug>/", views.LayananDetailView.as_view(), name="layanan_detail"),
    path(
        "layanan/<slug:slug>/templat/<int:pk>/",
        views.template_download,
        name="template_download",
    ),
    path("kewenangan/", views.KewenanganListView.as_view(), name="kewenangan_list"),
    path("maklumat/", views.MaklumatView.as_view(), name="maklumat"),
]
