"""The editor's document events over real HTTP: version history, restore, rename, save as,
refresh and the editor type, between Plone and the Docs test double."""

import base64
import contextlib
import io
import json
import urllib.parse

import PIL.Image
import pytest
import requests
import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.namedfile.file import NamedBlobImage

from onlyoffice_docs_double import samples
from onlyoffice_plone_testing.http import QuietHandler
from onlyoffice_plone_testing.http import serving

from .conftest import DOCX


def upload(site, data, user="jane"):
    """Replace the file through Plone's REST API, as an upload would."""
    body = {
        "file": {
            "data": base64.b64encode(data).decode(),
            "encoding": "base64",
            "filename": "report.docx",
            "content-type": DOCX,
        }
    }
    response = requests.patch(
        site.item_url(site.file),
        data=json.dumps(body),
        headers={**site._auth(user), "Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 204, response.text
    site.settle()


def history(site, user="jane"):
    response = site.get(f"{site.path(site.file)}/@onlyoffice-history", user)
    assert response.status_code == 200, response.text
    return response.json()


def history_data(site, number, user="jane"):
    response = site.get(f"{site.path(site.file)}/@onlyoffice-history-data?version={number}", user)
    assert response.status_code == 200, response.text
    return response.json()


def rest_post(site, name, body, user="jane", obj=None):
    return site.post(
        f"{site.path(obj if obj is not None else site.file)}/{name}",
        user,
        data=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )


@pytest.fixture
def saved_twice_and_uploaded(site):
    """Two ONLYOFFICE saves (Jane, then John) and an upload; the bytes after each."""
    site.round_trip("jane", "Jane's words")
    after_jane = site.file_data()
    site.round_trip("john", "John's words")
    after_john = site.file_data()
    uploaded = samples.docx("Uploaded text")
    upload(site, uploaded)
    return after_jane, after_john, uploaded


def test_history_lists_onlyoffice_saves_and_uploads_with_authors_and_changes(
    site, saved_twice_and_uploaded
):
    reply = history(site)
    entries = reply["history"]
    assert reply["currentVersion"] == entries[-1]["version"]
    jane, john, upload_entry = entries[-3:]
    assert [e["user"]["name"] for e in (jane, john)] == ["Jane Editor", "John Editor"]
    assert upload_entry["user"]["id"] == "jane"
    for entry in (jane, john):
        assert entry["changes"] and entry["serverVersion"] == site.double.version
        assert entry["changes"][0]["user"]["id"] in ("jane", "john")
    assert "changes" not in upload_entry and "serverVersion" not in upload_entry
    # Each version has a key of its own; the current one is the key editors join now.
    keys = [e["key"] for e in entries]
    assert len(set(keys)) == len(keys)
    assert upload_entry["key"] == site.key()


def test_an_old_version_downloads_exactly_its_bytes_with_its_changes(
    site, saved_twice_and_uploaded
):
    after_jane, _after_john, _uploaded = saved_twice_and_uploaded
    jane = history(site)["history"][-3]
    data = history_data(site, jane["version"])
    assert data["key"] == jane["key"] and data["fileType"] == "docx"
    assert data["token"], "setHistoryData is signed"
    fetched = site.double._sessions.fetch(data["url"])
    assert fetched == after_jane
    # The changes Docs made it with, and the version before it, for the highlighted diff.
    assert data["previous"]["key"] == history(site)["history"][-4]["key"]
    assert site.double._sessions.fetch(data["changesUrl"])[:2] == b"PK"
    # The upload made no changes.zip: it opens as it is.
    plain = history_data(site, history(site)["currentVersion"])
    assert "changesUrl" not in plain and "previous" not in plain


def _with_query(url, **changes):
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.update(changes)
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def test_a_version_token_opens_no_other_version_document_or_purpose(
    site, saved_twice_and_uploaded
):
    jane = history(site)["history"][-3]
    url = history_data(site, jane["version"])["url"]
    fetch = site.double._sessions
    other_version = _with_query(url, version=str(jane["version"]))  # ids count from 0
    other_document = _with_query(url, uid=site.folder.UID())
    as_changes = url.replace("@@onlyoffice-version", "@@onlyoffice-changes")
    as_download = url.replace("@@onlyoffice-version", "@@onlyoffice-download")
    for forged in (other_version, other_document, as_changes, as_download):
        response = requests.get(forged, headers=fetch.download_headers(forged), timeout=30)
        assert response.status_code == 403, (forged, response.text)
    # Without Docs' header token, even the right URL is refused.
    assert requests.get(url, timeout=30).status_code == 403
    assert requests.get(_with_query(url, version="x"), timeout=30).status_code == 400


def test_history_needs_access_to_previous_versions(site, saved_twice_and_uploaded):
    response = site.get(f"{site.path(site.file)}/@onlyoffice-history", "vera")
    assert response.status_code == 403
    assert response.json()["error"]["type"] == "Forbidden"
    bad = site.get(f"{site.path(site.file)}/@onlyoffice-history-data?version=0", "jane")
    assert bad.status_code == 400
    missing = site.get(f"{site.path(site.file)}/@onlyoffice-history-data?version=999", "jane")
    assert missing.status_code == 404


def test_restore_makes_a_new_version_with_the_old_bytes_and_a_new_key(
    site, saved_twice_and_uploaded
):
    after_jane, _after_john, uploaded = saved_twice_and_uploaded
    before = history(site)
    jane = before["history"][-3]
    key_before = site.key()
    for user in ("rita", "vera"):
        refused = rest_post(site, "@onlyoffice-restore", {"version": jane["version"]}, user)
        assert refused.status_code == 403, refused.text
    response = rest_post(site, "@onlyoffice-restore", {"version": jane["version"]})
    assert response.status_code == 200, response.text
    site.settle()
    assert site.file_data() == after_jane
    assert site.key() != key_before
    after = history(site)
    assert after["currentVersion"] == before["currentVersion"] + 1
    newest = site.versions()[-1]
    assert newest["comment"] == f"Restored version {jane['version']} in ONLYOFFICE by Jane Editor"
    # Nothing lost: the uploaded version is still there, byte for byte.
    assert (
        site.double._sessions.fetch(history_data(site, before["currentVersion"])["url"])
        == uploaded
    )


def test_rename_for_modify_is_seen_by_co_editors_and_refused_for_a_reviewer(site):
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    refused = rest_post(site, "@onlyoffice-rename", {"title": "Stolen"}, "rita")
    assert refused.status_code == 403
    response = rest_post(site, "@onlyoffice-rename", {"title": "Summary"})
    assert response.status_code == 200, response.text
    assert response.json() == {"title": "Summary.docx", "editor_title": "Summary.docx"}
    site.sync()
    assert site.file.Title() == "Summary.docx"
    notices = site.double.wait_for(lambda: site.double.sessions[key].notices)
    assert notices[-1] == {"type": "meta", "meta": {"title": "Summary.docx"}}
    assert site.key() == key, "a rename never splits the session"
    # Reopened, the editor shows the new name, on the same file and key.
    reopened = site.config(user="jane")["document"]
    assert (reopened["title"], reopened["key"]) == ("Summary.docx", key)
    assert site.file.file.filename == "report.docx"
    for bad in ("", "   ", "x" * 201, 42):
        assert rest_post(site, "@onlyoffice-rename", {"title": bad}).status_code == 400


def test_the_editor_shows_the_title_with_the_file_extension(site):
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        site.file.setTitle("Quarterly figures")
        site.file.reindexObject()
    transaction.commit()
    assert site.config(user="jane")["document"]["title"] == "Quarterly figures.docx"
    # Renamed without its extension, the title keeps none; the editor still shows it.
    assert rest_post(site, "@onlyoffice-rename", {"title": "Budget"}).json() == {
        "title": "Budget",
        "editor_title": "Budget.docx",
    }
    assert site.config(user="jane")["document"]["title"] == "Budget.docx"


def may_add(site, user):
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        api.user.grant_roles(username=user, obj=site.folder, roles=["Contributor"])
    transaction.commit()


def test_save_as_creates_the_copy_and_refuses_a_foreign_url(site):
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    site.double.edit(key, "jane", "Copied words")
    url = site.double._sessions.snapshot_url(key)
    body = {"url": url, "title": "Copy of report.docx", "fileType": "docx"}
    # An editor who may not add to the folder is told so, before anything is fetched.
    refused = rest_post(site, "@onlyoffice-saveas", body, "jane")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "You may not add a copy to the folder of this document."
    )
    assert rest_post(site, "@onlyoffice-saveas", body, "vera").status_code == 403
    may_add(site, "jane")
    for foreign in ("http://example.org/x.docx", site.item_url(site.file) + "/@@download/file"):
        response = rest_post(site, "@onlyoffice-saveas", {**body, "url": foreign})
        assert response.status_code == 400, response.text
    response = rest_post(site, "@onlyoffice-saveas", body)
    assert response.status_code == 200, response.text
    copy = response.json()
    assert copy["title"] == "Copy of report.docx"
    assert copy["url"].startswith(site.url + "/docs/")
    site.sync()
    item = site.portal.unrestrictedTraverse(copy["url"][len(site.url) + 1 :])
    assert "Copied words" in site.text(item)


def test_a_phone_gets_the_mobile_editor(site):
    phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"
    path = f"{site.path(site.file)}/@onlyoffice-config?mode=edit"

    def config(agent):
        headers = {**site._auth("jane"), "User-Agent": agent}
        return requests.get(site._url(path), headers=headers, timeout=30).json()["config"]

    assert config(phone)["type"] == "mobile"
    assert config("Mozilla/5.0 (X11; Linux x86_64)").get("type", "desktop") == "desktop"


# --- bad input: refused with a 4xx before anything is done ---

NOT_UNICODE = "The request holds text that is not valid Unicode."


def raw_post(site, path, text, user="jane"):
    """POST the JSON text ``text`` as it is (json.dumps cannot write a lone surrogate)."""
    return site.post(
        f"{path}", user, data=text.encode("ascii"), headers={"Content-Type": "application/json"}
    )


def test_a_lone_surrogate_anywhere_in_a_body_is_a_400_and_changes_nothing(site):
    may_add(site, "jane")
    config = site.config(user="jane")
    key = config["document"]["key"]
    site.double.open(config, "jane")
    versions = site.versions()
    item = site.path(site.file)
    # Each would otherwise be carried out (a rename, a restore) or fail later as a 500.
    bodies = {
        "@onlyoffice-rename": [r'{"title": "\udcff"}', r'{"\udcff": 1, "title": "Fine"}'],
        "@onlyoffice-saveas": [r'{"url": "\udcff", "title": "t"}'],
        "@onlyoffice-notify": [r'{"emails": ["\udcff"], "message": "m", "actionLink": ""}'],
        "@onlyoffice-restore": [r'{"version": 1, "note": [{"\udcff": "x"}]}'],
        "@onlyoffice-reference-data": [r'{"referenceData": {"fileKey": "\ud800"}, "path": "x"}'],
        "@onlyoffice-reference-open": [r'{"referenceData": {}, "path": "\udfff"}'],
    }
    for name, texts in bodies.items():
        for text in texts:
            response = raw_post(site, f"{item}/{name}", text)
            assert response.status_code == 400, (name, text, response.text)
            assert response.json()["error"]["type"] == "BadRequest"
            assert response.json()["error"]["message"] == NOT_UNICODE
    forgotten = raw_post(site, "@onlyoffice-forgotten", r'{"key": "\udcff"}', SITE_OWNER_NAME)
    assert forgotten.status_code == 400, forgotten.text
    assert forgotten.json()["error"]["message"] == NOT_UNICODE
    site.settle()
    assert site.file.Title() == "report.docx"
    assert len(site.versions()) == len(versions)
    assert site.double.sessions[key].notices == []
    assert site.folder.objectIds() == ["report"]
    # A surrogate pair is one character, not a lone surrogate: it is a name like any other.
    paired = raw_post(site, f"{item}/@onlyoffice-rename", r'{"title": "Plan \ud83d\udcc8"}')
    assert paired.status_code == 200, paired.text
    assert paired.json()["title"] == "Plan \U0001f4c8.docx"


def png():
    image = PIL.Image.new("RGB", (1, 1))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def other_items(site):
    """A versioned Document, an Image and a Folder beside the file: no office file in any."""
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        page = api.content.create(site.folder, "Document", id="page", title="Page")
        api.portal.get_tool("portal_repository").save(obj=page, comment="first")
        image = api.content.create(
            site.folder,
            "Image",
            id="picture",
            title="Picture",
            image=NamedBlobImage(data=png(), filename="picture.png", contentType="image/png"),
        )
        folder = api.content.create(site.folder, "Folder", id="inner", title="Inner")
    transaction.commit()
    return page, image, folder


def test_history_of_an_item_without_an_office_file_is_a_404(site, other_items):
    page, _image, _folder = other_items
    assert site.versions(page), "the Document has versions"
    for path in ("@onlyoffice-history", "@onlyoffice-history-data?version=1"):
        response = site.get(f"{site.path(page)}/{path}", "jane")
        assert response.status_code == 404, (path, response.text)
        assert response.json()["error"] == {
            "type": "NotAnOfficeFile",
            "message": "This item holds no document ONLYOFFICE can open.",
            "code": None,
        }


@contextlib.contextmanager
def counting_docs():
    """A stand-in for Docs' internal address that counts the requests it gets."""
    asked = []

    class Handler(QuietHandler):
        def do_GET(self):
            asked.append(self.path)
            body = samples.docx("Fetched")
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as url:
        yield f"{url}/", asked


def test_save_as_from_an_item_without_an_office_file_downloads_nothing(site, other_items):
    may_add(site, "jane")
    with counting_docs() as (internal, asked):
        site.set_registry(docs_internal_url=internal)
        url = site.double.url + "/cache/files/copy/output.docx"
        for item in other_items:
            body = {"url": url, "title": "Copy", "fileType": "docx"}
            response = rest_post(site, "@onlyoffice-saveas", body, "jane", item)
            assert response.status_code == 404, (item, response.text)
            assert response.json()["error"]["type"] == "NotAnOfficeFile"
        for file_type in (["docx"], "../docx", "x" * 11):
            body = {"url": url, "title": "Copy", "fileType": file_type}
            response = rest_post(site, "@onlyoffice-saveas", body)
            assert response.status_code == 400, (file_type, response.text)
        assert asked == [], "refused before anything is downloaded"
        # The same request from the office file is carried out: the refusals were not chance.
        response = rest_post(site, "@onlyoffice-saveas", {"url": url, "title": "Copy"})
        assert response.status_code == 200, response.text
        assert len(asked) == 1
    site.sync()
    assert sorted(site.folder.objectIds()) == ["copy", "inner", "page", "picture", "report"]


def test_rename_refuses_control_characters_and_titles_over_200_characters(site):
    for bad in ("a\x00b", "a\x1bb", "a\x7fb", "a\x9fb", "x" * 201):
        response = rest_post(site, "@onlyoffice-rename", {"title": bad})
        assert response.status_code == 400, (bad, response.text)
    site.sync()
    assert site.file.Title() == "report.docx"
    # White space, tabs and line breaks included, becomes single spaces: no refusal.
    response = rest_post(site, "@onlyoffice-rename", {"title": " a\tb\n c "})
    assert response.json()["title"] == "a b c.docx"
