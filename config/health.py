"""``GET /healthz``: is the database answering, and is the broker?"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.logs import log_event

logger = logging.getLogger(__name__)


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        log_event(
            logger, "healthz_down", level=logging.WARNING, part="database", error=type(exc).__name__
        )
        return False, type(exc).__name__
    return True, "ok"


def check_broker() -> tuple[bool, str]:
    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
        client.close()
    except Exception as exc:  # noqa: BLE001
        log_event(
            logger, "healthz_down", level=logging.WARNING, part="broker", error=type(exc).__name__
        )
        return False, type(exc).__name__
    return True, "ok"


@never_cache
@require_GET
def healthz(request):
    parts = {"database": check_database(), "broker": check_broker()}
    healthy = all(ok for ok, _ in parts.values())
    body = {
        "status": "ok" if healthy else "error",
        **{name: ("ok" if ok else f"down: {detail}") for name, (ok, detail) in parts.items()},
    }
    if not healthy:
        body["failing"] = [name for name, (ok, _) in parts.items() if not ok]
    return JsonResponse(body, status=200 if healthy else 503)
