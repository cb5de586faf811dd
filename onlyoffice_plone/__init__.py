"""View, edit, co-edit and convert office documents in Plone with ONLYOFFICE Docs."""

from zope.i18nmessageid import MessageFactory

_ = MessageFactory("onlyoffice_plone")
