"""The glossary: load and validate the CSV files terminologists edit, and scan French with them.

The CSV (glossary/README.md documents it) is the artefact terminologists edit; everything else is
derived from it. French matching lives in `french.py`, English checking in `english.py`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from workflow.base.errors import GlossaryError
from workflow.source.article import read_utf8
from workflow.terms.entry import COLUMNS, FORBIDDEN, Entry, TermMatch, french_key
from workflow.terms.french import FormIndex, scan_with
from workflow.terms.layers import HOUSE, LAYERS_FILE, ReferenceLayer, hint_comment, house_keys, read_layer_settings, reference_matches
from workflow.terms.organisation import default_org_for
from workflow.terms.rows import Problem, entry_from_row, raise_for_errors, read_csv_rows

__all__ = ["DEFAULT_GLOSSARY", "Glossary", "Problem", "entries_from_rows", "entries_to_csv", "load_glossary",
           "raise_for_errors", "scan_file", "term_comment", "validate"]


REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GLOSSARY = REPO_ROOT / "glossary" / "nato_un.csv"


@dataclass
class Glossary:
    """The house glossary (`entries`: curated, carried into MT, checked as errors) and the reference
    layers below it (`references`: imported termbases, hints and warnings), highest priority first."""

    entries: tuple[Entry, ...]
    paths: tuple[Path, ...] = ()
    references: tuple[ReferenceLayer, ...] = field(default=())

    def __post_init__(self) -> None:
        self.entries = tuple(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        """A house entry by id, or a reference entry by its "layer:id"."""
        entry = self._by_id.get(entry_id)
        if entry is None and ":" in entry_id:
            item = self._reference_item(entry_id)
            entry = item.entry if item is not None else None
        return entry

    def enforced_in_mt(self, entry_id: str) -> bool:
        """Whether MT must carry this entry's English: every house entry; a reference entry only when
        its layer or the entry itself is marked `enforce`."""
        if entry_id in self._by_id:
            return True
        item = self._reference_item(entry_id)
        if item is None:
            return False
        layer = next(layer for layer in self.references if entry_id.startswith(layer.name + ":"))
        return layer.settings.enforce or item.enforce

    def terms_for_mt(self, text: str, default_org: str | None = None) -> list[TermMatch]:
        """The terms MT must carry in `text`: the house terms (`scan`), then the reference terms
        enforced in MT (see `enforced_in_mt`) where no house term is, one English per term."""
        house = self.scan(text, default_org)
        if not self.references:
            return house
        return self._with_references(text, default_org, house, for_mt=True)

    def hints(self, text: str, default_org: str | None = None) -> list[TermMatch]:
        """Everything a translator is shown for `text`: house terms, then reference-layer hints
        around them (longest first, higher priority first, no single common words, homonyms as
        alternatives)."""
        house = self.scan(text, default_org)
        if not self.references:
            return house
        return self._with_references(text, default_org, house, for_mt=False)

    def _with_references(self, text: str, default_org: str | None, house: list[TermMatch], *, for_mt: bool) -> list[TermMatch]:
        key = (text, default_org, for_mt)
        found = self._reference_cache.get(key)
        if found is None:
            found = tuple(reference_matches(self.references, house, self._house_keys, text, default_org, for_mt=for_mt))
            if len(self._reference_cache) > 100_000:
                self._reference_cache.clear()
            self._reference_cache[key] = found
        return sorted([*house, *found], key=lambda m: m.start)

    def _reference_item(self, entry_id: str):
        layer_name, _, local_id = entry_id.partition(":")
        for layer in self.references:
            if layer.name == layer_name:
                return layer.index.by_id(local_id)
        return None

    @cached_property
    def _reference_cache(self) -> dict[tuple[str, str | None, bool], tuple[TermMatch, ...]]:
        return {}

    @cached_property
    def _house_keys(self) -> frozenset[str]:
        return house_keys(self.entries)

    def layer_summary(self) -> list[dict[str, object]]:
        """One row per layer, house first: name, priority, entries, file, flags (`glossary list`)."""
        rows: list[dict[str, object]] = [{
            "name": HOUSE, "priority": "top", "entries": len(self.entries), "enforced": len(self.entries),
            "files": [str(p) for p in self.paths], "enforce": True, "hint_common": True}]
        for layer in self.references:
            index = layer.index
            rows.append({
                "name": layer.name, "priority": layer.settings.priority, "entries": len(index),
                "enforced": len(index) if layer.settings.enforce else int(index.meta["enforced"]),
                "common_words": int(index.meta["common"]), "files": [str(layer.path)],
                "enforce": layer.settings.enforce, "hint_common": layer.settings.hint_common})
        return rows

    @cached_property
    def _scan_cache(self) -> dict[tuple[str, str | None], tuple[TermMatch, ...]]:
        return {}

    @cached_property
    def _by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def _term_finder(self) -> FormIndex:
        return FormIndex([(i, e) for i, e in enumerate(self.entries) if e.type != FORBIDDEN and e.fr])

    @cached_property
    def _forbidden_finder(self) -> FormIndex:
        return FormIndex([(i, e) for i, e in enumerate(self.entries) if e.type == FORBIDDEN and e.fr])

    def scan(self, text: str, default_org: str | None = None) -> list[TermMatch]:
        """Glossary terms in French text: longest match first, non-overlapping, in text order.

        An entry conditioned on an organisation is chosen by the organisation named right after
        the term, else default_org, else the reading listed first in the glossary.
        """
        # Each segment is scanned several times (term carrying, checks, PO comments) and
        # every scan runs all patterns: remember results (TermMatch is immutable).
        key = (text, default_org)
        found = self._scan_cache.get(key)
        if found is None:
            found = self._scan_cache[key] = tuple(scan_with(self._term_finder, text, default_org))
        return list(found)

    def scan_forbidden(self, text: str, default_org: str | None = None) -> list[TermMatch]:
        """French triggers of 'forbidden' entries (kept apart so that they never hide a term)."""
        return scan_with(self._forbidden_finder, text, default_org)


# ---------------------------------------------------------------------------------------------
# Loading and validation


def load_glossary(path: Path | str | None = None, *, cache_dir: Path | None = None) -> Glossary:
    """The glossary at path (a CSV file or a folder of them); the shipped one by default.

    A folder's layers.toml adds its reference layers (compiled indexes cached under `cache_dir`,
    .cache/workflow/glossary-index by default). Raises GlossaryError naming the file and line of
    the first error of the house glossary; warnings are tolerated.
    """
    location = Path(path) if path is not None else DEFAULT_GLOSSARY
    only_layers = location.is_dir() and not any(location.glob("*.csv")) and (location / LAYERS_FILE).is_file()
    files = [DEFAULT_GLOSSARY] if only_layers else _glossary_files(location)  # layers over the shipped glossary
    entries, problems = _load_files(files)
    raise_for_errors(problems)
    references: tuple[ReferenceLayer, ...] = ()
    if location.is_dir():
        references = tuple(ReferenceLayer(settings, location, cache_dir) for settings in read_layer_settings(location))
    return Glossary(tuple(entries), tuple(files), references)


def validate(glossary_path: Path | str | None = None) -> list[Problem]:
    """Every problem in a glossary CSV (or folder), errors and warnings, in file and line order."""
    files = _glossary_files(Path(glossary_path) if glossary_path is not None else DEFAULT_GLOSSARY)
    _, problems = _load_files(files)
    return problems


def entries_from_rows(rows: Iterable[tuple[Path, int, dict[str, str]]]) -> tuple[list[Entry], list[Problem]]:
    """Entries from CSV-shaped rows (path, line, {column: value}), with every problem found."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path, line, row in rows:
        entry, row_problems = entry_from_row(row, path, line)
        problems += row_problems
        if entry is not None:
            entries.append(entry)
    problems += _cross_entry_problems(entries)
    problems.sort(key=lambda p: (str(p.path), p.line or 0))
    return entries, problems


