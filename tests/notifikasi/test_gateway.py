"""The SMS/WhatsApp gateway: the generic HTTP backend against a real HTTP server on 127.0.0.1
started by the test, including its failure paths; the logging backend for development."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifikasi.delivery import deliver
from notifikasi.exceptions import DeliveryError
from notifikasi.gateways import HttpGateway, LoggingGateway
from notifikasi.models import Channel, Notifikasi
from notifikasi.services import queue_message

pytestmark = pytest.mark.django_db


class Gateway(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), GatewayHandler)
        self.status = 200
        self.requests: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/kirim"


class GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        self.server.requests.append(
            {
                "path": self.path,
                "headers": dict(self.headers),
                "body": json.loads(self.rfile.read(length) or b"{}"),
            }
        )
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "nomor diblokir"}' if self.server.status >= 400 else b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = Gateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_GATEWAY_BACKEND = "notifikasi.gateways.HttpGateway"
    settings.SMS_GATEWAY_URL = server.url
    settings.SMS_GATEWAY_TOKEN = "rahasia-gateway"
    settings.SMS_GATEWAY_PAYLOAD = json.dumps(
        {"to": "{phone}", "message": "{text}", "ref": "{key}", "sender": "DPMPTSP"}
    )
    settings.SMS_GATEWAY_TIMEOUT = 5
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def sms(key="sms-1", subject='Izin "terbit" & siap', link=""):
    return queue_message(
        key=key,
        event="uji",
        subject=subject,
        body="",
        channel=Channel.SMS,
        phone="0812-3456-7890",
        link=link,
    )


def test_the_http_gateway_posts_the_filled_payload_with_the_token(gateway):
    row = sms(link="http://127.0.0.1:8000/permohonan/x/")
    assert deliver(row.pk) == "sent"
    (request,) = gateway.requests
    assert request["path"] == "/kirim"
    assert request["headers"]["Authorization"] == "Bearer rahasia-gateway"
    assert request["headers"]["Idempotency-Key"] == str(row.public_id)
    assert request["body"] == {
        "to": "6281234567890",
        "message": 'Izin "terbit" & siap http://127.0.0.1:8000/permohonan/x/',
        "ref": str(row.public_id),
        "sender": "DPMPTSP",
    }
    row.refresh_from_db()
    assert row.state == Notifikasi.State.SENT


def test_a_gateway_refusal_marks_the_message_failed_with_the_reason(gateway):
    gateway.status = 400
    row = sms()
    assert deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.state == Notifikasi.State.FAILED
    assert "gateway HTTP 400" in row.last_error
    assert "nomor diblokir" in row.last_error


def test_a_gateway_outage_is_retried_then_failed(gateway, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    gateway.status = 503
    row = sms()
    assert deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert (row.state, row.last_error[:16]) == (Notifikasi.State.PENDING, "gateway HTTP 503")
    assert deliver(row.pk) == "failed"
    assert len(gateway.requests) == 2


def test_an_unreachable_gateway_is_a_temporary_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once the socket is closed
    gateway = HttpGateway(url=f"http://127.0.0.1:{port}/", token="", payload="{}")
    with pytest.raises(DeliveryError) as error:
        gateway.send(phone="081234567890", text="x", key="k")
    assert not error.value.permanent
    assert "unreachable" in str(error.value)


def test_a_payload_template_that_is_not_json_is_a_permanent_error():
    gateway = HttpGateway(url="http://127.0.0.1:9/", token="", payload="{bukan json")
    with pytest.raises(DeliveryError) as error:
        gateway.send(phone="081234567890", text="x", key="k")
    assert error.value.permanent


def test_the_logging_gateway_logs_a_masked_number_and_sends_nothing(caplog):
    with caplog.at_level("INFO", logger="notifikasi"):
        LoggingGateway().send(phone="081234567890", text="Halo", key="k1")
    assert "to=628123456****" in caplog.text
    assert "081234567890" not in caplog.text


def test_the_development_default_delivers_sms_to_the_log():
    row = sms()
    assert deliver(row.pk) == "sent"
