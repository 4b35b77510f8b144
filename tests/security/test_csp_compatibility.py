"""The strict CSP (no 'unsafe-inline') only works if no page carries inline script or style.
These tests keep it so: the project's templates, and the rendered Django admin pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + [
    Path(settings.BASE_DIR) / app / "templates"
    for app in ("accounts", "kewenangan", "notifikasi", "perizinan", "akuntabilitas")
]

INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "style= attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL),
    "on*= event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def inline_code(html: str) -> list[str]:
    found = []
    for label, pattern in INLINE.items():
        for match in pattern.finditer(html):
            line = html.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: {label}")
    return found


def is_email_template(path: Path) -> bool:
    """E-mail bodies need inline styles (mail clients drop <link>), and no browser renders
    them under our CSP: ``email.html``, ``email_*.html`` or anything in an ``email/`` folder."""
    return path.name.startswith("email") or "email" in path.parent.parts


def web_templates() -> list[Path]:
    paths = []
    for directory in TEMPLATE_DIRS:
        if directory.is_dir():
            paths += [p for p in sorted(directory.rglob("*.html")) if not is_email_template(p)]
    return paths


def test_templates_have_no_inline_script_style_or_handler():
    findings = []
    for path in web_templates():
        findings += [f"{path}: {hit}" for hit in inline_code(path.read_text())]
    assert findings == []


def test_the_template_scan_covers_the_web_pages_and_skips_only_email_bodies():
    names = {str(p.relative_to(settings.BASE_DIR)) for p in web_templates()}
    assert "templates/base.html" in names
    assert "templates/includes/session_timeout.html" in names
    assert "templates/accounts/verify_email.html" in names
    assert not any(is_email_template(Path(name)) for name in names)


def test_the_inline_code_detector_finds_each_kind():
    html = (
        "<script>alert(1)</script>\n<style>p{}</style>\n<p style='x'>\n"
        "<a onclick='x'>\n<a href='javascript:x'>\n<script src='/static/a.js'></script>"
    )
    assert [hit.split(": ", 1)[1] for hit in inline_code(html)] == list(INLINE)


def admin_urls():
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return urls


@pytest.mark.django_db
def test_django_admin_pages_have_no_inline_script_or_style(client):
    """So /admin/ needs no CSP exclusion (django-csp EXCLUDE_URL_PREFIXES stays unset)."""
    user = UserFactory(admin=True)
    client.force_login(user)
    urls = admin_urls() + [reverse("admin:accounts_user_change", args=[user.pk])]
    findings = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue  # e.g. an admin without an add permission: nothing rendered
        findings += [f"{url} {hit}" for hit in inline_code(response.content.decode())]
    assert findings == []


def test_csp_covers_admin_no_url_prefix_is_excluded():
    assert "EXCLUDE_URL_PREFIXES" not in settings.CONTENT_SECURITY_POLICY
