"""Settings are read from the environment; bad input gives one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-real-secret-key-for-tests-0123456789-abcdefghijklmnopqrstuvwxyz-!@#",
    "ALLOWED_HOSTS": "perizinan.example.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://perizinan.example.go.id",
}


def run_manage(*args, env_overrides=None, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_database_url_gives_one_clear_line():
    result = run_manage("check", drop=("DATABASE_URL",))
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_non_postgres_database_url_is_refused():
    result = run_manage("check", env_overrides={"DATABASE_URL": "sqlite:///x.db"})
    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_false_with_the_development_secret_refuses_to_start():
    result = run_manage("check", env_overrides={"DEBUG": "false"}, drop=("SECRET_KEY",))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_passes_with_only_the_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SECURE_SSL_REDIRECT", "True"),
        ("SECURE_HSTS_SECONDS", "31536000"),
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SESSION_COOKIE_NAME", "__Host-sessionid"),
    ],
)
def test_debug_false_switches_secure_settings_on(name, expected):
    code = f"from django.conf import settings; print(settings.{name})"
    result = run_manage("shell", "-c", code, env_overrides=PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_settings_come_from_the_environment():
    code = (
        "from django.conf import settings; "
        "print(settings.TIME_ZONE, settings.ALLOWED_HOSTS, settings.CELERY_BROKER_URL)"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        env_overrides={
            "TIME_ZONE": "Asia/Makassar",
            "ALLOWED_HOSTS": "a.example,b.example",
            "REDIS_URL": "redis://10.9.9.9:6379/3",
        },
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip().splitlines()[-1]
        == "Asia/Makassar ['a.example', 'b.example'] redis://10.9.9.9:6379/3"
    )


def test_default_time_zone_and_language(settings):
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
