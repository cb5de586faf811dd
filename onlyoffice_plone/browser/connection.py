"""Check that Plone and ONLYOFFICE Docs can talk to each other, step by step.

Run when an administrator saves the control panel: each step says plainly what failed and
the likely cause, so a wrong address, a Docs server that cannot reach Plone, a secret
mismatch or a TLS problem is told apart instead of reported as "connection failed".
"""

import uuid
from dataclasses import dataclass
from dataclasses import field

import requests
from zope.i18n import translate

from onlyoffice_plone import _
from onlyoffice_plone import core

#: (connect, read) seconds for every call from Plone to Docs during the check.
TIMEOUT = (5, 30)
#: How many times the check asks Docs about its tiny conversion before it gives up.
CONVERSION_ROUNDS = 20
#: How the project's ONLYOFFICE Docs test double (docs-double/, started by ``make run``)
#: names itself in its HTTP ``Server`` header; ONLYOFFICE Docs never does.
TEST_DOUBLE_SERVER = "docs-double"


@dataclass
class Step:
    name: str
    ok: bool
    message: str


@dataclass
class ConnectionReport:
    steps: list = field(default_factory=list)
    version: str | None = None
    #: Whether the address answers as the project's Docs test double, a stand-in.
    test_double: bool = False

    @property
    def ok(self):
        return bool(self.steps) and all(step.ok for step in self.steps)

    @property
    def failed(self):
        return next((step for step in self.steps if not step.ok), None)

    def as_dict(self, request=None):
        def tr(message):
            return translate(message, context=request) if request is not None else str(message)

        return {
            "ok": self.ok,
            "version": self.version,
            "test_double": self.test_double,
            "steps": [
                {"name": step.name, "ok": step.ok, "message": tr(step.message)}
                for step in self.steps
            ],
        }


