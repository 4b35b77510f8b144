"""The SMS/WhatsApp gateway behind one small interface.

``SMS_GATEWAY_BACKEND`` names the class: ``LoggingGateway`` (development: one log line per
message) or ``HttpGateway`` (a generic HTTP JSON gateway: ``SMS_GATEWAY_URL``,
``SMS_GATEWAY_TOKEN`` sent as ``Authorization: Bearer …``, and ``SMS_GATEWAY_PAYLOAD``, a JSON
template whose string values may contain ``{phone}``, ``{text}`` and ``{key}``). A gateway
raises ``DeliveryError``: permanent for a request the gateway refuses (4xx), temporary for
an outage (5xx, timeout, connection refused), which the sweeper retries.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from config.logs import log_event
from notifikasi.exceptions import DeliveryError

logger = logging.getLogger("notifikasi")


class Gateway(Protocol):
    def send(self, *, phone: str, text: str, key: str) -> None: ...


def normalize_phone(phone: str) -> str:
    """``0812-3456 7890`` → ``6281234567890`` (international form, digits only)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


class LoggingGateway:
    """Development: the message goes to the log (the number masked), nothing is sent."""

    def send(self, *, phone: str, text: str, key: str) -> None:
        masked = normalize_phone(phone)[:-4] + "****"
        log_event(logger, "sms_logged", to=masked, key=key, chars=len(text))


class HttpGateway:
    """A generic HTTP gateway: POST the filled-in JSON payload to ``url``."""

    def __init__(self, *, url=None, token=None, payload=None, timeout=None):
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.payload = payload if payload is not None else settings.SMS_GATEWAY_PAYLOAD
        self.timeout = timeout if timeout is not None else settings.SMS_GATEWAY_TIMEOUT
        if not self.url.startswith(("http://", "https://")):
            raise DeliveryError("SMS_GATEWAY_URL is not an http(s) URL", permanent=True)

    def build_payload(self, *, phone: str, text: str, key: str) -> bytes:
        values = {"phone": normalize_phone(phone), "text": text, "key": key}

        def fill(node):
            if isinstance(node, str):
                for name, value in values.items():
                    node = node.replace("{" + name + "}", value)
                return node
            if isinstance(node, list):
                return [fill(item) for item in node]
            if isinstance(node, dict):
                return {k: fill(v) for k, v in node.items()}
            return node

        try:
            template = json.loads(self.payload)
        except ValueError as exc:
            raise DeliveryError(f"SMS_GATEWAY_PAYLOAD is not JSON: {exc}", permanent=True) from exc
        return json.dumps(fill(template)).encode()

    def send(self, *, phone: str, text: str, key: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=self.build_payload(phone=phone, text=text, key=key),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": key,
                **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
            },
        )
        try:
            # The scheme is checked in __init__ (http/https only).
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
                status = response.status
        except urllib.error.HTTPError as exc:
            body = exc.read(300).decode("utf-8", "replace")
            raise DeliveryError(
                f"gateway HTTP {exc.code}: {body}", permanent=400 <= exc.code < 500
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"gateway unreachable: {exc}") from exc
        log_event(logger, "sms_sent", key=key, status=status)


def get_gateway() -> Gateway:
    return import_string(settings.SMS_GATEWAY_BACKEND)()
