"""The people in the editor over real HTTP: mentions and their e-mails, protected ranges,
avatars, sharing; the REST services headless frontends use, and their refusals."""

import json
import re
import urllib.parse

import jwt
import pytest
import transaction
from plone import api

from onlyoffice_plone.documents.people import Names
from onlyoffice_plone.editor.notify import MailLimit

from .conftest import PASSWORD
from .people import add_outsider
from .people import mail_server
from .people import set_portrait
from .people import use_mail_server

LINK = {"action": {"type": "comment", "data": "c7"}}


@pytest.fixture
def smtp(site):
    add_outsider(site)
    server = mail_server(site)
    yield server
    server.__exit__(None, None, None)


def users(site, user, query):
    return site.get(f"{site.path(site.file)}/@onlyoffice-users?{query}", user)


def notify(site, user, payload):
    return site.post(
        f"{site.path(site.file)}/@onlyoffice-notify",
        user,
        data=json.dumps(payload),
        headers={"Content-Type": "application/json"},
    )


def test_mention_offers_only_people_who_may_view(site, smtp):
    reply = users(site, "jane", "c=mention")
    assert reply.status_code == 200, reply.text
    assert reply.json()["c"] == "mention"
    offered = {u["id"]: u for u in reply.json()["users"]}
    # Who may view the document, with an address; not Olga (no access), not Jane herself.
    assert set(offered) == {"john", "rita", "vera"}
    assert offered["vera"] == {"id": "vera", "name": "Vera Viewer", "email": "vera@example.org"}
    found = users(site, "jane", "c=mention&search=vera").json()["users"]
    assert [u["id"] for u in found] == ["vera"]
    assert users(site, "jane", "c=mention&search=olga").json()["users"] == []


def test_a_mention_mails_only_people_who_may_view(site, smtp):
    reply = notify(
        site,
        "jane",
        {
            "emails": ["vera@example.org", "olga@example.org", "nobody@example.org"],
            "message": "+vera@example.org <b>please</b> look at this",
            "actionLink": LINK,
        },
    )
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"notified": 1}
    assert smtp.mailbox.to("olga@example.org") == []
    [mail] = smtp.mailbox.to("vera@example.org")
    assert mail.message["Subject"] == "Jane Editor mentioned you in “report.docx”"
    assert "plone@example.org" in mail.message["From"]
    assert "jane@example.org" in mail.message["Reply-To"]
    assert "> +vera@example.org <b>please</b> look at this" in mail.text
    assert mail.message.get_content_type() == "text/plain"
    # The link opens the viewer (Vera may only view) at that comment.
    link = re.search(r"https?://\S+", mail.text).group(0)
    assert link.startswith(site.item_url(site.file) + "/@@onlyoffice-view?actionLink=")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert json.loads(query["actionLink"][0]) == LINK
    # John may edit: his link opens the editor.
    notify(site, "jane", {"emails": ["john@example.org"], "message": "hi", "actionLink": LINK})
    [mail] = smtp.mailbox.to("john@example.org")
    assert "/@@onlyoffice-edit?actionLink=" in mail.text


def test_the_link_of_a_mention_opens_the_editor_at_the_comment(site, smtp):
    text = urllib.parse.quote(json.dumps({"action": {"type": "comment", "data": "c7", "x": 1}}))
    reply = site.get(
        f"{site.path(site.file)}/@onlyoffice-config?mode=view&actionLink={text}", "vera"
    )
    assert reply.status_code == 200, reply.text
    config = reply.json()["config"]
    assert config["editorConfig"]["actionLink"] == LINK
    claims = jwt.decode(config["token"], site.double.secret, algorithms=["HS256"])
    assert claims["editorConfig"]["actionLink"] == LINK
    page = site.get(f"{site.path(site.file)}/@@onlyoffice-edit?actionLink={text}", "jane")
    assert page.status_code == 200
    assert "c7" in page.text


