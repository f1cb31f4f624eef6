"""Rows of a glossary CSV: reading them, turning one into an Entry, and what can be wrong with it.

Shared by the house glossary (glossary.py, where every error stops the load) and the reference
layers (layers.py, where a bad row is skipped and counted).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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
)
from workflow.terms.organisation import ORG_CUES

# Fields that hold terms (one line, no control or format character) and free text (may hold lines).
TERM_FIELDS = ("id", "fr", "en", "type", "context", "fr_variants", "en_variants", "en_forbidden", "pos",
               "status", "domain")
TEXT_FIELDS = ("note", "source")
ALL_FIELDS = frozenset(TERM_FIELDS + TEXT_FIELDS)
# Characters no glossary field may hold: they break the files the glossary is written to (XML
# refuses C0 controls, PO and CSV readers split lines at U+2028/2029/0085) or silently change how a
# term reads (bidi overrides, zero-width characters).
_REFUSED_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Cs")


def refused_character(value: str, *, multiline: bool = False) -> str:
    """Why value cannot be a glossary field ('' when it can): the first refused character, named."""
    if (value.replace("\n", "").replace("\t", "") if multiline else value).isprintable():
        return ""  # the usual case: no control, format or separator character (spaces aside)
    for i, ch in enumerate(value):
        if multiline and ch in "\n\t":
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            name = unicodedata.name(ch, "control character")
            return f"U+{ord(ch):04X} ({name}) at character {i + 1} is not allowed (it would break the exported files)"
    return ""


def split_list(value: str) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(dict.fromkeys(v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()))


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


def raise_for_errors(problems: Sequence[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise GlossaryError(first.message + more, path=first.path, line=first.line)


def numbered_rows(reader) -> Iterator[tuple[int, list[str], str]]:
    """(line, cells, "") for each non-blank row of a csv.reader, or (line, [], why) for a malformed one
    (the reader goes on after it; a caller may stop)."""
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, [], f"malformed CSV: {exc}"
            if reader.line_num < line:  # nothing consumed: it would fail again
                return
            continue
        if any(c.strip() for c in cells):
            yield line, cells, ""


def read_csv_rows(path: Path, columns: Sequence[str] = COLUMNS) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """(line, {column: cell}) for each non-blank row of a glossary CSV, with file-level problems."""
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
    unknown = [h for h in header if h not in columns]
    if unknown:
        problems.append(Problem(path, 1, "unknown-column", f"unknown column(s) ignored: {', '.join(unknown)}", "warning"))
    rows = []
    for line, cells, error in numbered_rows(reader):
        if error:
            problems.append(Problem(path, line, "bad-csv", error))
            break
        if len(cells) > len(header):
            problems.append(Problem(path, line, "bad-csv", f"{len(cells)} fields for {len(header)} columns (an unquoted comma?)"))
            continue
        rows.append((line, {h: c for h, c in zip(header, cells, strict=False)}))
    return rows, problems


def entry_from_row(row: dict[str, str], path: Path | None, line: int | None) -> tuple[Entry | None, list[Problem]]:
    """The entry of one CSV-shaped row, or None and the errors that keep it out."""
    cells = {name: value.strip() for name, value in row.items() if value}
    get = lambda name: cells.get(name, "")  # noqa: E731
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
    for part in filter(None, (p.strip() for p in context.split(";") if context)):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in CONTEXT_KEYS:
            problem("bad-context", f"context {part!r}: expected {' or '.join(k + '=…' for k in CONTEXT_KEYS)}")
        elif key.strip() == "org" and value.strip() not in ORG_CUES:
            problem("bad-context", f"unknown organisation {value.strip()!r} (known: {', '.join(ORG_CUES)})")
    pos = get("pos") or "noun"
    if pos not in PARTS_OF_SPEECH:
        problem("bad-pos", f"pos {pos!r} is not one of: {', '.join(PARTS_OF_SPEECH)}")
    en = get("en") or (get("fr") if kind == DO_NOT_TRANSLATE else "")
    forbidden = split_list(get("en_forbidden"))
    if kind != FORBIDDEN and en in forbidden:
        problem("self-forbidden", f"en {en!r} is also listed in en_forbidden")
    if kind == TERM and get("en") and get("en") == get("fr"):
        problem("same-as-fr", "en equals fr: use type do-not-translate", "warning")
    if kind == DO_NOT_TRANSLATE and get("en") and get("en") != get("fr"):
        problem("dnt-differs", "do-not-translate entry with an en different from fr", "warning")
    if not get("source"):
        problem("no-source", "no source: say where both sides were seen", "warning")
    for name, value in cells.items():
        refused = refused_character(value, multiline=name not in TERM_FIELDS) if name in ALL_FIELDS else ""
        if refused:
            problem("bad-character", f"{name} of entry {entry_id or '(no id)'!r}: {refused}")
    if any(p.severity == "error" for p in problems):
        return None, problems
    entry = Entry(
        id=entry_id, fr=get("fr"), en=en, type=kind, context=context,
        fr_variants=split_list(get("fr_variants")), en_variants=split_list(get("en_variants")),
        en_forbidden=forbidden, pos=pos, status=get("status"), note=get("note"), source=get("source"), domain="|".join(split_list(get("domain"))),
        path=path, line=line,
    )
    return entry, problems


