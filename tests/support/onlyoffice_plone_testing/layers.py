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
    """A functional layer whose tests may save. Before the test's database goes:

    - the Docs double (when the layer has one) goes quiet: a callback it is sending is
      finished, none it still holds is sent later. A save it would send after the test (a
      session closed at its end, a page it stops hearing from) would otherwise reach Plone
      while the next test's database is being set up, and run half on the database that
      is closing;
    - what a save leaves for after its reply (the catalog's reindex, in a worker thread)
      is finished.
    """

    def testTearDown(self):
        from onlyoffice_plone.documents.indexing import WORKER

        double = self.get("docs_double")
        quiet = double is None or double.quiesce()
        WORKER.join()
        super().testTearDown()
        if not quiet:
            raise RuntimeError("the Docs double was still sending a callback after 30 s")


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
