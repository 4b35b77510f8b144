"""Delivery re-checks, under the lock, that the row is still pending: a row already sent or
failed, or marked sent by another worker between the enqueue and this delivery, sends
nothing, is left as it is and answers "done"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifikasi.delivery import deliver
from notifikasi.models import Channel, Notifikasi
from notifikasi.outbox import max_attempts
from notifikasi.services import queue_message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class RecordingGateway:
    """An SMS gateway that only remembers what it was given."""

    sent: list[dict] = []

    def send(self, *, phone: str, text: str, key: str) -> None:
        RecordingGateway.sent.append({"phone": phone, "text": text, "key": key})


@pytest.fixture(autouse=True)
def sms_gateway(settings):
    settings.SMS_GATEWAY_BACKEND = f"{__name__}.RecordingGateway"
    RecordingGateway.sent = []
    yield RecordingGateway.sent
    RecordingGateway.sent = []


def queue(channel=Channel.EMAIL, key="recheck-1") -> Notifikasi:
    row = queue_message(
        key=key,
        event="uji",
        subject="Judul uji",
        body="Isi uji",
        channel=channel,
        email="warga@contoh.test" if channel == Channel.EMAIL else "",
        phone="081234567890" if channel == Channel.SMS else "",
        link="http://127.0.0.1:8000/permohonan/",
    )
    assert row is not None and row.state == Notifikasi.State.PENDING
    return row


def snapshot(row: Notifikasi) -> tuple:
    row.refresh_from_db()
    return (
        row.state,
        row.attempts,
        row.sent_at,
        row.next_attempt_at,
        row.last_error,
        row.updated_at,
    )


def nothing_went_out(sms_sent) -> bool:
    return mail.outbox == [] and sms_sent == []


# --- A row that is no longer pending -------------------------------------------------------------


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.SMS])
def test_a_row_already_sent_is_not_sent_again(channel, sms_gateway):
    row = queue(channel)
    assert deliver(row.pk) == "sent"
    mail.outbox.clear()
    sms_gateway.clear()
    before = snapshot(row)
    assert deliver(row.pk) == "done"
    assert nothing_went_out(sms_gateway)
    assert snapshot(row) == before


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.SMS])
def test_a_row_already_sent_out_of_attempts_stays_sent(channel, sms_gateway):
    """A sent row is done whatever its attempt count: never failed, never "recovered"."""
    row = queue(channel)
    assert deliver(row.pk) == "sent"
    Notifikasi.objects.filter(pk=row.pk).update(attempts=max_attempts())
    mail.outbox.clear()
    sms_gateway.clear()
    before = snapshot(row)
    assert deliver(row.pk) == "done"
    assert nothing_went_out(sms_gateway)
    assert snapshot(row) == before


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.SMS])
def test_a_failed_row_handed_to_delivery_again_sends_nothing(channel, sms_gateway):
    row = queue(channel)
    Notifikasi.objects.filter(pk=row.pk).update(
        state=Notifikasi.State.FAILED,
        attempts=2,
        next_attempt_at=None,
        last_error="SMTP 550: mailbox unavailable",
    )
    before = snapshot(row)
    assert deliver(row.pk) == "done"
    assert nothing_went_out(sms_gateway)
    assert snapshot(row) == before


def test_a_failed_row_out_of_attempts_is_left_as_it_is(sms_gateway):
    row = queue()
    Notifikasi.objects.filter(pk=row.pk).update(
        state=Notifikasi.State.FAILED,
        attempts=max_attempts(),
        next_attempt_at=None,
        last_error="gave up",
    )
    before = snapshot(row)
    assert deliver(row.pk) == "done"
    assert nothing_went_out(sms_gateway)
    assert snapshot(row) == before


def test_an_inapp_row_is_delivered_by_being_stored_and_never_sent(sms_gateway):
    user = UserFactory(phone="081234567890")
    row = queue_message(
        key="recheck-inapp",
        event="uji",
        subject="Judul",
        body="Isi",
        channel=Channel.INAPP,
        user=user,
    )
    before = snapshot(row)
    assert deliver(row.pk) == "done"
    assert nothing_went_out(sms_gateway)
    assert snapshot(row) == before


# --- Another worker got there first ---------------------------------------------------------------


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.SMS])
def test_a_row_marked_sent_by_another_worker_after_the_enqueue_is_not_sent(channel, sms_gateway):
    row = queue(channel)
    now = timezone.now()
    # The other worker: it sent the message and marked the row.
    Notifikasi.objects.filter(pk=row.pk).update(
        state=Notifikasi.State.SENT, sent_at=now, next_attempt_at=None, attempts=1
    )
    before = snapshot(row)
    assert deliver(row.pk) == "done"
    assert nothing_went_out(sms_gateway)
    assert snapshot(row) == before


@pytest.mark.parametrize(
    "state", [Notifikasi.State.SENT, Notifikasi.State.FAILED], ids=["sent", "failed"]
)
@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.SMS])
def test_a_row_that_stops_being_pending_after_the_attempt_is_counted_is_not_sent(
    channel, state, sms_gateway
):
    """The window between counting the attempt (its own short transaction) and taking the
    row lock to send: another worker marks the row meanwhile. The state is read again under
    the lock, so this delivery sends nothing."""
    row = queue(channel)
    table = Notifikasi._meta.db_table
    marked = []

    def other_worker(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        counting = sql.lstrip().upper().startswith("UPDATE") and table in sql and "attempts" in sql
        if counting and not marked:
            marked.append(True)
            Notifikasi.objects.filter(pk=row.pk).update(
                state=state,
                sent_at=timezone.now() if state == Notifikasi.State.SENT else None,
                next_attempt_at=None,
            )
        return result

    with connection.execute_wrapper(other_worker):
        outcome = deliver(row.pk)
    assert marked == [True], "delivery no longer writes the attempt count before sending"
    assert outcome == "done"
    assert nothing_went_out(sms_gateway)
    row.refresh_from_db()
    assert row.state == state
