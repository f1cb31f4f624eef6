"""How far each article's translation has got, for editors planning review.

Counts follow translate-toolkit's pocount (segments and source words per
state; words counted with its own `wordcount`, so the numbers match `pocount`),
plus obsolete entries and the open QA findings, so an editor sees in one table
what is left to review and what still blocks publishing.
"""

from __future__ import annotations

import re
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


# Short headers keep the table inside an 80-column terminal; the caption spells them out.
_COLUMNS = ("done", "rev.", "fuzzy", "empty", "words\nleft", "obs.", "err.", "warn.")
_LEGEND = (
    "done: share of source words reviewed; rev./fuzzy/empty: segments reviewed, fuzzy, untranslated; "
    "words left: source words not yet reviewed; obs.: obsolete entries; err./warn.: open check findings"
)
_GAP = 2  # between columns


def _cells(c: CatalogStatus) -> list[str]:
    return [
        f"{c.done_percent:.0f}%",
        str(c.translated),
        str(c.fuzzy),
        str(c.untranslated),
        str(c.fuzzy_words + c.untranslated_words),
        str(c.obsolete),
        str(c.errors),
        str(c.warnings),
    ]


def _wrap_name(name: str, width: int) -> list[str]:
    """Slugs break after a hyphen (`news-148933-un-` / `peacekeeping-2017`), else where they must."""
    lines = [""]
    for chunk in re.findall(r"[^-]*-|[^-]+$", name):
        while len(chunk) > width:
            lines.append(chunk[:width])
            chunk = chunk[width:]
        if len(lines[-1]) + len(chunk) > width:
            lines.append("")
        lines[-1] += chunk
    return [line for line in lines if line] or [name]


_STYLES = {6: "red", 7: "yellow"}  # errors, warnings: coloured when not zero


def render_table(status: ProjectStatus, width: int = 80) -> Table:
    """Fits `width` columns: numbers never wrap, article names wrap at their hyphens."""
    from rich import box
    from rich.markup import escape

    rows = [(c.name, _cells(c)) for c in status.catalogs]
    rows += [(f"{e.path.name if e.path else e}: unreadable", [""] * len(_COLUMNS)) for e in status.failures]
    footer = _cells(status.total)
    numbers = [
        max(len(line) for text in [header, footer[i], *(cells[i] for _, cells in rows)] for line in text.split("\n"))
        for i, header in enumerate(_COLUMNS)
    ]
    name_width = max(12, width - sum(numbers) - _GAP * len(numbers))
    table = Table(
        title="Translation status", caption=_LEGEND, caption_justify="left", box=box.SIMPLE_HEAD,
        show_footer=len(status.catalogs) > 1, show_edge=False, pad_edge=False, collapse_padding=True,
    )
    table.add_column("article", footer="total", overflow="fold", max_width=name_width)
    for header, cell, size in zip(_COLUMNS, footer, numbers):
        table.add_column(header, footer=cell, justify="right", no_wrap=True, width=size)
    failed = len(status.catalogs)
    for index, (name, cells) in enumerate(rows):
        wrapped = "\n".join(_wrap_name(name, name_width))
        styled = [
            f"[{_STYLES[i]}]{cell}[/]" if i in _STYLES and cell not in ("0", "") else cell
            for i, cell in enumerate(cells)
        ]
        table.add_row(f"[red]{escape(wrapped)}[/]" if index >= failed else escape(wrapped), *styled)
    return table
