"""The log scanner of tests/conftest.py finds personal data in a log record (ASVS 16.2.5).

These tests feed records to their own scanner instance, never through logging, so that the
suite-wide scanner does not see the sample NIK."""

from __future__ import annotations

import logging

from tests.security.logscan import PersonalDataLogScanner

NIK = "6212011508900001"


def record(msg, *args, **extra):
    rec = logging.LogRecord("perizinan", logging.INFO, __file__, 1, msg, args, None)
    rec.__dict__.update(extra)
    return rec


def test_scanner_catches_a_nik_in_the_message():
    scanner = PersonalDataLogScanner()
    scanner.emit(record("submitted applicant nik=%s", NIK))
    assert len(scanner.findings) == 1
    assert "NIK" in scanner.findings[0]


def test_scanner_reports_the_finding_masked_never_the_nik_itself():
    scanner = PersonalDataLogScanner()
    scanner.emit(record("nik=%s", NIK))
    assert NIK not in scanner.findings[0]
    assert "6212********0001" in scanner.findings[0]


def test_scanner_catches_a_nik_passed_as_structured_extra():
    scanner = PersonalDataLogScanner()
    scanner.emit(record("applicant saved", applicant={"nik": NIK}))
    assert scanner.findings


def test_scanner_catches_a_nik_in_an_exception_traceback():
    scanner = PersonalDataLogScanner()
    try:
        raise ValueError(f"NIK {NIK} sudah terdaftar")
    except ValueError:
        import sys

        rec = record("could not save")
        rec.exc_info = sys.exc_info()
    scanner.emit(rec)
    assert scanner.findings


def test_scanner_catches_a_known_session_key():
    key = "k2x9v7m3q8w1e5r6t4y0u2i3o9p8a7s6"
    scanner = PersonalDataLogScanner(session_keys={key})
    scanner.emit(record("request from %s", key))
    assert scanner.findings


def test_scanner_catches_a_session_cookie_header():
    scanner = PersonalDataLogScanner()
    scanner.emit(record("headers Cookie: __Host-sessionid=abcdef0123456789abcdef"))
    assert scanner.findings


def test_scanner_leaves_masked_niks_and_other_numbers_alone():
    scanner = PersonalDataLogScanner(session_keys={"k2x9v7m3q8w1e5r6t4y0u2i3o9p8a7s6"})
    scanner.emit(record("nik=%s", "6212********0001"))
    scanner.emit(record("number=BTM-2026-000123 nib=1234567890123 phone=081234567890"))
    scanner.emit(record("seventeen digits 62120115089000011"))
    assert scanner.findings == []


def test_the_suite_wide_scanner_is_attached_to_the_root_logger(_personal_data_log_scanner):
    assert _personal_data_log_scanner in logging.getLogger().handlers


def test_the_suite_wide_scanner_catches_a_nik_logged_during_a_test(_personal_data_log_scanner):
    logging.getLogger("satupintu.test").warning("applicant nik=%s", NIK)
    leaks = _personal_data_log_scanner.take_findings()  # taken here, so this test passes
    assert len(leaks) == 1
    assert "test_logscan.py::test_the_suite_wide_scanner_catches" in leaks[0]
    assert "satupintu.test" in leaks[0]
