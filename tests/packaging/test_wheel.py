"""`pip wheel .` builds one abi3 wheel with everything Plone needs at run time."""

import ast
import email.parser
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "onlyoffice_plone"


def tracked_package_files(*patterns):
    """Files of the package git tracks (or would), by glob pattern."""
    found = set()
    for pattern in patterns:
        found.update(
            p.relative_to(ROOT).as_posix()
            for p in PACKAGE.rglob(pattern)
            if "__pycache__" not in p.parts
        )
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
        ],
        check=True,
        cwd=ROOT,
    )
    (path,) = out.glob("*.whl")
    with zipfile.ZipFile(path) as archive:
        yield path, set(archive.namelist()), archive


@pytest.mark.slow
class TestWheel:
    def test_one_abi3_wheel_for_every_cpython_from_3_10(self, wheel):
        path, _names, _archive = wheel
        assert path.name.startswith("plone_onlyoffice_docs-")
        assert "-cp310-abi3-" in path.name

    def test_contains_the_compiled_core(self, wheel):
        _path, names, _archive = wheel
        assert "onlyoffice_plone/_core.abi3.so" in names
        assert "onlyoffice_plone/_core.pyi" in names
        assert "onlyoffice_plone/py.typed" in names

    def test_contains_zcml_profiles_templates_static_and_python(self, wheel):
        _path, names, _archive = wheel
        expected = tracked_package_files("*.zcml", "*.xml", "*.pt", "*.py", "*.js", "*.css")
        assert expected, "the package has no files?"
        missing = sorted(expected - names)
        assert missing == []
        assert "onlyoffice_plone/profiles/default/metadata.xml" in names
        assert "onlyoffice_plone/configure.zcml" in names

    def test_contains_compiled_translations(self, wheel):
        _path, names, _archive = wheel
        catalogues = tracked_package_files("*.po")
        assert catalogues
        for po in catalogues:
            assert po[: -len(".po")] + ".mo" in names, po

    def test_declares_the_plone_autoinclude_entry_point(self, wheel):
        _path, names, archive = wheel
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        text = archive.read(entry_points).decode()
        assert "[plone.autoinclude.plugin]" in text
        assert "target = plone" in text.replace("target=plone", "target = plone")
        assert "module = onlyoffice_plone" in text.replace("module=", "module = ")

    def test_metadata_names_the_distribution(self, wheel):
        _path, names, archive = wheel
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        parsed = email.parser.Parser().parsestr(archive.read(metadata).decode())
        assert parsed["Name"] == "plone-onlyoffice-docs"
        # 3.13.0 breaks Plone's versioning (see pyproject.toml).
        assert SpecifierSet(parsed["Requires-Python"]) == SpecifierSet(">=3.10,!=3.13.0")
        requirements = [r.lower().replace("-", ".") for r in parsed.get_all("Requires-Dist")]
        assert any(r.startswith("products.cmfplone") for r in requirements)

    def test_carries_no_build_output_or_caches(self, wheel):
        _path, names, _archive = wheel
        assert [n for n in names if "__pycache__" in n or n.endswith(".pyc")] == []
        assert [n for n in names if n.startswith(("target/", "var/", "tests/"))] == []

    def test_holds_no_test_support_test_double_or_instance_scripts(self, wheel):
        _path, names, _archive = wheel
        assert [n for n in names if n.startswith("onlyoffice_plone/testing/")] == []
        assert [n for n in names if "docs_double" in n] == []
        assert "onlyoffice_plone/instance.py" not in names
        assert "onlyoffice_plone/instance_setup.py" not in names

    def test_no_module_imports_test_tools(self, wheel):
        _path, names, archive = wheel
        modules = sorted(n for n in names if n.endswith(".py"))
        assert modules
        found = {}
        for name in modules:
            imported = top_level_imports(archive.read(name).decode())
            test_tools = imported & {"jwt", "pytest", "_pytest", "playwright"}
            if test_tools:
                found[name] = sorted(test_tools)
        assert found == {}


def top_level_imports(source):
    """The top-level names of every module ``source`` imports (absolute imports only)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names
