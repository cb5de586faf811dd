"""The editor config: complete, script-safe, and signed whole into its token."""

import json

import jwt
import pytest

from onlyoffice_plone import _core

SECRET = "editor-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
BASE = {
    "key": "0f1e2d3c.abc",
    "url": "https://plone.example.com/doc/@@onlyoffice-file?t=x",
    "title": "Report.docx",
    "file_type": "docx",
    "callback_url": "https://plone.example.com/doc/@@onlyoffice-callback",
}


def build(**kw):
    return json.loads(_core.build_editor_config(**{**BASE, **kw}))


def test_complete_config():
    config = build(
        lang="pt-BR",
        region="pt-BR",
        user_id="ann",
        user_name="Ann",
        user_group="staff",
        user_image="https://plone.example.com/portrait/ann",
        customization={"forcesave": True, "goback": {"url": "https://plone.example.com/doc"}},
        co_editing_mode="strict",
        co_editing_change=False,
        templates=[
            {"title": "Blank", "url": "https://plone.example.com/new", "image": "https://p/i.png"}
        ],
        create_url="https://plone.example.com/create",
        info={"owner": "Ann", "folder": "Docs"},
        reference_data={"fileKey": "uid", "instanceId": "https://plone.example.com"},
        editor_type="mobile",
        width="100%",
        height="100%",
        editor_extra={"recent": [], "actionLink": None},
    )
    assert config["documentType"] == "word"
    assert config["type"] == "mobile"
    assert config["width"] == config["height"] == "100%"
    doc = config["document"]
    assert (doc["fileType"], doc["key"], doc["title"]) == ("docx", "0f1e2d3c.abc", "Report.docx")
    assert doc["info"]["owner"] == "Ann"
    assert doc["referenceData"]["fileKey"] == "uid"
    ed = config["editorConfig"]
    assert ed["callbackUrl"] == BASE["callback_url"]
    assert (ed["mode"], ed["lang"], ed["region"]) == ("edit", "pt-BR", "pt-BR")
    assert ed["user"] == {
        "id": "ann",
        "name": "Ann",
        "group": "staff",
        "image": "https://plone.example.com/portrait/ann",
    }
    assert ed["coEditing"] == {"mode": "strict", "change": False}
    assert ed["customization"]["forcesave"] is True
    assert ed["templates"][0]["title"] == "Blank"
    assert ed["createUrl"] == "https://plone.example.com/create"
    assert ed["recent"] == []
    assert "token" not in config


def test_permissions_are_explicit_with_docs_defaults():
    perms = build()["document"]["permissions"]
    for name in ("edit", "review", "comment", "fillForms", "download", "print", "copy", "chat"):
        assert perms[name] is True, name
    assert perms["deleteCommentAuthorOnly"] is False
    view = build(mode="view")["document"]["permissions"]
    assert view["edit"] is False and view["review"] is False and view["comment"] is False
    review_only = build(permissions={"edit": False, "review": True})["document"]["permissions"]
    assert (review_only["edit"], review_only["review"], review_only["fillForms"]) == (
        False,
        True,
        True,
    )
    custom = build(permissions={"download": False, "print": False, "commentGroups": {"view": []}})
    assert custom["document"]["permissions"]["download"] is False
    assert custom["document"]["permissions"]["commentGroups"] == {"view": []}


def test_token_is_the_whole_config():
    text = _core.build_editor_config(
        **BASE, secret=SECRET, permissions={"download": False}, expires_in=600
    )
    config = json.loads(text)
    token = config.pop("token")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims.pop("exp") - claims.pop("iat") == 600
    assert claims == config
    assert claims["document"]["permissions"] == config["document"]["permissions"]


def test_algorithm_and_no_secret():
    config = json.loads(_core.build_editor_config(**BASE, secret=SECRET, algorithm="HS512"))
    assert jwt.get_unverified_header(config["token"])["alg"] == "HS512"
    assert "token" not in build(secret="")


def test_output_is_script_safe():
    text = _core.build_editor_config(
        **{**BASE, "title": "</script><script>alert(1)</script> & <!-- \u2028\u2029"},
        user_id="u",
        user_name="<b>Bob</b>",
        secret=SECRET,
    )
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text)["document"]["title"].startswith("</script>")


def test_document_type_is_inferred_or_given():
    assert build(file_type="XLSX", title="a.xlsx")["documentType"] == "cell"
    assert build(file_type="pdf")["documentType"] == "pdf"
    assert build(file_type="pdf", document_type="pdf", is_form=True)["document"]["isForm"] is True
    assert build(file_type="txt", document_type="word")["documentType"] == "word"


@pytest.mark.parametrize(
    "bad",
    [
        {"key": "bad key"},
        {"key": "k" * 129},
        {"url": "file:///etc/passwd"},
        {"callback_url": "javascript:alert(1)"},
        {"file_type": "exe"},
        {"document_type": "spreadsheet"},
        {"mode": "review"},
        {"editor_type": "tablet"},
        {"co_editing_mode": "slow"},
        {"co_editing_change": True},
        {"user_name": "no id"},
        {"permissions": {"admin": True}},
        {"permissions": {"edit": "yes"}},
        {"templates": [{"title": "x"}]},
        {"templates": [{"title": "x", "url": "ftp://x/"}]},
        {"templates": [{"title": "x", "url": "https://x/", "colour": "red"}]},
        {"editor_extra": {"callbackUrl": "https://evil/"}},
        {"algorithm": "RS256", "secret": "s"},
    ],
)
def test_bad_input_is_refused(bad):
    with pytest.raises(_core.InvalidArgumentError):
        _core.build_editor_config(**{**BASE, **bad})


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError):
        _core.build_editor_config(**BASE, customization=["not", "a", "mapping"])
    with pytest.raises(TypeError):
        _core.build_editor_config(**BASE, templates="x")
