"""Finding glossary terms in French text, the way newsroom French writes them.

Every entry's French forms (forms.py: explicit fr/fr_variants, then generated plurals and
feminines) are folded to keys (fold.py) and put in one Aho–Corasick automaton (pyahocorasick):
one pass over the folded text finds every candidate, and each candidate is verified with the
form's precise rules (forms.match_form) at a word boundary. Per entry, candidates are taken left
to right without overlap, each start trying the entry's forms longest first — exactly what the
per-entry regex alternation (`Matcher`, kept as the brute-force reference) finds, in one pass
instead of one pass per entry. Longest match wins across entries; organisation-conditioned
entries are resolved by organisation.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import NamedTuple

import ahocorasick

from workflow.terms.entry import Entry, TermMatch, french_key
from workflow.terms.fold import Folded, fold_key, folded, is_word_char
from workflow.terms.forms import Spec, form_spec, french_pattern, inflected_forms, match_form
from workflow.terms.organisation import org_named_at

EXPLICIT, GENERATED = 0, 1


def entry_forms(entry: Entry) -> tuple[list[str], list[str]]:
    """(explicit, generated) French forms, each in the order the matcher tries them (longest first)."""
    explicit = list(entry.french_forms)
    generated: list[str] = []
    if entry.pos == "noun":
        for form in explicit:
            generated += inflected_forms(form)
    explicit_keys = {french_key(f) for f in explicit}
    generated = [g for g in dict.fromkeys(generated) if french_key(g) not in explicit_keys]
    return _longest_first(explicit), _longest_first(generated)


def _longest_first(forms: Sequence[str]) -> list[str]:
    return sorted(dict.fromkeys(forms), key=len, reverse=True)


class Matcher:
    """One entry's forms as regexes: the brute-force reference the automaton is tested against."""

    def __init__(self, index: int, entry: Entry):
        self.index = index
        self.entry = entry
        explicit, generated = entry_forms(entry)
        self.explicit = _compile_alternation(explicit)
        self.generated = _compile_alternation(generated) if generated else None

    def finditer(self, text: str):
        """(start, end, rank) for each occurrence; rank 0 for an explicit form, 1 for a generated one."""
        for rank, pattern in enumerate((self.explicit, self.generated)):
            if pattern is not None:
                for m in pattern.finditer(text):
                    yield m.start(), m.end(), rank


def _compile_alternation(forms: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(french_pattern(f) for f in forms) + r")(?!\w)")


# A regex beats the character walk of match_form (~0.8 vs ~3 µs) but costs ~0.5 ms to compile:
# a form is compiled once it has been checked this many times.
COMPILE_AFTER = 64


class FormCheck:
    """The precise check of one French form at a position: forms.match_form, then its regex."""

    __slots__ = ("form", "_spec", "_regex", "_uses")

    def __init__(self, form: str):
        self.form = form
        self._spec: Spec | None = None
        self._regex: re.Pattern[str] | None = None
        self._uses = 0

    def end(self, text: str, pos: int) -> int | None:
        if self._regex is None:
            self._uses += 1
            if self._uses <= COMPILE_AFTER:
                if self._spec is None:
                    self._spec = form_spec(self.form)
                return match_form(self._spec, text, pos)
            self._regex = re.compile(french_pattern(self.form))
        m = self._regex.match(text, pos)
        return m.end() if m else None


# What a key stands for: (entry number, rank, place of the form in the entry's alternation, check).
Target = tuple[int, int, int, FormCheck]


def _order(target: Target) -> int:
    return target[2]


def verify(text: str, hits: Iterable[tuple[int, Iterable[Target]]]) -> list[tuple[int, int, int, int]]:
    """(entry number, rank, start, end) of the verified occurrences among (start, targets) hits.

    Per entry and rank, starts are tried left to right, skipping those inside the previous
    occurrence, and at each start the forms in alternation order: what re.finditer does with the
    entry's alternation, since every regex match folds to a key the automaton reports."""
    by_target: dict[tuple[int, int], dict[int, list[Target]]] = {}
    for start, targets in hits:
        if start:
            before = text[start - 1]
            if before.isalnum() or before == "_":
                continue
        for target in targets:
            starts = by_target.get(target[:2])  # type: ignore[call-overload]
            if starts is None:
                starts = by_target[target[:2]] = {}  # type: ignore[index]
            options = starts.get(start)
            if options is None:
                starts[start] = [target]
            else:
                options.append(target)
    found: list[tuple[int, int, int, int]] = []
    size = len(text)
    for (number, rank), starts in by_target.items():
        last_end = -1
        for start in sorted(starts) if len(starts) > 1 else starts:
            if start < last_end:
                continue
            options = starts[start]
            for target in sorted(options, key=_order) if len(options) > 1 else options:
                end = target[3].end(text, start)
                if end is not None and (end == size or not is_word_char(text[end])):
                    found.append((number, rank, start, end))
                    last_end = end
                    break
    return found


