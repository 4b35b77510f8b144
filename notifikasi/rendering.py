"""Rendering a message: the admin's template (``TemplatNotifikasi``) when there is one, else
the file template ``templates/notifikasi/<language>/<event>.txt``.

A file template's first non-empty line is the subject; the rest is the plain-text body. The
HTML e-mail wraps the text body in ``templates/notifikasi/email.html`` unless the admin's
template carries its own HTML. A database template that fails to render is logged and the file
template is used instead, so an admin's typo never stops a message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Template, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from config.logs import log_event
from notifikasi.models import Channel, TemplatNotifikasi

logger = logging.getLogger("notifikasi")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    body_html: str = ""


def base_context() -> dict:
    return {
        "site_url": settings.SITE_URL.rstrip("/"),
        "office_name": settings.OFFICE_NAME,
        "regency_name": settings.REGENCY_NAME,
    }


def render_message(*, event: str, channel: str, language: str, context: dict) -> Rendered:
    """Subject, text body and (e-mail only) HTML body of one message, in ``language``."""
    language = language or settings.LANGUAGE_CODE
    context = {**base_context(), **context}
    with translation.override(language):
        template = (
            TemplatNotifikasi.objects.filter(
                event=event, channel=channel, language=language, is_active=True
            )
            .only("subject", "body", "body_html")
            .first()
        )
        if template is not None:
            try:
                return render_db_template(template, context, channel=channel)
            except Exception as exc:  # noqa: BLE001 - any template error: use the file template
                log_event(
                    logger,
                    "notification_template_error",
                    level=logging.ERROR,
                    template_id=template.pk,
                    kind=event,
                    channel=channel,
                    language=language,
                    error=f"{exc.__class__.__name__}: {exc}",
                )
        return render_file_template(event, language, context, channel=channel)


def render_db_template(template: TemplatNotifikasi, context: dict, *, channel: str) -> Rendered:
    ctx = Context(context, autoescape=False)
    subject = " ".join(Template(template.subject).render(ctx).split())
    body = Template(template.body).render(ctx).strip()
    if not subject or not body:
        raise ValueError("the template renders an empty subject or body")
    html = ""
    if channel == Channel.EMAIL:
        if template.body_html.strip():
            html = Template(template.body_html).render(Context(context))
        else:
            html = _html_layout(subject, body, context)
    return Rendered(subject=subject, body=body, body_html=html)


def file_template_name(event: str, language: str) -> str:
    """``notifikasi/<language>/<event>.txt``, falling back to the default language."""
    for lang in (language, settings.LANGUAGE_CODE):
        name = f"notifikasi/{lang}/{event}.txt"
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        return name
    raise TemplateDoesNotExist(f"notifikasi/{language}/{event}.txt")


def render_file_template(event: str, language: str, context: dict, *, channel: str) -> Rendered:
    text = render_to_string(file_template_name(event, language), context)
    lines = text.strip().splitlines()
    subject = " ".join(lines[0].split()) if lines else event
    body = "\n".join(lines[1:]).strip()
    body = _squeeze_blank_lines(body)
    html = _html_layout(subject, body, context) if channel == Channel.EMAIL else ""
    return Rendered(subject=subject, body=body, body_html=html)


def _html_layout(subject: str, body: str, context: dict) -> str:
    return render_to_string(
        "notifikasi/email.html", {**context, "subject": subject, "body_text": body}
    )


def _squeeze_blank_lines(text: str) -> str:
    out: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out)
