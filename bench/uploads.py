"""What one upload costs the worker that checks it (issue 16, finding 5): time and peak memory
of ``perizinan.uploads.check_upload`` for the hostile files of the upload corpus and for a few
large legitimate ones.

    python -m bench.uploads

Each file is built here and checked in a fresh Python process (peak memory is that process's
maximum resident set, ``ru_maxrss``, minus its value just before the check: Pillow's and
zlib's buffers are outside ``tracemalloc``'s view). Nothing is asserted; the numbers are printed and
are the ones quoted in the issue's report. No database or Redis is needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys


def _big_jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (6_000, 4_000), (30, 90, 150)).save(out, format="JPEG", quality=50)
    return out.getvalue()


def build(case: str) -> tuple[bytes, str]:
    """The bytes and the file name of one case."""
    from tests.security.fixtures import fuzz_corpus as corpus

    cases = {
        "png 8,900 x 8,900 (231 KB, the report's pixel flood)": lambda: (
            corpus.png_pixel_flood(8_900, 8_900),
            "foto.png",
        ),
        "pdf 150,000 objects in an object stream (1.4 MB)": lambda: (
            corpus.pdf_object_flood(150_000),
            "ktp.pdf",
        ),
        "pdf xref stream of 1,900,000 entries (2 KB)": lambda: (
            corpus.pdf_xref_stream_declaring(1_900_000),
            "ktp.pdf",
        ),
        "jpeg with 500 scans": lambda: (corpus.jpeg_with_scans(500), "foto.jpg"),
        "png A4 at 600 dpi (35 MP, accepted, kept at 300 dpi)": lambda: (
            corpus.png_pixel_flood(4_961, 7_016),
            "scan.png",
        ),
        "jpeg 6,000 x 4,000 (24 MP, accepted, decoded at 1/2)": lambda: (_big_jpeg(), "foto.jpg"),
        "pdf of 300 pages (accepted)": lambda: (corpus.pdf_with_pages(300), "ktp.pdf"),
        "pdf, clean, with a web link (accepted)": lambda: (corpus.clean_pdf(), "ktp.pdf"),
    }
    if case == "":
        return b"\n".join(name.encode() for name in cases), ""
    return cases[case]()


CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://unused/unused")
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from perizinan.uploads import check_attachment

with open(sys.argv[1], "rb") as handle:
    content = handle.read()
name = sys.argv[2]
upload = SimpleUploadedFile(name, content)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    clean = check_attachment(upload, label="KTP", max_size_kb=10 * 1024)
    result = f"accepted, {clean.size:,} bytes stored"
except ValidationError as exc:
    result = f"refused: {exc.code}"
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"size": len(content), "seconds": seconds,
                  "extra_mb": (peak - before) / 1024, "result": result}))
"""


def main() -> int:
    import tempfile

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(f"{'case':58} {'size':>11} {'time':>8} {'memory':>9}  result")
    names, _name = build("")
    with tempfile.TemporaryDirectory() as scratch:
        for label in names.decode().splitlines():
            content, name = build(label)  # built here, so the child's peak is the check's
            path = os.path.join(scratch, name)
            with open(path, "wb") as handle:
                handle.write(content)
            done = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
                [sys.executable, "-c", CHILD, path, name],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(f"{label:58} failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{label:58} {row['size']:>11,} {row['seconds']:>7.3f}s"
                f" {row['extra_mb']:>7.0f} MB  {row['result']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
