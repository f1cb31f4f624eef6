"""The reviewed bilingual work of a project: reviewed PO entries and the translation memory.

Glossary suggestions and the consistency checks both read "what translators have approved";
this module is the one place that says what that is: a reviewed PO entry (memory.py's
`is_reviewed_translation`) and every memory unit, except units the memory holds for the PO
files being read (their live entries are read instead, so nothing counts twice or stale).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib

from workflow.base.errors import CatalogError
from workflow.review.memory import OriginKind, TranslationMemory, is_reviewed_translation
from workflow.review.pofile import po_files, read_po

# on_progress(done, total, what): called as files are read and pairs are mined.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ReviewedPair:
    source: str
    target: str
    where: str  # "translations/en/x.po:42", or "tm import: fr.txt + en.txt"
    path: Path | None = None  # the PO file, None for a memory unit
    line: int | None = None
    context: str | None = None

    @property
    def in_memory_only(self) -> bool:
        return self.path is None


def catalog_pairs(path: Path, catalog: polib.POFile) -> Iterator[ReviewedPair]:
    for entry in catalog:
        if is_reviewed_translation(entry):
            yield entry_pair(path, entry)


def entry_pair(path: Path, entry: polib.POEntry) -> ReviewedPair:
    return ReviewedPair(entry.msgid, entry.msgstr, f"{path}:{entry.linenum}", path, entry.linenum, entry.msgctxt or None)


def memory_pairs(memory: TranslationMemory, read_paths: Iterable[Path] = ()) -> Iterator[ReviewedPair]:
    """Every unit of the memory, except those of PO files in `read_paths` (read live instead)."""
    skip = {memory.origin_key(p) for p in read_paths}
    for unit in memory.export_units():
        if unit.kind is OriginKind.CATALOG and unit.origin in skip:
            continue
        yield ReviewedPair(unit.source, unit.target, unit.where, None, unit.line, unit.context)


def open_memory(path: Path | None) -> TranslationMemory | None:
    """The memory at `path` if it exists; reading never creates one."""
    if path is None or not Path(path).is_file():
        return None
    return TranslationMemory(path)


def archive_pairs(
    paths: Sequence[Path],
    memory_path: Path | None = None,
    on_progress: Progress | None = None,
) -> tuple[list[ReviewedPair], list[CatalogError]]:
    """All reviewed pairs of the PO files under `paths` and of the memory; unreadable files are
    returned as errors and the others still read."""
    files, failures = po_files(paths) if paths else ([], [])
    pairs: list[ReviewedPair] = []
    for done, path in enumerate(files, start=1):
        try:
            pairs.extend(catalog_pairs(path, read_po(path)))
        except CatalogError as error:
            failures.append(error)
        if on_progress:
            on_progress(done, len(files), "reading PO files")
    memory = open_memory(memory_path)
    if memory is not None:
        try:
            pairs.extend(memory_pairs(memory, files))
        finally:
            memory.close()
    return pairs, failures
