"""Every Docs error family becomes a clear message; nobody converts without the rights."""

from __future__ import annotations

import secrets

import pytest

from onlyoffice_docs_double import samples
from onlyoffice_plone_testing.instances import free_port

pytestmark = pytest.mark.slow


def _error(response, status, kind):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["type"] == kind, error
    assert error["message"] and "Traceback" not in error["message"]
    return error


def test_password_protected_odt(site):
    source = site.add("secret", samples.odt("Secret", encrypted=True), "secret.odt")
    error = _error(site.convert(source), 422, "PasswordProtected")
    assert error["code"] == -5
    assert "password" in error["message"]
    site.sync()
    assert site.folder.objectIds() == ["secret"]


def test_password_protected_docx_download_as(site):
    source = site.add("locked", samples.encrypted_ooxml(), "locked.docx")
    response = site.get(f"{site.path(source)}/@onlyoffice-download-as?outputtype=pdf&wait=30")
    _error(response, 422, "PasswordProtected")
    # The plain download link shows the same message on a page, not an HTTP 500.
    page = site.get(
        f"{site.path(source)}/@@onlyoffice-download-as-file?outputtype=pdf",
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 422
    assert 'data-error-type="PasswordProtected"' in page.text


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        (-2, 504, "Timeout"),
        (-3, 422, "ConversionError"),
        (-7, 422, "BadRequest"),
        (-9, 422, "BadRequest"),
        (-1, 502, "ConversionError"),
    ],
)
def test_docs_error_codes(site, code, status, kind):
    source = site.add("broken", samples.odt("Broken"), "broken.odt")
    site.double.faults.conversion_error = code
    error = _error(site.convert(source), status, kind)
    assert error["code"] == code


def test_docs_cannot_download_from_plone(site):
    # Docs is told to fetch the source from an address where nothing listens.
    site.set(plone_internal_url=f"http://127.0.0.1:{free_port()}/plone")
    source = site.add("far", samples.odt("Far"), "far.odt")
    error = _error(site.convert(source), 502, "DownloadFailed")
    assert error["code"] == -4


def test_file_larger_than_docs_accepts(site):
    limit = site.double.max_download_bytes
    site.double.max_download_bytes = 1000  # not undone by the layer's reset: restore it
    try:
        source = site.add("big", samples.odt(secrets.token_hex(4000)), "big.odt")
        error = _error(site.convert(source), 413, "TooLarge")
    finally:
        site.double.max_download_bytes = limit
    assert error["code"] == -10


def test_token_mismatch(site):
    from onlyoffice_plone.settings import set_jwt_secret

    set_jwt_secret(site.portal, "not-the-secret-of-docs")
    import transaction

    transaction.commit()
    source = site.add("signed", samples.odt("Signed"), "signed.odt")
    error = _error(site.convert(source), 502, "TokenRefused")
    assert error["code"] == -8


def test_docs_unreachable(site):
    site.set(docs_url=f"http://127.0.0.1:{free_port()}/")
    source = site.add("lonely", samples.odt("Lonely"), "lonely.odt")
    _error(site.convert(source), 503, "DocsUnreachable")


def test_result_too_large_for_the_site(site):
    site.set(max_file_size_mb=1)
    site.double.faults.result_oversize_bytes = 2 * 1024 * 1024
    source = site.add("grow", samples.odt("Grow"), "grow.odt")
    _error(site.convert(source), 413, "TooLarge")
    site.sync()
    assert site.folder.objectIds() == ["grow"]


def test_through_internal_addresses(site, editor):
    """Plone calls Docs at docs_internal_url; Docs fetches from plone_internal_url; the
    result URL (on the internal Docs origin) is accepted and fetched server-side."""
    site.set(
        docs_url="http://docs.example.invalid/",
        docs_internal_url=site.double.url + "/",
        plone_internal_url=f"http://127.0.0.1:{editor['port']}/plone",
    )
    source = site.add("inner", samples.odt("Inner"), "inner.odt")
    response = site.convert(source)
    assert response.status_code == 201, response.text
    fetched = [d["url"] for d in site.double.downloads]
    assert any(
        url.startswith(f"http://127.0.0.1:{editor['port']}/plone/@@onlyoffice-download?")
        for url in fetched
    )


# --- permissions ------------------------------------------------------------------------------


def test_reader_may_not_convert(site):
    source = site.add("paper", samples.odt("Paper"), "paper.odt")
    token = site.csrf(source, "vera")
    info = site.get(f"{site.path(source)}/@onlyoffice-convert", "vera").json()
    assert info["targets"] == []
    for target in ("new", "replace"):
        response = site.convert(source, target, user="vera", token=token)
        assert response.status_code == 401, response.text
    assert site.get(f"{site.path(source)}/@@onlyoffice-convert", "vera").status_code == 401
    page = site.get(f"{site.path(source)}/view", "vera", headers={"Accept": "text/html"}).text
    assert "onlyoffice_convert" not in page
    assert "onlyoffice-convert" not in page
    page = site.get(f"{site.path(source)}/view", "jane", headers={"Accept": "text/html"}).text
    assert "plone-contentmenu-actions-onlyoffice_convert" in page
    site.sync()
    assert site.folder.objectIds() == ["paper"]
    assert site.folder["paper"].file.filename == "paper.odt"


def test_contributor_may_add_but_not_replace(site):
    source = site.add("memo", samples.odt("Memo"), "memo.odt")
    info = site.get(f"{site.path(source)}/@onlyoffice-convert", "carl").json()
    assert info["targets"] == ["new"]
    assert site.convert(source, "replace", user="carl").status_code == 401
    response = site.convert(source, "new", user="carl")
    assert response.status_code == 201, response.text


def test_editor_without_add_rights_may_replace_only(site):
    source = site.add("draft", samples.odt("Draft"), "draft.odt")
    info = site.get(f"{site.path(source)}/@onlyoffice-convert", "eddy").json()
    assert info["targets"] == ["replace"]
    assert site.convert(source, "new", user="eddy").status_code == 401
    assert site.convert(source, "replace", user="eddy").status_code == 200


def test_anonymous_may_not_convert(site):
    source = site.add("public", samples.odt("Public"), "public.odt")
    for permission in ("View", "Access contents information"):
        site.folder.manage_permission(permission, ["Anonymous"], acquire=1)
    import transaction

    transaction.commit()
    info = site.get(f"{site.path(source)}/@onlyoffice-convert", None).json()
    assert info["targets"] == []
    # With a valid CSRF token: refused for lack of rights, not for the token.
    response = site.post(
        f"{site.path(source)}/@onlyoffice-convert",
        None,
        json={"target": "new"},
        headers={"X-CSRF-TOKEN": info["csrf_token"]},
    )
    assert response.status_code == 401, response.text
    assert site.double.conversions == {}


def test_csrf_protection_stays_on(site):
    source = site.add("csrf", samples.odt("CSRF"), "csrf.odt")
    response = site.post(f"{site.path(source)}/@onlyoffice-convert", json={"target": "new"})
    assert response.status_code == 403
    response = site.post(
        f"{site.path(source)}/@onlyoffice-convert",
        json={"target": "new"},
        headers={"X-CSRF-TOKEN": "forged"},
    )
    assert response.status_code == 403
    assert site.double.conversions == {}
    site.sync()
    assert site.folder.objectIds() == ["csrf"]
