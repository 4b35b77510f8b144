"""The navigation each role sees. One list, filtered by role; templates only render it.

Add an entry here when a new area opens. URL names that do not exist yet are skipped, so the
menu never breaks while an area is being built.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import OFFICER_ROLES, Role

ANONYMOUS = "anonymous"
EVERYONE = frozenset({ANONYMOUS, *Role.values})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset


NAV_ITEMS = (
    NavItem(_("Layanan"), "kewenangan:layanan_list", EVERYONE),
    NavItem(_("Kewenangan"), "kewenangan:kewenangan_list", EVERYONE),
    NavItem(_("Lacak permohonan"), "perizinan:lacak", EVERYONE),
    NavItem(_("Permohonan saya"), "perizinan:permohonan_list", frozenset({Role.PEMOHON})),
    NavItem(_("Meja kerja petugas"), "petugas:dashboard", frozenset(OFFICER_ROLES)),
    NavItem(_("Tanda tangan"), "petugas:sign_queue", frozenset({Role.KEPALA})),
    NavItem(_("Izin terbit"), "petugas:izin_list", frozenset({Role.KEPALA, Role.ADMIN})),
    NavItem(_("Statistik"), "akuntabilitas:statistik", EVERYONE),
    NavItem(_("Pengaduan"), "akuntabilitas:pengaduan_create", frozenset({ANONYMOUS, Role.PEMOHON})),
    NavItem(
        _("Pengaduan masuk"),
        "akuntabilitas:pengaduan_queue",
        frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.KEPALA, Role.ADMIN}),
    ),
    NavItem(
        _("Laporan"),
        "akuntabilitas:laporan",
        frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.KEPALA, Role.ADMIN}),
    ),
    NavItem(_("Kesehatan rute"), "petugas:route_health", frozenset({Role.ADMIN})),
    NavItem(_("Admin"), "admin:index", frozenset({Role.ADMIN})),
)


def items_for(user) -> list[dict]:
    role = user.role if user.is_authenticated else ANONYMOUS
    items = []
    for item in NAV_ITEMS:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url})
    return items
