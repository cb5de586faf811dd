"""plone.restapi: the settings at ``@controlpanels/onlyoffice`` and the connection check.

The JWT secret is write-only here as in the form: replies say whether one is set, never
what it is, and a PATCH without a (non-empty) secret keeps the stored one.
"""

from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.restapi.deserializer.controlpanels import ControlpanelDeserializeFromJson
from plone.restapi.interfaces import IControlpanelLayer
from plone.restapi.interfaces import IDeserializeFromJson
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.controlpanels import ControlpanelSerializeToJson
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.component import adapter
from zope.component.hooks import getSite
from zope.i18n import translate
from zope.interface import Interface
from zope.interface import implementer

from onlyoffice_plone import _
from onlyoffice_plone.browser.controlpanel import run_connection_check
from onlyoffice_plone.docs.bodies import json_object
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.interfaces import IOnlyofficeSettings
from onlyoffice_plone.settings import PREFIX
from onlyoffice_plone.settings import SettingsProxy
from onlyoffice_plone.settings import get_settings


class IOnlyofficeControlpanel(Interface):
    """Marker for the add-on's REST control panel."""


@implementer(IOnlyofficeControlpanel)
@adapter(Interface, IControlpanelLayer)
class OnlyofficeControlpanel(RegistryConfigletPanel):  # provides IControlpanel as well
    schema = IOnlyofficeSettings
    schema_prefix = PREFIX
    configlet_id = "onlyoffice_plone"
    configlet_category_id = "Products"


class SettingsRegistry:
    """What the generic control panel (de)serializers need of a registry: our proxy."""

    def forInterface(self, schema, prefix=None, **kwargs):
        return SettingsProxy(getSite())


@implementer(ISerializeToJson)
@adapter(IOnlyofficeControlpanel)
class OnlyofficeControlpanelSerializer(ControlpanelSerializeToJson):
    def __init__(self, controlpanel):
        super().__init__(controlpanel)
        self.registry = SettingsRegistry()

    def __call__(self):
        result = super().__call__()
        result["jwt_secret_set"] = SettingsProxy(getSite()).jwt_secret_set
        return result


@implementer(IDeserializeFromJson)
@adapter(IOnlyofficeControlpanel)
class OnlyofficeControlpanelDeserializer(ControlpanelDeserializeFromJson):
    """PATCH: like any control panel, but an empty or missing secret keeps the stored one."""

    def __init__(self, controlpanel):
        super().__init__(controlpanel)
        self.registry = SettingsRegistry()

    def __call__(self, mask_validation_errors=True):
        # Text the core cannot encode (a lone surrogate) in any value: a 400 before any
        # field is read, whichever field's constraint would have missed it.
        try:
            json_object(self.request, _("Send a JSON object."))
        except OnlyofficeError as exc:
            raise BadRequest(translate(exc.message, context=self.request)) from exc
        return super().__call__(mask_validation_errors)


class ConnectionCheckGet(Service):
    """GET ``@onlyoffice-connection-check``: run the check with the stored settings.

    A GET: it changes nothing in Plone (it only asks Docs), so monitoring can poll it and
    no CSRF token is involved.
    """

    def reply(self):
        settings = get_settings()
        if not settings.configured:
            self.request.response.setStatus(400)
            return {
                "error": {
                    "type": "BadRequest",
                    "message": translate(
                        _("The address of ONLYOFFICE Docs is not set."), context=self.request
                    ),
                }
            }
        return run_connection_check(getSite(), settings).as_dict(self.request)
