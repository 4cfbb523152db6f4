from django.test import Client


def test_english_browser_still_gets_vietnamese(db):
    html = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert b'<html lang="vi">' in html
    assert b'<option value="vi" selected>' in html


def test_language_switch_is_remembered(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert b'<html lang="en">' in client.get("/accounts/login/").content
