"""Links between spreadsheets over HTTP: a real Plone, its REST services and download
endpoint, and the Docs test double acting on the answers as Docs does."""

import hashlib
import json
import urllib.parse

import jwt
import pytest
import requests
import transaction
from plone import api
from plone.namedfile.file import NamedBlobFile
from plone.uuid.interfaces import IUUID

from onlyoffice_docs_double import samples

from .conftest import add_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_FOUND = "The linked file was not found, or you may not view it."


@pytest.fixture
def sheets(site):
    """A source spreadsheet and one that links to it, in the test folder."""
    with api.env.adopt_roles(["Manager"]):
        source = add_file(site.folder, "budget.xlsx", samples.xlsx("Budget"), "budget.xlsx", XLSX)
        dest = add_file(site.folder, "summary.xlsx", samples.xlsx("Sum"), "summary.xlsx", XLSX)
    transaction.commit()
    return source, dest


def private_sheet(site):
    """A spreadsheet only Managers may view."""
    with api.env.adopt_roles(["Manager"]):
        secret = add_file(site.portal, "secret.xlsx", samples.xlsx("Salaries"), "s.xlsx", XLSX)
        secret.manage_permission("View", ["Manager"], acquire=0)
        secret.reindexObjectSecurity()
    transaction.commit()
    return secret


def ask(site, dest, body, user="jane", name="@onlyoffice-reference-data"):
    return site.post(
        f"{site.path(dest)}/{name}",
        user,
        data=body if isinstance(body, str) else json.dumps(body),
        headers={"Content-Type": "application/json"},
    )


def linked(site, dest, source, user="jane"):
    """Open ``dest`` in the double as ``user`` and paste a link to ``source`` (copied from its
    editor): the session key and the link."""
    clipboard = {
        "referenceData": site.config(source, user, "view")["document"]["referenceData"],
        "fileName": "budget.xlsx",
    }
    config = site.config(dest, user)
    key = config["document"]["key"]
    connection = site.double.connect(config, user)
    return key, connection, site.double.paste_link(key, connection.id, clipboard)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def test_each_config_names_its_document_by_uid_and_site(site, sheets):
    source, dest = sheets
    a = site.config(source)["document"]["referenceData"]
    b = site.config(dest, "vera", "view")["document"]["referenceData"]
    assert a == {"fileKey": IUUID(source), "instanceId": b["instanceId"]}
    assert b["fileKey"] == IUUID(dest)
    assert b["instanceId"].startswith("plone-")
    # The key changes with every save; the reference data does not.
    key = site.config(source)["document"]["key"]
    site.round_trip("jane", "Saved", obj=source)
    again = site.config(source)["document"]
    assert again["key"] != key and again["referenceData"] == a


