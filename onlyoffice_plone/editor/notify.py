"""Mention notifications (``onRequestSendNotify``): an e-mail to each mentioned person who
may view the document, through Plone's MailHost.

The payload is checked by the core (``core.notify_request``: at most 20 addresses, the
comment cut to 1000 characters, a canonical action link). Each address is looked up among
Plone's users (exact e-mail match); people who may not view the document are told nothing,
and the reply does not say who they are. The mail is plain text (the comment is quoted as
text, never as markup) with a link that opens the editor at the comment
(``editorConfig.actionLink``). Each person may send at most ``BURST`` mails per
``WINDOW`` seconds and process.
"""

import json
import logging
import threading
import time
import urllib.parse
from email.message import EmailMessage
from email.utils import formataddr

from plone import api

from onlyoffice_plone import _
from onlyoffice_plone import core
from onlyoffice_plone.documents.files import classification_of
from onlyoffice_plone.documents.files import office_file
from onlyoffice_plone.documents.people import display_name
from onlyoffice_plone.documents.rights import rights_for
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import bad_request_on
from onlyoffice_plone.settings import get_settings

logger = logging.getLogger("onlyoffice_plone")

BURST = 50
WINDOW = 600.0


class MailLimit:
    """How many mails each user sent in the current window (per process)."""

    def __init__(self, burst=BURST, window=WINDOW, clock=time.monotonic):
        self.burst = burst
        self.window = window
        self.clock = clock
        self.lock = threading.Lock()
        self.sent = {}

    def take(self, user_id, count):
        """Reserve ``count`` mails for ``user_id``; False when that is over the limit."""
        now = self.clock()
        with self.lock:
            started, used = self.sent.get(user_id, (now, 0))
            if now - started >= self.window:
                started, used = now, 0
            if used + count > self.burst:
                return False
            self.sent[user_id] = (started, used + count)
            if len(self.sent) > 10000:
                self.sent = {k: v for k, v in self.sent.items() if now - v[0] < self.window}
            return True


LIMIT = MailLimit()


def mail_problem():
    """Why this site cannot send mail (a message id), or None when it can: as Plone's own
    overview warns, a mail server and a sender address must be set in Site Setup → Mail."""
    server = api.portal.get_registry_record("plone.smtp_host", default="")
    sender = api.portal.get_registry_record("plone.email_from_address", default="")
    if not server:
        return _("This site has no mail server set up (Site Setup → Mail).")
    if not sender:
        return _("This site has no sender address for e-mail (Site Setup → Mail).")
    return None


def can_notify():
    return mail_problem() is None


def _single_line(text, limit=200):
    return " ".join((text or "").split())[:limit]


def _recipients(obj, emails):
    """``(member, may_edit)`` for each user whose e-mail is one of ``emails`` and who may
    view ``obj``; each user once."""
    acl_users = api.portal.get_tool("acl_users")
    adapted = office_file(obj)
    classification = classification_of(adapted, get_settings()) if adapted else None
    found = {}
    for email in emails:
        for entry in acl_users.searchUsers(email=email, exact_match=True)[:10]:
            user_id = entry.get("userid") or entry.get("id")
            member = api.user.get(userid=user_id) if user_id else None
            if member is None or user_id in found:
                continue
            if (member.getProperty("email", "") or "").lower() != email.lower():
                continue
            rights = rights_for(obj, classification, user=member)
            if rights.view:
                found[user_id] = (member, rights.can_open_editor)
    return list(found.values())


def comment_link(obj, action_link, may_edit):
    """The editor page of ``obj`` that scrolls to the comment: edit for those who may."""
    page = "@@onlyoffice-edit" if may_edit else "@@onlyoffice-view"
    query = urllib.parse.urlencode({"actionLink": json.dumps(action_link, separators=(",", ":"))})
    return f"{obj.absolute_url()}/{page}?{query}"


def _language(member):
    return member.getProperty("language", "") or api.portal.get_default_language() or "en"


def _message(obj, sender, member, notify, may_edit):
    lang = _language(member)
    title = _single_line(obj.Title() or obj.getId())
    who = _single_line(display_name(sender.getId()))

    def tr(msgid):
        return api.portal.translate(msgid, lang=lang)

    subject = tr(_("${name} mentioned you in “${title}”", mapping={"name": who, "title": title}))
    quoted = "\n".join("> " + line for line in notify["message"].splitlines()) or "> …"
    body = "\n\n".join(
        [
            tr(
                _(
                    "${name} mentioned you in a comment on “${title}”:",
                    mapping={"name": who, "title": title},
                )
            ),
            quoted,
            tr(_("Open the document at this comment:"))
            + "\n"
            + comment_link(obj, notify["actionLink"], may_edit),
            tr(_("You get this e-mail because you may view this document in Plone.")),
        ]
    )
    mail = EmailMessage()
    mail["Subject"] = _single_line(subject, 250)
    mail["To"] = formataddr((display_name(member.getId()), member.getProperty("email")))
    from_name = api.portal.get_registry_record("plone.email_from_name", default="") or ""
    from_address = api.portal.get_registry_record("plone.email_from_address")
    mail["From"] = formataddr((_single_line(from_name), from_address))
    reply_to = sender.getProperty("email", "") or ""
    if core.is_email(reply_to):
        mail["Reply-To"] = formataddr((who, reply_to))
    mail.set_content(body + "\n")
    return mail


def send_notifications(obj, payload):
    """Mail each mentioned person who may view ``obj``; ``{"notified": n}``."""
    with bad_request_on(core.InvalidArgumentError, _("This is not a mention the editor sends.")):
        notify = core.notify_request(payload)
    problem = mail_problem()
    if problem is not None:
        raise OnlyofficeError("MailNotSetUp", problem, 503)
    sender = api.user.get_current()
    recipients = _recipients(obj, notify["emails"])
    recipients = [(m, e) for m, e in recipients if m.getId() != sender.getId()]
    if not recipients:
        return {"notified": 0}
    if not LIMIT.take(sender.getId(), len(recipients)):
        raise OnlyofficeError(
            "TooManyMails",
            _("You have sent many mentions in a short time: try again in a few minutes."),
            429,
        )
    mailhost = api.portal.get_tool("MailHost")
    for member, may_edit in recipients:
        mail = _message(obj, sender, member, notify, may_edit)
        # Queued in the transaction: sent when the request commits, not before.
        mailhost.send(mail, immediate=False)
    logger.info(
        "%s mentioned %d people in %s", sender.getId(), len(recipients), obj.absolute_url()
    )
    return {"notified": len(recipients)}
