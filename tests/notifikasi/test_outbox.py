"""The outbox: one row per message in the caller's transaction, delivered once, retried with
backoff, failed with the reason; templates from the database with the file as the fallback.
(Task bodies are called directly here; the path through Redis and a real worker is proven in
tests/notifikasi/test_worker.py.)"""

from __future__ import annotations

import datetime as dt
import logging
import socket

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction
from django.utils import timezone

from notifikasi import delivery, outbox, receipts
from notifikasi.delivery import deliver, sweep
from notifikasi.exceptions import DeliveryError
from notifikasi.models import Channel, Notifikasi, TemplatNotifikasi
from notifikasi.rendering import render_message
from notifikasi.services import queue_message
from tests.db import connect_kwargs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queue(key="k1", **kwargs) -> Notifikasi | None:
    values = {
        "key": key,
        "event": "uji",
        "subject": "Judul uji",
        "body": "Isi uji",
        "email": "warga@contoh.test",
    }
    values.update(kwargs)
    return queue_message(**values)


def test_a_second_message_with_the_same_key_is_a_no_op():
    first = queue()
    assert first is not None
    assert queue() is None
    assert Notifikasi.objects.count() == 1


def test_a_message_is_written_in_the_callers_transaction_and_rolls_back_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError
    assert not Notifikasi.objects.exists()


def test_delivery_is_scheduled_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = queue()
    assert len(callbacks) == 1
    assert row.state == Notifikasi.State.PENDING
    assert mail.outbox == []


def test_an_invalid_address_is_stored_as_failed_with_the_reason_and_does_not_raise():
    row = queue(email="bukan-alamat")
    assert row.state == Notifikasi.State.FAILED
    assert "invalid e-mail address" in row.last_error


def test_an_sms_to_an_invalid_number_is_stored_as_failed():
    row = queue(channel=Channel.SMS, email="", phone="12345")
    assert row.state == Notifikasi.State.FAILED
    assert "invalid phone number" in row.last_error


def test_an_inapp_message_is_delivered_by_being_stored():
    user = UserFactory()
    row = queue(channel=Channel.INAPP, user=user, email="")
    assert row.state == Notifikasi.State.SENT
    assert row.read_at is None


def test_an_inapp_message_needs_a_user():
    with pytest.raises(ValueError):
        queue(channel=Channel.INAPP, email="")


def test_the_users_address_and_language_are_used_when_not_given():
    user = UserFactory(email="ani@contoh.test", language="en")
    row = queue(user=user, email="")
    assert (row.email, row.language, row.recipient) == ("ani@contoh.test", "en", user)


def test_deliver_sends_the_email_with_html_and_marks_it_sent():
    row = queue(body_html="<p>Isi uji</p>")
    assert deliver(row.pk) == "sent"
    row.refresh_from_db()
    assert row.state == Notifikasi.State.SENT
    assert row.sent_at is not None
    assert row.attempts == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["warga@contoh.test"]
    assert message.subject == "Judul uji"
    assert message.alternatives[0][1] == "text/html"


def test_the_same_delivery_run_twice_sends_once():
    row = queue()
    assert deliver(row.pk) == "sent"
    assert deliver(row.pk) == "done"
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_a_running_delivery_is_left_to_it(monkeypatch):
    """The second run neither waits nor sends: the first holds the row lock."""
    import threading

    from django.db import connection

    monkeypatch.setattr(outbox, "enqueue_delivery", lambda pk: True)  # no broker here
    row = queue()
    results = []
    with transaction.atomic():
        Notifikasi.objects.select_for_update().get(pk=row.pk)

        def other():
            try:
                results.append(deliver(row.pk))
            finally:
                connection.close()

        # Another connection (a second worker) tries while this one holds the lock.
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(10)
    assert results == ["busy"]
    assert mail.outbox == []


def test_a_temporary_failure_is_retried_with_exponential_backoff(settings, monkeypatch):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    row = queue()

    def broken(row):
        raise DeliveryError("connection refused")

    monkeypatch.setattr(delivery, "send", broken)
    before = timezone.now()
    assert deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.state == Notifikasi.State.PENDING
    assert row.last_error == "connection refused"
    assert row.next_attempt_at >= before + dt.timedelta(seconds=60)
    Notifikasi.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at >= before + dt.timedelta(seconds=120)


def test_a_permanent_failure_marks_the_message_failed_at_once(monkeypatch):
    row = queue()

    def refused(row):
        raise DeliveryError("address refused: 550", permanent=True)

    monkeypatch.setattr(delivery, "send", refused)
    assert deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.state == Notifikasi.State.FAILED
    assert row.last_error == "address refused: 550"


