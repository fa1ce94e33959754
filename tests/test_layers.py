"""The layout holds: no circle of imports, no module importing a layer above it, no folder past 12 modules.

The layers, lowest first: catalog (never imports pipeline), then in pipeline/ocr the rooms page, text and
convert, engine, the stage itself; the stages that come after OCR (extract, scanning, bundles, service,
cli) may use it, never the other way round.
"""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

OCR_ROOMS = {"page": 0, "text": 1, "convert": 1, "engine": 2}  # pipeline/ocr/<room>; the stage itself is above
ABOVE_OCR = ("pipeline.ingest", "pipeline.extract", "pipeline.scanning", "pipeline.bundles", "pipeline.service",
             "pipeline.cli", "pipeline.runner")


def _modules() -> dict[str, set[str]]:
    graph = {}
    for path in list((ROOT / "pipeline").rglob("*.py")) + list((ROOT / "catalog").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        imported = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module)
                imported |= {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
        graph[name] = imported
    return {name: {i for i in imported if i in graph and i != name} for name, imported in graph.items()}


def _room(module: str) -> int:
    parts = module.split(".")
    return OCR_ROOMS.get(parts[2], 3) if len(parts) > 2 and parts[:2] == ["pipeline", "ocr"] else 3


def test_no_circle_of_imports():
    graph = _modules()
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in graph[module]:
            assert state.get(target) != 1, " -> ".join(path + [target])
            if target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])


def test_no_import_goes_up_a_layer():
    upward = []
    for module, imported in _modules().items():
        for target in imported:
            if module.startswith("catalog") and target.startswith("pipeline"):
                upward.append((module, target))
            elif module.startswith("pipeline.ocr.") and (target.startswith(ABOVE_OCR) or (
                    target.startswith("pipeline.ocr.") and _room(target) > _room(module))):
                upward.append((module, target))
    assert upward == []


def test_no_folder_holds_more_than_twelve_modules():
    folders = [ROOT / "pipeline", ROOT / "catalog", *(ROOT / "pipeline").rglob("*/"), *(ROOT / "catalog").rglob("*/")]
    crowded = {str(folder.relative_to(ROOT)): n for folder in folders if "migrations" not in folder.parts
               and (n := len(list(folder.glob("*.py")))) > 12}  # Alembic's revisions are a history, not a room
    assert crowded == {}
