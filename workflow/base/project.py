"""Where things live in a project folder, so every stage agrees without importing the pipeline."""

from __future__ import annotations

from pathlib import Path

DEFAULT_SOURCE_DIR = Path("source_fr")
DEFAULT_CATALOGS_DIR = Path("translations")


def catalog_path_for(source: Path, target: str, out_dir: Path) -> Path:
    """translations/<lang>/<slug>.po for source_fr/<slug>.txt."""
    return out_dir / target / f"{source.stem}.po"


TEMPLATES_DIR_NAME = "templates"


def template_path_for(source: Path, out_dir: Path) -> Path:
    """translations/templates/<slug>.pot: one template for every language's catalog."""
    return out_dir / TEMPLATES_DIR_NAME / f"{source.stem}.pot"
