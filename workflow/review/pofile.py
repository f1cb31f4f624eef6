"""Reading and writing PO files (the pofile half of Babel's catalog/pofile split).

Output is polib's own serialisation, so `polib.pofile(p).save()` reproduces our
files byte for byte, and every write is atomic.

Reading is stricter than polib, because polib's silences lose a translator's work:
an empty file, a duplicate entry (a hand merge), `msgstr[0]` without `msgid_plural`,
a NUL character or a string missing its closing quote are each reported with the
file and line, and the file is left alone. Lines end at LF only, as in gettext:
a U+2028 or U+0085 inside a msgstr is text, not a line break.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import polib

from workflow.base.errors import CatalogError
from workflow.base.fsutil import atomic_write_text
from workflow.base.project import DEFAULT_CATALOGS_DIR
from workflow.base.reserved import first_reserved

# Unwrapped strings (like `msgcat --no-wrap`): one line per string gives clean diffs,
# and both polib (wrapwidth=0) and `msgmerge --no-wrap` reproduce our files exactly.
NO_WRAP = 0

_POLIB_LINE = re.compile(r"\(line (\d+)\)")


# A keyword line or continuation line must hold exactly one complete C string.
_STRING_LINE = re.compile(r'^(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')
_STRING_START = re.compile(r'^(?:#~\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?\s|")')
_KEYWORD = re.compile(r"^(?:#~\s*)?(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)(?=\s|$)")


class _LfText(str):
    """The file's text for polib, split into lines at LF only.

    polib splits text with str.splitlines(), which also breaks at U+2028, U+2029,
    U+0085, VT, FF and FS/GS/RS: a msgstr holding one of them (pasted from a word
    processor) would come back cut in two, or not at all. gettext breaks at LF only."""

    def splitlines(self, keepends: bool = False) -> list[str]:  # type: ignore[override]
        lines = self.split("\n")
        return [line + "\n" for line in lines[:-1]] + lines[-1:] if keepends else lines


def _check_lines(lines: list[str], path: Path) -> None:
    """What polib would silently drop or keep against gettext's rules, reported by line."""
    plural = False
    for number, line in enumerate(lines, start=1):
        reserved = first_reserved(line, comment=line.startswith("#") and not line.startswith("#~"))
        if reserved is not None:
            raise CatalogError(f"{reserved[1]}; remove it", path, number)
        if _STRING_START.match(line) and not _STRING_LINE.match(line):
            # polib drops an entry whose string lacks its closing quote
            raise CatalogError("cannot parse PO file: malformed string (check quotes and escapes)", path, number)
        keyword = _KEYWORD.match(line)
        if keyword is None:
            continue
        if keyword.group(1) in ("msgid", "msgctxt"):
            plural = False
        elif keyword.group(1) == "msgid_plural":
            plural = True
        elif keyword.group(2) is not None and not plural:
            raise CatalogError(
                f"msgstr[{keyword.group(2)}] without msgid_plural: gettext rejects this entry; "
                'write its translation as msgstr "…"',
                path,
                number,
            )


def _msgid_line(lines: list[str], entry: polib.POEntry) -> int:
    """The `msgid` line of an entry (polib's linenum is where its comments start)."""
    number = entry.linenum or 1
    while number <= len(lines) and not _KEYWORD.match(lines[number - 1]):
        number += 1
    return number if number <= len(lines) else entry.linenum


def _check_duplicates(catalog: polib.POFile, lines: list[str], path: Path) -> None:
    """Two live entries with the same msgctxt and msgid: one translation would silently win."""
    seen: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in catalog:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        first = seen.setdefault(key, entry)
        if first is not entry:
            raise CatalogError(
                f"duplicate entry: same msgctxt and msgid as line {_msgid_line(lines, first)}; "
                "merge the two (keep the reviewed translation) and run again",
                path,
                _msgid_line(lines, entry),
            )


