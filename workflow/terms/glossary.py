"""The glossary: load and validate the CSV files terminologists edit, and scan French with them.

The CSV (glossary/README.md documents it) is the artefact terminologists edit; everything else is
derived from it. French matching lives in `french.py`, English checking in `english.py`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from workflow.base.errors import GlossaryError
from workflow.source.article import read_utf8
from workflow.terms.entry import (
    COLUMNS,
    CONTEXT_KEYS,
    DO_NOT_TRANSLATE,
    FORBIDDEN,
    ID_PATTERN,
    LIST_SEPARATOR,
    PARTS_OF_SPEECH,
    REQUIRED_COLUMNS,
    TERM,
    TYPES,
    Entry,
    TermMatch,
    french_key,
)
from workflow.terms.french import FormIndex, scan_with
from workflow.terms.organisation import ORG_CUES, default_org_for


REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GLOSSARY = REPO_ROOT / "glossary" / "nato_un.csv"


@dataclass(frozen=True)
class Problem:
    """A validation finding, pointing at the CSV line a terminologist has to fix."""

    path: Path | None
    line: int | None
    code: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.line else (f"{self.path}: " if self.path else "")
        return f"{where}{self.severity}: {self.message} [{self.code}]"


@dataclass
class Glossary:
    entries: tuple[Entry, ...]
    paths: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        self.entries = tuple(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

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


def load_glossary(path: Path | str | None = None) -> Glossary:
    """The glossary at path (a CSV file or a folder of them); the shipped one by default.

    Raises GlossaryError naming the file and line of the first error; warnings are tolerated.
    """
    files = _glossary_files(Path(path) if path is not None else DEFAULT_GLOSSARY)
    entries, problems = _load_files(files)
    raise_for_errors(problems)
    return Glossary(tuple(entries), tuple(files))


def validate(glossary_path: Path | str | None = None) -> list[Problem]:
    """Every problem in a glossary CSV (or folder), errors and warnings, in file and line order."""
    files = _glossary_files(Path(glossary_path) if glossary_path is not None else DEFAULT_GLOSSARY)
    _, problems = _load_files(files)
    return problems


def raise_for_errors(problems: Sequence[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise GlossaryError(first.message + more, path=first.path, line=first.line)


def entries_from_rows(rows: Iterable[tuple[Path, int, dict[str, str]]]) -> tuple[list[Entry], list[Problem]]:
    """Entries from CSV-shaped rows (path, line, {column: value}), with every problem found."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path, line, row in rows:
        entry, row_problems = _entry_from_row(row, path, line)
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
        file_rows, problems = _read_csv(path)
        rows += [(path, line, row) for line, row in file_rows]
        file_problems += problems
    entries, problems = entries_from_rows(rows)
    problems = sorted(file_problems + problems, key=lambda p: (str(p.path), p.line or 0))
    return entries, problems


def _read_csv(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    text = read_utf8(path, GlossaryError).removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], [Problem(path, 1, "empty-file", "the file is empty: expected a header row")]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [Problem(path, 1, "missing-column", f"header lacks required column(s): {', '.join(missing)}")]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        problems.append(Problem(path, 1, "unknown-column", f"unknown column(s) ignored: {', '.join(unknown)}", "warning"))
    rows = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(path, line, "bad-csv", f"malformed CSV: {exc}"))
            break
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            problems.append(Problem(path, line, "bad-csv", f"{len(cells)} fields for {len(header)} columns (an unquoted comma?)"))
            continue
        rows.append((line, {h: c for h, c in zip(header, cells, strict=False)}))
    return rows, problems


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()))


def _entry_from_row(row: dict[str, str], path: Path, line: int) -> tuple[Entry | None, list[Problem]]:
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731
    problems: list[Problem] = []

    def problem(code: str, message: str, severity: str = "error") -> None:
        problems.append(Problem(path, line, code, message, severity))

    entry_id, kind = get("id"), get("type")
    if not entry_id:
        problem("empty-field", "empty id")
    elif not ID_PATTERN.fullmatch(entry_id):
        problem("bad-id", f"id {entry_id!r} must start with a letter and use only letters, digits, '-', '_', '.'")
    if not kind:
        problem("empty-field", "empty type (term, do-not-translate or forbidden)")
    elif kind not in TYPES:
        problem("unknown-type", f"unknown type {kind!r} (expected one of: {', '.join(TYPES)})")
    if not get("fr") and kind != FORBIDDEN:
        problem("empty-field", "empty fr")
    if not get("en") and kind != DO_NOT_TRANSLATE:
        problem("empty-field", "empty en")
    context = get("context")
    for part in filter(None, (p.strip() for p in context.split(";"))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in CONTEXT_KEYS:
            problem("bad-context", f"context {part!r}: expected {' or '.join(k + '=…' for k in CONTEXT_KEYS)}")
        elif key.strip() == "org" and value.strip() not in ORG_CUES:
            problem("bad-context", f"unknown organisation {value.strip()!r} (known: {', '.join(ORG_CUES)})")
    pos = get("pos") or "noun"
    if pos not in PARTS_OF_SPEECH:
        problem("bad-pos", f"pos {pos!r} is not one of: {', '.join(PARTS_OF_SPEECH)}")
    en = get("en") or (get("fr") if kind == DO_NOT_TRANSLATE else "")
    forbidden = _split_list(get("en_forbidden"))
    if kind != FORBIDDEN and en in forbidden:
        problem("self-forbidden", f"en {en!r} is also listed in en_forbidden")
    if kind == TERM and get("en") and get("en") == get("fr"):
        problem("same-as-fr", "en equals fr: use type do-not-translate", "warning")
    if kind == DO_NOT_TRANSLATE and get("en") and get("en") != get("fr"):
        problem("dnt-differs", "do-not-translate entry with an en different from fr", "warning")
    if not get("source"):
        problem("no-source", "no source: say where both sides were seen", "warning")
    if any(p.severity == "error" for p in problems):
        return None, problems
    entry = Entry(
        id=entry_id, fr=get("fr"), en=en, type=kind, context=context,
        fr_variants=_split_list(get("fr_variants")), en_variants=_split_list(get("en_variants")),
        en_forbidden=forbidden, pos=pos, status=get("status"), note=get("note"), source=get("source"),
        path=path, line=line,
    )
    return entry, problems


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
    return [m.as_dict() for m in glossary.scan(text, default_org=default_org_for(text))]


def term_comment(matches: Iterable[TermMatch]) -> str:
    """One-line PO extracted comment, e.g. "glossary: secrétaire général de l'OTAN → NATO Secretary General; OTAN → NATO"."""
    pairs = dict.fromkeys((m.fr, m.en) for m in matches)
    return "glossary: " + "; ".join(f"{fr} → {en}" for fr, en in pairs) if pairs else ""
