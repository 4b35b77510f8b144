"""The verification e-mail path proven once end to end: the sign-up page enqueues on the real
Redis broker after commit, and a real Celery worker process sends the e-mail."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from tests.db import subprocess_database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": subprocess_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DEBUG": "true",
        "EMAIL_URL": "",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "warning"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield mail_dir
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_mail(mail_dir: Path, timeout: float = 40) -> list[Path]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []
        if files:
            return files
        time.sleep(0.25)
    return []


def test_signup_verification_email_is_sent_by_a_real_worker_through_redis(client, worker):
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "pekerja@contoh.test",
            "full_name": "Uji Pekerja",
            "applicant_kind": "perorangan",
            "password1": "kopi-tubruk-di-tamiang",
            "password2": "kopi-tubruk-di-tamiang",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="pekerja@contoh.test").exists()
    files = wait_for_mail(worker)
    assert files, "the worker sent no e-mail within 40 s"
    text = files[0].read_text()
    assert "pekerja@contoh.test" in text
    assert "/akun/verifikasi/" in text
