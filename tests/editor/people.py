"""Helpers of the people tests: an outsider, a mail server on loopback, portraits."""

import base64

import transaction
from OFS.Image import Image
from plone import api

from onlyoffice_plone_testing.smtp import SmtpServer

from .conftest import PASSWORD

#: A one-pixel PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def add_outsider(site, user_id="olga"):
    """A member of the site with no role on the documents' folder: she may not view them."""
    site.settle()
    with api.env.adopt_roles(["Manager"]):
        api.user.create(
            email=f"{user_id}@example.org",
            username=user_id,
            password=PASSWORD,
            properties={"fullname": "Olga Outsider"},
        )
    transaction.commit()


def set_portrait(site, user_id):
    site.settle()
    memberdata = api.portal.get_tool("portal_memberdata")
    memberdata._setPortrait(Image(user_id, "", PNG, content_type="image/png"), user_id)
    transaction.commit()


def use_mail_server(site, smtp):
    """Point Plone's MailHost at ``smtp`` (None: no mail server) and set a sender address."""
    site.settle()
    # Plone's MailHost takes its server from Site Setup → Mail (the registry).
    api.portal.set_registry_record("plone.smtp_host", "127.0.0.1" if smtp is not None else "")
    api.portal.set_registry_record("plone.smtp_port", smtp.port if smtp is not None else 25)
    api.portal.set_registry_record("plone.email_from_address", "plone@example.org")
    api.portal.set_registry_record("plone.email_from_name", "Plone site")
    transaction.commit()


def mail_server(site):
    smtp = SmtpServer()
    smtp.__enter__()
    use_mail_server(site, smtp)
    return smtp
