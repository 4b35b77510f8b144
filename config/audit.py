"""Dependency audit that never passes by accident (QUALITY.md §1.6, finding V14).

``python -m config.audit`` runs ``pip-audit --strict`` on the pinned requirements when the
vulnerability service (the PyPI JSON API) answers for this project's Django pin. Otherwise it
prints ``pip-audit: not run (service unreachable)``: without ``--strict``, pip-audit skips
every package it cannot look up and still says "No known vulnerabilities found", which here
would be a false pass.

Exit codes: pip-audit's own when it ran (0 clean, 1 findings or a skipped package);
0 when it could not run, unless ``--require`` (for a networked CI job), then 3.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SERVICE = os.environ.get("PIP_AUDIT_SERVICE_URL", "https://pypi.org/pypi")
NOT_RUN_EXIT = 3


def probe_url() -> str:
    try:
        django_version = version("Django")
    except PackageNotFoundError:  # pragma: no cover - Django is always installed here
        django_version = "5.2"
    return f"{SERVICE.rstrip('/')}/Django/{django_version}/json"


def service_reachable(timeout: float = 5.0) -> tuple[bool, str]:
    """Does the service answer with vulnerability data for our Django pin? A mirror that
    answers for some packages only (as on the development machines) counts as unreachable."""
    url = probe_url()
    if not url.startswith(("https://", "http://")):
        return False, "service URL is not http(s)"
    try:
        # The scheme is checked above: http(s) only, never file:.
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  # nosec B310
            body = json.load(response)
    except (OSError, ValueError, urllib.error.URLError) as exc:
        return False, type(exc).__name__
    if not isinstance(body, dict) or "vulnerabilities" not in body:
        return False, "no vulnerability data in the answer"
    return True, "ok"


def pip_audit_command() -> list[str] | None:
    executable = shutil.which("pip-audit", path=str(Path(sys.executable).parent)) or shutil.which(
        "pip-audit"
    )
    if executable is None:
        return None
    return [executable, "--strict", "--progress-spinner", "off", "-r", "requirements.txt"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.audit", description=__doc__)
    parser.add_argument("--require", action="store_true", help="exit 3 when the audit cannot run")
    args = parser.parse_args(argv)
    not_run = NOT_RUN_EXIT if args.require else 0

    command = pip_audit_command()
    if command is None:
        print("pip-audit: not run (pip-audit is not installed: make install)")
        return not_run
    reachable, reason = service_reachable()
    if not reachable:
        print("pip-audit: not run (service unreachable)")
        print(f"  probe {probe_url()}: {reason}")
        return not_run
    print("pip-audit: running " + " ".join(command[1:]), flush=True)
    return subprocess.run(command, cwd=BASE_DIR, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
