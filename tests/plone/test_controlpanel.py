"""Site Setup → ONLYOFFICE Configuration, over real HTTP against the Docs test double."""

import http.server
import json
import ssl
import subprocess
import threading
import urllib.parse

import pytest
import requests
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from onlyoffice_plone.browser.connection import ConnectionCheck
from onlyoffice_plone.settings import Settings
from onlyoffice_plone_testing.instances import free_port

from .conftest import FormParser
from .conftest import set_settings

FORM = "@@onlyoffice-controlpanel"
FORM_ID = "form"
SAVE = "form.buttons.save"
SECRET = "a-secret-nobody-should-ever-see-again"


def stored(client, name=None):
    """The settings as the server has them now, read through REST like any client."""
    response = client.get("++api++/@controlpanels/onlyoffice")
    response.raise_for_status()
    body = response.json()
    return body if name is None else body["data"][name]


def run_check(client):
    """GET @onlyoffice-connection-check: the check the form runs on save, on the server."""
    response = client.session.get(
        f"{client.portal_url}/++api++/@onlyoffice-connection-check",
        headers={"Accept": "application/json"},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    return response.json()


def failed_step(report):
    return next(step for step in report["steps"] if not step["ok"])


def secret_works(client, double, plone_url):
    """Whether the stored secret is the double's: the signed version command must pass."""
    set_settings(client, docs_url=double.url, plone_internal_url=plone_url)
    steps = {step["name"]: step["ok"] for step in run_check(client)["steps"]}
    return steps.get("version", False)


def test_every_setting_says_what_it_does():
    """The form shows each field's description under it: an administrator should not have
    to guess what "Compact header" or "Editor plugins" change."""
    from zope.schema import getFieldsInOrder

    from onlyoffice_plone.interfaces import IOnlyofficeSettings

    bare = [name for name, field in getFieldsInOrder(IOnlyofficeSettings) if not field.description]
    assert bare == []


class TestForm:
    def test_listed_in_site_setup_for_managers(self, client):
        overview = client.get("@@overview-controlpanel")
        assert "ONLYOFFICE Configuration" in overview.text
        assert "@@onlyoffice-controlpanel" in overview.text

    def test_needs_manage_portal(self, site):
        _portal, url = site
        import requests

        anonymous = requests.get(f"{url}/{FORM}", timeout=30, allow_redirects=False)
        assert anonymous.status_code in (302, 401, 403)
        assert "form.widgets.docs_url" not in anonymous.text

    def test_settings_persist(self, client, docs_double_factory):
        double = docs_double_factory()
        response, _page = client.submit(
            FORM,
            FORM_ID,
            {
                "form.widgets.docs_url": double.url + "/",
                "form.widgets.jwt_secret": double.secret,
                "form.widgets.jwt_leeway": "90",
                "form.widgets.max_file_size_mb": "250",
                "form.widgets.lossy_edit_formats:list": ["odt", "csv"],
                "form.widgets.forcesave:list": "selected",
            },
            SAVE,
        )
        assert response.status_code == 200
        assert stored(client, "docs_url") == double.url + "/"
        assert stored(client, "jwt_leeway") == 90
        assert stored(client, "max_file_size_mb") == 250
        assert sorted(stored(client, "lossy_edit_formats")) == ["csv", "odt"]
        assert stored(client, "forcesave") is True
        assert stored(client, "jwt_secret") is None
        assert stored(client)["jwt_secret_set"] is True
        assert secret_works(client, double, client.portal_url)

    def test_rejects_addresses_that_are_not_http(self, client):
        for bad in ("ftp://docs.example.com/", "file:///etc/passwd", "javascript:alert(1)"):
            response, _page = client.submit(FORM, FORM_ID, {"form.widgets.docs_url": bad}, SAVE)
            assert "There were some errors" in response.text, bad
            assert stored(client, "docs_url") is None

    def test_rejects_addresses_with_credentials(self, client):
        response, _page = client.submit(
            FORM, FORM_ID, {"form.widgets.docs_url": "https://user:pw@docs.example.com/"}, SAVE
        )
        assert "must not contain a user name or password" in response.text
        assert stored(client, "docs_url") is None


class TestCsrf:
    def test_save_without_the_authenticator_changes_nothing(self, client):
        page = client.get(FORM)
        parser = FormParser(FORM_ID)
        parser.feed(page.text)
        fields = [(n, v) for n, v in parser.fields if n != "_authenticator"]
        fields = [(n, v) for n, v in fields if n not in ("form.widgets.docs_url",)]
        fields += [
            ("form.widgets.docs_url", "http://attacker.invalid/"),
            ("form.widgets.jwt_secret", "attacker-known"),
            (SAVE, "Save"),
        ]
        response = client.session.post(
            f"{client.portal_url}/{FORM}", data=fields, timeout=60, allow_redirects=False
        )
        assert response.status_code == 403
        assert stored(client, "docs_url") is None
        assert stored(client)["jwt_secret_set"] is False


class TestWriteOnlySecret:
    def test_secret_never_rendered_in_the_form(self, client):
        set_settings(client, jwt_secret=SECRET)
        page = client.get(FORM)
        assert page.status_code == 200
        assert "form.widgets.jwt_secret" in page.text
        assert SECRET not in page.text
        assert "A secret is stored" in page.text

    def test_empty_secret_on_save_keeps_the_stored_one(self, client, docs_double_factory):
        double = docs_double_factory(secret=SECRET)
        set_settings(client, jwt_secret=SECRET)
        response, _page = client.submit(
            FORM, FORM_ID, {"form.widgets.jwt_leeway": "30", "form.widgets.jwt_secret": ""}, SAVE
        )
        assert response.status_code == 200
        assert SECRET not in response.text
        assert stored(client, "jwt_leeway") == 30
        assert secret_works(client, double, client.portal_url)

    def test_new_secret_replaces_the_stored_one(self, client, docs_double_factory):
        double = docs_double_factory(secret="replacement")
        set_settings(client, jwt_secret=SECRET)
        assert not secret_works(client, double, client.portal_url)
        client.submit(FORM, FORM_ID, {"form.widgets.jwt_secret": "replacement"}, SAVE)
        assert secret_works(client, double, client.portal_url)

    def test_secret_is_in_no_registry_record(self, site, client):
        set_settings(client, jwt_secret=SECRET)
        listing = client.get("++api++/@registry", params={"q": "onlyoffice_plone", "b_size": 100})
        assert listing.status_code == 200
        assert "onlyoffice_plone.docs_url" in listing.text
        assert SECRET not in listing.text
        assert "onlyoffice_plone.jwt_secret" not in getUtility(IRegistry).records
        configuration_registry = client.get("portal_registry")
        assert SECRET not in configuration_registry.text

    def test_rest_never_returns_the_secret(self, client):
        set_settings(client, jwt_secret=SECRET)
        response = client.get("++api++/@controlpanels/onlyoffice")
        assert response.status_code == 200
        assert SECRET not in response.text
        data = response.json()
        assert data["data"]["jwt_secret"] is None
        assert data["jwt_secret_set"] is True
        assert data["data"]["jwt_header"] == "Authorization"

    def test_rest_patch_without_secret_keeps_it(self, client, docs_double_factory):
        double = docs_double_factory(secret=SECRET)
        set_settings(client, jwt_secret=SECRET)
        response = client.session.patch(
            f"{client.portal_url}/++api++/@controlpanels/onlyoffice",
            json={"jwt_leeway": 15, "jwt_secret": ""},
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert response.status_code == 204, response.text
        assert stored(client, "jwt_leeway") == 15
        assert secret_works(client, double, client.portal_url)

    def test_rest_patch_sets_a_new_secret(self, client, docs_double_factory):
        double = docs_double_factory(secret="from-rest")
        set_settings(client, jwt_secret=SECRET)
        response = client.session.patch(
            f"{client.portal_url}/++api++/@controlpanels/onlyoffice",
            json={"jwt_secret": "from-rest"},
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert response.status_code == 204, response.text
        assert secret_works(client, double, client.portal_url)


BAD_SECRETS = {
    "lone surrogate": "\udcff",
    "control character": "abc\x00def",
    "line break": "abc\ndef",
    "too long": "x" * 257,
}
SECRET_RULE = "Enter a secret key of at most 256 characters, without control characters."


class TestSecretThatCannotSign:
    """A secret the core cannot sign with would break every editor page: refused, and the
    stored secret keeps working."""

    def patch(self, client, text):
        return client.session.patch(
            f"{client.portal_url}/++api++/@controlpanels/onlyoffice",
            data=text.encode("ascii"),
            headers={"Accept": "application/json", "Content-Type": "application/json"},
            timeout=30,
        )

    @pytest.mark.parametrize("name", sorted(BAD_SECRETS))
    def test_rest_refuses_it_with_a_400(self, client, docs_double_factory, name):
        double = docs_double_factory(secret=SECRET)
        set_settings(client, jwt_secret=SECRET)
        response = self.patch(client, json.dumps({"jwt_secret": BAD_SECRETS[name]}))
        assert response.status_code == 400, response.text
        assert response.json()["type"] == "BadRequest"
        assert secret_works(client, double, client.portal_url)

    def test_rest_refuses_a_lone_surrogate_in_any_field(self, client):
        response = self.patch(client, r'{"docs_url": "http://docs\udcff.example/"}')
        assert response.status_code == 400, response.text
        assert "not valid Unicode" in response.text
        assert stored(client, "docs_url") is None

    def test_the_form_shows_the_rule(self, client, docs_double_factory):
        double = docs_double_factory(secret=SECRET)
        set_settings(client, jwt_secret=SECRET)
        for name in ("control character", "too long"):
            response, _page = client.submit(
                FORM, FORM_ID, {"form.widgets.jwt_secret": BAD_SECRETS[name]}, SAVE
            )
            assert SECRET_RULE in response.text, name
        # Bytes that are not UTF-8 reach the form as lone surrogates.
        page = client.get(FORM)
        parser = FormParser(FORM_ID)
        parser.feed(page.text)
        fields = [(n, v) for n, v in parser.fields if n != "form.widgets.jwt_secret"]
        body = urllib.parse.urlencode([*fields, (SAVE, "Save")]) + "&form.widgets.jwt_secret=%ff"
        response = client.session.post(
            f"{client.portal_url}/{FORM}",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=60,
        )
        assert response.status_code == 200, response.text[:500]
        assert SECRET_RULE in response.text
        assert secret_works(client, double, client.portal_url)


def check(client, **values):
    """Store ``values`` and run the connection check on the server."""
    set_settings(client, plone_internal_url=client.portal_url, **values)
    return run_check(client)


class TestConnectionCheck:
    def test_success_reports_the_docs_version(self, client, docs_double_factory):
        double = docs_double_factory(version="9.1.0.168")
        report = check(client, docs_url=double.url, jwt_secret=double.secret)
        assert report["ok"] is True, report
        assert report["version"] == "9.1.0.168"
        assert [s["name"] for s in report["steps"]] == ["healthcheck", "version", "conversion"]
        # The conversion step really made Docs download the check file from Plone.
        checks = [d for d in double.downloads if "@@onlyoffice-check-file" in d["url"]]
        assert checks and checks[-1]["status"] == 200

    def test_save_shows_the_version(self, client, docs_double_factory):
        double = docs_double_factory(version="9.1.0.168")
        # The check must use the secret being saved, not the one stored before.
        set_settings(client, plone_internal_url=client.portal_url, jwt_secret="the-old-one")
        response, _page = client.submit(
            FORM,
            FORM_ID,
            {"form.widgets.docs_url": double.url, "form.widgets.jwt_secret": double.secret},
            SAVE,
        )
        assert "Connected to ONLYOFFICE Docs 9.1.0.168." in response.text

    def test_the_test_double_is_named_a_stand_in(self, client, docs_double_factory):
        double = docs_double_factory()
        report = check(client, docs_url=double.url, jwt_secret=double.secret)
        assert report["ok"] is True, report
        assert report["test_double"] is True
        assert "test double is running" in report["steps"][0]["message"]
        response, _page = client.submit(FORM, FORM_ID, {"form.widgets.docs_url": double.url}, SAVE)
        assert "is the ONLYOFFICE Docs test double, a stand-in" in response.text

    def test_another_server_is_not_taken_for_the_double(self, client, healthy_server):
        report = check(client, docs_url=healthy_server)
        assert report["steps"][0] == {
            "name": "healthcheck",
            "ok": True,
            "message": "ONLYOFFICE Docs is running.",
        }
        assert report["test_double"] is False

    def test_save_shows_the_failed_step(self, client):
        set_settings(client, plone_internal_url=client.portal_url)
        response, _page = client.submit(
            FORM,
            FORM_ID,
            {"form.widgets.docs_url": f"http://127.0.0.1:{free_port()}/"},
            SAVE,
        )
        # Saved (Docs may come later), but not reassuringly so: one error says both.
        assert "Changes saved." not in response.text
        assert (
            "The changes are saved, but the connection check failed at step “healthcheck”"
            in response.text
        )
        assert "Plone cannot connect to" in response.text

    def test_wrong_address(self, client):
        report = check(client, docs_url=f"http://127.0.0.1:{free_port()}/")
        assert report["ok"] is False
        assert failed_step(report)["name"] == "healthcheck"
        assert "Plone cannot connect to" in failed_step(report)["message"]

    def test_something_else_answers_at_the_address(self, client, docs_double_factory):
        double = docs_double_factory()
        report = check(client, docs_url=double.url + "/not-docs/", jwt_secret=double.secret)
        assert failed_step(report)["name"] == "healthcheck"
        assert "answered HTTP 404" in failed_step(report)["message"]

    def test_docs_reports_unhealthy(self, client, docs_double_factory):
        double = docs_double_factory()
        double.faults.unhealthy = True
        report = check(client, docs_url=double.url, jwt_secret=double.secret)
        assert failed_step(report)["name"] == "healthcheck"
        assert "not healthy" in failed_step(report)["message"]

    def test_secret_mismatch(self, client, docs_double_factory):
        double = docs_double_factory()
        report = check(client, docs_url=double.url, jwt_secret="not-the-docs-secret")
        assert failed_step(report)["name"] == "version"
        # Docs' error code, not its English wording: the sentence around it is translated.
        assert failed_step(report)["message"] == (
            "ONLYOFFICE Docs rejected the signed request (error 6): the secret key differs "
            "from its JWT_SECRET, or the clocks of the two servers differ."
        )

    def test_secret_missing_while_docs_requires_one(self, client, docs_double_factory):
        double = docs_double_factory()
        report = check(client, docs_url=double.url)
        assert failed_step(report)["name"] == "version"
        assert failed_step(report)["message"] == (
            "ONLYOFFICE Docs requires a token (error 6): enter the secret key from its JWT_SECRET."
        )

    def test_docs_cannot_reach_plone(self, client, docs_double_factory):
        double = docs_double_factory()
        set_settings(
            client,
            docs_url=double.url,
            jwt_secret=double.secret,
            plone_internal_url=f"http://127.0.0.1:{free_port()}/plone",
        )
        report = run_check(client)
        assert failed_step(report)["name"] == "conversion"
        assert "could not download a file from Plone" in failed_step(report)["message"]
        assert [s["ok"] for s in report["steps"]] == [True, True, False]

    def test_internal_docs_address_is_used_by_plone(self, client, docs_double_factory):
        double = docs_double_factory()
        report = check(
            client,
            docs_url="https://docs.invalid/",
            docs_internal_url=double.url,
            jwt_secret=double.secret,
        )
        assert report["ok"] is True, report

    def test_untrusted_tls_certificate(self, client, tls_server):
        report = check(client, docs_url=tls_server, verify_tls=True)
        assert failed_step(report)["name"] == "healthcheck"
        assert "TLS certificate" in failed_step(report)["message"]

    def test_tls_verification_can_be_turned_off(self, client, tls_server):
        report = check(client, docs_url=tls_server, verify_tls=False)
        # The TLS server is no Docs: the check gets past TLS and fails on what it answers.
        assert failed_step(report)["name"] == "healthcheck"
        assert "TLS certificate" not in failed_step(report)["message"]
        assert "answered HTTP" in failed_step(report)["message"]

    def test_check_needs_an_address(self, client):
        response = client.session.get(
            f"{client.portal_url}/++api++/@onlyoffice-connection-check",
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert response.status_code == 400
        assert "address of ONLYOFFICE Docs is not set" in response.text

    def test_check_needs_manage_portal(self, client):
        response = requests.get(
            f"{client.portal_url}/++api++/@onlyoffice-connection-check",
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert response.status_code == 401


class _Healthy(http.server.BaseHTTPRequestHandler):
    """Answers ``/healthcheck`` as Docs does, and nothing else (no Server header of the double)."""

    server_version = "nginx"
    sys_version = ""

    def do_GET(self):
        body = b"true" if self.path == "/healthcheck" else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def healthy_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Healthy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """An HTTPS server on loopback with a self-signed certificate nobody trusts."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class TestJwtHeader:
    def test_must_be_a_header_name(self, client):
        for bad in ("Bad Header", "X-Token:", "Auth\r\nX: y"):
            response = client.session.patch(
                f"{client.portal_url}/++api++/@controlpanels/onlyoffice",
                json={"jwt_header": bad},
                headers={"Accept": "application/json"},
                timeout=30,
            )
            assert response.status_code == 400, bad
        assert stored(client, "jwt_header") == "Authorization"

    def test_accepts_another_header(self, client):
        set_settings(client, jwt_header="AuthorizationJwt")
        assert stored(client, "jwt_header") == "AuthorizationJwt"


class TestTemplatesFolder:
    def patch(self, client, **values):
        return client.session.patch(
            f"{client.portal_url}/++api++/@controlpanels/onlyoffice",
            json=values,
            headers={"Accept": "application/json"},
            timeout=30,
        )

    def test_must_be_a_folder_of_the_site(self, client):
        response = self.patch(client, templates_folder="/no-such-folder")
        assert response.status_code == 400
        assert "There is no folder at this path" in response.text
        assert stored(client, "templates_folder") is None

    def test_accepts_a_folder(self, client):
        created = client.session.post(
            f"{client.portal_url}/++api++/",
            json={"@type": "Folder", "id": "templates", "title": "Templates"},
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        assert self.patch(client, templates_folder="/templates").status_code == 204
        assert stored(client, "templates_folder") == "/templates"

    def test_refuses_a_folder_reached_by_acquisition(self, client):
        for folder in ("templates", "docs"):
            created = client.session.post(
                f"{client.portal_url}/++api++/",
                json={"@type": "Folder", "id": folder, "title": folder},
                headers={"Accept": "application/json"},
                timeout=30,
            )
            assert created.status_code == 201, created.text
        # /docs/templates does not exist; traversal would acquire /templates.
        assert self.patch(client, templates_folder="/docs/templates").status_code == 400

    def test_refuses_a_document(self, client):
        created = client.session.post(
            f"{client.portal_url}/++api++/",
            json={"@type": "Document", "id": "page", "title": "A page"},
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        assert self.patch(client, templates_folder="/page").status_code == 400


def test_settings_the_core_refuses_fail_the_check_in_plain_words(docs_double_factory):
    """A header name stored behind the form's back fails the step, it does not crash."""
    double = docs_double_factory()
    settings = Settings(docs_url=double.url, jwt_secret=double.secret, jwt_header="Bad Header")
    report = ConnectionCheck(settings, "http://127.0.0.1:9/never-fetched").run()
    assert [(s.name, s.ok) for s in report.steps] == [("healthcheck", True), ("version", False)]
    assert "cannot make a request" in str(report.failed.message)
