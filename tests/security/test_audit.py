"""config.audit never reports a pass it did not earn (QUALITY.md V14)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def run_audit(*args, service_url):
    env = {**os.environ, "PIP_AUDIT_SERVICE_URL": service_url}
    return subprocess.run(
        [sys.executable, "-m", "config.audit", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def partial_mirror():
    """A server that answers like a partial PyPI mirror: 404 for our Django pin."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/pypi"
    server.shutdown()
    server.server_close()


def test_audit_says_not_run_when_the_service_does_not_answer(partial_mirror):
    result = run_audit(service_url=partial_mirror)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "pip-audit: not run (service unreachable)"
    assert "No known vulnerabilities" not in result.stdout + result.stderr


def test_audit_fails_when_required_but_the_service_is_unreachable():
    closed_port = "http://127.0.0.1:9/pypi"
    result = run_audit("--require", service_url=closed_port)
    assert result.returncode == 3
    assert "pip-audit: not run (service unreachable)" in result.stdout
