"""The add-on's layers: the core decides, shared layers serve, features stand on their own.

From the bottom: the Rust core (``_core``, imported by ``core.py`` alone); the shared layers
``documents/`` and ``docs/`` with the top-level modules (settings, interfaces, errors…); the
features on top, none importing another. Read from the source with ``ast``, function-level
imports included, so a late import cannot hide a cycle.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "onlyoffice_plone"
FEATURES = ("editor", "conversion", "creation", "browser")
SHARED = ("documents", "docs")
MAX_PYTHON_LINES = 400
MAX_RUST_LINES = 600


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def add_on_modules():
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


#: The compiled core: a module to import, though no .py file.
COMPILED = "onlyoffice_plone._core"


def imports_of(name, path, known):
    """The add-on modules ``name`` imports (a package when no module of that name exists)."""
    tree = ast.parse(path.read_text(), str(path))
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names]
            targets = [t if t in known else base for t in targets]
        else:
            continue
        found.update(t for t in targets if t.split(".")[0] == "onlyoffice_plone")
    found.discard(name)
    return found


@pytest.fixture(scope="module")
def graph():
    modules = add_on_modules()
    known = {*modules, COMPILED}
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def find_cycle(graph):
    """One import cycle as a list of modules, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def layer_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in FEATURES) else None


def test_the_import_graph_is_read(graph):
    assert "onlyoffice_plone.documents.keys" in graph["onlyoffice_plone.editor.config"]
    assert "onlyoffice_plone.core" in graph["onlyoffice_plone.documents.keys"]


def test_no_import_cycle(graph):
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_only_core_imports_the_compiled_core(graph):
    importers = {name for name, targets in graph.items() if COMPILED in targets}
    assert importers == {"onlyoffice_plone.core"}


@pytest.mark.parametrize("feature", FEATURES)
def test_no_feature_imports_another(graph, feature):
    crossing = {
        (name, target)
        for name, targets in graph.items()
        if layer_of(name) == feature
        for target in targets
        if layer_of(target) in FEATURES and layer_of(target) != feature
    }
    assert not crossing


@pytest.mark.parametrize("shared", SHARED)
def test_shared_layers_import_no_feature(graph, shared):
    upward = {
        (name, target)
        for name, targets in graph.items()
        if layer_of(name) == shared
        for target in targets
        if layer_of(target) in FEATURES
    }
    assert not upward


def test_no_python_module_is_too_long():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_PYTHON_LINES
    }
    assert not long


def test_no_rust_file_is_too_long():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "src").rglob("*.rs")
        if (lines := len(path.read_text().splitlines())) > MAX_RUST_LINES
    }
    assert not long
