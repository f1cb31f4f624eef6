"""Consistency across the archive: a check family that looks at all files at once.

Per-entry checks see one segment; these see every reviewed translation of the files being
checked and of the translation memory (`workflow tm import-pair` imports, reviewed entries of
other PO files), as Xbench's and Verifika's inconsistency reports do:

* `consistency.same-source`: one French segment (case, spaces, apostrophes and numbers set
  aside) with different reviewed translations; every variant is listed with `file:line`;
* `consistency.same-target`: different French segments with the same translation, a
  possible copy-paste error; sources that are two wordings of one sentence are left alone;
* `consistency.term-variants`: a recurring French term outside the glossary whose usual
  rendering (review/term_mining.py) is respelt in an entry ("peace-keeping" for
  "peacekeeping", "Stand-by Force" for "Standby Force"): not another word, a fragment or an
  extension, not another acronym, not a name the French has besides the term, and not a
  spelling used again and again (a second house style, not a slip).

Ids and default severities are the QA registry's (data/qa_checks.toml). Findings go on the
entries of the checked files (a memory unit has no PO line to fix); the runner applies the
project's severities and `# qa-ignore: consistency.same-source` (or `consistency` for the whole
family) as for every check. Grouping is by hash keys, so the cost grows with the archive, not
with its square.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib
from rapidfuzz import fuzz

from workflow.qa.findings import Finding
from workflow.qa.registry import registry
from workflow.review.archive import Progress, ReviewedPair, entry_pair, memory_pairs
from workflow.review.memory import TranslationMemory, is_reviewed_translation, normalise
from workflow.review.term_mining import TermRecord, mine_archive, plain
from workflow.terms.glossary import Glossary
from workflow.terms.phrases import (
    archive_settings,
    english_spans,
    english_tokens,
    french_tokens,
    max_english_words,
)

SAME_SOURCE = "consistency.same-source"
SAME_TARGET = "consistency.same-target"
TERM_VARIANTS = "consistency.term-variants"
FAMILY = "consistency"

_NUMBER = re.compile(r"\d+(?:[  \u202f.,]\d+)*")
_QUOTES = str.maketrans({"“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"})
MAX_LISTED = 5  # references listed per variant; the rest are counted


def family_checks() -> tuple[str, ...]:
    """The family's ids as the QA registry (data/qa_checks.toml) lists them; their default
    severities live there, and a project changes them in workflow.toml [qa.severity] like any
    other check's (the runner applies that: workflow.qa.checks.check_paths)."""
    return tuple(cid for cid, info in registry().checks.items() if info.family == FAMILY)


def severity_of(check: str) -> str:
    return registry().severity(check)


@dataclass(frozen=True)
class _Seen:
    pair: ReviewedPair
    checked: bool = False  # an entry of a file being checked: findings can go on it


def _source_key(text: str) -> str:
    return _NUMBER.sub("0", normalise(text).translate(_QUOTES)).casefold()


def _target_text(text: str) -> str:
    return _NUMBER.sub("0", normalise(text).translate(_QUOTES))