def test_mentions_without_a_mail_server_say_so(site):
    add_outsider(site)
    use_mail_server(site, None)
    reply = notify(site, "jane", {"emails": ["vera@example.org"], "actionLink": LINK})
    assert reply.status_code == 503
    assert reply.json()["error"]["type"] == "MailNotSetUp"
    assert "mail server" in reply.json()["error"]["message"]
    page = site.get(f"{site.path(site.file)}/@@onlyoffice-edit", "jane")
    assert 'data-can-mention="false"' in page.text
    rest = site.get(f"{site.path(site.file)}/@onlyoffice-config?mode=edit", "jane").json()
    assert rest["people"]["mention"] is False
    assert rest["people"]["protect"] is True


def test_protect_lists_editors_only(site, smtp):
    reply = users(site, "jane", "c=protect")
    assert reply.status_code == 200, reply.text
    ids = {u["id"] for u in reply.json()["users"]}
    # The editors (and the test user, who owns the folder), never viewers or reviewers.
    assert {"jane", "john"} <= ids
    assert not ids & {"rita", "vera", "olga"}
    # Viewers and reviewers protect nothing, so they may not ask.
    assert users(site, "vera", "c=protect").status_code == 403
    assert users(site, "rita", "c=protect").status_code == 403


def test_info_gives_names_and_portraits(site, smtp):
    set_portrait(site, "john")
    reply = users(site, "vera", "c=info&ids=john,vera,nobody")
    assert reply.status_code == 200, reply.text
    found = {u["id"]: u for u in reply.json()["users"]}
    assert set(found) == {"john", "vera"}
    assert found["john"]["name"] == "John Editor"
    assert found["john"]["image"].startswith("data:image/png;base64,")
    assert "image" not in found["vera"]
    assert "email" not in found["john"]
    # The current user's own picture is in the config, as a URL the browser loads.
    config = site.config(user="john")
    assert config["editorConfig"]["user"]["image"].endswith("/portal_memberdata/portraits/john")
    assert "image" not in site.config(user="jane")["editorConfig"]["user"]


def test_people_are_not_for_outsiders(site, smtp):
    for query in ("c=mention", "c=protect", "c=info&ids=jane"):
        assert users(site, "olga", query).status_code in (401, 403)
        assert users(site, None, query).status_code in (401, 403)
    assert notify(
        site, "olga", {"emails": ["jane@example.org"], "actionLink": LINK}
    ).status_code in (
        401,
        403,
    )
    # A viewer cannot comment, so she mentions nobody.
    assert users(site, "vera", "c=mention").status_code == 403
    assert (
        notify(site, "vera", {"emails": ["jane@example.org"], "actionLink": LINK}).status_code
        == 403
    )
    assert smtp.mailbox.messages == []


@pytest.mark.parametrize(
    "query",
    [
        "c=everyone",
        "c=info",
        "c=info&ids=" + ",".join(f"u{i}" for i in range(101)),
        "c=mention&search=" + "x" * 101,
        "c=mention&c=protect",
        "c=mention&search=%ff",
    ],
)
def test_bad_user_requests_are_400(site, smtp, query):
    reply = users(site, "jane", query)
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["type"] == "BadRequest"


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"emails": [], "actionLink": LINK},
        {"emails": ["not an address"], "actionLink": LINK},
        {"emails": [f"u{i}@example.org" for i in range(21)], "actionLink": LINK},
        {"emails": ["vera@example.org"], "message": 7, "actionLink": LINK},
        {"emails": ["vera@example.org"]},
        {"emails": ["vera@example.org"], "actionLink": {"action": {"type": "x", "data": "1"}}},
    ],
)
def test_bad_notifications_are_400(site, smtp, payload):
    reply = notify(site, "jane", payload)
    assert reply.status_code == 400, reply.text
    assert smtp.mailbox.messages == []


def test_bad_action_links_are_400(site, smtp):
    bad = urllib.parse.quote('{"action": {"type": "script", "data": "1"}}')
    page = site.get(f"{site.path(site.file)}/@@onlyoffice-edit?actionLink={bad}", "jane")
    assert page.status_code == 400
    rest = site.get(f"{site.path(site.file)}/@onlyoffice-config?actionLink=%7B", "jane")
    assert rest.status_code == 400
    assert rest.json()["error"]["type"] == "BadRequest"


