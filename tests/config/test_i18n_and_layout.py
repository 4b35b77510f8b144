import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_is_indonesian_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="id">' in response.content
    assert "Lacak permohonan" in response.content.decode()


def test_language_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert b'<html lang="en">' in response.content
    assert "Track an application" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert b'<html lang="id">' in client.get("/").content


def test_base_template_serves_bootstrap_locally_and_links_pledge_and_complaints(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower()
    assert 'href="/maklumat/"' in html
    assert 'href="/pengaduan/"' in html
    assert "Kabupaten Barito Timur" in html


def test_navigation_fits_the_role(client):
    anonymous = client.get("/").content.decode()
    assert "Masuk" in anonymous
    assert "/admin/" not in anonymous
    client.force_login(UserFactory(admin=True))
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_browser_language_does_not_override_indonesian_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert b'<html lang="id">' in response.content
    assert response["Content-Language"] == "id"