def read_po(path: Path, data: bytes | None = None) -> polib.POFile:
    """Parse a PO file (or its bytes, already read); a broken file is reported with its
    line and left untouched."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as error:
        raise CatalogError(f"cannot read PO file: {error.strerror or error}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError(
            f"not valid UTF-8: byte 0x{data[error.start]:02x} at byte offset {error.start} (save the file as UTF-8)",
            path,
            data.count(b"\n", 0, error.start) + 1,
        ) from None
    if not text.lstrip("\ufeff").strip():
        # A truncated save or a crashed editor: regenerating would hide that the work is gone.
        raise CatalogError(
            "empty PO file: restore it from a backup, or delete it so that `workflow translate` writes a new one",
            path,
        )
    lines = text.split("\n")
    _check_lines(lines, path)
    try:
        catalog = polib.pofile(_LfText(text), encoding="utf-8", wrapwidth=NO_WRAP)
    except (OSError, ValueError) as error:
        message = str(error)
        match = _POLIB_LINE.search(message)
        line = int(match.group(1)) if match else None
        text = _POLIB_LINE.sub("", message).replace(" in po file", "").strip().rstrip(":")
        raise CatalogError(f"cannot parse PO file: {text}", path, line) from None
    _check_duplicates(catalog, lines, path)
    catalog.fpath = str(path)
    return catalog


def _checked_for_writing(catalog: polib.POFile) -> None:
    """Refuse what gettext cannot read back (NUL, EOT), naming the entry, and write
    comments as they will be read back (see _comment_as_read)."""
    for entry in catalog:
        strings = [entry.msgctxt or "", entry.msgid, entry.msgid_plural or "", entry.msgstr,
                   *entry.msgstr_plural.values(), entry.previous_msgid or "", entry.previous_msgctxt or ""]
        comments = [entry.comment or "", entry.tcomment or ""]
        for field, comment in [*((s, False) for s in strings), *((c, True) for c in comments)]:
            reserved = first_reserved(field, comment=comment)
            if reserved is not None:
                path, line = entry.occurrences[0] if entry.occurrences else (catalog.fpath, None)
                raise CatalogError(
                    f"{reserved[1]}; it is in the entry {entry.msgid[:60]!r} and a PO file cannot hold it",
                    path,
                    int(line) if line and str(line).isdigit() else None,
                )
        if entry.tcomment:
            entry.tcomment = _comment_as_read(entry.tcomment)
        if entry.comment and "\r" in entry.comment:
            entry.comment = entry.comment.replace("\r\n", "\n").replace("\r", "\n")


def _comment_as_read(comment: str) -> str:
    """A translator comment in the form every reader gives back: a comment is lines of raw
    text, so a CR in it ends a line (for polib reading a file, and for gettext), and polib
    drops trailing blanks and leading empty lines. Writing that form keeps a re-save of
    our files byte-identical."""
    lines = [line.rstrip() for line in comment.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def serialize_po(catalog: polib.POFile) -> str:
    _checked_for_writing(catalog)
    catalog.wrapwidth = NO_WRAP
    return catalog.__unicode__()


def write_po(catalog: polib.POFile, path: Path) -> None:
    atomic_write_text(path, serialize_po(catalog))


def po_files(paths: Sequence[Path] = ()) -> tuple[list[Path], list[CatalogError]]:
    """PO files named or found (recursively) under directories; a missing path, or a folder
    without any PO file (a typo, a wrong checkout), is an error rather than a silent "0 files"."""
    found: list[Path] = []
    missing: list[CatalogError] = []
    for path in paths or (DEFAULT_CATALOGS_DIR,):
        path = Path(path)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*.po") if p.is_file())
            if not inside:
                missing.append(CatalogError("no PO files (*.po) in this folder", path))
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            missing.append(CatalogError("no such file or directory", path))
    unique = list(dict.fromkeys(found))
    return unique, missing