def test_sharing_is_shown_to_those_who_may_edit_or_share(site, smtp):
    settings = site.config(user="jane")["document"]["info"]["sharingSettings"]
    listed = {s["user"]: s["permissions"] for s in settings}
    assert listed["Jane Editor"] == "Full Access"
    assert listed["Vera Viewer"] == "Read Only"
    assert listed["Rita Reviewer"] == "Review"
    assert "Olga Outsider" not in listed
    assert "sharingSettings" not in site.config(user="vera", mode="view")["document"]["info"]
    page = site.get(f"{site.path(site.file)}/@@onlyoffice-edit", "jane")
    assert 'data-can-share="true"' in page.text
    page = site.get(f"{site.path(site.file)}/@@onlyoffice-view", "vera")
    assert 'data-can-share="false"' in page.text


def sharing_names(site, user="jane"):
    return [s["user"] for s in site.config(user=user)["document"]["info"]["sharingSettings"]]


def test_sharing_names_follow_renames_deletions_and_new_users(site):
    site.settle()
    site.folder.manage_setLocalRoles("nora", ["Reader"])  # nobody of that id yet
    transaction.commit()
    names = sharing_names(site)  # the names are remembered now
    assert "Vera Viewer" in names and not any("nora" in n.lower() for n in names)
    site.settle()
    api.user.get(userid="vera").setMemberProperties({"fullname": "Vera Renamed"})
    transaction.commit()
    names = sharing_names(site)
    assert "Vera Renamed" in names and "Vera Viewer" not in names
    site.settle()
    # Deleted from the user folder, her local role kept: a principal that is no more is
    # not listed.
    site.portal.acl_users._doDelUser("vera")
    transaction.commit()
    assert not any(name.startswith("Vera") for name in sharing_names(site))
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        api.user.create(
            email="nora@example.org",
            username="nora",
            password=PASSWORD,
            properties={"fullname": "Nora Newcomer"},
        )
    transaction.commit()
    assert "Nora Newcomer" in sharing_names(site)


def test_remembered_names_expire_and_are_bounded():
    now = [0.0]
    names = Names(clock=lambda: now[0])
    names.SIZE = 2
    asked = []

    def look_up(principal):
        asked.append(principal)
        return f"{principal} ({len(asked)})"

    assert names.get("a", look_up) == "a (1)"
    assert names.get("a", look_up) == "a (1)"
    now[0] = Names.LIFETIME + 1  # too old: asked again
    assert names.get("a", look_up) == "a (2)"
    names.get("b", look_up)
    names.get("a", look_up)  # a used last: b is the one to go
    names.get("c", look_up)
    assert names.get("a", look_up) == "a (2)"
    assert names.get("b", look_up) == "b (5)"
    names.forget("b")
    assert names.get("b", look_up) == "b (6)"
    names.forget()
    assert names.get("a", look_up) == "a (7)"


def test_mails_per_person_are_limited():
    now = [0.0]
    limit = MailLimit(burst=3, window=60, clock=lambda: now[0])
    assert limit.take("jane", 2)
    assert not limit.take("jane", 2)
    assert limit.take("john", 3)
    now[0] = 61
    assert limit.take("jane", 3)


def test_a_public_item_shows_anyone_in_its_sharing(site, smtp):
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=site.folder, transition="publish")
    transaction.commit()
    settings = site.config(user="jane")["document"]["info"]["sharingSettings"]
    assert settings[0] == {
        "user": "Anyone (the item is public)",
        "permissions": "Read Only",
        "isLink": True,
    }


def test_the_mention_mail_speaks_the_recipients_language(site, smtp):
    site.settle()
    api.user.get(userid="vera").setMemberProperties({"language": "de"})
    transaction.commit()
    notify(site, "jane", {"emails": ["vera@example.org"], "message": "Hallo", "actionLink": LINK})
    [mail] = smtp.mailbox.to("vera@example.org")
    assert mail.message["Subject"] == "Jane Editor hat Sie in „report.docx“ erwähnt"
    assert "Das Dokument bei diesem Kommentar öffnen:" in mail.text
