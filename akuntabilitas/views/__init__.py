"""Public accountability pages, one module per part. Thin: reads through ``statistik`` /
``reports`` / the services' read helpers, changes through ``services.pengaduan`` and
``services.survei``.

``pengaduan``  complaints: file, follow by ticket, the public register, the officers' queue
``survei``     the satisfaction survey (by invitation, general, its QR code)
``statistik``  the open statistics page and its CSV datasets
``laporan``    office reports, their downloads and the compliance page

Here: the message of the rate limit that the public forms share.
"""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _


def too_many_attempts(request, minutes: int) -> None:
    messages.error(
        request,
        _("Terlalu banyak percobaan dari jaringan Anda. Coba lagi dalam %(minutes)s menit.")
        % {"minutes": minutes},
    )
