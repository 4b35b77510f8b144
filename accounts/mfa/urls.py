"""The MFA pages, under ``/akun/mfa/`` (mounted by ``accounts/urls.py``; ``accounts:mfa_*``)."""

from django.urls import path

from accounts.mfa import views

urlpatterns = [
    path("", views.VerifyView.as_view(), name="mfa_verify"),
    path("daftar/", views.EnrolView.as_view(), name="mfa_enrol"),
    path("kode-cadangan/", views.BackupCodesView.as_view(), name="mfa_backup_codes"),
]
