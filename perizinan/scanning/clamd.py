"""A small client of ClamAV's daemon (clamd), over its UNIX socket or TCP.

Only what scanning an upload needs (``man clamd``, "COMMANDS"):

- ``zPING\\0`` -> ``PONG\\0``; ``zVERSION\\0`` -> ``ClamAV 1.4.6/27000/...\\0``;
- ``zINSTREAM\\0``, then the content in chunks, each preceded by its length as a 4-byte
  unsigned big-endian integer, then a zero length. The reply is ``stream: OK``,
  ``stream: <signature> FOUND`` or ``<reason> ERROR`` (e.g. ``INSTREAM size limit exceeded.
  ERROR`` when the content is longer than clamd's ``StreamMaxLength``), NUL-terminated.

Every call has one deadline (``timeout`` seconds for the whole exchange, connecting included),
so a clamd that accepts and never answers cannot hold a request or a worker.

Why our own client: ``clamd`` on PyPI (1.0.2, 2014) and ``pyclamd`` (0.4.0, 2017) are
unmaintained. ``clamav-client`` (0.7.2, a maintained, typed fork of ``clamd``) was read before
writing this: it connects the UNIX socket before applying the timeout, lets socket errors while
streaming escape as bare ``OSError``, streams 1 KB chunks and treats an unparsable reply as an
exception of its own, so we would wrap every call anyway. The protocol is the four lines
above; this module is tested against Debian's real clamd (``tests/fakes/clamd.py``).
"""

from __future__ import annotations

import socket
import struct
import time

from perizinan.scanning.scanners import ScanResult

#: Debian's clamav-daemon listens here (``LocalSocket`` in /etc/clamav/clamd.conf).
DEBIAN_SOCKET = "/var/run/clamav/clamd.ctl"
#: Bytes per INSTREAM chunk (clamd reads chunks of any size up to ``StreamMaxLength``).
CHUNK_SIZE = 64 * 1024
#: A reply longer than this is not clamd's.
MAX_REPLY = 4096


class ClamdError(Exception):
    """clamd could not be reached, did not answer in time or answered something else."""


def parse_reply(reply: str) -> ScanResult:
    """``stream: OK`` -> clean; ``stream: Eicar-Signature FOUND`` -> infected; anything else
    (``... ERROR``, an unexpected line) -> the scanner is unavailable for this content."""
    reply = reply.strip()
    if reply.endswith(" ERROR") or reply == "ERROR":
        return ScanResult.unavailable(f"clamd: {reply[:200]}")
    name, sep, verdict = reply.partition(": ")
    if not sep:
        return ScanResult.unavailable(f"clamd: unexpected reply {reply[:200]!r}")
    if verdict == "OK":
        return ScanResult.clean()
    if verdict.endswith(" FOUND"):
        signature = verdict[: -len(" FOUND")].strip()
        return ScanResult.infected(signature or "unknown")
    return ScanResult.unavailable(f"clamd: unexpected reply {reply[:200]!r}")


