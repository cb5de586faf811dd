"""Starting the double: the command line an administrator uses, and the plone.testing layer."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import requests

from onlyoffice_docs_double import DocsDouble

MODULE = "onlyoffice_docs_double"


def test_help_lists_the_options():
    result = subprocess.run(
        [sys.executable, "-m", MODULE, "--help"], capture_output=True, text=True, check=True
    )
    for option in ("--host", "--port", "--secret", "--header", "--save-delay"):
        assert option in result.stdout


def test_the_cli_prints_a_banner_with_the_address_for_plone_and_serves():
    process = subprocess.Popen(
        [sys.executable, "-m", MODULE, "--port", "0", "--secret", "x" * 40, "--header", "AuthJwt"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Stop with Ctrl+C" in line:
                break
        banner = "".join(lines)
        assert "ONLYOFFICE Docs test double" in banner
        assert "control panel" in banner
        assert "AuthJwt" in banner
        url = re.search(r"ONLYOFFICE Docs address\s+(http://\S+)/", banner).group(1)
        assert requests.get(url + "/healthcheck", timeout=5).text == "true"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        process.stdout.close()
    assert process.returncode == 0


def test_the_double_is_a_context_manager_and_stops_cleanly():
    with DocsDouble(port=0) as double:
        assert requests.get(double.url + "/healthcheck", timeout=5).text == "true"
        url = double.url
    try:
        requests.get(url + "/healthcheck", timeout=1)
    except requests.ConnectionError:
        pass
    else:
        raise AssertionError("the double still answers after stop()")


def test_the_layer_exposes_a_running_double_and_resets_it_per_test():
    from onlyoffice_docs_double.testing.layers import DOCS_DOUBLE_FIXTURE
    from onlyoffice_docs_double.testing.layers import DocsDoubleLayer

    assert isinstance(DOCS_DOUBLE_FIXTURE, DocsDoubleLayer)
    # A private instance: the shared one belongs to the layers built on it.
    layer = DocsDoubleLayer(name="test_layers_docs")
    layer.setUp()
    try:
        double = layer["docs_double"]
        assert requests.get(double.url + "/healthcheck", timeout=5).text == "true"
        double.faults.unhealthy = True
        layer.testSetUp()
        assert double.faults.unhealthy is False
    finally:
        layer.tearDown()


def test_the_double_and_its_fixtures_import_without_plone_or_the_add_on():
    code = (
        "import sys; import onlyoffice_docs_double; "
        "import onlyoffice_docs_double.testing.fixtures; "
        "bad = [m for m in sys.modules if m.startswith(('Products.CMFPlone', 'plone.', 'Zope2', "
        "'OFS', 'onlyoffice_plone'))]; print(bad); assert not bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