class FormIndex:
    """The French forms of a few thousand entries in one in-memory automaton (the house glossary)."""

    def __init__(self, entries: Sequence[tuple[int, Entry]]):
        self.entries = dict(entries)
        self._targets: list[list[Target]] = []
        self._lengths: list[int] = []
        key_ids: dict[str, int] = {}
        checks: dict[str, FormCheck] = {}
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for number, entry in entries:
            for rank, forms in enumerate(entry_forms(entry)):
                for order, form in enumerate(forms):
                    key = fold_key(form)
                    if key not in key_ids:
                        key_ids[key] = len(self._targets)
                        self._targets.append([])
                        self._lengths.append(len(key))
                        automaton.add_word(key, key_ids[key])
                    check = checks.get(form) or checks.setdefault(form, FormCheck(form))
                    self._targets[key_ids[key]].append((number, rank, order, check))
        self._automaton = automaton if key_ids else None
        if self._automaton is not None:
            self._automaton.make_automaton()

    def hits(self, flat: Folded) -> list[tuple[int, list[Target]]]:
        if self._automaton is None:
            return []
        lengths, targets = self._lengths, self._targets
        if flat.shrunk:
            return [(flat.original(end + 1 - lengths[key]), targets[key]) for end, key in self._automaton.iter(flat.text)]
        return [(end + 1 - lengths[key], targets[key]) for end, key in self._automaton.iter(flat.text)]

    def candidates(self, text: str) -> list[tuple[int, int, int, int]]:
        """(entry number, rank, start, end) of every occurrence of every entry."""
        return verify(text, self.hits(folded(text)))


class BruteForce:
    """Every entry's regex over the whole text: slow, obviously right; the reference for tests."""

    def __init__(self, entries: Sequence[tuple[int, Entry]]):
        self.entries = dict(entries)

    @cached_property
    def matchers(self) -> list[Matcher]:
        return [Matcher(number, entry) for number, entry in self.entries.items()]

    def candidates(self, text: str) -> list[tuple[int, int, int, int]]:
        return [(m.index, rank, start, end) for m in self.matchers for start, end, rank in m.finditer(text)]


class Span(NamedTuple):
    """A chosen occurrence: its span, then what breaks ties between equally long ones."""

    start: int
    end: int
    rank: int
    number: int


def scan_with(finder: FormIndex | BruteForce, text: str, default_org: str | None) -> list[TermMatch]:
    entries = finder.entries
    by_span: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for number, rank, start, end in finder.candidates(text):
        readings = by_span.get((start, end))
        if readings is None:
            by_span[start, end] = [(rank, number)]
        else:
            readings.append((rank, number))
    chosen: list[Span] = []
    for (start, end), readings in by_span.items():
        if len(readings) == 1 and entries[readings[0][1]].org is None:
            chosen.append(Span(start, end, *readings[0]))
            continue
        pick = _resolve_context(sorted(readings), entries, text, end, default_org)
        if pick is not None:
            chosen.append(Span(start, end, *pick))
    matches = []
    for span in longest_first(chosen):
        entry = entries[span.number]
        matches.append(TermMatch(entry.id, span.start, span.end, text[span.start:span.end], entry.fr, entry.en))
    return matches


def longest_first(chosen: Sequence[Span]) -> list[Span]:
    """Non-overlapping spans, longest first (then leftmost, rank, number), in text order.

    Spans that overlap nothing are kept as they are; the greedy choice runs inside each cluster of
    overlapping spans, which it cannot leave: linear in the text, not in its square."""
    ordered = sorted(chosen)
    accepted: list[Span] = []
    cluster: list[Span] = []
    reach = -1
    for span in ordered + [Span(1 << 62, 1 << 62, 0, 0)]:
        if span.start >= reach and cluster:
            accepted += cluster if len(cluster) == 1 else _greedy(cluster)
            cluster = []
        cluster.append(span)
        reach = max(reach, span.end)
    return accepted


def _greedy(cluster: list[Span]) -> list[Span]:
    taken: list[Span] = []
    for span in sorted(cluster, key=lambda c: (c.start - c.end, c.start, c.rank, c.number)):
        if all(span.end <= t.start or span.start >= t.end for t in taken):
            taken.append(span)
    return sorted(taken)


def _resolve_context(readings: list[tuple[int, int]], entries: dict[int, Entry], text: str, end: int,
                     default_org: str | None) -> tuple[int, int] | None:
    """The (rank, number) reading that fits the organisation named next to the term, or the article's."""
    orgs = [entries[number].org for _, number in readings]
    if all(org is None for org in orgs):
        return readings[0]
    org = org_named_at(text, end) or default_org
    if org is not None:
        for wanted in (org, None):
            for reading, reading_org in zip(readings, orgs):
                if reading_org == wanted:
                    return reading
        return None
    unconditioned = [r for r, o in zip(readings, orgs) if o is None]
    return (unconditioned or readings)[0]
