from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("mfa/", include("accounts.mfa.urls")),  # the second factor of staff log-ins
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),  # POST only (Django 5)
    path("daftar/", views.SignupView.as_view(), name="signup"),
    path("daftar/terkirim/", views.SignupDoneView.as_view(), name="signup_done"),
    path(
        "kirim-ulang-verifikasi/",
        views.ResendVerificationView.as_view(),
        name="resend_verification",
    ),
    path("verifikasi/<str:token>/", views.VerifyEmailView.as_view(), name="verify_email"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path("lupa-sandi/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "lupa-sandi/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "lupa-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