def entries_to_csv(entries: Iterable[Entry]) -> str:
    """CSV text in the documented column order (used to write a TBX import back as CSV)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow(entry.to_row())
    return out.getvalue()


def _glossary_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.glob("*.csv") if p.is_file())
        if not files:
            raise GlossaryError("no *.csv glossary files in this folder", path=path)
        return files
    if not path.is_file():
        raise GlossaryError("glossary file not found", path=path)
    return [path]


def _load_files(files: Sequence[Path]) -> tuple[list[Entry], list[Problem]]:
    rows: list[tuple[Path, int, dict[str, str]]] = []
    file_problems: list[Problem] = []
    for path in files:
        file_rows, problems = read_csv_rows(path)
        rows += [(path, line, row) for line, row in file_rows]
        file_problems += problems
    entries, problems = entries_from_rows(rows)
    problems = sorted(file_problems + problems, key=lambda p: (str(p.path), p.line or 0))
    return entries, problems


def _cross_entry_problems(entries: Sequence[Entry]) -> list[Problem]:
    problems: list[Problem] = []
    first_by_id: dict[str, Entry] = {}
    for entry in entries:
        earlier = first_by_id.setdefault(entry.id, entry)
        if earlier is not entry:
            problems.append(Problem(entry.path, entry.line, "duplicate-id",
                                    f"duplicate id {entry.id!r} (first at {earlier.where})"))
    seen: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.type == FORBIDDEN:
            continue
        for form in dict.fromkeys(french_key(f) for f in entry.french_forms):
            for other in seen.get(form, []):
                if other.id == entry.id:
                    continue
                if entry.org and other.org and entry.org != other.org:
                    continue  # the same French, split by organisation: that is the point of context
                label = f"French term {form!r}" + (f" ({entry.context})" if entry.context else "")
                if other.en == entry.en:
                    problems.append(Problem(entry.path, entry.line, "duplicate-fr",
                                            f"{label} duplicates entry {other.id!r} at {other.where}"))
                else:
                    problems.append(Problem(entry.path, entry.line, "conflicting-fr",
                                            f"{label} conflicts with entry {other.id!r} at {other.where}: "
                                            f"{entry.en!r} vs {other.en!r}"))
                break
            seen.setdefault(form, []).append(entry)
    return problems


def scan_file(path: Path | str, glossary: Glossary | None = None) -> list[dict]:
    """The JSON contract of `workflow glossary scan FILE --json`: [{id, start, end, text, fr, en}].

    Offsets are str offsets into the file's decoded text (line endings kept as they are);
    the article's organisation is guessed with default_org_for.
    """
    path = Path(path)
    text = read_utf8(path)  # line endings kept: offsets index the file as it is
    glossary = glossary if glossary is not None else load_glossary()
    return [m.as_dict() for m in glossary.hints(text, default_org=default_org_for(text))]


def term_comment(matches: Iterable[TermMatch]) -> str:
    """PO extracted comment, e.g. "glossary: secrétaire général de l'OTAN → NATO Secretary General; OTAN → NATO",
    and for reference-layer matches (Glossary.hints) a second line "termbase: fr → en [layer:id]; …"."""
    matches = list(matches)
    pairs = dict.fromkeys((m.fr, m.en) for m in matches if not m.layer)
    lines = ["glossary: " + "; ".join(f"{fr} → {en}" for fr, en in pairs)] if pairs else []
    hints = hint_comment(matches)
    return "\n".join(lines + ([hints] if hints else []))
