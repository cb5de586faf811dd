"""Links between spreadsheets in the core: the site's instanceId, a document's reference data,
reading the editor's request and the signed answer."""

import jwt
import pytest

from onlyoffice_plone import core

SITE = "a-site-secret"
UID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def test_reference_data_is_the_uid_and_an_opaque_site_id():
    data = core.reference_data(SITE, UID)
    assert data == {"fileKey": UID, "instanceId": core.instance_id(SITE)}
    assert data["instanceId"].startswith("plone-")
    assert SITE not in data["instanceId"]
    assert core.instance_id("another-site") != data["instanceId"]


def test_the_request_names_a_uid_only_for_this_site():
    ours = {"fileKey": UID, "instanceId": core.instance_id(SITE)}
    request = core.parse_reference_request(
        {"referenceData": ours, "path": "f/budget.xlsx", "link": ""}, SITE
    )
    assert (request.file_key, request.path, request.foreign) == (UID, "f/budget.xlsx", False)
    theirs = {"fileKey": UID, "instanceId": "https://example.com"}
    request = core.parse_reference_request({"referenceData": theirs}, SITE)
    assert (request.file_key, request.foreign, request.is_empty) == (None, True, True)


def test_a_link_into_the_site_is_a_path():
    request = core.parse_reference_request(
        {"link": "https://plone.example.com/plone/f/budget.xlsx/view"},
        SITE,
        site_url="https://plone.example.com/plone",
    )
    assert request.path == "f/budget.xlsx"


@pytest.mark.parametrize(
    "data",
    [
        "text",
        ["list"],
        {"referenceData": []},
        {"referenceData": {"fileKey": "../x", "instanceId": "i"}},
        {"path": 1},
        {"path": "x" * 5000},
    ],
)
def test_malformed_requests_are_invalid_arguments(data):
    with pytest.raises(core.InvalidArgumentError):
        core.parse_reference_request(data, SITE)


def test_the_answer_carries_every_field_in_its_token():
    answer = core.reference_answer(
        file_type="xlsx",
        key="k.1",
        path="f/budget.xlsx",
        file_key=UID,
        instance_id=core.instance_id(SITE),
        url="https://plone.example.com/plone/@@onlyoffice-download?uid=u&token=t",
        secret="docs-secret",
        expires_in=600,
    )
    claims = jwt.decode(answer.pop("token"), "docs-secret", algorithms=["HS256"])
    assert claims.pop("exp") - claims.pop("iat") == 600
    assert claims == answer
    assert set(answer) == {"fileType", "key", "path", "referenceData", "url"}


def test_only_spreadsheets_are_answered():
    assert core.is_reference_source("xlsx") and core.is_reference_source("ods")
    assert not core.is_reference_source("docx")
    with pytest.raises(core.InvalidArgumentError):
        core.reference_answer(
            file_type="docx",
            key="k.1",
            path="f/a.docx",
            file_key=UID,
            instance_id=core.instance_id(SITE),
            url="https://plone.example.com/x",
        )
