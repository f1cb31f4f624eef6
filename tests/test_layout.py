"""The package keeps the shape of its data flow: imports only point down the stages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workflow"

# Lower rank = further down the flow. A module may import its own stage or any lower rank.
RANK = {
    "base": 0,
    "source": 1,
    "mt": 1,
    "terms": 2,
    "review": 3,
    "qa": 4,
    "publish": 5,
    "translate": 6,
    "cli": 7,
    "__main__": 8,
}
STAGES = ("base", "source", "mt", "terms", "review", "qa", "publish")
# Same rank does not mean allowed: source and mt stay independent of each other.
INDEPENDENT = {("source", "mt"), ("mt", "source")}
MAX_LINES = 600


def _stage_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "workflow" or len(parts) < 2:
        return None
    return parts[1]


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Absolute workflow modules a file imports (relative imports resolved), with their lines."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "workflow":
                found += [(node.lineno, f"workflow.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return [(line, module) for line, module in found if module.startswith("workflow")]


def _violations() -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = _stage_of(_module_name(path)) or "__init__"
        for line, module in _imports(path):
            other = _stage_of(module)
            if other is None or other == own or own == "__init__":
                continue
            if other not in RANK:
                continue  # workflow.__version__ and the like
            if RANK[other] > RANK.get(own, 99) or (own, other) in INDEPENDENT:
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {own} imports {module} ({other} is not below it)")
    return problems


def test_every_stage_is_a_package_with_a_docstring() -> None:
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        assert init.is_file(), stage
        docstring = ast.get_docstring(ast.parse(init.read_text("utf-8")))
        assert docstring and "\n" not in docstring.strip(), f"{stage}/__init__.py needs a one-line docstring"


def test_imports_only_point_down_the_flow() -> None:
    assert _violations() == []


def test_the_rule_catches_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker itself must fail on a planted violation, or the test above proves nothing."""
    fake = tmp_path / "workflow"
    (fake / "source").mkdir(parents=True)
    (fake / "source" / "__init__.py").write_text('"""x."""\n', "utf-8")
    (fake / "source" / "bad.py").write_text("from ..review.catalog import build_catalog\nfrom workflow.mt import engines\n", "utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    problems = _violations()
    assert len(problems) == 2
    assert "source imports workflow.review.catalog" in problems[0]
    assert "source imports workflow.mt " in problems[1]


def test_top_level_holds_only_the_pipeline_and_the_cli() -> None:
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert modules == ["__init__.py", "__main__.py", "translate.py"]
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert packages == sorted([*STAGES, "cli"])


def test_no_module_is_too_long_without_a_reason() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text("utf-8")
        if text.count("\n") > MAX_LINES:
            docstring = ast.get_docstring(ast.parse(text)) or ""
            if "Longer than" not in docstring:
                long.append(f"{path.relative_to(PACKAGE.parent)}: {text.count(chr(10))} lines")
    assert long == []
