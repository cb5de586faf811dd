"""The control panel offers the migration from onlyoffice.plone, over the real HTTP server."""

import html

import transaction

from onlyoffice_plone_testing import old_addon

FORM = "@@onlyoffice-controlpanel"
MIGRATE = "form.buttons.migrate"


def test_notice_and_button_take_over_the_old_settings(site, client):
    portal, _url = site
    old_addon.install(portal, docUrl="https://docs.example.com/", jwtSecret="old-secret")
    transaction.commit()

    page = client.get(FORM)
    text = html.unescape(page.text)
    assert "older add-on onlyoffice.plone" in text
    assert MIGRATE in text

    response, _page = client.submit(FORM, "form", {}, MIGRATE)
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "Taken over “ONLYOFFICE Docs address”: https://docs.example.com/." in text
    assert "uninstall onlyoffice.plone in Site Setup → Add-ons" in text
    assert "old-secret" not in text

    body = client.get("++api++/@controlpanels/onlyoffice").json()
    assert body["data"]["docs_url"] == "https://docs.example.com/"
    assert body["jwt_secret_set"] is True
    # Nothing left: neither notice nor button.
    again = html.unescape(client.get(FORM).text)
    assert MIGRATE not in again
    assert "older add-on onlyoffice.plone" not in again


def test_no_button_without_the_old_add_on(client):
    page = client.get(FORM)
    assert MIGRATE not in page.text


def test_button_needs_the_authenticator(site, client):
    portal, _url = site
    old_addon.install(portal, docUrl="https://docs.example.com/")
    transaction.commit()
    response = client.session.post(
        f"{client.portal_url}/{FORM}", data={MIGRATE: "x"}, timeout=60, allow_redirects=False
    )
    assert response.status_code == 403
    body = client.get("++api++/@controlpanels/onlyoffice").json()
    assert body["data"]["docs_url"] is None
