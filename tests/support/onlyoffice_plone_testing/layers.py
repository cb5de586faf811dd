"""plone.app.testing layers: a real Plone site with the add-on installed.

Imports the test extras (plone.app.testing); only tests import this module.
"""

from plone.app.contenttypes.testing import PLONE_APP_CONTENTTYPES_FIXTURE
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.app.testing import applyProfile
from plone.testing.zope import WSGI_SERVER_FIXTURE

from onlyoffice_docs_double.testing.layers import DOCS_DOUBLE_FIXTURE


class SavingFunctionalTesting(FunctionalTesting):
    """A functional layer whose tests may save: what a save leaves for after its reply (the
    catalog's reindex, in a worker thread) is finished before the test's database goes."""

    def testTearDown(self):
        from onlyoffice_plone.documents.indexing import WORKER

        WORKER.join()
        super().testTearDown()


class OnlyofficePloneLayer(PloneSandboxLayer):
    defaultBases = (PLONE_APP_CONTENTTYPES_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import plone.restapi

        import onlyoffice_plone

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=onlyoffice_plone)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "onlyoffice_plone:default")


ONLYOFFICE_PLONE_FIXTURE = OnlyofficePloneLayer()

ONLYOFFICE_PLONE_INTEGRATION_TESTING = IntegrationTesting(
    bases=(ONLYOFFICE_PLONE_FIXTURE,), name="OnlyofficePlone:Integration"
)

ONLYOFFICE_PLONE_FUNCTIONAL_TESTING = SavingFunctionalTesting(
    bases=(ONLYOFFICE_PLONE_FIXTURE, WSGI_SERVER_FIXTURE), name="OnlyofficePlone:Functional"
)


#: Plone over a real WSGI server with the Docs test double beside it (tests/editor).
ONLYOFFICE_PLONE_EDITOR_TESTING = SavingFunctionalTesting(
    bases=(ONLYOFFICE_PLONE_FIXTURE, DOCS_DOUBLE_FIXTURE, WSGI_SERVER_FIXTURE),
    name="OnlyofficePlone:EditorFunctional",
)
