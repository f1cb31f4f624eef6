"""How far each article's translation has got, for editors planning review.

Counts follow translate-toolkit's pocount (segments and source words per
state; words counted with its own `wordcount`, so the numbers match `pocount`),
plus obsolete entries and the open QA findings, so an editor sees in one table
what is left to review and what still blocks publishing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import polib
from rich.table import Table
from translate.tools.pocount import wordcount

from workflow.base.errors import CatalogError
from workflow.base.severity import ERROR, WARNING
from workflow.review.pofile import po_files, read_po

__all__ = ["CatalogStatus", "ProjectStatus", "catalog_status", "project_status", "to_json", "render_table"]

TOTAL = "total"

# What the QA stage found in one entry, as (check, severity, message) triples; the caller
# passes QA in, so that review does not depend on the stage above it.
EntryFindings = Callable[[polib.POEntry], Iterable[tuple[str, str, str]]]


@dataclass(frozen=True)
class CatalogStatus:
    """One catalog (or, with name "total", the sum of several)."""

    name: str
    path: Path | None
    translated: int = 0
    translated_words: int = 0
    fuzzy: int = 0
    fuzzy_words: int = 0
    untranslated: int = 0
    untranslated_words: int = 0
    obsolete: int = 0
    errors: int = 0
    warnings: int = 0

    @property
    def segments(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def done_percent(self) -> float:
        """Share of source words translated and reviewed (not fuzzy)."""
        return 100.0 * self.translated_words / self.words if self.words else 100.0

    def __add__(self, other: CatalogStatus) -> CatalogStatus:
        counts = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self) if f.name not in ("name", "path")}
        return CatalogStatus(TOTAL, None, **counts)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "path": str(self.path) if self.path is not None else None,
            "segments": {
                "total": self.segments,
                "translated": self.translated,
                "fuzzy": self.fuzzy,
                "untranslated": self.untranslated,
                "obsolete": self.obsolete,
            },
            "words": {
                "total": self.words,
                "translated": self.translated_words,
                "fuzzy": self.fuzzy_words,
                "untranslated": self.untranslated_words,
            },
            "done_percent": round(self.done_percent, 1),
            "checks": {"errors": self.errors, "warnings": self.warnings},
        }


@dataclass(frozen=True)
class ProjectStatus:
    catalogs: list[CatalogStatus]
    total: CatalogStatus
    # Catalogs that could not be read: shown, never silently skipped.
    failures: list[CatalogError] = field(default_factory=list)


def _source_words(entry: polib.POEntry) -> int:
    return wordcount(entry.msgid) + (wordcount(entry.msgid_plural) if entry.msgid_plural else 0)


def _has_translation(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def catalog_status(path: Path, checker: EntryFindings | None = None, *, name: str | None = None) -> CatalogStatus:
    """Counts, and the findings of `checker` by severity. Raises CatalogError (with file and line) if the catalog cannot be read."""
    path = Path(path)
    counts = dict.fromkeys(
        ("translated", "translated_words", "fuzzy", "fuzzy_words", "untranslated", "untranslated_words", "obsolete", "errors", "warnings"),
        0,
    )
    for entry in read_po(path):
        if entry.obsolete:
            counts["obsolete"] += 1
            continue
        if not entry.msgid:  # the header
            continue
        words = _source_words(entry)
        # pocount: fuzzy only counts as fuzzy when it has a translation.
        if not _has_translation(entry):
            state = "untranslated"
        elif entry.fuzzy:
            state = "fuzzy"
        else:
            state = "translated"
        counts[state] += 1
        counts[f"{state}_words"] += words
        for _check, severity, _message in checker(entry) if checker is not None else ():
            counts["errors" if severity == ERROR else "warnings"] += severity in (ERROR, WARNING)
    return CatalogStatus(name or path.stem, path, **counts)


def project_status(paths: Sequence[Path] = (), checker: EntryFindings | None = None) -> ProjectStatus:
    """Every catalog under `paths` (default translations/), plus the total."""
    files, failures = po_files(paths)
    catalogs: list[CatalogStatus] = []
    for path in files:
        try:
            catalogs.append(catalog_status(path, checker))
        except CatalogError as error:
            failures.append(error)
    total = sum(catalogs, CatalogStatus(TOTAL, None))
    return ProjectStatus(catalogs, total, failures)


def to_json(status: ProjectStatus) -> dict[str, object]:
    """Stable shape for `workflow status --json`: keys never depend on the data."""
    return {
        "catalogs": [c.to_json() for c in status.catalogs],
        "total": status.total.to_json(),
        "failures": [
            {"path": str(e.path) if e.path else None, "line": e.line, "message": e.message}
            for e in status.failures
        ],
    }


def _cell(count: int, words: int) -> str:
    return f"{count} ({words} w)"


def render_table(status: ProjectStatus) -> Table:
    table = Table(title="Translation status", show_footer=len(status.catalogs) > 1)
    total = status.total
    columns = [
        ("article", "total", "left"),
        ("translated", _cell(total.translated, total.translated_words), "right"),
        ("fuzzy", _cell(total.fuzzy, total.fuzzy_words), "right"),
        ("untranslated", _cell(total.untranslated, total.untranslated_words), "right"),
        ("obsolete", str(total.obsolete), "right"),
        ("done", f"{total.done_percent:.0f}%", "right"),
        ("errors", str(total.errors), "right"),
        ("warnings", str(total.warnings), "right"),
    ]
    for header, footer, justify in columns:
        table.add_column(header, footer=footer, justify=justify)  # type: ignore[arg-type]
    for c in status.catalogs:
        table.add_row(
            c.name,
            _cell(c.translated, c.translated_words),
            _cell(c.fuzzy, c.fuzzy_words),
            _cell(c.untranslated, c.untranslated_words),
            str(c.obsolete),
            f"{c.done_percent:.0f}%",
            f"[red]{c.errors}[/red]" if c.errors else "0",
            f"[yellow]{c.warnings}[/yellow]" if c.warnings else "0",
        )
    for error in status.failures:
        table.add_row(f"[red]{error}[/red]", "", "", "", "", "", "", "")
    return table
