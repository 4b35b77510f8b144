"""Security headers (ASVS 5.0.0 V3.4, 14.3.2): CSP from django-csp, nosniff, referrer and
opener policies on every sample page; HSTS and __Host- cookies with production settings;
no-store on every response to a signed-in user."""

from __future__ import annotations

import json

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from tests.config.test_settings import PROD_ENV, run_manage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SAMPLE_URLS = ["/", "/layanan/", "/lacak/", "/akun/masuk/", "/healthz"]


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", SAMPLE_URLS)
def test_every_page_sends_a_strict_content_security_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    csp = csp_directives(response)
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", SAMPLE_URLS)
def test_every_page_sends_nosniff_referrer_and_opener_policies(client, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_csp_lets_officers_frame_documents_of_the_same_origin_only(client):
    csp = csp_directives(client.get("/"))
    assert csp["frame-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["form-action"] == ["'self'"]


def test_csp_is_sent_on_django_admin_too(client):
    client.force_login(UserFactory(admin=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert csp_directives(response)["script-src"] == ["'self'"]


def test_a_view_that_sets_its_own_policy_keeps_it():
    """Downloads send ``sandbox; default-src 'none'``; django-csp must not replace it."""

    def download(request):
        response = HttpResponse(b"%PDF-1.7")
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return response

    request = RequestFactory().get("/dokumen/x/")
    response = CSPMiddleware(download)(request)
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_pages_for_a_signed_in_user_are_not_stored_by_caches(client):
    client.force_login(UserFactory())
    for url in ["/", "/layanan/", "/akun/profil/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_a_view_that_chose_its_own_cache_control_keeps_it(client):
    client.force_login(UserFactory())
    response = client.get("/healthz")  # @never_cache
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_public_pages_for_anonymous_visitors_are_not_marked_no_store(client):
    response = client.get("/layanan/")
    assert "no-store" not in response.get("Cache-Control", "")


# --- Production settings ---------------------------------------------------------------------

PROD_PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings
names = ["SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
         "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
         "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_HTTPONLY",
         "SESSION_COOKIE_PATH", "CSRF_COOKIE_PATH", "SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN",
         "DEBUG"]
out = {name: getattr(settings, name) for name in names}
client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
response = client.get("/healthz", secure=True)
out["healthz_hsts"] = response.get("Strict-Transport-Security")
out["healthz_csp"] = response.get("Content-Security-Policy")
out["http_redirect"] = client.get("/healthz").status_code
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production():
    result = run_manage("shell", "-c", PROD_PROBE, env_overrides=PROD_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_with_subdomains(production):
    assert production["DEBUG"] is False
    assert production["healthz_hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "object-src 'none'" in production["healthz_csp"]


def test_production_redirects_plain_http_to_https(production):
    assert production["http_redirect"] == 301


def test_production_cookie_settings_qualify_for_the_host_prefix(production):
    """A __Host- cookie must be Secure, Path=/ and have no Domain, or browsers drop it."""
    assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_PATH"] == production["CSRF_COOKIE_PATH"] == "/"
    assert production["SESSION_COOKIE_DOMAIN"] is None
    assert production["CSRF_COOKIE_DOMAIN"] is None


def test_host_prefixed_cookies_are_set_secure_on_the_root_path(client, settings, production):
    """With the production cookie settings, the cookies the browser receives are valid
    __Host- cookies."""
    for name in ["SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME"]:
        setattr(settings, name, production[name])
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client.get("/akun/masuk/", secure=True)  # sets the CSRF cookie
    user = UserFactory()
    response = client.post(
        "/akun/masuk/", {"username": user.email, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302  # logged in: the response set the session cookie
    for name in ["__Host-sessionid", "__Host-csrftoken"]:
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["path"] == "/", name
        assert not cookie["domain"], name
    assert client.cookies["__Host-sessionid"]["httponly"] is True