def test_a_message_is_marked_failed_after_the_maximum_number_of_attempts(settings, monkeypatch):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2

    def broken(row):
        raise DeliveryError("timeout")

    monkeypatch.setattr(delivery, "send", broken)
    row = queue()
    assert deliver(row.pk) == "retry"
    assert deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (Notifikasi.State.FAILED, 2, "timeout")


def test_a_smtp_refusal_of_the_recipient_fails_the_message(settings):
    """The SMTP backend against a local server that refuses the recipient."""
    import smtplib

    class Refusing:
        def __init__(self, *args, **kwargs):
            pass

        def send_messages(self, messages):
            raise smtplib.SMTPRecipientsRefused({"warga@contoh.test": (550, b"no such user")})

    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    globals()["RefusingBackend"] = Refusing
    row = queue()
    assert deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert "address refused" in row.last_error


def test_the_sweeper_enqueues_pending_rows_whose_time_has_come(settings, monkeypatch):
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 60
    enqueued = []
    monkeypatch.setattr(outbox, "enqueue_delivery", lambda pk: enqueued.append(pk) or True)
    fresh = queue("fresh")
    due = queue("due")
    Notifikasi.objects.filter(pk=due.pk).update(next_attempt_at=timezone.now())
    assert sweep() == 1
    assert enqueued == [due.pk]
    due.refresh_from_db()
    assert due.next_attempt_at > timezone.now()  # not picked again by the next sweep
    assert sweep() == 0
    assert fresh.pk not in enqueued


def test_the_sweeper_fails_rows_out_of_attempts(settings, monkeypatch):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    monkeypatch.setattr(outbox, "enqueue_delivery", lambda pk: True)
    row = queue()
    Notifikasi.objects.filter(pk=row.pk).update(attempts=3, next_attempt_at=timezone.now())
    assert sweep() == 0
    row.refresh_from_db()
    assert row.state == Notifikasi.State.FAILED
    assert "gave up after 3 attempts" in row.last_error


def test_enqueue_with_the_broker_down_returns_false_instead_of_raising(monkeypatch):
    from notifikasi.tasks import deliver_notification

    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(deliver_notification, "apply_async", down)
    assert outbox.enqueue_delivery(1) is False


# --- The database goes away after the send --------------------------------------------------


def terminate_this_database_connection() -> None:
    """End this process's PostgreSQL backend from a second connection, as a restart of the
    server does (``pg_terminate_backend`` waits until the backend is gone)."""
    import psycopg2
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    other = psycopg2.connect(**connect_kwargs())
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


