"""plone.restapi: the settings at ``@controlpanels/onlyoffice`` and the connection check.

The JWT secret is write-only here as in the form: replies say whether one is set, never
what it is, and a PATCH without a (non-empty) secret keeps the stored one.
"""

from plone.registry.interfaces import IRegistry
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.restapi.deserializer.controlpanels import ControlpanelDeserializeFromJson
from plone.restapi.interfaces import IControlpanelLayer
from plone.restapi.interfaces import IDeserializeFromJson
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.controlpanels import ControlpanelSerializeToJson
from plone.restapi.services import Service
from zope.component import adapter
from zope.component import getUtility
from zope.component.hooks import getSite
from zope.interface import Interface
from zope.interface import implementer

from onlyoffice_plone.browser.controlpanel import run_connection_check
from onlyoffice_plone.interfaces import IOnlyofficeSettings
from onlyoffice_plone.settings import PREFIX
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


@implementer(ISerializeToJson)
@adapter(IOnlyofficeControlpanel)
class OnlyofficeControlpanelSerializer(ControlpanelSerializeToJson):
    def __call__(self):
        result = super().__call__()
        if "data" in result:
            result["data"]["jwt_secret"] = None
            result["jwt_secret_set"] = bool(get_settings().jwt_secret)
        return result


@implementer(IDeserializeFromJson)
@adapter(IOnlyofficeControlpanel)
class OnlyofficeControlpanelDeserializer(ControlpanelDeserializeFromJson):
    def __call__(self, mask_validation_errors=True):
        registry = getUtility(IRegistry)
        record = f"{PREFIX}.jwt_secret"
        stored = registry.get(record)
        result = super().__call__(mask_validation_errors=mask_validation_errors)
        if not registry.get(record):
            registry[record] = stored
        return result


class ConnectionCheckPost(Service):
    """POST ``@onlyoffice-connection-check``: run the check with the stored settings."""

    def reply(self):
        settings = get_settings()
        if not settings.configured:
            self.request.response.setStatus(400)
            return {
                "error": {
                    "type": "BadRequest",
                    "message": "The address of ONLYOFFICE Docs is not set.",
                }
            }
        return run_connection_check(getSite(), settings).as_dict(self.request)