class StepFailed(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _transport_failure(exc, url):
    """Say in plain words why an HTTP call to ``url`` failed."""
    if isinstance(exc, requests.exceptions.SSLError):
        return _(
            "The TLS certificate of ${url} was not accepted (${error}). Install a certificate "
            "Plone trusts, or turn off “Verify TLS certificates” for a test server.",
            mapping={"url": url, "error": _short(exc)},
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout | requests.exceptions.ReadTimeout):
        return _(
            "${url} did not answer in time. Check the address and that no firewall drops "
            "the connection.",
            mapping={"url": url},
        )
    if isinstance(exc, requests.exceptions.ConnectionError):
        return _(
            "Plone cannot connect to ${url}. Check the address of ONLYOFFICE Docs (and its "
            "address for Plone, if Plone reaches it by another name) and that it is running.",
            mapping={"url": url},
        )
    return _("Calling ${url} failed: ${error}", mapping={"url": url, "error": _short(exc)})


def _short(exc):
    text = str(exc)
    return text if len(text) <= 200 else text[:197] + "…"


class ConnectionCheck:
    """The three steps: healthcheck, the command service's version, a conversion round trip."""

    def __init__(self, settings, check_file_url, session=None):
        self.settings = settings
        self.check_file_url = check_file_url
        self.http = session or requests.Session()
        self.docs = settings.server_docs_url

    def run(self):
        report = ConnectionReport()
        try:
            for name, step in (
                ("healthcheck", self.healthcheck),
                ("version", self.version),
                ("conversion", self.conversion),
            ):
                try:
                    message = step(report)
                except StepFailed as failure:
                    report.steps.append(Step(name, False, failure.message))
                    break
                except core.CoreError as exc:
                    # The core refused to build the request from these settings.
                    report.steps.append(
                        Step(
                            name,
                            False,
                            _(
                                "The settings cannot make a request to ONLYOFFICE Docs: ${error}",
                                mapping={"error": str(exc)},
                            ),
                        )
                    )
                    break
                report.steps.append(Step(name, True, message))
        finally:
            self.http.close()
        return report

    def _call(self, method, url, **kwargs):
        try:
            response = self.http.request(
                method,
                url,
                timeout=TIMEOUT,
                verify=self.settings.verify_tls,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise StepFailed(_transport_failure(exc, url)) from exc
        if response.status_code in (401, 403):
            raise StepFailed(
                _(
                    "ONLYOFFICE Docs refused the request with HTTP ${status}: the secret key "
                    "probably differs from its JWT_SECRET.",
                    mapping={"status": response.status_code},
                )
            )
        if response.status_code != 200:
            raise StepFailed(
                _(
                    "${url} answered HTTP ${status}, not ONLYOFFICE Docs' reply. Check the "
                    "address (a proxy may answer instead of ONLYOFFICE Docs).",
                    mapping={"url": url, "status": response.status_code},
                )
            )
        return response

    def healthcheck(self, report):
        url = self.docs + "healthcheck"
        response = self._call("GET", url)
        if response.text.strip() != "true":
            raise StepFailed(
                _(
                    "ONLYOFFICE Docs at ${url} reports that it is not healthy (its database, "
                    "message queue or file storage is down): see its logs.",
                    mapping={"url": self.docs},
                )
            )
        if response.headers.get("Server", "").startswith(TEST_DOUBLE_SERVER):
            report.test_double = True
            return _(
                "The ONLYOFFICE Docs test double is running: a stand-in for trying the add-on "
                "and for tests, not ONLYOFFICE Docs."
            )
        return _("ONLYOFFICE Docs is running.")

    def _send(self, request):
        response = self._call("POST", request.url, data=request.body, headers=request.headers)
        return response.content, response.headers.get("Content-Type")

    def version(self, report):
        secret = self.settings.jwt_secret or None
        request = core.command_request(
            self.docs, "version", secret=secret, header=self.settings.jwt_header
        )
        body, _content_type = self._send(request)
        try:
            result = core.parse_command_response("version", body)
        except core.DocsError as exc:
            if exc.kind == "TokenRefused":
                raise StepFailed(_secret_mismatch(exc.code, bool(secret))) from exc
            raise StepFailed(
                _(
                    "ONLYOFFICE Docs' command service failed: ${error}",
                    mapping={"error": exc.message},
                )
            ) from exc
        except core.CoreError as exc:
            raise StepFailed(
                _(
                    "The command service at ${url} did not answer like ONLYOFFICE Docs: ${error}",
                    mapping={"url": request.url, "error": str(exc)},
                )
            ) from exc
        report.version = result.version
        return _(
            "ONLYOFFICE Docs ${version} accepted a signed command.",
            mapping={"version": result.version},
        )

    def conversion(self, report):
        secret = self.settings.jwt_secret or None
        request = core.conversion_request(
            self.docs,
            key=f"check-{uuid.uuid4().hex}",
            filetype="txt",
            outputtype="docx",
            url=self.check_file_url,
            title="onlyoffice-plone-check.txt",
            async_=False,
            secret=secret,
            header=self.settings.jwt_header,
        )
        for _round in range(CONVERSION_ROUNDS):
            body, content_type = self._send(request)
            try:
                result = core.parse_conversion_response(body, content_type)
            except core.DocsError as exc:
                raise StepFailed(self._conversion_failure(exc, bool(secret))) from exc
            except core.CoreError as exc:
                raise StepFailed(
                    _(
                        "The conversion service at ${url} did not answer like ONLYOFFICE Docs: "
                        "${error}",
                        mapping={"url": request.url, "error": str(exc)},
                    )
                ) from exc
            if result.end_convert:
                return _("ONLYOFFICE Docs downloaded a file from Plone and converted it.")
        raise StepFailed(_("ONLYOFFICE Docs did not finish a tiny conversion in time."))

    def _conversion_failure(self, exc, signed):
        if exc.kind == "DownloadFailed":
            return _(
                "ONLYOFFICE Docs could not download a file from Plone at ${url}. Set "
                "“Plone address for ONLYOFFICE Docs” to an address Docs can reach; if it is a "
                "private address, Docs must allow it (ALLOW_PRIVATE_IP_ADDRESS) or use JWT.",
                mapping={"url": self.check_file_url.split("?", 1)[0]},
            )
        if exc.kind == "TokenRefused":
            return _secret_mismatch(exc.code, signed)
        return _(
            "ONLYOFFICE Docs could not convert a file: ${error}", mapping={"error": exc.message}
        )


def _secret_mismatch(code, signed):
    """Docs refused the token (its error ``code``): the secret or the clocks, or no token."""
    if signed:
        return _(
            "ONLYOFFICE Docs rejected the signed request (error ${code}): the secret key "
            "differs from its JWT_SECRET, or the clocks of the two servers differ.",
            mapping={"code": code},
        )
    return _(
        "ONLYOFFICE Docs requires a token (error ${code}): enter the secret key from its "
        "JWT_SECRET.",
        mapping={"code": code},
    )
