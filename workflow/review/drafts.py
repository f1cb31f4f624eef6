"""Machine drafts: knowing that a msgstr is still exactly what an engine wrote.

Each machine translation written into a catalog carries a fingerprint of its
msgid and msgstr in an extracted comment (`#. MT draft: 3f2a9c1b8d7e6f50 …`).
Extracted comments are the tool's notes: editors show them read-only, and the
tool keeps them across runs. A draft is *untouched* while it is fuzzy, its
msgstr still matches the fingerprint and no translator comment was added;
only such drafts may be replaced by a newer engine's output
(`workflow translate --refresh-mt`). A human edit changes the msgstr, a review
clears the fuzzy flag, a comment shows attention: each keeps the entry as it is.

An external `msgmerge` (Weblate's, say) replaces extracted comments with the
template's and so drops the fingerprint: those drafts are then left to humans,
which is the safe side.
"""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum

import polib

FINGERPRINT_PREFIX = "MT draft: "
_FINGERPRINT = re.compile(r"^MT draft: ([0-9a-f]{16})\b")
_MT_PROVENANCE = "MT: "


class DraftState(StrEnum):
    UNTOUCHED = "untouched"  # exactly the machine output, fuzzy, no translator comment: may be refreshed
    EDITED = "edited"  # a machine draft someone changed or commented on: kept
    UNKNOWN = "unknown"  # a machine draft written before fingerprints: cannot be told apart, kept


def fingerprint(msgid: str, msgstr: str) -> str:
    return hashlib.sha256(f"{msgid}\0{msgstr}".encode("utf-8")).hexdigest()[:16]


def fingerprint_note(msgid: str, msgstr: str) -> str:
    """The `#.` line written with every machine translation."""
    return f"{FINGERPRINT_PREFIX}{fingerprint(msgid, msgstr)} (replaced by `translate --refresh-mt` until edited)"


def draft_state(entry: polib.POEntry) -> DraftState | None:
    """How far a fuzzy machine draft is still the machine's; None for anything else
    (reviewed, empty, obsolete, or not from MT)."""
    if entry.obsolete or not entry.msgstr or "fuzzy" not in entry.flags:
        return None
    lines = entry.comment.splitlines()
    recorded = next((m.group(1) for line in lines if (m := _FINGERPRINT.match(line))), None)
    if recorded is None:
        return DraftState.UNKNOWN if any(line.startswith(_MT_PROVENANCE) for line in lines) else None
    if recorded != fingerprint(entry.msgid, entry.msgstr) or entry.tcomment.strip():
        return DraftState.EDITED
    return DraftState.UNTOUCHED
