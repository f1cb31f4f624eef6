"""Recurring French terms of the reviewed archive and how translators render them.

The pairs are already sentence-aligned, so a term's English rendering is found by
co-occurrence statistics rather than a word aligner: for each French candidate (terms/phrases.py)
every English phrase of the pairs that contain it is scored by the Dice coefficient of the two
(how exclusively they occur together), weighted by a length prior (a term of three content words
is rarely rendered by one or six) and a cognate prior (character similarity, which NATO/UN
names and acronyms share: Union africaine / African Union, FIAS / ISAF). IBM-model aligners
(eflomal, fast_align) were not used: they need thousands of pairs before their word links beat
these counts, while a newsroom's reviewed work starts with a few dozen articles, and they
would add a compiled GPL dependency. Everything is counted in passes over the pairs with
hash tables, linear in the size of the archive; a French term seen more than `sample_per_term`
times is decided on a deterministic sample and its counts are then taken over all its pairs.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
    english_spans,
    english_tokens,
    french_tokens,
    is_single_term,
    is_participle,
    is_verb_form,
    max_english_words,
)
from workflow.terms.forms import FUNCTION_WORDS

Progress = Callable[[int, int, str], None]

# French token codes kept per pair (compact: the archive can hold 100k+ pairs). A verb form may
# end a term but not start one; a single name or acronym is a term by itself.
_BARRIER, _CONNECTOR, _NUMBER, _END_ONLY, _CONTENT, _SINGLE = 0, 1, 2, 3, 4, 5


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


def _code(token: Token, tokens: list[Token], index: int) -> int:
    if token.kind == CONTENT:
        if is_verb_form(token):
            return _END_ONLY if is_participle(token) else _BARRIER
        return _SINGLE if is_single_term(tokens, index) else _CONTENT
    if token.kind == CONNECTOR:
        return _CONNECTOR
    if token.kind == NUMBER:
        return _NUMBER
    return _BARRIER


class _Vocabulary:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []

    def id(self, word: str) -> int:
        found = self.ids.get(word)
        if found is None:
            found = self.ids[word] = len(self.words)
            self.words.append(word)
        return found


def _dedupe(pairs: Sequence[ReviewedPair]) -> list[list[ReviewedPair]]:
    """One document per distinct (source, target) once typography is set aside: a boilerplate
    sentence repeated in 300 articles is one piece of evidence, not 300."""
    docs: dict[tuple[str, str], list[ReviewedPair]] = {}
    for pair in pairs:
        key = (normalise(pair.source).casefold(), normalise(pair.target))
        docs.setdefault(key, []).append(pair)
    return list(docs.values())


def mine_archive(pairs: Sequence[ReviewedPair], on_progress: Progress | None = None) -> MinedArchive:
    settings = archive_settings()["suggest"]
    min_count = int(settings["min_count"])
    docs = _dedupe(pairs)
    total = len(docs)
    vocabulary = _Vocabulary()

    # Pass 1: French tokens as compact codes; adjacent token pairs counted (a span can only be
    # frequent if every adjacent pair inside it is).
    ids: list[array] = []
    codes: list[bytes] = []
    names: list[tuple[tuple[int, str], ...]] = []
    adjacent: Counter[int] = Counter()
    for n, group in enumerate(docs):
        tokens = french_tokens(group[0].source)
        doc_ids = array("i", (vocabulary.id(t.key) for t in tokens))
        doc_codes = bytes(_code(t, tokens, i) for i, t in enumerate(tokens))
        ids.append(doc_ids)
        codes.append(doc_codes)
        names.append(tuple(
            (k, _plain(t.key)) for k, t in enumerate(tokens)
            if t.kind == NUMBER or (t.kind == CONTENT and t.text[:1].isupper())
        ))
        for i in range(len(doc_ids) - 1):
            if doc_codes[i] and doc_codes[i + 1]:
                adjacent[doc_ids[i] * 4_194_304 + doc_ids[i + 1]] += 1
        if on_progress and (n % 2000 == 0 or n + 1 == total):
            on_progress(n + 1, total, "reading French")
    frequent_adjacent = {k for k, c in adjacent.items() if c >= min_count}
    del adjacent

    # Pass 2: candidate spans made only of frequent adjacent pairs, counted once per document.
    doc_freq: Counter[tuple[int, ...]] = Counter()
    for doc_ids, doc_codes in zip(ids, codes, strict=True):
        for span in {span for _, _, span in _candidate_positions(doc_ids, doc_codes, frequent_adjacent)}:
            doc_freq[span] += 1
    candidates = {span for span, count in doc_freq.items() if count >= min_count}

    # Pass 3: where each candidate occurs, and whether some longer candidate covers it there: a
    # span never seen outside a longer one ("Force africaine" in "Force africaine en attente")
    # is part of that term, not a term.
    occurrences: dict[tuple[int, ...], list[tuple[int, int, int]]] = defaultdict(list)
    independent: Counter[tuple[int, ...]] = Counter()
    for n, (doc_ids, doc_codes) in enumerate(zip(ids, codes, strict=True)):
        found = [
            (i, j, span)
            for i, j, span in _candidate_positions(doc_ids, doc_codes, frequent_adjacent)
            if span in candidates
        ]
        first: dict[tuple[int, ...], tuple[int, int]] = {}
        free: set[tuple[int, ...]] = set()
        for i, j, span in found:
            first.setdefault(span, (i, j))
            if not any(a <= i and j <= b and (b - a) > (j - i) for a, b, _ in found):
                free.add(span)
        for span, (i, j) in first.items():
            occurrences[span].append((n, i, j))
        for span in free:
            independent[span] += 1
    terms = sorted(
        span for span in candidates
        if independent[span] >= 1 and not _juxtaposed(span, candidates, doc_freq)
    )
    del doc_freq
    french = _French(ids, codes, names, vocabulary.words)
    return MinedArchive(_render(terms, occurrences, docs, french, on_progress), docs)


@dataclass
class _French:
    ids: list[array]
    codes: list[bytes]
    names: list[tuple[tuple[int, str], ...]]  # capitalised words and numbers: (position, plain key)
    words: list[str]

    def anchors(self, n: int, i: int, j: int) -> set[str]:
        """Names, acronyms and numbers of the sentence outside the term: an English word equal
        to one of them translates it, not the term ("UN Secretary-General António Guterres")."""
        return {key for k, key in self.names[n] if k < i or k > j}


def _candidate_positions(doc_ids: array, doc_codes: bytes, frequent: set[int]):
    n = len(doc_ids)
    for i in range(n):
        if doc_codes[i] < _CONTENT:
            continue
        if doc_codes[i] == _SINGLE:
            yield i, i, (doc_ids[i],)
        for j in range(i + 1, n):
            if not doc_codes[j] or doc_ids[j - 1] * 4_194_304 + doc_ids[j] not in frequent:
                break
            if doc_codes[j] >= _END_ONLY:
                yield i, j, tuple(doc_ids[i : j + 1])


def _juxtaposed(span: tuple[int, ...], candidates: set[tuple[int, ...]], doc_freq: Counter) -> bool:
    """Two terms side by side ("secrétaire général de l'OTAN" + "Jens Stoltenberg") are not a
    term: the span splits into two candidates of two or more words each, each at least as frequent."""
    for cut in range(2, len(span) - 1):
        left, right = span[:cut], span[cut:]
        if left in candidates and right in candidates and doc_freq[left] >= doc_freq[span] <= doc_freq[right]:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# English renderings


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def similarity(a: str, b: str) -> float:
    """0–1 character similarity, case, accents and word order set aside (Union africaine /
    African Union; Secretary-General / Secretary General)."""
    return fuzz.token_sort_ratio(_plain(a), _plain(b)) / 100.0


def _acronym_fit(french: str, english: str) -> float:
    """French acronyms render as acronyms (OTAN → NATO, FAA → ASF), rarely spelt out."""
    if not english.isupper() or " " in english:
        return 0.3
    return 1.0 if sorted(_plain(french)) == sorted(_plain(english)) else 0.85


def _words(tokens: list[Token], i: int, j: int) -> int:
    """Content words, hyphenated compounds counted by their parts (Secretary-General, États-Unis)."""
    return sum(1 + t.text.count("-") + t.text.count("\u2011") for t in tokens[i : j + 1] if t.kind in (CONTENT, WEAK))


@dataclass
class _EnglishDoc:
    tokens: list[Token]
    keys: str  # " key key | key " with barriers kept, for presence tests


def _english(doc: list[ReviewedPair], cache: dict[int, _EnglishDoc], n: int) -> _EnglishDoc:
    found = cache.get(n)
    if found is None:
        tokens = english_tokens(doc[0].target)
        keys = " " + " ".join(t.key if t.kind != BARRIER else "|" for t in tokens) + " "
        found = cache[n] = _EnglishDoc(tokens, keys)
    return found


def _sample(items: list, size: int) -> list:
    if len(items) <= size:
        return items
    step = len(items) / size
    return [items[int(k * step)] for k in range(size)]


def _surface(forms: Counter[str], lower_first: bool) -> str:
    """How to write a rendering: its most frequent spelling, in lower case when the French term
    is (a capital from a headline or a sentence start is not part of the term)."""
    def rank(form: str) -> tuple:
        matches_case = form[:1].islower() == lower_first or form.split()[0].isupper()
        return (matches_case, forms[form], form)

    return max(forms, key=rank)


def _render(
    terms: list[tuple[int, ...]],
    occurrences: dict[tuple[int, ...], list[tuple[int, int, int]]],
    docs: list[list[ReviewedPair]],
    french: _French,
    on_progress: Progress | None,
) -> list[TermRecord]:
    settings = archive_settings()["suggest"]
    min_count = int(settings["min_count"])
    floor = float(settings["variant_floor"])
    sample_size = int(settings["sample_per_term"])
    english: dict[int, _EnglishDoc] = {}
    words = french.words

    # Co-occurrence counts on (a sample of) each term's documents.
    cooc: dict[tuple[int, ...], Counter[str]] = {}
    diagonal: dict[tuple[int, ...], dict[str, float]] = {}
    wanted: set[str] = set()
    for n_term, span in enumerate(terms):
        content = sum(1 + words[i].count("-") for i in span if _is_content_key(words[i]))
        width = max_english_words(content)
        counts: Counter[str] = Counter()
        placed: Counter[str] = Counter()
        for n, i, j in _sample(occurrences[span], sample_size):
            doc = _english(docs[n], english, n)
            anchors = french.anchors(n, i, j)
            where = (i + j) / 2 / max(len(french.ids[n]), 1)
            keys: dict[str, float] = {}
            for a, b in english_spans(doc.tokens, width):
                if _plain(doc.tokens[a].key) in anchors or _plain(doc.tokens[b].key) in anchors:
                    continue
                key = " ".join(t.key for t in doc.tokens[a : b + 1])
                # Sentence pairs run mostly in the same order: a rendering sits about where the term does.
                keys.setdefault(key, 1.0 - abs(where - (a + b) / 2 / max(len(doc.tokens), 1)))
            counts.update(keys.keys())
            placed.update(keys)
        cooc[span] = Counter({k: c for k, c in counts.items() if c >= min_count})
        diagonal[span] = {k: placed[k] / counts[k] for k in cooc[span]}
        wanted.update(cooc[span])
        if on_progress and (n_term % 200 == 0 or n_term + 1 == len(terms)):
            on_progress(n_term + 1, len(terms), "pairing renderings")

    # English document frequency of every phrase that could be a rendering, and how it is written.
    english_freq: Counter[str] = Counter()
    english_words: dict[str, int] = {}
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    widest = max((len(k.split()) for k in wanted), default=0)
    for n, doc_pairs in enumerate(docs):
        doc = _english(doc_pairs, english, n)
        seen: set[str] = set()
        for i, j in english_spans(doc.tokens, widest):
            key = " ".join(t.key for t in doc.tokens[i : j + 1])
            if key in wanted:
                if key not in seen:
                    seen.add(key)
                    english_freq[key] += 1
                # Fewest words it is written with (Secretary-General counts two, Secretary General too).
                words_here = _words(doc.tokens, i, j)
                english_words[key] = min(english_words.get(key, words_here), words_here)
                surfaces[key][doc_pairs[0].target[doc.tokens[i].start : doc.tokens[j].end]] += 1

    records: list[TermRecord] = []
    for span in terms:
        found_in = occurrences[span]
        n_f = len(found_in)
        sampled = min(n_f, sample_size)
        forms = _french_forms(span, found_in, docs, words)
        shown = _french_form(span, forms, words)
        key = " ".join(words[i] for i in span)
        french_words = sum(1 + words[i].count("-") for i in span if _is_content_key(words[i]))
        acronym = len(span) == 1 and shown.isupper()
        scored: list[tuple[float, float, float, str, str]] = []
        for e_key, c in cooc[span].items():
            text = _surface(surfaces[e_key], shown[:1].islower())
            dice = min(1.0, 2 * (c * n_f / sampled) / (n_f + english_freq[e_key]))
            length_prior = 1.0 / (1.0 + 0.35 * abs(english_words[e_key] - french_words))
            prior = (0.5 + 0.5 * similarity(shown, text)) * length_prior * (0.7 + 0.3 * diagonal[span][e_key])
            if acronym:
                prior *= _acronym_fit(shown, text)
            scored.append((dice * prior, dice, prior, e_key, text))
        if not scored:
            continue
        scored.sort(key=lambda s: (-s[0], s[3]))
        best_score, best_dice, best_prior, best_key, best_text = scored[0]
        if len(span) == 1 and not acronym and _plain(best_text) == _plain(shown):
            continue  # a one-word name written the same in English: nothing for a glossary
        variants = [
            key_ for score, _, _, key_, text in scored[1:]
            if score >= floor * best_score and not _overlaps(key_, best_key)
            and similarity(text, best_text) >= 0.6
        ]
        texts = {key_: text for _, _, _, key_, text in scored}
        renderings_keys = [best_key, *variants]
        # Exact counts over every document of the term: the first rendering found wins.
        found: list[tuple[int, str | None]] = []
        counts: Counter[str] = Counter()
        for n, _, _ in found_in:
            doc = _english(docs[n], english, n)
            hit = next((k for k in renderings_keys if f" {k} " in doc.keys), None)
            found.append((n, hit))
            if hit:
                counts[hit] += 1
        if counts[best_key] < min_count:
            continue
        renderings = [Rendering(k, texts[k], counts[k]) for k in renderings_keys if counts[k]]
        renderings.sort(key=lambda r: (r.key != best_key, -r.count, r.key))
        share = counts[best_key] / n_f
        evidence = counts[best_key] / (counts[best_key] + 1)
        confidence = share * best_dice * evidence * min(1.0, best_prior)
        records.append(TermRecord(
            key=key, french=shown, pairs=n_f, renderings=renderings, dice=round(best_dice, 4),
            confidence=round(confidence, 4), french_forms=[f for f, _ in forms.most_common()], occurrences=found,
        ))
    records.sort(key=lambda r: (-r.confidence, -r.best.count, r.french))
    return records


def _is_content_key(word: str) -> bool:
    return word not in FUNCTION_WORDS and not word[:1].isdigit()


def _overlaps(a: str, b: str) -> bool:
    """A sub- or super-phrase of the usual rendering is the same rendering, not a variant."""
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _french_forms(
    span: tuple[int, ...], found_in: list[tuple[int, int, int]], docs: list[list[ReviewedPair]], words: list[str]
) -> Counter[str]:
    """How the term is written (read from up to 50 of its sentences)."""
    forms: Counter[str] = Counter()
    for n, i, j in found_in[:50]:
        text = docs[n][0].source
        tokens = french_tokens(text)
        forms[text[tokens[i].start : tokens[j].end]] += 1
    return forms


def _french_form(span: tuple[int, ...], forms: Counter[str], words: list[str]) -> str:
    """The most frequent form whose first word is its own lemma (the singular: glossary rows use
    the dictionary form), else the most frequent."""
    head = _plain(words[span[0]])
    singular = [f for f in forms if _plain(f.split()[0]) == head or f.split()[0].isupper()]
    pool = singular or list(forms)
    return max(pool, key=lambda f: (forms[f], f))
