"""Reading and writing PO files (the pofile half of Babel's catalog/pofile split).

Output is polib's own serialisation, so `polib.pofile(p).save()` reproduces our
files byte for byte, and every write is atomic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import polib

from workflow.base.errors import CatalogError
from workflow.base.fsutil import atomic_write_text
from workflow.base.project import DEFAULT_CATALOGS_DIR

# Unwrapped strings (like `msgcat --no-wrap`): one line per string gives clean diffs,
# and both polib (wrapwidth=0) and `msgmerge --no-wrap` reproduce our files exactly.
NO_WRAP = 0

_POLIB_LINE = re.compile(r"\(line (\d+)\)")


# A keyword line or continuation line must hold exactly one complete C string.
_STRING_LINE = re.compile(r'^(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')
_STRING_START = re.compile(r'^(?:#~\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?\s|")')


def _check_strings(text: str, path: Path) -> None:
    """polib silently drops an entry whose string lacks its closing quote; a
    translator's hand edit must be reported instead of lost."""
    for number, line in enumerate(text.splitlines(), start=1):
        if _STRING_START.match(line) and not _STRING_LINE.match(line):
            raise CatalogError("cannot parse PO file: malformed string (check quotes and escapes)", path, number)


def read_po(path: Path, data: bytes | None = None) -> polib.POFile:
    """Parse a PO file (or its bytes, already read); a broken file is reported with its
    line and left untouched."""
    try:
        text = (path.read_bytes() if data is None else data).decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError(f"not valid UTF-8 at byte offset {error.start}", path) from None
    except OSError as error:
        raise CatalogError(f"cannot read PO file: {error.strerror or error}", path) from None
    _check_strings(text, path)
    try:
        catalog = polib.pofile(text, encoding="utf-8", wrapwidth=NO_WRAP)
    except (OSError, ValueError) as error:
        message = str(error)
        match = _POLIB_LINE.search(message)
        line = int(match.group(1)) if match else None
        text = _POLIB_LINE.sub("", message).replace(" in po file", "").strip().rstrip(":")
        raise CatalogError(f"cannot parse PO file: {text}", path, line) from None
    catalog.fpath = str(path)
    return catalog


def serialize_po(catalog: polib.POFile) -> str:
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
