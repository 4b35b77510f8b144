"""The MFA pages under ``/akun/mfa/``: enrolment, the code after the password, backup codes.

The middleware sends every staff session without a second factor here; these views also check
for themselves who may use them (a citizen is sent home, an anonymous visitor to log-in).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.mfa import services
from accounts.mfa.forms import CodeForm, EnrolForm
from accounts.mfa.services import Outcome
from accounts.profile import ProfileSection
from config.client_ip import client_ip


def next_url(request) -> str:
    """Where to go once verified: a safe ``next`` of this site, else the log-in default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def with_next(url_name: str, request) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': target})}" if target else url


def locked_message() -> str:
    minutes = max(1, services.cooloff_seconds() // 60)
    return ngettext(
        "Terlalu banyak kode yang salah. Demi keamanan, verifikasi akun ini dikunci "
        "sementara. Coba lagi dalam %(minutes)d menit.",
        "Terlalu banyak kode yang salah. Demi keamanan, verifikasi akun ini dikunci "
        "sementara. Coba lagi dalam %(minutes)d menit.",
        minutes,
    ) % {"minutes": minutes}


def failure_message(result: services.Result) -> str:
    if result.outcome is Outcome.TOO_SOON:
        text = _("Tunggu beberapa detik sebelum mencoba lagi.")
    else:
        text = _(
            "Kode salah atau sudah kedaluwarsa. Periksa bahwa jam ponsel Anda tepat, lalu "
            "masukkan kode yang sedang tampil."
        )
    left = result.attempts_left or 0
    return (
        text
        + " "
        + ngettext(
            "Sisa %(left)d percobaan sebelum dikunci sementara.",
            "Sisa %(left)d percobaan sebelum dikunci sementara.",
            left,
        )
        % {"left": left}
    )


class _StaffOnly(View):
    """Signed-in users who need a second factor; anyone else is sent away."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.required_for(request.user):
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, template: str, context: dict, status: int = 200):
        # The half-signed-in staff member sees no menu: every page but these needs the code.
        context = {
            "nav_items": [],
            "next": self.request.POST.get("next") or self.request.GET.get("next", ""),
            **context,
        }
        if context.get("locked"):
            context["locked_message"] = locked_message()
        return render(self.request, template, context, status=status)


@method_decorator([never_cache, sensitive_post_parameters("code")], "dispatch")
class VerifyView(_StaffOnly):
    """The code after the password."""

    template_name = "accounts/mfa_verify.html"

    def _route(self, request) -> HttpResponseRedirect | None:
        if services.is_verified(request.user):
            return HttpResponseRedirect(next_url(request))
        if not services.has_device(request.user):
            return HttpResponseRedirect(with_next("accounts:mfa_enrol", request))
        return None

    def get(self, request):
        route = self._route(request)
        if route is not None:
            return route
        locked = services.is_locked(request.user, client_ip(request))
        return self.render_page(self.template_name, {"form": CodeForm(), "locked": locked})

    def post(self, request):
        route = self._route(request)
        if route is not None:
            return route
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render_page(self.template_name, {"form": form}, status=400)
        result = services.verify(request, code=form.cleaned_data["code"])
        if result.ok:
            if result.backup_codes_left is not None:
                messages.warning(request, backup_code_used_message(result.backup_codes_left))
            return HttpResponseRedirect(next_url(request))
        if result.outcome is Outcome.LOCKED:
            form = CodeForm()
            return self.render_page(self.template_name, {"form": form, "locked": True}, status=429)
        form.add_error("code", failure_message(result))
        return self.render_page(self.template_name, {"form": form}, status=400)


def backup_code_used_message(left: int) -> str:
    text = ngettext(
        "Anda masuk dengan kode cadangan. Sisa %(left)d kode cadangan.",
        "Anda masuk dengan kode cadangan. Sisa %(left)d kode cadangan.",
        left,
    ) % {"left": left}
    if left <= 3:
        text += " " + _("Buat kode cadangan baru di halaman Kode cadangan.")
    return text


@method_decorator([never_cache, sensitive_post_parameters("code")], "dispatch")
class EnrolView(_StaffOnly):
    """First log-in (or after an admin's reset): add the secret to an authenticator app by QR
    code or by hand, confirm it with a code, then see the backup codes once."""

    template_name = "accounts/mfa_enrol.html"

    def _route(self, request) -> HttpResponseRedirect | None:
        if services.has_device(request.user):
            if services.is_verified(request.user):
                return HttpResponseRedirect(next_url(request))
            return HttpResponseRedirect(with_next("accounts:mfa_verify", request))
        if not services.may_enrol(request.session):
            # Only right after the password: an old session (stolen, or open before an
            # admin's reset) must not enrol a new device. Log in again.
            target = request.POST.get("next") or request.GET.get("next") or ""
            logout(request)
            messages.info(
                request,
                _("Untuk mendaftarkan aplikasi autentikator, masuk lagi dengan kata sandi Anda."),
            )
            return redirect_to_login(target or resolve_url(settings.LOGIN_REDIRECT_URL))
        return None

    def _page(self, form, *, status=200, locked=False):
        key = services.pending_key(self.request.session)
        uri = services.provisioning_uri(self.request.user, key)
        context = {
            "form": form,
            "locked": locked,
            "secret": services.secret_text(key),
            "qr_code": services.qr_code_data_uri(uri),
            "issuer": settings.OTP_TOTP_ISSUER,
        }
        return self.render_page(self.template_name, context, status=status)

    def get(self, request):
        route = self._route(request)
        if route is not None:
            return route
        locked = services.is_locked(request.user, client_ip(request))
        return self._page(EnrolForm(), locked=locked)

    def post(self, request):
        route = self._route(request)
        if route is not None:
            return route
        form = EnrolForm(request.POST)
        if not form.is_valid():
            return self._page(form, status=400)
        key = request.session.get(services.PENDING_KEY_SESSION_KEY)
        if not key:
            # The session lost the secret (it expired, or another tab finished): a new QR code.
            form.add_error(
                "code", _("Kode QR sudah berganti. Pindai kode QR di bawah ini, lalu coba lagi.")
            )
            return self._page(form, status=400)
        result = services.confirm_enrolment(request, key_hex=key, code=form.cleaned_data["code"])
        if result.outcome is Outcome.ALREADY_ENROLLED:
            return HttpResponseRedirect(with_next("accounts:mfa_verify", request))
        if result.outcome is Outcome.LOCKED:
            return self._page(EnrolForm(), status=429, locked=True)
        if not result.ok:
            form.add_error("code", failure_message(result))
            return self._page(form, status=400)
        request.session.pop(services.PENDING_KEY_SESSION_KEY, None)
        request.session[services.NEW_CODES_SESSION_KEY] = list(result.backup_codes)
        messages.success(request, _("Verifikasi dua langkah sudah aktif untuk akun Anda."))
        return HttpResponseRedirect(with_next("accounts:mfa_backup_codes", request))


@method_decorator(never_cache, "dispatch")
class BackupCodesView(_StaffOnly):
    """New backup codes are shown here once (after enrolment, or after "buat kode baru"); at
    other times the page says how many are left and offers a new set."""

    template_name = "accounts/mfa_backup_codes.html"

    def get(self, request):
        if not services.is_verified(request.user):
            return HttpResponseRedirect(with_next("accounts:mfa_verify", request))
        codes = request.session.pop(services.NEW_CODES_SESSION_KEY, None) or []
        context = {
            "codes": [services.format_backup_code(c) for c in codes],
            "left": services.backup_codes_left(request.user),
            "continue_url": next_url(request),
        }
        return self.render_page(self.template_name, context)

    def post(self, request):
        if not services.is_verified(request.user):
            return HttpResponseRedirect(with_next("accounts:mfa_verify", request))
        codes = services.regenerate_backup_codes(user=request.user)
        request.session[services.NEW_CODES_SESSION_KEY] = codes
        messages.success(request, _("Kode cadangan baru sudah dibuat; kode lama tidak berlaku."))
        return HttpResponseRedirect(with_next("accounts:mfa_backup_codes", request))


def _profile_context(request) -> dict | None:
    if not services.required_for(request.user):
        return None
    return {"backup_codes_left": services.backup_codes_left(request.user)}


#: Registered in ``AccountsConfig.ready`` (``accounts.profile``).
PROFILE_SECTION = ProfileSection(
    name="accounts.mfa",
    template_name="accounts/mfa_profile_section.html",
    context=_profile_context,
)
