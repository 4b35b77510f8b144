"""Issue 18, defects 2, 4 and 10: links follow the address `make run` serves on; the main
navigation is expanded on a 1366 px laptop; /favicon.ico answers."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from config.devstack import served_site


def test_make_run_links_to_the_port_it_serves_on_unless_site_url_is_set():
    assert served_site({}, "127.0.0.1", "8101")["SITE_URL"] == "http://127.0.0.1:8101"
    assert served_site({"SITE_URL": ""}, "0.0.0.0", "8000")["SITE_URL"] == "http://0.0.0.0:8000"
    chosen = {"SITE_URL": "https://izin.baritotimurkab.go.id"}
    assert served_site(chosen, "127.0.0.1", "8101") == chosen


@pytest.mark.django_db
def test_the_navigation_expands_from_1200_px_so_a_1366_laptop_sees_log_in_and_sign_up():
    body = Client().get("/").content.decode()
    (nav,) = re.findall(r'<nav class="navbar ([^"]+)"', body)
    breakpoints = {"sm": 576, "md": 768, "lg": 992, "xl": 1200, "xxl": 1400}
    (expand,) = re.findall(r"navbar-expand-(\w+)", nav)
    assert breakpoints[expand] <= 1366


@pytest.mark.django_db
def test_favicon_is_served_and_linked():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert 'rel="icon"' in Client().get("/").content.decode()