def _quoted(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return "«" + (text if len(text) <= limit else text[: limit - 1] + "…") + "»"


def _places(seen: list[_Seen]) -> str:
    wheres = sorted(dict.fromkeys(s.pair.where for s in seen))
    more = f" and {len(wheres) - MAX_LISTED} more" if len(wheres) > MAX_LISTED else ""
    return ", ".join(wheres[:MAX_LISTED]) + more


class ConsistencyChecks:
    """The runner hook (workflow.qa.checks.check_paths): `collect` every entry of the checked
    files, then `findings` once, with the memory's units as further evidence."""

    def __init__(
        self,
        memory: TranslationMemory | None = None,
        glossary: Glossary | None = None,
        checks: Iterable[str] | None = None,
        on_progress: Progress | None = None,
    ):
        self.memory = memory
        self.glossary = glossary
        self.enabled = frozenset(checks) if checks is not None else frozenset(family_checks())
        self.on_progress = on_progress
        self.seen: list[_Seen] = []
        self.paths: list[Path] = []

    def collect(self, path: Path, entry: polib.POEntry) -> None:
        if not self.paths or self.paths[-1] != path:
            self.paths.append(path)
        if is_reviewed_translation(entry):
            self.seen.append(_Seen(entry_pair(path, entry), checked=True))

    def findings(self) -> list[Finding]:
        seen = list(self.seen)
        if self.memory is not None:
            seen += [_Seen(pair) for pair in memory_pairs(self.memory, self.paths)]
        findings: list[Finding] = []
        if SAME_SOURCE in self.enabled:
            findings += _same_source(seen)
        if SAME_TARGET in self.enabled:
            findings += _same_target(seen)
        if TERM_VARIANTS in self.enabled:
            findings += _term_variants(seen, self.glossary, self.on_progress)
        return findings


def _finding(seen: _Seen, check: str, message: str) -> Finding:
    pair = seen.pair
    assert pair.path is not None and pair.line is not None
    return Finding(pair.path, pair.line, check, severity_of(check), message, pair.source)


def _same_source(seen: list[_Seen]) -> list[Finding]:
    groups: dict[str, list[_Seen]] = defaultdict(list)
    for item in seen:
        groups[_source_key(item.pair.source)].append(item)
    findings: list[Finding] = []
    for group in groups.values():
        if len(group) < 2 or not any(s.checked for s in group):
            continue
        # Case counts in the English only where the French and its context are the same.
        exact = len({(normalise(s.pair.source), s.pair.context or "") for s in group}) == 1
        variants: dict[str, list[_Seen]] = defaultdict(list)
        for item in group:
            text = _target_text(item.pair.target)
            variants[text if exact else text.casefold()].append(item)
        if len(variants) < 2:
            continue
        for key, holders in variants.items():
            others = [(k, v) for k, v in variants.items() if k != key]
            listed = "; ".join(f"{_quoted(v[0].pair.target)} at {_places(v)}" for _, v in others)
            for item in holders:
                if item.checked:
                    message = (
                        f"the same French is translated {len(variants)} ways in the archive; "
                        f"other translation{'s' if len(others) > 1 else ''}: {listed}"
                    )
                    findings.append(_finding(item, SAME_SOURCE, message))
    return findings


def _same_target(seen: list[_Seen]) -> list[Finding]:
    settings = archive_settings()["consistency"]
    min_words = int(settings["same_target_min_words"])
    max_similarity = float(settings["same_target_max_source_similarity"])
    groups: dict[str, list[_Seen]] = defaultdict(list)
    for item in seen:
        if len(item.pair.target.split()) >= min_words:
            groups[_target_text(item.pair.target).casefold()].append(item)
    findings: list[Finding] = []
    for group in groups.values():
        if len(group) < 2 or not any(s.checked for s in group):
            continue
        sources: dict[str, list[_Seen]] = defaultdict(list)
        for item in group:
            sources[_source_key(item.pair.source)].append(item)
        if len(sources) < 2:
            continue
        for key, holders in sources.items():
            different = [
                v for k, v in sources.items()
                if k != key and fuzz.ratio(k, key) < max_similarity
            ]
            if not different:
                continue
            listed = "; ".join(f"{_quoted(v[0].pair.source)} at {_places(v)}" for v in different)
            for item in holders:
                if item.checked:
                    message = f"the same translation is used for different French (copied by mistake?): {listed}"
                    findings.append(_finding(item, SAME_TARGET, message))
    return findings


def _term_variants(seen: list[_Seen], glossary: Glossary | None, on_progress: Progress | None) -> list[Finding]:
    settings = archive_settings()["consistency"]
    min_occurrences = int(settings["term_min_occurrences"])
    min_share = float(settings["term_min_share"])
    floor = float(archive_settings()["suggest"]["min_confidence"])
    if not any(s.checked for s in seen):
        return []
    by_pair = {id(s.pair): s for s in seen}
    mined = mine_archive([s.pair for s in seen], on_progress)
    findings: list[Finding] = []
    for term in mined.terms:
        if term.pairs < min_occurrences or term.best.count / term.pairs < min_share or term.confidence < floor:
            continue
        if glossary is not None and _in_glossary(term, glossary):
            continue  # the glossary check owns its terms
        deviations: list[tuple[int, str]] = []
        for doc, hit in term.occurrences:
            if hit == term.best.key:
                continue
            pair = mined.docs[doc][0]
            variant = _near_variant(pair.source, pair.target, term)
            if variant is not None:
                deviations.append((doc, variant))
        counts = Counter(variant.casefold() for _, variant in deviations)
        # A spelling used again and again is the house style of some articles (UN
        # "Secretary-General", NATO "Secretary General"), not a slip: slips are rare (seen once,
        # or less than a quarter as often as the usual rendering).
        deviations = [
            (doc, variant) for doc, variant in deviations
            if counts[variant.casefold()] < 2 or counts[variant.casefold()] * 4 < term.best.count
        ]
        if not deviations:
            continue
        counts = Counter(variant for _, variant in deviations)
        seen_list = f"{term.best.text} ({term.best.count})" + "".join(
            f", {variant} ({n})" for variant, n in counts.most_common()
        )
        for doc, variant in deviations:
            for pair in mined.docs[doc]:
                item = by_pair[id(pair)]
                if item.checked:
                    message = (
                        f"{_quoted(term.french)} is rendered {_quoted(term.best.text)} in {term.best.count} of "
                        f"{term.pairs} reviewed pairs, here {_quoted(variant)}; renderings seen: {seen_list}"
                    )
                    findings.append(_finding(item, TERM_VARIANTS, message))
    return findings


def _in_glossary(term: TermRecord, glossary: Glossary) -> bool:
    return any(
        match.start == 0 and match.end == len(form)
        for form in dict.fromkeys([term.french, *term.french_forms])
        for match in glossary.scan(form)
    )


def _near_variant(source: str, target: str, term: TermRecord) -> str | None:
    """The phrase of `target` that is an alternative spelling of the usual rendering, if any:
    the same words written otherwise (peace-keeping / peacekeeping, Stand-by / Standby, a letter
    doubled, defense / defence), not a shorter or longer phrase (a fragment, "NATO-UN" for
    NATO), not another word ("Nations" for NATO), and not the rendering of a name or acronym the
    French has besides the term ("AUC" is the CUA of the sentence, not a variant of "AU")."""
    tokens = english_tokens(target)
    usual = _Usual(term.best.text)
    anchors = _french_anchors(source, term)
    best: tuple[float, str] | None = None
    for i, j in english_spans(tokens, max_english_words(usual.words)):
        key = " ".join(t.key for t in tokens[i : j + 1])
        if key == term.best.key:
            return None  # the usual rendering after all
        if _anchored(tokens[i], anchors) or _anchored(tokens[j], anchors):
            continue
        text = target[tokens[i].start : tokens[j].end]
        letters = _letters(text)
        if not usual.respelt_as(text, letters, key):
            continue
        score = fuzz.ratio(letters, usual.letters)
        if best is None or score > best[0]:
            best = (score, text)
    if best is None or _key(best[1]) == _key(usual.text):
        return None
    return best[1]


class _Usual:
    """The usual rendering, prepared once for the phrases of an entry."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.letters = _letters(text)
        self.key_letters = _letters(_key(text))
        self.words = len(english_tokens(text))
        self.parts = len(_WORD_PARTS.split(text.strip()))
        self.acronyms = _acronyms(text)

    def respelt_as(self, text: str, letters: str, key: str) -> bool:
        """The same letters once case, hyphens and spaces are set aside (peace-keeping), with
        inflection too (Stand-by Forces / Standby Force); or a letter or two changed, never a
        word more or less, never another acronym (UN for NATO)."""
        if letters == self.letters or _letters(key) == self.key_letters:
            return True
        return (
            len(letters) >= 5 and abs(len(letters) - len(self.letters)) <= 2
            and fuzz.ratio(letters, self.letters) >= _RESPELLING_RATIO
            and len(_WORD_PARTS.split(text.strip())) == self.parts and _acronyms(text) == self.acronyms
        )


def _letters(text: str) -> str:
    return "".join(c for c in plain(text) if c.isalnum())


def _key(text: str) -> str:
    return " ".join(t.key for t in english_tokens(text))


_WORD_PARTS = re.compile(r"[\s\-‐‑]+")


def _acronyms(text: str) -> list[str]:
    return [w for w in _WORD_PARTS.split(text) if len(w) >= 2 and w.isupper()]


_RESPELLING_RATIO = int(archive_settings()["consistency"]["term_variant_similarity"])


def _french_anchors(source: str, term: TermRecord) -> set[str]:
    inside = {plain(w) for w in term.key.split()}
    anchors: set[str] = set()
    for token in french_tokens(source):
        if token.kind == "content" and token.is_capitalised:
            key = plain(token.key)
            if key not in inside:
                anchors.add(key)
                anchors.add("#" + "".join(sorted(key)))
    return anchors


def _anchored(token, anchors: set[str]) -> bool:
    key = plain(token.key)
    return key in anchors or (token.is_acronym and "#" + "".join(sorted(key)) in anchors)
