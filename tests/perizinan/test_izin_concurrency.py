"""Signing under concurrency, with threads on the real PostgreSQL: one file signed by two heads
at once gets one permit; many files signed at once get consecutive numbers; failures in the
middle leave no gap."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.db import connections
from django.utils import timezone

from perizinan.exceptions import WorkflowError
from perizinan.models import Izin, Permohonan
from perizinan.services import izin as izin_services
from perizinan.signing import InternalSigner, SignedDocument
from perizinan.workflow import Status
from tests.perizinan.izin_support import (
    counter_value,
    files_waiting,
    kepala_dpmptsp,
)

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


class FlakySigner:
    """Fails every second signature (the counter is shared by all threads)."""

    provider = "flaky"
    certified = False
    _calls = itertools.count()
    _lock = threading.Lock()

    def sign(self, pdf: bytes, *, signer_name: str, reason: str) -> SignedDocument:
        with self._lock:
            call = next(self._calls)
        if call % 2 == 1:
            raise RuntimeError("signature service timed out")
        return InternalSigner().sign(pdf, signer_name=signer_name, reason=reason)


def run_at_once(jobs):
    """Run ``jobs`` (callables) in threads released together; return (results, errors)."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []
    lock = threading.Lock()

    def worker(job):
        try:
            barrier.wait(timeout=30)
            value = job()
            with lock:
                results.append(value)
        except Exception as error:  # collected and asserted on by the test
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results, errors


def year() -> int:
    return timezone.localdate().year


def test_concurrent_signing_of_one_file_issues_exactly_one_permit():
    (permohonan,) = files_waiting(1)
    heads = [kepala_dpmptsp() for _ in range(THREADS)]
    jobs = [
        (lambda head=head: izin_services.sign_permohonan(permohonan, actor=head)) for head in heads
    ]
    results, errors = run_at_once(jobs)
    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, WorkflowError) for e in errors), errors
    assert all("sudah ditandatangani" in str(e) for e in errors)
    assert Izin.objects.count() == 1
    assert counter_value("izin:DPMPTSP", year()) == 1
    assert Permohonan.objects.get(pk=permohonan.pk).status == Status.TERBIT


def test_concurrent_signing_of_many_files_numbers_them_without_gaps():
    files = files_waiting(THREADS)
    head = kepala_dpmptsp()
    jobs = [(lambda p=p: izin_services.sign_permohonan(p, actor=head)) for p in files]
    results, errors = run_at_once(jobs)
    assert errors == []
    sequences = sorted(Izin.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, THREADS + 1))
    assert Izin.objects.values("number").distinct().count() == THREADS
    assert counter_value("izin:DPMPTSP", year()) == THREADS


def test_failed_signings_under_concurrency_leave_no_gap(settings):
    settings.PERMIT_SIGNER = "tests.perizinan.test_izin_concurrency.FlakySigner"
    FlakySigner._calls = itertools.count()
    files = files_waiting(THREADS)
    head = kepala_dpmptsp()
    jobs = [(lambda p=p: izin_services.sign_permohonan(p, actor=head)) for p in files]
    results, errors = run_at_once(jobs)
    assert errors and results
    assert all(isinstance(e, RuntimeError) for e in errors), errors
    signed = len(results)
    assert sorted(Izin.objects.values_list("sequence", flat=True)) == list(range(1, signed + 1))
    assert counter_value("izin:DPMPTSP", year()) == signed
    assert Permohonan.objects.filter(status=Status.PENANDATANGANAN).count() == len(errors)


def test_concurrent_batches_of_two_heads_share_one_gapless_sequence():
    files = files_waiting(THREADS)
    heads = [kepala_dpmptsp(), kepala_dpmptsp()]
    halves = [files[::2], files[1::2]]
    jobs = [
        (lambda head=head, half=half: izin_services.sign_batch([p.pk for p in half], actor=head))
        for head, half in zip(heads, halves, strict=True)
    ]
    results, errors = run_at_once(jobs)
    assert errors == []
    assert sum(len(r.signed) for r in results) == THREADS
    assert sorted(Izin.objects.values_list("sequence", flat=True)) == list(range(1, THREADS + 1))
