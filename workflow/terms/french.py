"""Finding glossary terms in French text, the way newsroom French writes them.

Every entry's French forms (forms.py) compiled into patterns; longest match wins, and
organisation-conditioned entries are resolved by organisation.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workflow.terms.entry import Entry, TermMatch, french_key
from workflow.terms.forms import french_pattern, inflected_forms
from workflow.terms.organisation import org_named_at


class Matcher:
    """Compiled French forms of one entry: explicit forms (fr, fr_variants) before generated ones."""

    def __init__(self, index: int, entry: Entry):
        self.index = index
        self.entry = entry
        explicit = list(entry.french_forms)
        generated: list[str] = []
        if entry.pos == "noun":
            for form in explicit:
                generated += inflected_forms(form)
        explicit_keys = {french_key(f) for f in explicit}
        generated = [g for g in dict.fromkeys(generated) if french_key(g) not in explicit_keys]
        self.explicit = _compile_alternation(explicit)
        self.generated = _compile_alternation(generated) if generated else None

    def finditer(self, text: str):
        """(start, end, rank) for each occurrence; rank 0 for an explicit form, 1 for a generated one."""
        for rank, pattern in enumerate((self.explicit, self.generated)):
            if pattern is not None:
                for m in pattern.finditer(text):
                    yield m.start(), m.end(), rank


def _compile_alternation(forms: Sequence[str]) -> re.Pattern[str]:
    # Longest forms first, so that the alternation itself prefers them.
    ordered = sorted(dict.fromkeys(forms), key=len, reverse=True)
    body = "|".join(french_pattern(f) for f in ordered)
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    rank: int
    index: int
    entry: Entry


def scan_with(matchers: Sequence[Matcher], text: str, default_org: str | None) -> list[TermMatch]:
    by_span: dict[tuple[int, int], list[_Candidate]] = {}
    for matcher in matchers:
        for start, end, rank in matcher.finditer(text):
            by_span.setdefault((start, end), []).append(_Candidate(start, end, rank, matcher.index, matcher.entry))
    chosen: list[_Candidate] = []
    for (start, end), candidates in by_span.items():
        pick = _resolve_context(candidates, text, end, default_org)
        if pick is not None:
            chosen.append(pick)
    chosen.sort(key=lambda c: (-(c.end - c.start), c.start, c.rank, c.index))
    taken: list[tuple[int, int]] = []
    accepted: list[_Candidate] = []
    for cand in chosen:
        if all(cand.end <= s or cand.start >= e for s, e in taken):
            taken.append((cand.start, cand.end))
            accepted.append(cand)
    accepted.sort(key=lambda c: c.start)
    return [TermMatch(c.entry.id, c.start, c.end, text[c.start:c.end], c.entry.fr, c.entry.en) for c in accepted]


def _resolve_context(candidates: list[_Candidate], text: str, end: int, default_org: str | None) -> _Candidate | None:
    candidates = sorted(candidates, key=lambda c: (c.rank, c.index))
    if all(c.entry.org is None for c in candidates):
        return candidates[0]
    org = org_named_at(text, end) or default_org
    if org is not None:
        for pool in ([c for c in candidates if c.entry.org == org], [c for c in candidates if c.entry.org is None]):
            if pool:
                return pool[0]
        return None
    unconditioned = [c for c in candidates if c.entry.org is None]
    return (unconditioned or candidates)[0]
