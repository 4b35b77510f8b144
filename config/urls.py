"""Root URLs. Each app owns its own ``urls.py``; this file only mounts them."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from config.health import healthz
from config.session_views import extend_session
from config.views import HomeView, baseline, favicon

admin.site.site_header = "Satu Pintu: administrasi"
admin.site.site_title = "Satu Pintu"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("__baseline", baseline, name="baseline"),
    path("favicon.ico", favicon, name="favicon"),  # make bench: the trivial view
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("akun/sesi/perpanjang/", extend_session, name="session_extend"),
    path("akun/", include("accounts.urls")),
    path("", include("kewenangan.urls")),
    path("", include("perizinan.urls")),
    path("petugas/", include("perizinan.urls.petugas")),
    path("notifikasi/", include("notifikasi.urls")),
    path("", include("akuntabilitas.urls")),
]
