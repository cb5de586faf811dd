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


FULL = {
    "lang": "pt-BR",
    "region": "pt-BR",
    "user_id": "ann",
    "user_name": "Ann </script>",
    "user_group": "staff",
    "user_image": "https://plone.example.com/portrait/ann",
    "permissions": {"download": False, "reviewGroups": ["staff"]},
    "customization": {"forcesave": True, "goback": {"url": "https://plone.example.com/doc"}},
    "co_editing_mode": "strict",
    "co_editing_change": False,
    "templates": [{"title": "Blank", "url": "https://plone.example.com/new"}],
    "create_url": "https://plone.example.com/create",
    "info": {"owner": "Ann", "uploaded": "2025-01-01"},
    "reference_data": {"fileKey": "uid"},
    "is_form": True,
    "editor_extra": {"recent": []},
    "width": "100%",
    "height": "100%",
    "mode": "view",
    "editor_type": "mobile",
    "document_type": "word",
}


def typed(kw):
    """The typed inputs for the keyword form's arguments ``kw``."""
    document = _core.EditorDocument(
        kw["key"],
        kw["url"],
        kw["title"],
        kw["file_type"],
        document_type=kw.get("document_type"),
        info=kw.get("info"),
        reference_data=kw.get("reference_data"),
        is_form=kw.get("is_form"),
    )
    user = None
    if "user_id" in kw:
        user = _core.EditorUser(
            kw["user_id"],
            name=kw.get("user_name"),
            group=kw.get("user_group"),
            image=kw.get("user_image"),
        )
    options = _core.EditorOptions(
        **{
            name: kw[name]
            for name in (
                "mode",
                "callback_url",
                "editor_type",
                "lang",
                "region",
                "permissions",
                "customization",
                "co_editing_mode",
                "co_editing_change",
                "templates",
                "create_url",
                "editor_extra",
                "width",
                "height",
            )
            if name in kw
        }
    )
    return document, user, options


@pytest.mark.parametrize("kw", [BASE, {**BASE, **FULL}], ids=["minimal", "full"])
def test_typed_inputs_build_the_same_json_as_keywords(kw):
    assert _core.build_editor_config(*typed(kw)) == _core.build_editor_config(**kw)


def test_typed_inputs_sign_the_same_config():
    kw = {**BASE, **FULL}
    text = _core.build_editor_config(*typed(kw), secret=SECRET, expires_in=3600)
    config = json.loads(text)
    claims = jwt.decode(config.pop("token"), SECRET, algorithms=["HS256"])
    assert claims.pop("exp") - claims.pop("iat") == 3600
    assert claims == config == json.loads(_core.build_editor_config(**kw))
    hs512 = json.loads(_core.build_editor_config(*typed(kw), secret=SECRET, algorithm="HS512"))
    assert jwt.get_unverified_header(hs512["token"])["alg"] == "HS512"


def test_typed_inputs_defaults():
    document = _core.EditorDocument(BASE["key"], BASE["url"], BASE["title"], "docx")
    assert (document.key, document.url, document.title, document.file_type) == (
        BASE["key"],
        BASE["url"],
        BASE["title"],
        "docx",
    )
    config = json.loads(_core.build_editor_config(document))
    assert config == json.loads(_core.build_editor_config(document, None, _core.EditorOptions()))
    assert config["editorConfig"] == {"mode": "edit"}
    assert config["type"] == "desktop"
    assert "token" not in json.loads(_core.build_editor_config(document, secret=""))
    user = _core.EditorUser("ann", name="Ann")
    assert (user.id, user.name) == ("ann", "Ann")
    options = _core.EditorOptions(mode="view", callback_url=BASE["callback_url"])
    assert (options.mode, options.callback_url) == ("view", BASE["callback_url"])


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (
            lambda: _core.EditorDocument("k", "u", "t", "docx", document_type="sheet"),
            "document type",
        ),
        (lambda: _core.EditorOptions(mode="review"), "mode"),
        (lambda: _core.EditorOptions(editor_type="tablet"), "editor type"),
        (lambda: _core.EditorOptions(co_editing_change=True), "co_editing_mode"),
        (lambda: _core.EditorOptions(permissions={"admin": True}), "unknown permission"),
        (lambda: _core.EditorOptions(templates=[{"title": "x"}]), "template url"),
    ],
)
def test_typed_inputs_refuse_bad_values_when_made(make, error):
    with pytest.raises(_core.InvalidArgumentError, match=error):
        make()


def test_the_two_forms_cannot_be_mixed():
    document, user, options = typed(BASE)
    with pytest.raises(TypeError, match="not both"):
        _core.build_editor_config(document, key="k")
    with pytest.raises(TypeError):
        _core.build_editor_config(None, user, options)
    with pytest.raises(TypeError, match="url"):
        _core.build_editor_config(key="k")
    with pytest.raises(_core.InvalidArgumentError, match="document key"):
        _core.build_editor_config(_core.EditorDocument("a/b", BASE["url"], "t", "docx"))


@pytest.mark.parametrize(
    ("language", "lang", "region"),
    [
        ("en", "en", "en-US"),
        ("de", "de", "de-DE"),
        ("pt-br", "pt", "pt-BR"),
        ("pt-pt", "pt-PT", "pt-PT"),
        ("zh-cn", "zh", "zh-CN"),
        ("zh-tw", "zh-TW", "zh-TW"),
        ("ja", "ja", "ja-JP"),
        ("x<y", "en", "en-US"),
    ],
)
def test_lang_and_region_follow_plones_language(language, lang, region):
    document = _core.EditorDocument(BASE["key"], BASE["url"], "Report.docx", "docx")
    options = _core.EditorOptions(language=language)
    editor = json.loads(_core.build_editor_config(document, None, options))["editorConfig"]
    assert (editor["lang"], editor["region"]) == (lang, region)
    locale = _core.locale_for(language)
    assert (locale.lang, locale.region, locale.tag) == (lang, region, region)
    # Explicit values win over the derived ones.
    options = _core.EditorOptions(language=language, lang="fr", region="fr-CH")
    editor = json.loads(_core.build_editor_config(document, None, options))["editorConfig"]
    assert (editor["lang"], editor["region"]) == ("fr", "fr-CH")


def test_locale_paper_and_a_language_without_a_known_region():
    assert _core.locale_for("en-us").paper == "Letter"
    assert _core.locale_for("es-mx").paper == "Letter"
    assert _core.locale_for("en-gb").paper == "A4"
    assert _core.locale_for(None).tag == "en-US"
    esperanto = _core.locale_for("eo")
    assert (esperanto.lang, esperanto.region, esperanto.tag, esperanto.paper) == (
        "eo",
        None,
        "eo",
        "A4",
    )
