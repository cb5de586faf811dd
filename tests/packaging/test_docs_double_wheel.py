"""`pip wheel docs-double` builds the Docs test double's own pure-Python wheel, usable alone."""

import email.parser
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .test_wheel import top_level_imports

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "docs-double"
PACKAGE = PROJECT / "onlyoffice_docs_double"


def package_files(*patterns):
    found = set()
    for pattern in patterns:
        found.update(
            p.relative_to(PROJECT).as_posix()
            for p in PACKAGE.rglob(pattern)
            if "__pycache__" not in p.parts
        )
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # Built from a copy: the folder must stand alone, and the build leaves nothing in the tree.
    source = tmp_path_factory.mktemp("source") / "docs-double"
    shutil.copytree(
        PROJECT, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
    )
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
        ],
        check=True,
    )
    (path,) = out.glob("*.whl")
    with zipfile.ZipFile(path) as archive:
        yield path, set(archive.namelist()), archive


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """The wheel installed alone into a folder of its own (its dependencies come from .venv)."""
    path, _names, _archive = wheel
    target = tmp_path_factory.mktemp("installed")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target, path],
        check=True,
    )
    return target


def run_installed(installed, *args):
    # PYTHONPATH comes before .venv's editable install of the same package; the working
    # directory is not the repository.
    env = dict(os.environ, PYTHONPATH=str(installed))
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=installed.parent
    )


@pytest.mark.slow
class TestDocsDoubleWheel:
    def test_one_pure_python_wheel(self, wheel):
        path, _names, _archive = wheel
        assert path.name.startswith("onlyoffice_docs_double-")
        assert path.name.endswith("-py3-none-any.whl")

    def test_contains_the_package_its_static_files_and_test_helpers(self, wheel):
        _path, names, _archive = wheel
        expected = package_files("*.py", "*.js", "*.html")
        missing = sorted(expected - names)
        assert missing == []
        for name in ("static/api.js", "static/editor.html", "static/editor.js", "__main__.py"):
            assert f"onlyoffice_docs_double/{name}" in names
        assert "onlyoffice_docs_double/testing/fixtures.py" in names
        assert "onlyoffice_docs_double/testing/layers.py" in names

    def test_metadata_names_the_distribution_and_its_dependencies(self, wheel):
        _path, names, archive = wheel
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        parsed = email.parser.Parser().parsestr(archive.read(metadata).decode())
        assert parsed["Name"] == "onlyoffice-docs-double"
        required = {
            r.split(";")[0].split(">")[0].strip().lower() for r in parsed.get_all("Requires-Dist")
        }
        assert {"pyjwt", "requests"} <= required
        assert "# The ONLYOFFICE Docs test double" in parsed.get_payload()  # its README.md

    def test_holds_nothing_of_the_add_on(self, wheel):
        _path, names, archive = wheel
        assert [n for n in names if not n.startswith("onlyoffice_docs_double")] == []
        importers = [
            n
            for n in names
            if n.endswith(".py")
            and "onlyoffice_plone" in top_level_imports(archive.read(n).decode())
        ]
        assert importers == []

    def test_runs_from_the_installed_wheel(self, installed):
        result = run_installed(installed, "-m", "onlyoffice_docs_double", "--help")
        assert result.returncode == 0, result.stderr
        assert "python -m onlyoffice_docs_double" in result.stdout
        for option in ("--host", "--port", "--secret", "--header", "--save-delay"):
            assert option in result.stdout

    def test_serves_its_editor_from_the_installed_wheel(self, installed):
        code = (
            "import sys, requests, onlyoffice_docs_double as d\n"
            f"assert d.__file__.startswith({str(installed)!r}), d.__file__\n"
            "with d.DocsDouble(port=0) as double:\n"
            "    api = requests.get(double.api_js_url, timeout=10)\n"
            "    page = requests.get(double.url + '/double/editor', timeout=10)\n"
            "assert api.status_code == 200 and 'DocsAPI' in api.text, api.status_code\n"
            "assert page.status_code == 200 and '<html' in page.text.lower(), page.status_code\n"
            "print('served')\n"
        )
        result = run_installed(installed, "-c", code)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "served" in result.stdout
