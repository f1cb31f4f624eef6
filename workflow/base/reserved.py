"""Characters no PO or MO file can hold, shared by the article reader and the PO writer.

msgfmt silently cuts a string (and msgcat a comment) at NUL, and refuses EOT (U+0004) in
a string, where MO files use it to join msgctxt and msgid ("context separator <EOT>
within string"); in a comment EOT is harmless. Every other character, controls included,
round-trips through polib and gettext (found by tests/test_properties.py).
"""

from __future__ import annotations

import re

GETTEXT_RESERVED = {
    "\x00": "NUL character (U+0000): gettext cuts the string there",
    "\x04": "EOT character (U+0004): gettext reserves it to join msgctxt and msgid",
}
_RESERVED = re.compile("[" + "".join(GETTEXT_RESERVED) + "]")


_IN_COMMENTS = re.compile("\x00")


def first_reserved(text: str, *, comment: bool = False) -> tuple[int, str] | None:
    """(offset, why) of the first character a PO string (or, with `comment`, a comment)
    cannot hold, or None."""
    found = (_IN_COMMENTS if comment else _RESERVED).search(text)
    return (found.start(), GETTEXT_RESERVED[found.group()]) if found else None
