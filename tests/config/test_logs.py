"""Structured logging: events go through ``config.logs.log_event`` and come out as key=value
or JSON; no module of the apps formats an event string by hand."""

from __future__ import annotations

import ast
import json
import logging
from pathlib import Path

from django.conf import settings

from config.logs import JsonFormatter, KeyValueFormatter, log_event

APPS = ("config", "accounts", "kewenangan", "notifikasi", "perizinan", "akuntabilitas")
LEVELS = {"debug", "info", "warning", "error", "exception", "critical", "log"}


def _record(caplog) -> logging.LogRecord:
    (record,) = [r for r in caplog.records if r.name == "satupintu.test"]
    return record


def test_an_event_carries_its_name_and_fields_on_the_record(caplog):
    logger = logging.getLogger("satupintu.test")
    with caplog.at_level(logging.INFO, logger="satupintu.test"):
        log_event(logger, "permit_issued", number="BTM-2026-000123", signed=2, actor_id=None)
    record = _record(caplog)
    assert record.event == "permit_issued"
    assert record.fields == {"number": "BTM-2026-000123", "signed": 2, "actor_id": None}
    assert record.getMessage() == "event=permit_issued number=BTM-2026-000123 signed=2 actor_id=-"
    assert record.levelno == logging.INFO


def test_the_json_formatter_writes_one_object_with_the_fields_as_keys(caplog):
    logger = logging.getLogger("satupintu.test")
    with caplog.at_level(logging.WARNING, logger="satupintu.test"):
        log_event(logger, "healthz_down", level=logging.WARNING, part="broker", error="Timeout")
    line = JsonFormatter().format(_record(caplog))
    data = json.loads(line)
    assert "\n" not in line
    assert data["event"] == "healthz_down"
    assert (data["part"], data["error"], data["level"], data["logger"]) == (
        "broker",
        "Timeout",
        "WARNING",
        "satupintu.test",
    )
    assert data["time"].endswith("+00:00")


def test_the_key_value_formatter_prefixes_time_level_and_logger(caplog):
    logger = logging.getLogger("satupintu.test")
    with caplog.at_level(logging.INFO, logger="satupintu.test"):
        log_event(logger, "claim", number="BTM-2026-000001", next=1)
    line = KeyValueFormatter().format(_record(caplog))
    assert " level=INFO logger=satupintu.test event=claim number=BTM-2026-000001 next=1" in line
    assert line.startswith("time=")


def test_a_plain_record_keeps_its_message_in_both_formats():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x",), None
    )
    assert KeyValueFormatter().format(record).endswith("msg=Not Found: /x")
    assert json.loads(JsonFormatter().format(record))["message"] == "Not Found: /x"


def test_a_level_below_the_logger_s_writes_nothing(caplog):
    logger = logging.getLogger("satupintu.test")
    with caplog.at_level(logging.WARNING, logger="satupintu.test"):
        log_event(logger, "quiet", level=logging.DEBUG, x=1)
    assert not [r for r in caplog.records if r.name == "satupintu.test"]


def test_no_module_formats_a_log_message_by_hand():
    """Every logger call of the apps passes through log_event: a call such as
    ``logger.info("event=x id=%s", pk)`` or ``logger.warning(f"...")`` fails this test."""
    offenders = []
    for app in APPS:
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "logs.py":
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in LEVELS
                    and isinstance(node.func.value, ast.Name | ast.Attribute)
                    and "log" in ast.unparse(node.func.value).lower()
                    and node.args
                    and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
                ):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert offenders == []
