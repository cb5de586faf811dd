"""The content picker's search and the signed answers to the editor's requests for content,
over HTTP: only what the user may view, only of the kind asked for; every URL handed to Docs
scoped to its item, its file and its user, served only with Docs' header token; bad
parameters are 4xx."""

import hashlib
import logging
import urllib.parse

import pytest
import transaction
from plone import api

from .picked import add_content
from .picked import docs_get
from .picked import signed_fields
from .picked import uid


@pytest.fixture
def picked(site):
    return add_content(site)


def pick(site, user, **params):
    query = urllib.parse.urlencode(params, doseq=True)
    return site.get(f"@onlyoffice-picker?{query}", user)


def titles(response):
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


def answer(site, user, service, **params):
    query = urllib.parse.urlencode(params, doseq=True)
    return site.get(f"{site.path(site.file)}/{service}?{query}", user)


def test_browsing_a_folder_lists_its_folders_then_its_files_of_the_kind(site, picked):
    reply = pick(site, "jane", kind="image", path="/docs")
    assert titles(reply) == ["Pictures", "Company logo"]
    body = reply.json()
    folder, logo = body["items"]
    assert folder["folderish"] is True
    assert folder["path"] == "/docs/pictures"
    assert logo == {
        "uid": uid(picked.logo),
        "title": "Company logo",
        "path": "/docs/logo",
        "url": site.item_url(picked.logo),
        "type": "Image",
        "type_title": "Image",
        "icon": "contenttype/image",
        "folderish": False,
        "fileType": "png",
    }
    assert body["parent"] == "/"
    assert [c["path"] for c in body["breadcrumbs"]] == ["/", "/docs"]
    # An image File counts as an image too.
    assert titles(pick(site, "jane", kind="image", path="/docs/pictures")) == ["Team photo"]


def test_each_kind_lists_only_what_docs_takes_for_it(site, picked):
    assert titles(pick(site, "jane", kind="document", path="/docs")) == [
        "Pictures",
        "Other report",
        "report.docx",
    ]
    assert titles(pick(site, "jane", kind="spreadsheet", path="/docs")) == [
        "Pictures",
        "Recipients list",
    ]


def test_search_finds_files_of_the_kind_anywhere(site, picked):
    assert titles(pick(site, "jane", kind="image", q="team")) == ["Team photo"]
    assert titles(pick(site, "jane", kind="document", q="team")) == []
    assert titles(pick(site, "jane", kind="image", q="photo", path="/docs/pictures")) == [
        "Team photo"
    ]


def test_a_private_item_is_listed_only_to_who_may_view_it(site, picked):
    assert "Secret plan" not in titles(pick(site, "jane", kind="image", path="/docs"))
    assert titles(pick(site, "jane", kind="image", q="secret")) == []
    assert "Secret plan" in titles(pick(site, "john", kind="image", path="/docs"))
    assert titles(pick(site, "john", kind="image", q="secret")) == ["Secret plan"]
    # Anonymous may not see the folder at all: the same 404 as a folder that is not there.
    assert pick(site, None, kind="image", path="/docs").status_code == 404
    assert titles(pick(site, None, kind="image", q="secret")) == []


