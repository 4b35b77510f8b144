"""A real ClamAV daemon for the tests: Debian's ``/usr/sbin/clamd`` (package clamav-daemon) on a
UNIX socket (or 127.0.0.1 TCP) in a temporary directory, with a signature database the tests
write themselves. These machines cannot download signatures (no freshclam), and the tests need
only one: the EICAR anti-virus test file, as an MD5 hash signature of the 68-byte file
(``.hdb``) and as a body signature found anywhere in a file (``.ndb``: inside a PDF, also in a
compressed stream, which clamd's PDF parser decompresses).

Debian's own clamav-daemon and clamav-freshclam services are not used and not needed (a
package install in a container does not start them; nothing here talks to their socket).
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
import zlib
from pathlib import Path

from perizinan.scanning import ClamdClient

CLAMD_PATHS = ("/usr/sbin/clamd",)
#: What clamd calls the EICAR file with our database (".UNOFFICIAL": not ClamAV's own).
SIGNATURE = "SatuPintu.Test.EICAR"
INSTALL_HINT = (
    "clamd (ClamAV's daemon) is needed by the upload tests: apt-get install clamav-daemon "
    "(.ci/run installs it)."
)


def eicar() -> bytes:
    """The EICAR test string (68 bytes), assembled at run time so that no scanner flags this
    source file."""
    parts = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-", "ANTIVIRUS-TEST-FILE!$H+H*")
    return "".join(parts).encode("ascii")


def pdf_with(stream: bytes, *, compress: bool = False) -> bytes:
    """A one-page PDF (accepted by ``perizinan.uploads``: no script, nothing embedded) whose
    page content stream carries ``stream``, optionally Flate-compressed."""
    data = zlib.compress(stream) if compress else stream
    filters = " /Filter /FlateDecode" if compress else ""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d%s >>\nstream\n" % (len(data), filters.encode()) + data + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def eicar_pdf(*, compress: bool = False) -> bytes:
    """A PDF that passes every content check of ``perizinan.uploads`` and carries EICAR."""
    return pdf_with(b"BT /F1 12 Tf 10 10 Td (" + eicar() + b") Tj ET", compress=compress)


def clean_pdf() -> bytes:
    return pdf_with(b"BT /F1 12 Tf 10 10 Td (Kartu Tanda Penduduk) Tj ET")


def clamd_binary() -> str | None:
    found = shutil.which("clamd")
    if found:
        return found
    return next((p for p in CLAMD_PATHS if os.access(p, os.X_OK)), None)


def write_database(directory: Path) -> None:
    """The two EICAR signatures (ClamAV's signature formats: ``.hdb`` MD5:size:name, ``.ndb``
    name:target:offset:hex)."""
    directory.mkdir(parents=True, exist_ok=True)
    sample = eicar()
    (directory / "satupintu.hdb").write_text(
        f"{hashlib.md5(sample).hexdigest()}:{len(sample)}:{SIGNATURE}-File\n"  # noqa: S324 - ClamAV's format
    )
    (directory / "satupintu.ndb").write_text(f"{SIGNATURE}:0:*:{sample.hex()}\n")


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """clamd ends when the test process does, even when pytest is killed."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Clamd:
    """One clamd process with our database: ``start()``, ``stop()``, ``client()``.

    ``tcp=True`` listens on 127.0.0.1 on a free port instead of the UNIX socket;
    ``stream_max_length`` is clamd's limit of one INSTREAM (clamd.conf syntax, e.g. ``"1M"``)."""

    def __init__(self, root: Path, *, tcp: bool = False, stream_max_length: str = "20M") -> None:
        self.root = Path(root)
        self.tcp = tcp
        self.stream_max_length = stream_max_length
        self.socket_path = self.root / "clamd.sock"
        self.port = _free_port() if tcp else 0
        self.process: subprocess.Popen | None = None
        self.config = self.root / "clamd.conf"
        self.log = self.root / "clamd.log"

    # --- Settings for the application ---------------------------------------------------------

    def settings(self) -> dict:
        if self.tcp:
            return {"CLAMD_SOCKET": "", "CLAMD_HOST": "127.0.0.1", "CLAMD_PORT": self.port}
        return {"CLAMD_SOCKET": str(self.socket_path), "CLAMD_HOST": ""}

    def apply(self, settings) -> None:
        """Point the application (pytest-django's ``settings`` fixture) at this clamd."""
        settings.UPLOAD_SCANNER = "perizinan.scanning.ClamdScanner"
        settings.CLAMD_TIMEOUT = 10
        for key, value in self.settings().items():
            setattr(settings, key, value)

    def client(self, timeout: float = 10) -> ClamdClient:
        if self.tcp:
            return ClamdClient(host="127.0.0.1", port=self.port, timeout=timeout)
        return ClamdClient(socket_path=str(self.socket_path), timeout=timeout)

    # --- The process --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _write_config(self) -> None:
        database = self.root / "db"
        write_database(database)
        (self.root / "tmp").mkdir(exist_ok=True)
        listen = (
            f"TCPSocket {self.port}\nTCPAddr 127.0.0.1\n"
            if self.tcp
            else f"LocalSocket {self.socket_path}\nFixStaleSocket yes\n"
        )
        self.config.write_text(
            listen
            + f"DatabaseDirectory {database}\n"
            + f"TemporaryDirectory {self.root / 'tmp'}\n"
            + f"LogFile {self.log}\n"
            + f"PidFile {self.root / 'clamd.pid'}\n"
            + "Foreground yes\n"
            + "MaxThreads 4\n"
            + f"StreamMaxLength {self.stream_max_length}\n"
            + "SelfCheck 0\n"
        )

    def start(self, timeout: float = 60) -> Clamd:
        binary = clamd_binary()
        if binary is None:
            raise RuntimeError(INSTALL_HINT)
        if self.running:
            return self
        self.root.mkdir(parents=True, exist_ok=True)
        self._write_config()
        self.process = subprocess.Popen(  # noqa: S603 - a fixed binary and our own config
            [binary, "--config-file", str(self.config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads to worry about here
        )
        deadline = time.monotonic() + timeout
        client = self.client(timeout=2)
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"clamd exited at start: {self._log_tail()}")
            if client.ping():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"clamd did not answer PING within {timeout} s: {self._log_tail()}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def _log_tail(self) -> str:
        try:
            return " | ".join(self.log.read_text().splitlines()[-5:])
        except OSError:
            return "(no log)"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
