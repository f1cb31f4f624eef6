"""French text folded for term search: one string the automaton can scan, offsets kept.

Folding erases exactly the differences the precise French rules (forms.py) may tolerate — case,
accents, the apostrophe, hyphen and space variants — so that any text the rules accept folds to
the same key as the term. Folding maps one character to one character (offsets stay valid); only
runs of horizontal spaces shrink to one, and `Folded.original` maps positions back. The folded
text finds candidates; forms.py decides.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from workflow.terms.entry import APOSTROPHES, HORIZONTAL_SPACES, HYPHENS


def is_word_char(ch: str) -> bool:
    """What `\\w` matches in a str pattern: the term boundaries of forms.py."""
    return ch.isalnum() or ch == "_"


def _one(candidate: str, fallback: str) -> str:
    return candidate if len(candidate) == 1 else fallback


def fold_char(ch: str) -> str:
    """One character folded: apostrophes to ', hyphens to -, spaces to ' ', letters to lower case
    without accents; never a non-word character to a word character (boundaries must not vanish)."""
    if ch in APOSTROPHES:
        return "'"
    if ch in HYPHENS:
        return "-"
    if ch in HORIZONTAL_SPACES:
        return " "
    upper = _one(ch.upper(), ch)
    lower = _one(upper.lower(), upper)
    decomposed = unicodedata.normalize("NFD", lower)
    base = decomposed[0] if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]) else lower
    base = _one(base.lower(), base)
    if is_word_char(base) and not is_word_char(ch):
        return ch
    return base


class _FoldTable(dict):
    """Folded form of each non-ASCII character met so far (computed once per character)."""

    def __missing__(self, ch: str) -> str:
        folded = self[ch] = fold_char(ch)
        return folded


_TABLE = _FoldTable()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SPACE_RUN = re.compile(" {2,}")


def _fold_non_ascii(match: re.Match[str]) -> str:
    return _TABLE[match.group()]


def fold(text: str) -> str:
    """`text` folded character by character (same length)."""
    lower = text.lower()
    if len(lower) != len(text):  # a character whose lower case is longer ("İ"): the slow way
        return "".join(_TABLE[c] if not c.isascii() else fold_char(c) for c in text)
    lower = lower.replace("\t", " ")
    return lower if lower.isascii() else _NON_ASCII.sub(_fold_non_ascii, lower)


def fold_key(form: str) -> str:
    """The key of a French form: folded words joined by one space (what `Folded.text` holds for it)."""
    return fold(" ".join(form.split()))


@dataclass(frozen=True)
class Folded:
    """Folded text with space runs shrunk to one; `original(pos)` maps a position back."""

    text: str
    _runs: tuple[int, ...] = ()  # folded positions just after each shrunk run
    _removed: tuple[int, ...] = ()  # characters removed up to and including that run

    @property
    def shrunk(self) -> bool:
        return bool(self._runs)

    def original(self, pos: int) -> int:
        if not self._runs:
            return pos
        i = bisect_right(self._runs, pos) - 1
        return pos + (self._removed[i] if i >= 0 else 0)


def folded(text: str) -> Folded:
    flat = fold(text)
    if "  " not in flat:
        return Folded(flat)
    runs: list[int] = []
    removed: list[int] = []
    pieces: list[str] = []
    total = last = 0
    for m in _SPACE_RUN.finditer(flat):
        pieces += [flat[last:m.start()], " "]
        total += m.end() - m.start() - 1
        runs.append(m.start() + 1 - (total - (m.end() - m.start() - 1)))
        removed.append(total)
        last = m.end()
    pieces.append(flat[last:])
    return Folded("".join(pieces), tuple(runs), tuple(removed))