def test_results_are_paged(site, picked):
    first = pick(site, "jane", kind="document", path="/docs", b_size=2).json()
    assert [i["title"] for i in first["items"]] == ["Pictures", "Other report"]
    assert (first["items_total"], first["next_b_start"]) == (3, 2)
    rest = pick(site, "jane", kind="document", path="/docs", b_size=2, b_start=2).json()
    assert [i["title"] for i in rest["items"]] == ["report.docx"]
    assert rest["next_b_start"] is None


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "video"},
        {"kind": ["image", "document"]},
        {"kind": "image", "b_size": "500"},
        {"kind": "image", "b_size": "0"},
        {"kind": "image", "b_start": "-1"},
        {"kind": "image", "b_start": "x"},
        {"kind": "image", "path": "/docs/../.."},
        {"kind": "image", "path": "/docs/@@overview-controlpanel"},
        {"kind": "image", "path": "/" + "a" * 600},
        {"kind": "image", "q": "x" * 101},
        {"kind": "image", "q": "***"},
    ],
)
def test_bad_picker_parameters_are_400(site, picked, params):
    response = pick(site, "jane", **params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["type"] == "BadRequest"


def test_a_folder_that_is_not_there_is_404(site, picked):
    assert pick(site, "jane", kind="image", path="/nowhere").status_code == 404
    assert pick(site, "jane", kind="image", path="/docs/logo").status_code == 404


def test_insert_image_hands_docs_signed_urls_of_the_images(site, picked):
    secret = site.double.secret
    reply = answer(
        site,
        "jane",
        "@onlyoffice-insert-image",
        c="add",
        uid=[uid(picked.logo), uid(picked.photo)],
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    # Docs reads c and images from the token only: they must be the same as the plain ones.
    assert signed_fields(body, secret) == {"c": "add", "images": body["images"]}
    assert [i["fileType"] for i in body["images"]] == ["png", "png"]
    logo = docs_get(body["images"][0]["url"], secret)
    assert logo.status_code == 200
    assert logo.content == picked.logo.image.data
    site.sync()
    photo = docs_get(body["images"][1]["url"], secret)
    assert photo.content == picked.photo.file.data


def test_compare_and_mail_merge_hand_docs_the_picked_file(site, picked):
    secret = site.double.secret
    reply = answer(
        site, "jane", "@onlyoffice-requested-document", c="combine", uid=uid(picked.other)
    ).json()
    assert signed_fields(reply, secret) == {
        "c": "combine",
        "fileType": "docx",
        "url": reply["url"],
    }
    assert docs_get(reply["url"], secret).content == picked.other.file.data
    sheet = answer(
        site,
        "jane",
        "@onlyoffice-requested-spreadsheet",
        c="mailmerge",
        uid=uid(picked.recipients),
    ).json()
    assert (sheet["c"], sheet["fileType"]) == ("mailmerge", "xlsx")
    fetched = docs_get(sheet["url"], secret).content
    assert hashlib.sha256(fetched).digest() == hashlib.sha256(picked.recipients.file.data).digest()


def test_a_private_item_is_not_reachable_by_uid(site, picked):
    private = uid(picked.secret)
    refused = answer(site, "jane", "@onlyoffice-insert-image", c="add", uid=private)
    assert refused.status_code == 404
    unknown = answer(site, "jane", "@onlyoffice-insert-image", c="add", uid="0" * 32)
    assert unknown.status_code == 404
    # Same answer for "not there" and "not yours": nothing to learn by guessing.
    assert refused.json() == unknown.json()
    assert (
        answer(site, "john", "@onlyoffice-insert-image", c="add", uid=private).status_code == 200
    )


def test_a_picked_url_is_scoped_to_its_item_user_and_docs(site, picked):
    secret = site.double.secret
    body = answer(site, "john", "@onlyoffice-insert-image", c="add", uid=uid(picked.secret)).json()
    url = body["images"][0]["url"]
    assert docs_get(url, secret).content == picked.secret.image.data
    # Without Docs' header token, or with one made for another URL: refused.
    assert docs_get(url, None).status_code == 403
    other = answer(site, "jane", "@onlyoffice-insert-image", c="add", uid=uid(picked.logo)).json()
    assert docs_get(url, secret, signed_url=other["images"][0]["url"]).status_code == 403
    # The same token for another item, or in another user's name: refused.
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    for changed in ({"uid": uid(picked.logo)}, {"user": "jane"}):
        forged = parts._replace(query=urllib.parse.urlencode({**query, **changed})).geturl()
        assert docs_get(forged, secret).status_code == 403
    # Nor does it fetch the document's own file, or the reverse.
    download = parts._replace(path=parts.path.replace("onlyoffice-content", "onlyoffice-download"))
    assert docs_get(download.geturl(), secret).status_code == 403


def test_a_replayed_url_fetches_nothing_once_the_user_lost_access(site, picked):
    secret = site.double.secret
    body = answer(site, "john", "@onlyoffice-insert-image", c="add", uid=uid(picked.secret)).json()
    url = body["images"][0]["url"]
    assert docs_get(url, secret).status_code == 200
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        api.user.revoke_roles(username="john", obj=picked.secret, roles=["Owner"])
        picked.secret.reindexObjectSecurity()
    transaction.commit()
    assert docs_get(url, secret).status_code == 403


def test_a_replayed_url_fetches_nothing_once_the_file_changed(site, picked):
    from plone.namedfile.file import NamedBlobImage

    from .picked import png

    secret = site.double.secret
    body = answer(site, "jane", "@onlyoffice-insert-image", c="add", uid=uid(picked.logo)).json()
    url = body["images"][0]["url"]
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        picked.logo.image = NamedBlobImage(
            data=png(seed=5), contentType="image/png", filename="n.png"
        )
    transaction.commit()
    assert docs_get(url, secret).status_code == 403


@pytest.mark.parametrize(
    ("service", "params"),
    [
        ("@onlyoffice-insert-image", {"uid": "LOGO"}),
        ("@onlyoffice-insert-image", {"c": "compare", "uid": "LOGO"}),
        ("@onlyoffice-insert-image", {"c": "add"}),
        ("@onlyoffice-insert-image", {"c": "add", "uid": "../../etc"}),
        ("@onlyoffice-insert-image", {"c": "add", "uid": ["LOGO"] * 21}),
        ("@onlyoffice-insert-image", {"c": "add", "uid": "OTHER"}),
        ("@onlyoffice-requested-document", {"c": "compare", "uid": "LOGO"}),
        ("@onlyoffice-requested-document", {"c": "compare", "uid": ["OTHER", "OTHER"]}),
        ("@onlyoffice-requested-document", {"c": "mailmerge", "uid": "OTHER"}),
        ("@onlyoffice-requested-spreadsheet", {"c": "mailmerge", "uid": "NOTES"}),
        ("@onlyoffice-requested-spreadsheet", {"c": ["mailmerge", "x"], "uid": "RECIPIENTS"}),
    ],
)
def test_bad_requests_for_content_are_400(site, picked, service, params):
    names = {"LOGO": picked.logo, "OTHER": picked.other, "NOTES": picked.notes}
    names["RECIPIENTS"] = picked.recipients

    def real(value):
        return uid(names[value]) if value in names else value

    params = {
        k: [real(x) for x in v] if isinstance(v, list) else real(v) for k, v in params.items()
    }
    response = answer(site, "jane", service, **params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"]


def test_anonymous_gets_no_answer(site, picked):
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        site.file.manage_permission("View", ["Anonymous", "Manager"], acquire=1)
    transaction.commit()
    response = answer(site, None, "@onlyoffice-insert-image", c="add", uid=uid(picked.logo))
    assert response.status_code == 401


@pytest.mark.parametrize(
    "query",
    [
        "",
        "uid=x",
        "uid=x&user=jane",
        "uid=x&user=jane&token=abc",
        "uid=x&uid=y&user=j&token=t",
        "uid=x&user=a&user=b&token=t",
        "uid=x&user:list=a&token=t",
        "uid=x&user=%ff&token=t",
        "uid=x&user=jane&token.x:record=1",
        "uid=" + "u" * 100_000 + "&user=jane&token=t",
        "uid=x&user=" + "j" * 100_000 + "&token=t",
    ],
)
def test_the_content_endpoint_refuses_malformed_and_forged_queries(site, picked, query, caplog):
    caplog.set_level(logging.INFO)
    response = docs_get(f"{site.url}/@@onlyoffice-content?{query}", site.double.secret)
    assert response.status_code in (400, 403), response.text[:300]
    assert len(response.content) < 200
    assert "Traceback" not in response.text
    assert all(len(r.getMessage()) < 1000 for r in caplog.records)


def test_without_a_secret_the_answer_is_plain_and_the_url_still_scoped(site, picked):
    site.remove_jwt_secret()
    body = answer(site, "jane", "@onlyoffice-insert-image", c="add", uid=uid(picked.logo)).json()
    assert "token" not in body
    url = body["images"][0]["url"]
    assert docs_get(url, None).content == picked.logo.image.data
    forged = url.replace(uid(picked.logo), uid(picked.secret))
    assert docs_get(forged, None).status_code == 403