def test_linking_answers_signed_data_docs_downloads(site, sheets):
    source, dest = sheets
    key, connection, link = linked(site, dest, source)
    request = site.double.sessions[key].summary()["links"][0]["requestData"]
    response = ask(site, dest, request)
    assert response.status_code == 200, response.text
    answer = response.json()
    claims = jwt.decode(answer["token"], site.double.secret, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 600
    assert {k: claims[k] for k in answer if k != "token"} == {
        k: v for k, v in answer.items() if k != "token"
    }
    assert answer["path"] == "docs/budget.xlsx"
    assert answer["referenceData"] == request["referenceData"]
    assert answer["key"] == site.key(source)
    assert answer["fileType"] == "xlsx"
    record = site.double.answer_link(key, connection.id, link.id, answer)
    assert record["ok"] is True, record
    assert record["source"] == "downloadfile" and record["plainDiffers"] == []
    assert record["sha256"] == sha(site.file_data(source))
    assert link.status == "OK" and link.path == "docs/budget.xlsx"


def test_a_moved_source_is_found_by_its_uid(site, sheets):
    source, dest = sheets
    key, connection, link = linked(site, dest, source)
    with api.env.adopt_roles(["Manager"]):
        archive = api.content.create(container=site.folder, type="Folder", id="archive")
        api.content.move(source=source, target=archive)
    transaction.commit()
    request = {"referenceData": link.reference_data, "path": "docs/budget.xlsx", "link": ""}
    answer = ask(site, dest, request).json()
    assert answer["path"] == "docs/archive/budget.xlsx"
    record = site.double.answer_link(key, connection.id, link.id, answer)
    assert record["ok"] is True and link.path == "docs/archive/budget.xlsx"


def test_a_source_known_only_by_its_path_is_found(site, sheets):
    source, dest = sheets
    key = IUUID(source)
    for request in (
        {"path": "docs/budget.xlsx"},  # from the site root, as answers name it
        {"path": "budget.xlsx"},  # beside the linking document, as a pasted link names it
        {"link": f"{site.item_url(source)}/view"},  # a link into this site
        {"referenceData": {"fileKey": key, "instanceId": "elsewhere"}, "path": "budget.xlsx"},
    ):
        answer = ask(site, dest, request).json()
        assert answer["referenceData"]["fileKey"] == key, request


def test_a_source_the_user_lost_access_to_answers_not_found(site, sheets):
    source, dest = sheets
    key, connection, link = linked(site, dest, source)
    request = {"referenceData": link.reference_data, "path": link.path}
    assert ask(site, dest, request).status_code == 200
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        source.manage_permission("View", ["Manager"], acquire=0)
        source.reindexObjectSecurity()
    transaction.commit()
    response = ask(site, dest, request)
    assert response.status_code == 404
    assert response.json()["error"] == {
        "type": "SourceNotFound",
        "message": NOT_FOUND,
        "code": None,
    }
    # The page hands Docs the message: the link shows it, no data.
    record = site.double.answer_link(key, connection.id, link.id, {"error": NOT_FOUND})
    assert link.status == NOT_FOUND and "bytes" not in record
    # Nor by its path.
    assert ask(site, dest, {"path": "docs/budget.xlsx"}).status_code == 404


def test_a_guessed_uid_or_path_of_a_private_item_gives_nothing(site, sheets):
    _source, dest = sheets
    secret = private_sheet(site)
    instance = site.config(dest)["document"]["referenceData"]["instanceId"]
    guessed = ask(
        site, dest, {"referenceData": {"fileKey": IUUID(secret), "instanceId": instance}}
    )
    missing = ask(site, dest, {"referenceData": {"fileKey": "0" * 32, "instanceId": instance}})
    by_path = ask(site, dest, {"path": "secret.xlsx"})
    for response in (guessed, missing, by_path):
        assert response.status_code == 404
    assert guessed.json() == missing.json() == by_path.json()
    # A Manager may view it: the same requests find it.
    assert ask(site, dest, {"path": "secret.xlsx"}, "admin").status_code == 200


def test_another_systems_reference_data_is_not_looked_up(site, sheets):
    source, dest = sheets
    foreign = {"referenceData": {"fileKey": IUUID(source), "instanceId": "https://example.com"}}
    assert ask(site, dest, foreign).status_code == 404


def test_only_a_spreadsheet_is_a_source(site, sheets):
    _source, dest = sheets
    response = ask(site, dest, {"path": "docs/report"})
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "NotASpreadsheet"


def test_open_source_goes_to_the_editor_page_the_user_may_have(site, sheets):
    source, dest = sheets
    request = {"path": "docs/budget.xlsx"}
    jane = ask(site, dest, request, "jane", "@onlyoffice-reference-open").json()
    vera = ask(site, dest, request, "vera", "@onlyoffice-reference-open").json()
    assert jane["url"] == site.item_url(source) + "/@@onlyoffice-edit"
    assert vera["url"] == site.item_url(source) + "/@@onlyoffice-view"
    secret = private_sheet(site)
    refused = ask(site, dest, {"path": "secret.xlsx"}, "jane", "@onlyoffice-reference-open")
    assert refused.status_code == 404 and site.item_url(secret) not in refused.text


def test_a_live_session_of_the_source_is_named_by_its_key(site, sheets):
    source, dest = sheets
    config = site.config(source, "john")
    site.double.open(config, "john")
    site.double.edit(config["document"]["key"], "john", "Not saved yet")
    key, connection, link = linked(site, dest, source)
    answer = ask(site, dest, {"referenceData": link.reference_data}).json()
    assert answer["key"] == config["document"]["key"]
    record = site.double.answer_link(key, connection.id, link.id, answer)
    assert record["source"] == "session"
    assert record["sha256"] == sha(site.double.sessions[answer["key"]].document)


def source_url(site, dest):
    answer = ask(site, dest, {"path": "docs/budget.xlsx"}).json()
    return answer["url"]


def docs_get(site, url, secret=None):
    """Fetch ``url`` as Docs does: its header token names that URL."""
    secret = secret or site.double.secret
    header = jwt.encode({"payload": {"url": url}}, secret, algorithm="HS256")
    return requests.get(url, headers={"Authorization": f"Bearer {header}"}, timeout=30)


def with_query(url, **changes):
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.update(changes)
    return parts._replace(query=urllib.parse.urlencode(query)).geturl()


def test_the_source_url_is_scoped_and_short_lived(site, sheets):
    source, dest = sheets
    url = source_url(site, dest)
    assert "purpose=reference" in url
    token = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["purpose"] == "reference" and claims["exp"] - claims["iat"] == 600
    assert docs_get(site, url).content == site.file_data(source)
    # Docs' own header token is required, made for this URL and signed with its secret.
    assert site.get(url).status_code == 403
    assert docs_get(site, url, secret="x" * 40).status_code == 403
    # The token is for links only, for that document only.
    assert docs_get(site, with_query(url, purpose="download")).status_code == 403
    assert docs_get(site, with_query(url, uid=IUUID(dest))).status_code == 403
    # The editor's download token does not open a link's source.
    editor_url = site.config(source)["document"]["url"]
    token = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(editor_url).query))["token"]
    assert docs_get(site, with_query(url, token=token)).status_code == 403
    # Once the source changes, the old URL downloads nothing.
    site.settle()
    source.file = NamedBlobFile(data=samples.xlsx("New"), contentType=XLSX, filename="budget.xlsx")
    transaction.commit()
    assert docs_get(site, url).status_code == 403
    assert docs_get(site, source_url(site, dest)).content == site.file_data(source)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        {},
        {"referenceData": "x"},
        {"referenceData": {"fileKey": "../../etc", "instanceId": "x"}},
        {"path": 12},
        {"path": "a" * 5000},
        {"link": ["x"]},
    ],
)
def test_bad_requests_are_400(site, sheets, body):
    _source, dest = sheets
    response = ask(site, dest, body)
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "BadRequest"


def test_a_malformed_download_purpose_is_400(site, sheets):
    _source, dest = sheets
    assert docs_get(site, with_query(source_url(site, dest), purpose="x")).status_code == 400


def test_anonymous_gets_nothing(site, sheets):
    _source, dest = sheets
    response = ask(site, dest, {"path": "docs/budget.xlsx"}, user=None)
    assert response.status_code in (401, 403)
    assert "token" not in response.text


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Die verknüpfte Datei wurde nicht gefunden, oder Sie dürfen sie nicht ansehen."),
        ("fr", "Le fichier lié est introuvable, ou vous n\u2019avez pas le droit de le voir."),
    ],
)
def test_not_found_is_said_in_the_users_language(site, sheets, language, message):
    _source, dest = sheets
    site.portal.portal_registry["plone.available_languages"] = ["en", language]
    site.portal.portal_registry["plone.use_request_negotiation"] = True
    transaction.commit()
    response = site.post(
        f"{site.path(dest)}/@onlyoffice-reference-data",
        "jane",
        json={"path": "nowhere.xlsx"},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == message