class ClamdClient:
    """One clamd address: a UNIX socket path, or a TCP host and port."""

    def __init__(
        self,
        *,
        socket_path: str = "",
        host: str = "",
        port: int = 3310,
        timeout: float = 20.0,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        if not socket_path and not host:
            socket_path = DEBIAN_SOCKET
        self.socket_path = socket_path
        self.host = host
        self.port = int(port)
        self.timeout = float(timeout)
        self.chunk_size = int(chunk_size)

    @property
    def address(self) -> str:
        return f"tcp:{self.host}:{self.port}" if self.host else f"unix:{self.socket_path}"

    # --- Commands ------------------------------------------------------------------------------

    def ping(self) -> bool:
        """True when clamd answers PONG."""
        try:
            return self._exchange(b"zPING\0") == "PONG"
        except ClamdError:
            return False

    def version(self) -> str:
        return self._exchange(b"zVERSION\0")

    def instream(self, content: bytes) -> str:
        """The raw reply to scanning ``content`` (raises ``ClamdError``)."""
        return self._exchange(b"zINSTREAM\0", content=content)

    # --- The exchange --------------------------------------------------------------------------

    def _exchange(self, command: bytes, *, content: bytes | None = None) -> str:
        deadline = time.monotonic() + self.timeout
        try:
            sock = self._connect(deadline)
        except OSError as exc:
            raise ClamdError(f"cannot connect to {self.address}: {exc}") from exc
        with sock:
            try:
                self._send(sock, command, deadline)
                if content is not None:
                    self._stream(sock, content, deadline)
            except OSError as exc:
                # clamd closes the connection after a refusal (size limit): read what it said.
                reply = self._try_read(sock, deadline)
                if reply:
                    return reply
                raise ClamdError(f"{self.address} stopped reading: {exc}") from exc
            try:
                return self._read_reply(sock, deadline)
            except OSError as exc:
                raise ClamdError(f"no answer from {self.address}: {exc}") from exc

    def _connect(self, deadline: float) -> socket.socket:
        if self.host:
            return socket.create_connection((self.host, self.port), timeout=_left(deadline))
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(_left(deadline))
            sock.connect(self.socket_path)
        except BaseException:
            sock.close()
            raise
        return sock

    @staticmethod
    def _send(sock: socket.socket, data: bytes | memoryview, deadline: float) -> None:
        sock.settimeout(_left(deadline))
        sock.sendall(data)

    def _stream(self, sock: socket.socket, content: bytes, deadline: float) -> None:
        view = memoryview(content)
        for start in range(0, len(view), self.chunk_size):
            chunk = view[start : start + self.chunk_size]
            self._send(sock, struct.pack(">I", len(chunk)), deadline)
            self._send(sock, chunk, deadline)
        self._send(sock, struct.pack(">I", 0), deadline)

    @staticmethod
    def _read_reply(sock: socket.socket, deadline: float) -> str:
        reply = bytearray()
        while not reply.endswith(b"\0"):
            sock.settimeout(_left(deadline))
            data = sock.recv(MAX_REPLY)
            if not data:
                break
            reply += data
            if len(reply) > MAX_REPLY:
                raise ClamdError("the reply is too long to be clamd's")
        if not reply:
            raise ClamdError("clamd closed the connection without an answer")
        return reply.rstrip(b"\0").decode("utf-8", "replace").strip()

    def _try_read(self, sock: socket.socket, deadline: float) -> str:
        try:
            return self._read_reply(sock, min(deadline, time.monotonic() + 1.0))
        except (OSError, ClamdError):
            return ""


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("clamd did not answer in time")
    return left


class ClamdScanner:
    """The production scanner (``UPLOAD_SCANNER = "perizinan.scanning.ClamdScanner"``): clamd
    at ``CLAMD_SOCKET`` (a UNIX socket path) or ``CLAMD_HOST``:``CLAMD_PORT``, Debian's socket
    when neither is set, every exchange within ``CLAMD_TIMEOUT`` seconds."""

    name = "clamd"

    def __init__(self, client: ClamdClient | None = None) -> None:
        if client is None:
            from django.conf import settings

            client = ClamdClient(
                socket_path=getattr(settings, "CLAMD_SOCKET", ""),
                host=getattr(settings, "CLAMD_HOST", ""),
                port=getattr(settings, "CLAMD_PORT", 3310),
                timeout=getattr(settings, "CLAMD_TIMEOUT", 20.0),
            )
        self.client = client

    def scan(self, content: bytes) -> ScanResult:
        try:
            reply = self.client.instream(content)
        except ClamdError as exc:
            return ScanResult.unavailable(
                str(exc), timed_out=isinstance(exc.__cause__, TimeoutError)
            )
        return parse_reply(reply)

    def ping(self) -> bool:
        return self.client.ping()
