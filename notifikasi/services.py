"""The public interface of ``notifikasi``: what other parts of the domain call.

Delivery infrastructure only: it knows users, addresses, channels and templates, never
applications. The part that owns an event decides who hears of it and calls in here, in its
own transaction:

- ``queue_message(*, key, event, subject, body, channel, user=None, email="", phone="", ...)``:
  one already-written message (an outbox row, unique ``key``: a second call is a no-op).
- ``notify(*, user, event, key, context, channels, link="", reference="")``: render ``event``'s
  template in the user's language and queue it on each channel. ``key`` is the idempotency
  key of the occasion; the row keys add the event, the user and the channel.
- ``channels_for(user)``: e-mail always (legal notices), in-app and SMS as the user chose.
- ``register_events(events, sample_context=...)``: an owner names its events for the
  template admin and gives a function of made-up values for the preview.
- ``unread_count(user)``: the bell's number (for pages cached by it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

from notifikasi.bell import unread_count
from notifikasi.models import Channel
from notifikasi.outbox import queue_message
from notifikasi.rendering import render_message

__all__ = [
    "Channel",
    "channels_for",
    "notify",
    "queue_message",
    "register_events",
    "registered_events",
    "sample_context",
    "unread_count",
]

STAFF_CHANNELS = (Channel.EMAIL, Channel.INAPP)

_EVENTS: dict[str, None] = {}
_SAMPLE_CONTEXTS: list[Callable[[], dict[str, Any]]] = []


def register_events(
    events: Iterable[str], *, sample_context: Callable[[], dict[str, Any]] | None = None
) -> None:
    """Called from the owner's ``AppConfig.ready()``: the events whose templates admins may
    write, and a function giving sample values of every variable those templates use (the
    admin's preview)."""
    for event in events:
        _EVENTS[event] = None
    if sample_context is not None and sample_context not in _SAMPLE_CONTEXTS:
        _SAMPLE_CONTEXTS.append(sample_context)


def registered_events() -> list[str]:
    return list(_EVENTS)


def sample_context() -> dict[str, Any]:
    context: dict[str, Any] = {}
    for make in _SAMPLE_CONTEXTS:
        context.update(make())
    return context


def channels_for(user: Any, *, staff: bool = False) -> list[str]:
    """The channels a message to ``user`` goes on: e-mail always (it carries legal notices),
    in-app and SMS/WhatsApp as chosen in the profile. Staff get e-mail and in-app."""
    if staff:
        return [str(c) for c in STAFF_CHANNELS]
    channels: list[str] = [Channel.EMAIL]
    if getattr(user, "notify_inapp", True):
        channels.append(Channel.INAPP)
    if getattr(user, "notify_sms", False) and getattr(user, "phone", ""):
        channels.append(Channel.SMS)
    return channels


def notify(
    *,
    user: Any,
    event: str,
    key: str,
    context: dict[str, Any],
    channels: Iterable[str],
    link: str = "",
    reference: str = "",
) -> int:
    """Render ``event`` for ``user`` in their language and queue it on each channel, in the
    caller's transaction. Returns the number of rows written (0 for repeats of ``key``)."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    written = 0
    for channel in channels:
        rendered = render_message(
            event=event,
            channel=channel,
            language=language,
            context={**context, "penerima": user},
        )
        row = queue_message(
            key=f"{key}:{event}:u{user.pk}:{channel}",
            event=event,
            subject=rendered.subject,
            body=rendered.body,
            body_html=rendered.body_html,
            channel=channel,
            user=user,
            reference=reference,
            link=link or context.get("tautan", ""),
            language=language,
        )
        written += row is not None
    return written