class SendsThenLosesTheDatabase(locmem.EmailBackend):
    """The mail server accepts the message (``mail.outbox``); then the worker's database
    connection is cut before the row can be marked sent."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        terminate_this_database_connection()
        return sent


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_successful_send_leaves_a_delivery_receipt_in_redis():
    row = queue()
    assert not receipts.exists(row)
    assert deliver(row.pk) == "sent"
    assert receipts.exists(row)


def test_a_message_with_a_delivery_receipt_is_marked_sent_without_sending_again(caplog):
    row = queue()
    assert receipts.record(row)
    with caplog.at_level(logging.INFO, logger="notifikasi"):
        assert deliver(row.pk) == "recovered"
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.state == Notifikasi.State.SENT
    assert row.sent_at is not None
    assert f"event=notification_sent_recovered id={row.pk}" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_message_sent_just_before_the_database_went_away_is_not_sent_again(settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.SendsThenLosesTheDatabase"
    settings.NOTIFICATION_MARK_SENT_RETRIES = 0  # only the receipt can prevent the double
    enqueued = []
    monkeypatch.setattr(outbox, "enqueue_delivery", lambda pk: enqueued.append(pk) or True)
    row = queue()
    enqueued.clear()

    assert deliver(row.pk) == "unconfirmed"
    assert len(mail.outbox) == 1
    row.refresh_from_db()  # a new connection
    assert row.state == Notifikasi.State.PENDING

    # The sweeper hands the row out again once its next attempt is due.
    assert sweep(now=timezone.now() + dt.timedelta(hours=2)) == 1
    assert [deliver(pk) for pk in enqueued] == ["recovered"]
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.state == Notifikasi.State.SENT
    assert mail.outbox[0].extra_headers["X-Satupintu-Notification"] == str(row.public_id)


@pytest.mark.django_db(transaction=True)
def test_the_sent_mark_is_retried_on_a_fresh_connection_after_the_connection_was_lost(
    settings, monkeypatch
):
    settings.EMAIL_BACKEND = f"{__name__}.SendsThenLosesTheDatabase"
    settings.NOTIFICATION_MARK_SENT_RETRIES = 1
    monkeypatch.setattr(outbox, "enqueue_delivery", lambda pk: True)  # no broker here
    row = queue()
    assert deliver(row.pk) == "sent"
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.state == Notifikasi.State.SENT


def test_delivery_goes_on_when_redis_for_the_receipts_is_unreachable(settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "receipts": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/12",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    settings.NOTIFICATION_RECEIPT_CACHE = "receipts"
    row = queue()
    with caplog.at_level(logging.WARNING, logger="notifikasi"):
        assert deliver(row.pk) == "sent"
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.state == Notifikasi.State.SENT
    assert "event=notification_receipt_unavailable op=read" in caplog.text
    assert "event=notification_receipt_unavailable op=write" in caplog.text


def test_a_message_out_of_attempts_with_a_receipt_is_sent_not_failed(settings, monkeypatch):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    monkeypatch.setattr(outbox, "enqueue_delivery", lambda pk: True)
    row = queue()
    Notifikasi.objects.filter(pk=row.pk).update(attempts=3, next_attempt_at=timezone.now())
    receipts.record(row)
    assert sweep() == 0
    row.refresh_from_db()
    assert row.state == Notifikasi.State.SENT
    assert mail.outbox == []


def test_the_message_id_is_made_from_the_row_and_is_the_same_on_every_attempt(settings):
    settings.DEFAULT_FROM_EMAIL = "Satu Pintu <no-reply@perizinan.baritotimurkab.go.id>"
    row = queue()
    other = queue("k2")
    first = delivery.email_message(row).message()["Message-ID"]
    again = delivery.email_message(Notifikasi.objects.get(pk=row.pk)).message()["Message-ID"]
    assert first == again == f"<notifikasi.{row.public_id}@perizinan.baritotimurkab.go.id>"
    assert delivery.email_message(other).message()["Message-ID"] != first
    assert deliver(row.pk) == "sent"
    sent = mail.outbox[0].message()
    assert sent["Message-ID"] == first
    assert sent["X-Satupintu-Notification"] == str(row.public_id)


# --- Templates -----------------------------------------------------------------------------


CONTEXT = {
    "nomor": "BTM-2026-000001",
    "layanan": "Izin Uji",
    "penerima": {"get_full_name": "Siti"},
    "tautan": "http://127.0.0.1:8000/permohonan/x/",
}


def test_the_file_template_is_used_when_no_database_template_exists():
    rendered = render_message(
        event="permohonan_diajukan", channel=Channel.EMAIL, language="id", context=CONTEXT
    )
    assert rendered.subject == "Tanda terima permohonan BTM-2026-000001"
    assert "Izin Uji" in rendered.body
    assert "<html" in rendered.body_html


def test_the_english_file_template_is_used_for_an_english_speaker():
    rendered = render_message(
        event="permohonan_diajukan", channel=Channel.EMAIL, language="en", context=CONTEXT
    )
    assert rendered.subject == "Receipt for application BTM-2026-000001"


def test_an_active_database_template_overrides_the_file_template():
    TemplatNotifikasi.objects.create(
        event="permohonan_diajukan",
        channel=Channel.EMAIL,
        language="id",
        subject="Kami terima: {{ nomor }}",
        body="Halo {{ penerima.get_full_name }}",
    )
    rendered = render_message(
        event="permohonan_diajukan", channel=Channel.EMAIL, language="id", context=CONTEXT
    )
    assert (rendered.subject, rendered.body) == ("Kami terima: BTM-2026-000001", "Halo Siti")


def test_a_database_template_with_an_error_falls_back_to_the_file_template_and_logs(caplog):
    TemplatNotifikasi.objects.create(
        event="permohonan_diajukan",
        channel=Channel.EMAIL,
        language="id",
        subject="Kami terima: {% if %}",
        body="Halo",
    )
    with caplog.at_level(logging.ERROR, logger="notifikasi"):
        rendered = render_message(
            event="permohonan_diajukan", channel=Channel.EMAIL, language="id", context=CONTEXT
        )
    assert rendered.subject == "Tanda terima permohonan BTM-2026-000001"
    assert "event=notification_template_error" in caplog.text


def test_text_templates_do_not_html_escape_names():
    rendered = render_message(
        event="permohonan_diajukan",
        channel=Channel.EMAIL,
        language="id",
        context={**CONTEXT, "layanan": "Izin Toko & Gudang"},
    )
    assert "Izin Toko & Gudang" in rendered.body
    assert "Izin Toko &amp; Gudang" in rendered.body_html
