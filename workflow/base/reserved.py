"""Characters no PO or MO file can hold, shared by the article reader and the PO writer.

msgfmt silently cuts a string at NUL, and refuses EOT (U+0004), which MO files use to
join msgctxt and msgid ("context separator <EOT> within string"). Every other character,
controls included, round-trips through polib and gettext (found by tests/test_properties.py).
"""

from __future__ import annotations

import re

GETTEXT_RESERVED = {
    "\x00": "NUL character (U+0000): gettext cuts the string there",
    "\x04": "EOT character (U+0004): gettext reserves it to join msgctxt and msgid",
}
_RESERVED = re.compile("[" + "".join(GETTEXT_RESERVED) + "]")


def first_reserved(text: str) -> tuple[int, str] | None:
    """(offset, why) of the first character a PO file cannot hold, or None."""
    found = _RESERVED.search(text)
    return (found.start(), GETTEXT_RESERVED[found.group()]) if found else None
