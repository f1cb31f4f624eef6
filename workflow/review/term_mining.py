"""Recurring French terms of the reviewed archive and how translators render them.

The pairs are already sentence-aligned, so a term's English rendering is found by
co-occurrence statistics rather than a word aligner: for each French candidate (terms/phrases.py)
every English phrase of the pairs that contain it is scored by the Dice coefficient of the two
(how exclusively they occur together), weighted by a length prior (a term of three content words
is rarely rendered by one or six), a cognate prior (character similarity, which NATO/UN names
and acronyms share: Union africaine / African Union, FIAS / ISAF) and a word-order prior. IBM-model
aligners (eflomal, fast_align) were not used: they need thousands of pairs before their word
links beat these counts, while a newsroom's reviewed work starts with a few dozen articles, and
they would add a compiled GPL dependency.

Boundaries matter more than scores on small archives, where many phrases co-occur with a term
every time: a French candidate that is nearly always extended to the right by a longer one
("Journée internationale" in "Journée internationale de la paix") is a fragment of it; a
surname repeated after the full name ("Fogh Rasmussen") is that name; "victimes des attaques
terroristes" is "victimes de" + a term. On the English side an English phrase always followed by
the same word within the term's pairs ("Anti-Personnel Mine Ban" + "Convention") gives way to
the longer one (same evidence, head-final English), a rendering never starts or ends on a name,
acronym or number the French has outside the term, and holds a past participle only when the
term has a verb form ("dangers posed by landmines" is not "mines terrestres").

Scale: every segment is encoded once as a string with one character per token (its word id), so
candidate spans are string slices, counted in hash tables, and "does this pair hold that
rendering" is a substring test: linear in the size of the archive. A French term seen more than
`sample_per_term` times is decided on a deterministic sample and its counts are then taken over
all its pairs.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from workflow.review.archive import ReviewedPair
from workflow.review.memory import normalise
from workflow.terms.phrases import (
    BARRIER,
    CONNECTOR,
    CONTENT,
    NUMBER,
    WEAK,
    Token,
    archive_settings,
    breaks_before,
    english_tokens,
    french_tokens,
    is_english_participle,
    is_participle,
    is_single_term,
    is_verb_form,
    joins_phrases,
    looks_like_participle,
)

Progress = Callable[[int, int, str], None]

# French token codes (low three bits) and flags. A verb form may end a term but not start one; a
# single name or acronym is a term by itself.
_BARRIER, _CONNECTOR, _NUMBER, _END_ONLY, _CONTENT, _SINGLE = 0, 1, 2, 3, 4, 5
KIND = 7
NAME = 8  # a capitalised word or a number: what the English keeps as it is
_UNLINKED = 16  # may not join the token before it (a title before a name)
_ACRONYM = 32
_JOINS = 128  # et/ou joining noun phrases: only inside a span holding a name before it
_PARTICIPLE_LIKE = 64  # ends like a participle (armé, improvisés): may be rendered by one (armed)
_ARTICLE_CONNECTORS = frozenset({"des", "du"})  # de + article
# English token codes and flags.
E_CONNECTOR, E_WEAK, E_CONTENT = 1, 3, 4
E_CAPITAL, E_PARTICIPLE, E_ACRONYM = 8, 16, 32
_BARRIER_CHAR = "\0"


@dataclass
class Rendering:
    key: str
    text: str  # the most frequent way it is written
    count: int  # distinct pairs holding the term and this rendering


@dataclass
class TermRecord:
    """What the archive says about one French term."""

    key: str
    french: str  # the form to show (singular when seen)
    pairs: int  # distinct pairs holding the term
    renderings: list[Rendering]  # the usual one first, then variants by count
    dice: float
    confidence: float
    french_forms: list[str] = field(default_factory=list)
    # Per distinct pair holding the term: index into MinedArchive.docs, and the rendering key
    # found there (None: none of the renderings, e.g. a pronoun or paraphrase).
    occurrences: list[tuple[int, str | None]] = field(default_factory=list)

    @property
    def best(self) -> Rendering:
        return self.renderings[0]


@dataclass
class MinedArchive:
    terms: list[TermRecord]
    # Distinct (normalised source, normalised target) pairs, each with the archive pairs it stands for.
    docs: list[list[ReviewedPair]]


class _Vocabulary:
    """Word keys as single characters (0 is kept for barriers, never part of a key)."""

    def __init__(self) -> None:
        self.chars: dict[str, str] = {}
        self.words: list[str] = [""]
        self._plain: list[str | None] = [None]
        self._parts: list[int] = [0]

    def char(self, word: str) -> str:
        found = self.chars.get(word)
        if found is None:
            if len(self.words) >= 0x110000:
                raise ValueError("more distinct words than a code point can number")
            found = self.chars[word] = chr(len(self.words))
            self.words.append(word)
            self._plain.append(None)
            self._parts.append(1 + word.count("-"))
        return found

    def text(self, key: str) -> str:
        return " ".join(self.words[ord(c)] for c in key)

    def plain(self, char: str) -> str:
        n = ord(char)
        found = self._plain[n]
        if found is None:
            found = self._plain[n] = plain(self.words[n])
        return found

    def parts(self, char: str) -> int:
        """Words a token counts for: hyphenated compounds by their parts (Secretary-General, États-Unis)."""
        return self._parts[ord(char)]


@lru_cache(maxsize=262144)
def _french_word_code(token: Token) -> int:
    """What a content word is by itself (the same wherever it stands; cached)."""
    if is_verb_form(token):
        code = _END_ONLY if is_participle(token) else _BARRIER
    else:
        code = _CONTENT
    if code and token.is_capitalised:
        code |= NAME
    if code and token.is_acronym:
        code |= _ACRONYM
    if code and looks_like_participle(token):
        code |= _PARTICIPLE_LIKE
    return code


def _french_code(token: Token, tokens: list[Token], index: int) -> int:
    if token.kind == CONTENT:
        code = _french_word_code(token._replace(start=0, end=0))
        if code & KIND == _CONTENT and is_single_term(tokens, index):
            code = (code & ~KIND) | _SINGLE
        if index and breaks_before(tokens, index):
            code |= _UNLINKED
        return code
    if token.kind == CONNECTOR:
        return _CONNECTOR | (_JOINS if joins_phrases(tokens, index) else 0)
    if token.kind == NUMBER:
        return _NUMBER | NAME
    return _BARRIER


def _encode_french(text: str, vocabulary: _Vocabulary) -> tuple[str, bytes]:
    tokens = french_tokens(text)
    codes = bytes(_french_code(t, tokens, k) for k, t in enumerate(tokens))
    chars = "".join(vocabulary.char(t.key) if code & KIND else _BARRIER_CHAR for t, code in zip(tokens, codes))
    return chars, codes


def _english_code(token: Token) -> int:
    kind = token.kind
    if kind == BARRIER:
        return 0
    if kind == CONNECTOR:
        return E_CONNECTOR
    if kind == NUMBER:
        return 2
    code = E_WEAK if kind == WEAK else E_CONTENT
    if token.is_capitalised:
        code |= E_CAPITAL
    if token.is_acronym:
        code |= E_ACRONYM
    if is_english_participle(token):
        code |= E_PARTICIPLE
    return code


def _encode_english(text: str, vocabulary: _Vocabulary) -> tuple[str, bytes]:
    tokens = english_tokens(text)
    codes = bytes(_english_code(t) for t in tokens)
    chars = "".join(vocabulary.char(t.key) if code else _BARRIER_CHAR for t, code in zip(tokens, codes))
    return chars, codes


def _adjacent(chars: str, codes: bytes, unlinked: int = 0) -> set[str]:
    """Adjacent token pairs that may sit in one span (a span can only be frequent if every
    adjacent pair inside it is)."""
    return {
        chars[k : k + 2] for k in range(len(chars) - 1)
        if codes[k] & KIND and codes[k + 1] & KIND and not codes[k + 1] & unlinked
    }


def _dedupe(pairs: Sequence[ReviewedPair]) -> list[list[ReviewedPair]]:
    """One document per distinct (source, target) once typography is set aside: a boilerplate
    sentence repeated in 300 articles is one piece of evidence, not 300."""
    docs: dict[tuple[str, str], list[ReviewedPair]] = {}
    for pair in pairs:
        key = (normalise(pair.source).casefold(), normalise(pair.target))
        docs.setdefault(key, []).append(pair)
    return list(docs.values())


@dataclass
class Encoded:
    """The archive as token strings: French and English per document."""

    docs: list[list[ReviewedPair]]
    fr: list[str]
    fr_codes: list[bytes]
    en: list[str]
    en_codes: list[bytes]
    fr_vocabulary: _Vocabulary
    en_vocabulary: _Vocabulary
    fr_frequent: set[str]
    en_frequent: set[str]
    _fr_tokens: dict[int, list[Token]] = field(default_factory=dict)
    _en_tokens: dict[int, list[Token]] = field(default_factory=dict)

    def french_tokens(self, n: int) -> list[Token]:
        return _cached(self._fr_tokens, n, lambda: french_tokens(self.docs[n][0].source))

    def english_tokens(self, n: int) -> list[Token]:
        return _cached(self._en_tokens, n, lambda: english_tokens(self.docs[n][0].target))


def _cached(cache: dict[int, list[Token]], n: int, make: Callable[[], list[Token]]) -> list[Token]:
    found = cache.get(n)
    if found is None:
        if len(cache) >= 4096:
            cache.clear()
        found = cache[n] = make()
    return found


def _encode(pairs: Sequence[ReviewedPair], min_count: int, on_progress: Progress | None) -> Encoded:
    docs = _dedupe(pairs)
    total = len(docs)
    fr_vocabulary, en_vocabulary = _Vocabulary(), _Vocabulary()
    fr: list[str] = []
    fr_codes: list[bytes] = []
    en: list[str] = []
    en_codes: list[bytes] = []
    fr_adjacent: Counter[str] = Counter()
    en_adjacent: Counter[str] = Counter()
    for n, group in enumerate(docs):
        chars, codes = _encode_french(group[0].source, fr_vocabulary)
        fr.append(chars)
        fr_codes.append(codes)
        fr_adjacent.update(_adjacent(chars, codes, _UNLINKED))
        chars, codes = _encode_english(group[0].target, en_vocabulary)
        en.append(chars)
        en_codes.append(codes)
        en_adjacent.update(_adjacent(chars, codes))
        if on_progress and (n % 2000 == 0 or n + 1 == total):
            on_progress(n + 1, total, "reading pairs")
    return Encoded(
        docs, fr, fr_codes, en, en_codes, fr_vocabulary, en_vocabulary,
        {k for k, c in fr_adjacent.items() if c >= min_count},
        {k for k, c in en_adjacent.items() if c >= min_count},
    )


# ---------------------------------------------------------------------------------------------
# French terms


def _french_positions(chars: str, codes: bytes, frequent: set[str], max_tokens: int, max_content: int):
    """(first, last, key) of every candidate span of one segment made of frequent adjacent pairs."""
    n = len(chars)
    for i in range(n):
        kind = codes[i] & KIND
        if kind < _CONTENT:
            continue
        if kind == _SINGLE:
            yield i, i, chars[i]
        content = 1
        named = bool(codes[i] & NAME)
        for j in range(i + 1, min(n, i + max_tokens)):
            code = codes[j]
            if not code & KIND or code & _UNLINKED or chars[j - 1 : j + 1] not in frequent:
                break
            if code & _JOINS and not named:
                break
            named = named or bool(code & NAME)
            if code & KIND >= _END_ONLY:
                content += 1
                if content > max_content:
                    break
                yield i, j, chars[i : j + 1]


@dataclass
class Candidates:
    terms: list[str]
    occurrences: dict[str, array]  # key → (doc, first, last, free) per document (occurrences_of)
    participle: set[str]  # terms with a verb form (conflits armés)
    acronyms: set[str]
    named: set[str]  # terms with a name or acronym after their first word (délégation de l'OTAN)


def _french_terms(encoded: Encoded, settings: dict) -> Candidates:
    min_count = int(settings["min_count"])
    min_free = int(settings["min_free"])
    min_free_share = float(settings["min_free_share"])
    max_tokens, max_content = int(settings["max_tokens"]), int(settings["max_content_words"])
    frequent = encoded.fr_frequent
    # Counted once per distinct French segment: one sentence translated twice (or revised) is
    # one piece of French evidence, and its every phrase is not a recurring term.
    doc_freq: Counter[str] = Counter()
    distinct: set[str] = set()
    for chars, codes in zip(encoded.fr, encoded.fr_codes, strict=True):
        if chars in distinct:
            continue
        distinct.add(chars)
        doc_freq.update({key for _, _, key in _french_positions(chars, codes, frequent, max_tokens, max_content)})
    del distinct
    candidates = {key for key, count in doc_freq.items() if count >= min_count}

    # Where each candidate occurs, and whether a longer candidate extends it to the right there:
    # a span nearly never seen without its continuation ("Force africaine" in "Force africaine
    # en attente") is part of that term, not a term.
    occurrences: dict[str, array] = {}
    free: Counter[str] = Counter()
    names: set[str] = set()
    capitalised: set[str] = set()
    participle: set[str] = set()
    acronyms: set[str] = set()
    named: set[str] = set()
    vocabulary = encoded.fr_vocabulary
    counted: set[str] = set()
    for n, (chars, codes) in enumerate(zip(encoded.fr, encoded.fr_codes, strict=True)):
        found = sorted(
            (i, j, key) for i, j, key in _french_positions(chars, codes, frequent, max_tokens, max_content)
            if key in candidates
        )
        reach = -1  # the furthest end of the spans starting at or before i
        ends: dict[int, int] = {}
        starts: dict[int, int] = {}  # the first start of the spans ending at j
        for i, j, _ in found:
            ends[i] = max(ends.get(i, -1), j)
            starts[j] = min(starts.get(j, i), i)
        first: set[str] = set()
        free_here: set[str] = set()
        k = 0
        for i, j, key in found:
            while k < len(found) and found[k][0] <= i:
                reach = max(reach, ends[found[k][0]])
                k += 1
            inside = reach > j or starts[j] < i  # some longer candidate holds it here
            extended = reach > j or (starts[j] < i and not _after_article(chars, codes, i, vocabulary))
            is_free = not extended or bool(i == j and codes[i] & _ACRONYM)  # an acronym is a term wherever it is
            if is_free:
                free_here.add(key)
            if key not in first:
                first.add(key)
                slot = occurrences.get(key)
                if slot is None:
                    slot = occurrences[key] = array("i")
                    span_codes = codes[i : j + 1]
                    if all(c & NAME for c in span_codes):
                        names.add(key)
                    if span_codes[0] & NAME:
                        capitalised.add(key)
                    if i == j and span_codes[0] & _ACRONYM:
                        acronyms.add(key)
                    if any(c & NAME and c & KIND != _NUMBER for c in span_codes[1:]) or span_codes[0] & _ACRONYM:
                        named.add(key)
                    if any(c & _PARTICIPLE_LIKE for c in span_codes[1:]):
                        participle.add(key)
                slot.extend((n, i, j, not inside))
        if chars not in counted:
            counted.add(chars)
            free.update(free_here)
    dominated = _surnames(names) | _compositional(candidates - capitalised, candidates, doc_freq, encoded.fr_vocabulary)
    terms = sorted(
        key for key in candidates
        if free[key] >= max(min_free, min_free_share * doc_freq[key]) and key not in dominated and not _juxtaposed(key, candidates, doc_freq)
    )
    return Candidates(terms, {key: occurrences[key] for key in terms}, participle, acronyms, named)


def _after_article(chars: str, codes: bytes, i: int, vocabulary: _Vocabulary) -> bool:
    """A noun phrase of its own starts here ("victimes des | attaques terroristes", "siège de
    l' | OTAN"): a longer span that only adds words before it does not make it a fragment."""
    if i < 1 or codes[i - 1] & KIND != _CONNECTOR:
        return False
    before = vocabulary.words[ord(chars[i - 1])]
    if before in ("des", "du"):
        return True
    return (
        before in ("le", "la", "les") and i >= 2 and codes[i - 2] & KIND == _CONNECTOR
        and vocabulary.words[ord(chars[i - 2])] == "de"
    )


def _surnames(names: set[str]) -> set[str]:
    """A name that ends a longer name ("Fogh Rasmussen", "Rasmussen" after "Anders Fogh
    Rasmussen") is a short reference to it, not a term of its own."""
    return {name[k:] for name in names for k in range(1, len(name)) if name[k:] in names}


def _compositional(
    lower: set[str], candidates: set[str], doc_freq: Counter[str], vocabulary: _Vocabulary
) -> set[str]:
    """"victimes des attaques terroristes", "danger des mines terrestres": one common noun,
    de + article, then a multi-word term seen at least as often: the term is the inner one.
    ("siège de l'OTAN", "maintien de la paix" stay: the inner part is one word; "Organisation
    des Nations Unies" stays: a capitalised head names an institution.)"""
    dropped: set[str] = set()
    for key in lower:
        if len(key) < 4:
            continue
        words = [vocabulary.words[ord(c)] for c in key]
        k = 1
        while k < len(words) and words[k] in _CONNECTOR_WORDS:
            k += 1
        connectors = words[1:k]
        has_article = any(w in _ARTICLE_CONNECTORS or w in ("le", "la", "les") for w in connectors)
        inner = key[k:]
        if (
            connectors and connectors[0] in ("de", "des", "du") and has_article and len(inner) >= 2
            and inner in candidates and doc_freq[inner] >= doc_freq[key]
        ):
            dropped.add(key)
    return dropped


_CONNECTOR_WORDS = frozenset({"de", "des", "du", "le", "la", "les"})


def _juxtaposed(span: str, candidates: set[str], doc_freq: Counter[str]) -> bool:
    """Two terms side by side ("secrétaire général de l'OTAN" + "Jens Stoltenberg") are not a
    term: the span splits into two candidates of two or more words each, each at least as frequent."""
    for cut in range(2, len(span) - 1):
        left, right = span[:cut], span[cut:]
        if left in candidates and right in candidates and doc_freq[left] >= doc_freq[span] <= doc_freq[right]:
            return True
    return False


def mine_archive(pairs: Sequence[ReviewedPair], on_progress: Progress | None = None) -> MinedArchive:
    from workflow.review.renderings import render_terms

    settings = {**archive_settings()["candidates"], **archive_settings()["suggest"]}
    encoded = _encode(pairs, int(settings["min_count"]), on_progress)
    candidates = _french_terms(encoded, settings)
    return MinedArchive(render_terms(encoded, candidates, settings, on_progress), encoded.docs)


# ---------------------------------------------------------------------------------------------
# Helpers shared with the rendering step and the consistency checks


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def similarity(a: str, b: str) -> float:
    """0–1 character similarity, case, accents and word order set aside (Union africaine /
    African Union; Secretary-General / Secretary General)."""
    return fuzz.token_sort_ratio(plain(a), plain(b)) / 100.0


def occurrences_of(slot: array) -> Iterator[tuple[int, int, int, int]]:
    """(document, first token, last token, 1 if no longer candidate holds it there)."""
    for k in range(0, len(slot), 4):
        yield slot[k], slot[k + 1], slot[k + 2], slot[k + 3]
