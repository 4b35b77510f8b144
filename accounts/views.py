"""Account pages under /akun/. Views are thin: forms validate, ``accounts.services`` acts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from accounts import profile, services, throttling
from accounts.forms import (
    LoginForm,
    OfficerProfileForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    ResendVerificationForm,
    SetPasswordForm,
    SignupForm,
)
from accounts.models import User
from accounts.tokens import AlreadyVerified, InvalidToken, read_verification_token

#: Staff access to a citizen's documents: rows per page of the full list, rows on the profile.


#: The page a citizen was going to when they signed up (kept in their session until the
#: verification, so that the log-in after it continues there).
AFTER_SIGNUP_KEY = "after_signup_next"


def _safe_next(request, value) -> str:
    """``value`` if it is a path on this site, else ""."""
    value = str(value or "")[:500]
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["unverified_email"] = getattr(form, "unverified_email", None)
        return context


@method_decorator([sensitive_post_parameters("password1", "password2"), never_cache], "dispatch")
class SignupView(FormView):
    template_name = "accounts/signup.html"
    form_class = SignupForm
    success_url = reverse_lazy("accounts:signup_done")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        limit, window = throttling.SIGNUP_PER_IP
        ip = throttling.client_ip(self.request)
        if not throttling.hit(f"signup-ip:{ip}", limit=limit, window=window):
            form.add_error(
                None, _("Terlalu banyak pendaftaran dari jaringan ini. Coba lagi nanti.")
            )
            return self.form_invalid(form)
        services.register_pemohon(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            applicant_kind=form.cleaned_data["applicant_kind"],
        )
        self.request.session["signup_email"] = form.cleaned_data["email"]
        going = _safe_next(self.request, self.request.POST.get("next"))
        if going:  # where the citizen was going ("Ajukan permohonan"), after verification
            self.request.session[AFTER_SIGNUP_KEY] = going
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        context["next"] = _safe_next(self.request, source.get("next"))
        return context


class SignupDoneView(TemplateView):
    template_name = "accounts/signup_done.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email"] = self.request.session.get("signup_email", "")
        context["resend_form"] = ResendVerificationForm(initial={"email": context["email"]})
        return context


@method_decorator(never_cache, "dispatch")
class VerifyEmailView(View):
    """GET shows a button, POST verifies: a GET never changes anything (link scanners in
    mailboxes open links too)."""

    template_name = "accounts/verify_email.html"

    def get(self, request, token):
        try:
            read_verification_token(token)
        except AlreadyVerified:
            return self._already_verified(request)
        except InvalidToken:
            return self._invalid(request)
        return render(request, self.template_name, {"token": token, "valid": True})

    def post(self, request, token):
        try:
            services.verify_email(token=token)
        except AlreadyVerified:
            return self._already_verified(request)
        except InvalidToken:
            return self._invalid(request)
        messages.success(
            request, _("Terima kasih, alamat e-mail Anda sudah terverifikasi. Silakan masuk.")
        )
        going = _safe_next(request, request.session.pop(AFTER_SIGNUP_KEY, ""))
        if going:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': going})}")
        return redirect("accounts:login")

    def _already_verified(self, request):
        messages.info(request, _("Alamat e-mail ini sudah terverifikasi. Silakan masuk."))
        return redirect("accounts:login")

    def _invalid(self, request):
        context = {"valid": False, "resend_form": ResendVerificationForm()}
        return render(request, self.template_name, context, status=400)


class ResendVerificationView(FormView):
    template_name = "accounts/resend_verification.html"
    form_class = ResendVerificationForm

    def form_valid(self, form):
        sent = services.request_verification_email(
            email=form.cleaned_data["email"], ip=throttling.client_ip(self.request)
        )
        if not sent:
            form.add_error(
                None,
                _("Permintaan terlalu sering. Tunggu sekitar satu jam, lalu coba lagi."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        messages.success(
            self.request,
            _(
                "Jika alamat itu terdaftar dan belum diverifikasi, e-mail verifikasi baru sudah "
                "kami kirim. Periksa juga folder spam."
            ),
        )
        return redirect("accounts:login")


@method_decorator(never_cache, "dispatch")
class ProfileView(LoginRequiredMixin, View):
    """The signed-in user's own profile (never anyone else's: there is no id in the URL)."""

    template_name = "accounts/profile.html"

    def get_form(self, data=None):
        # A fresh copy, so that a rejected form does not change request.user for this request.
        instance = User.objects.get(pk=self.request.user.pk)
        form_class = ProfileForm if instance.is_pemohon else OfficerProfileForm
        return form_class(data=data, instance=instance)

    def render_page(self, form):
        context = {"form": form, "profile_sections": profile.render_sections(self.request)}
        return render(self.request, self.template_name, context)

    def get(self, request):
        return self.render_page(self.get_form())

    def post(self, request):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                services.update_profile(user=form.instance, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Profil Anda sudah disimpan."))
                return redirect("accounts:profile")
        return self.render_page(form)


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")
    success_message = _("Kata sandi Anda sudah diganti. Sesi di perangkat lain sudah diakhiri.")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_completed(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["login_url"] = reverse("accounts:login")
        return context
