"""The architecture as a test: dependencies point one way, core ← engine ← workflow ← domains ← reporting ←
api, web (DESIGN.md "Shape"). A module that imports a higher layer fails here, naming the arrow."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"

# package prefix → layer (the longest prefix wins); domains share a layer
LAYERS = {
    "app.core": 0, "app.extensions": 0, "app.models": 0,
    "app.engine": 1,
    "app.workflow": 2,
    "app.org": 3, "app.enterprises": 3, "app.recognition": 3, "app.lifecycle": 3, "app.rewards": 3,
    "app.services_desk": 3, "app.monitoring": 3, "app.workbench": 3,
    "app.reporting": 4,
    "app.api": 5, "app.web": 5, "app.cli": 5, "app.demo": 5, "app": 5,
}
NAMES = {0: "core", 1: "engine", 2: "workflow", 3: "domain", 4: "reporting", 5: "api/web"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int | None:
    matches = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    return LAYERS[max(matches, key=len)] if matches else None


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every `app…` module the file imports, at module level or inside functions, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module != "app":  # `from app import engine` imports app.engine, not the app factory
                found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names
                      if node.module == "app" or _layer(f"{node.module}.{alias.name}") != _layer(node.module)]
    return found


def _arrows() -> list[tuple[str, str, int, int, int]]:
    arrows = []
    for path in sorted(APP.rglob("*.py")):
        module = _module(path)
        for target, line in _imports(path):
            if target == "app" or target.startswith("app."):
                arrows.append((module, target, line, _layer(module), _layer(target)))
    return arrows


def test_no_lower_layer_imports_a_higher_one():
    wrong = [f"{m}:{line} ({NAMES[a]}) imports {t} ({NAMES[b]})" for m, t, line, a, b in _arrows()
             if a is not None and b is not None and b > a]
    assert wrong == []


def test_every_module_has_a_layer():
    assert sorted({m for m, _t, _l, a, _b in _arrows() if a is None}) == []


def test_only_the_engine_imports_spiffworkflow():
    users = set()
    for path in APP.rglob("*.py"):
        for target, _line in _imports(path):
            if target.split(".")[0] == "SpiffWorkflow" and not _module(path).startswith("app.engine"):
                users.add(_module(path))
    assert users == set()


def test_the_layer_check_catches_an_arrow_the_wrong_way(tmp_path):
    """The walker sees imports inside functions too (what a lazy import would hide)."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from app.web import labels\n    import app.recognition.review\n")
    assert sorted(t for t, _ in _imports(bad)) == ["app.recognition.review", "app.web"]
    assert _layer("app.web.labels") > _layer("app.recognition.review") > _layer("app.workflow.instances") \
        > _layer("app.engine.runtime") > _layer("app.core.vocabulary")
