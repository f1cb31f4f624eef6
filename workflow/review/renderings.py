"""The English renderings of mined French terms (term_mining.py says how and why).

For each French term, the English phrases of (a deterministic sample of) its pairs are counted
once per pair; a phrase is a run of English content words with connectors inside, never starting
on a lower-case weak word ("against terrorism"), never starting or ending on a name, acronym or
number the French has outside the term, and holding a past participle only when the term has a
verb form. A phrase always followed by the same word in those pairs gives way to the longer one.
The survivors are scored by Dice (over all pairs, English frequencies counted once over the
archive) times length, cognate and word-order priors; the best is the usual rendering, close
runners-up that are alternative spellings of it are its variants, and every pair of the term is
then looked up for them (a substring test on the token strings).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from workflow.review.term_mining import (
    E_ACRONYM,
    E_CAPITAL,
    E_PARTICIPLE,
    E_WEAK,
    KIND,
    NAME,
    Candidates,
    Encoded,
    Progress,
    Rendering,
    TermRecord,
    occurrences_of,
    plain,
    similarity,
)


def _english_spans(
    chars: str, codes: bytes, frequent: set[str], width: int, max_tokens: int, parts
) -> Iterator[tuple[int, int, int]]:
    """(first, last, words) of every possible rendering with up to `width` content words."""
    n = len(chars)
    for a in range(n):
        code = codes[a]
        kind = code & KIND
        if kind < E_WEAK or (kind == E_WEAK and not code & E_CAPITAL):
            continue
        words = 0
        strong = False
        for b in range(a, min(n, a + max_tokens)):
            code = codes[b]
            kind = code & KIND
            if not kind or (b > a and chars[b - 1 : b + 1] not in frequent):
                break
            if kind < E_WEAK:
                continue
            lower_weak = kind == E_WEAK and not code & E_CAPITAL
            here = parts(chars[b])
            if not lower_weak:
                words += here
                strong = strong or kind > E_WEAK or bool(code & E_ACRONYM)
            if words > width:
                break
            if strong and not code & E_PARTICIPLE:  # a noun phrase does not end on a verb ("General visited")
                yield a, b, words + (here if lower_weak else 0)


def _acronym_signature(text: str) -> str:
    return "#" + "".join(sorted(text))


_PREFIX = 5  # letters two cognates share (septembre / September, nationale / national)


def _anchors(encoded: Encoded, n: int, i: int, j: int) -> set[str]:
    """What the French has outside the term: an English word equal to one of its names,
    acronyms or numbers translates that, not the term ("UN Secretary-General António
    Guterres"); so does an acronym with the same letters (OTAN / NATO) and a word sharing its
    first letters with a French word outside the term and none inside ("Summit in September"
    for "engagement pris … en septembre")."""
    chars, codes = encoded.fr[n], encoded.fr_codes[n]
    vocabulary = encoded.fr_vocabulary
    inside = set(chars[i : j + 1])  # a word of the term itself is no anchor ("la Convention … une Convention")
    inside_prefixes = {"~" + vocabulary.plain(c)[:_PREFIX] for c in inside}
    found: set[str] = set()
    for k, code in enumerate(codes):
        if (k >= i and k <= j) or chars[k] in inside or not code & KIND:
            continue
        plain = vocabulary.plain(chars[k])
        if code & NAME:
            found.add(plain)
            if len(plain) >= 2:
                found.add(_acronym_signature(plain))
        if len(plain) >= _PREFIX and code & KIND >= 3:
            found.add("~" + plain[:_PREFIX])
    return found - inside_prefixes


def _is_anchor(encoded: Encoded, n: int, k: int, anchors: set[str]) -> bool:
    char = encoded.en[n][k]
    plain = encoded.en_vocabulary.plain(char)
    if plain in anchors or (len(plain) >= _PREFIX and "~" + plain[:_PREFIX] in anchors):
        return True
    return bool(encoded.en_codes[n][k] & E_ACRONYM) and _acronym_signature(plain) in anchors


def _sample(items: list, size: int) -> list:
    if len(items) <= size:
        return items
    step = len(items) / size
    return [items[int(k * step)] for k in range(size)]


class _Pool:
    """The renderings of one term counted on its sampled pairs."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.free: Counter[str] = Counter()  # of them, pairs where no longer French candidate holds the term
        self.placed: Counter[str] = Counter()
        self.words: dict[str, int] = {}
        self.acronym: set[str] = set()
        self.capitalised: set[str] = set()  # holding a capitalised word or an acronym


def _pool(encoded: Encoded, key: str, sample: list[tuple[int, int, int, int]], participle: bool, width: int, settings: dict) -> _Pool:
    pool = _Pool()
    max_tokens = int(settings["max_english_tokens"])
    parts = encoded.en_vocabulary.parts
    for n, i, j, free in sample:
        chars, codes = encoded.en[n], encoded.en_codes[n]
        anchors = _anchors(encoded, n, i, j)
        where = (i + j) / 2 / max(len(encoded.fr[n]), 1)
        size = max(len(chars), 1)
        # Running counts of participles and capitals: "does the span hold one" in O(1).
        participles = _running(codes, E_PARTICIPLE) if not participle else None
        capitals = _running(codes, E_CAPITAL | E_ACRONYM)
        anchor_at: dict[int, bool] = {}
        seen: dict[str, float] = {}
        for a, b, words in _english_spans(chars, codes, encoded.en_frequent, width, max_tokens, parts):
            for k in (a, b):
                if k not in anchor_at:
                    anchor_at[k] = _is_anchor(encoded, n, k, anchors)
            if anchor_at[a] or anchor_at[b]:
                continue
            if participles is not None and participles[b + 1] > participles[a]:
                continue
            span = chars[a : b + 1]
            if span not in seen:
                # Sentence pairs run mostly in the same order: a rendering sits about where the term does.
                seen[span] = 1.0 - abs(where - (a + b) / 2 / size)
                previous = pool.words.get(span)
                pool.words[span] = words if previous is None else min(previous, words)
                if a == b and codes[a] & E_ACRONYM:
                    pool.acronym.add(span)
                if capitals[b + 1] > capitals[a]:
                    pool.capitalised.add(span)
        pool.counts.update(seen.keys())
        pool.placed.update(seen)
        if free:
            pool.free.update(seen.keys())
    return pool


def _running(codes: bytes, flags: int) -> list[int]:
    counts = [0]
    total = 0
    for code in codes:
        total += bool(code & flags)
        counts.append(total)
    return counts


def _undominated(counts: Counter[str], free: Counter[str]) -> dict[str, int]:
    """A phrase always followed by the same word where the term is ("Anti-Personnel Mine Ban" +
    "Convention") is part of the longer phrase, which has the same evidence: English noun
    phrases end on their head. Counted where the French term stands alone: inside a longer
    French term ("mines antipersonnel" in "Convention sur l'interdiction des mines
    antipersonnel") the words after it render the rest of that term."""
    dominated = {
        key[:m] for key in counts for m in range(1, len(key))
        if key[:m] in counts and free[key[:m]] and free[key[:m]] == free[key]
    }
    return {key: count for key, count in counts.items() if key not in dominated}


def _acronym_fit(french: str, english: str, english_is_acronym: bool) -> float:
    """French acronyms render as acronyms (OTAN → NATO, FAA → ASF), rarely spelt out."""
    if not english_is_acronym:
        return 0.3
    return 1.0 if sorted(plain(french)) == sorted(plain(english)) else 0.85


def _surface(encoded: Encoded, key: str, docs: list[int], lower_first: bool) -> str:
    """How to write a rendering: its most frequent spelling, in lower case when the French term
    is (a capital from a headline or a sentence start is not part of the term)."""
    forms: Counter[str] = Counter()
    for n in docs:
        position = encoded.en[n].find(key)
        if position < 0:
            continue
        tokens = encoded.english_tokens(n)
        target = encoded.docs[n][0].target
        forms[target[tokens[position].start : tokens[position + len(key) - 1].end]] += 1
        if sum(forms.values()) >= 12:
            break
    if not forms:
        return encoded.en_vocabulary.text(key)

    def rank(form: str) -> tuple:
        matches_case = form[:1].islower() == lower_first or form.split()[0].isupper()
        return (matches_case, forms[form], form)

    return max(forms, key=rank)


def _french_forms(encoded: Encoded, sample: list[tuple[int, int, int, int]]) -> Counter[str]:
    forms: Counter[str] = Counter()
    for n, i, j, _ in sample[:20]:
        tokens = encoded.french_tokens(n)
        forms[encoded.docs[n][0].source[tokens[i].start : tokens[j].end]] += 1
    return forms


def _french_form(key: str, forms: Counter[str], encoded: Encoded) -> str:
    """The most frequent form whose first word is its own lemma (the singular: glossary rows use
    the dictionary form), else the most frequent."""
    head = encoded.fr_vocabulary.plain(key[0])
    singular = [f for f in forms if plain(f.split()[0]) == head or f.split()[0].isupper()]
    pool = singular or list(forms)
    return max(pool, key=lambda f: (forms[f], f))


def render_terms(encoded: Encoded, candidates: Candidates, settings: dict, on_progress: Progress | None) -> list[TermRecord]:
    min_count = int(settings["min_count"])
    floor = float(settings["variant_floor"])
    sample_size = int(settings["sample_per_term"])
    extra = int(settings["max_extra_english_words"])
    fr_vocabulary = encoded.fr_vocabulary

    pools: dict[str, _Pool] = {}
    samples: dict[str, list[tuple[int, int, int, int]]] = {}
    french_words: dict[str, int] = {}
    total = len(candidates.terms)
    for n_term, key in enumerate(candidates.terms):
        words = sum(fr_vocabulary.parts(c) for c in key if _is_content(fr_vocabulary.words[ord(c)]))
        french_words[key] = words
        sample = samples[key] = _sample(list(occurrences_of(candidates.occurrences[key])), sample_size)
        pool = _pool(encoded, key, sample, key in candidates.participle, words + extra, settings)
        kept = Counter({k: c for k, c in pool.counts.items() if c >= min_count})
        if not _single_acronym(key, candidates):  # an acronym is rendered by itself (SPS, not "SPS Programme")
            kept = Counter(_undominated(kept, pool.free))
        pool.counts = kept
        pools[key] = pool
        if on_progress and (n_term % 200 == 0 or n_term + 1 == total):
            on_progress(n_term + 1, total, "pairing renderings")

    english_freq = _english_frequencies(encoded, pools, settings)

    records: list[TermRecord] = []
    for key in candidates.terms:
        record = _record(encoded, key, candidates, pools[key], samples[key], french_words[key], english_freq, min_count, floor)
        if record is not None:
            records.append(record)
    records.sort(key=lambda r: (-r.confidence, -r.best.count, r.french))
    return records


def _english_frequencies(encoded: Encoded, pools: dict[str, _Pool], settings: dict) -> Counter[str]:
    """Pairs holding each phrase that could be a rendering (the whole archive, once)."""
    wanted: set[str] = set()
    widest = 0
    for pool in pools.values():
        wanted.update(pool.counts)
        widest = max([widest, *(pool.words[k] for k in pool.counts)])
    freq: Counter[str] = Counter()
    max_tokens = int(settings["max_english_tokens"])
    parts = encoded.en_vocabulary.parts
    frequent = encoded.en_frequent
    for chars, codes in zip(encoded.en, encoded.en_codes, strict=True):
        found = {chars[a : b + 1] for a, b, _ in _english_spans(chars, codes, frequent, widest, max_tokens, parts)}
        freq.update(found & wanted)
    return freq


def _record(
    encoded: Encoded, key: str, candidates: Candidates, pool: _Pool, sample: list[tuple[int, int, int, int]],
    french_words: int, english_freq: Counter[str], min_count: int, floor: float,
) -> TermRecord | None:
    slot = candidates.occurrences[key]
    n_f = len(slot) // 4
    sampled = len(sample)
    forms = _french_forms(encoded, sample)
    shown = _french_form(key, forms, encoded)
    acronym = len(key) == 1 and shown.isupper()
    scored: list[tuple[float, float, float, str, str]] = []
    for e_key, count in pool.counts.items():
        text = encoded.en_vocabulary.text(e_key)
        dice = min(1.0, 2 * (count * n_f / sampled) / (n_f + max(english_freq[e_key], count)))
        length_prior = 1.0 / (1.0 + 0.35 * abs(pool.words[e_key] - french_words))
        diagonal = pool.placed[e_key] / count
        prior = (0.5 + 0.5 * similarity(shown, text)) * length_prior * (0.7 + 0.3 * diagonal)
        if acronym:
            prior *= _acronym_fit(shown, text, e_key in pool.acronym)
        elif key in candidates.named and e_key not in pool.capitalised:
            prior *= 0.5  # the name or acronym of the term is kept in English (délégation de l'OTAN: NATO delegation)
        scored.append((dice * prior, dice, prior, e_key, text))
    if not scored:
        return None
    scored.sort(key=lambda s: (-s[0], s[3]))
    best_score, best_dice, best_prior, best_key, best_text = scored[0]
    sample_docs = [n for n, *_ in sample]
    best_surface = _surface(encoded, best_key, sample_docs, shown[:1].islower())
    if len(key) == 1 and not acronym and best_surface.casefold() == shown.casefold():
        return None  # a one-word name written the same in English: nothing for a glossary
    variants = [
        e_key for score, _, _, e_key, text in scored[1:]
        if score >= floor * best_score and e_key not in best_key and best_key not in e_key
        and similarity(text, best_text) >= 0.6
    ]
    renderings_keys = [best_key, *variants]
    # Exact counts over every pair of the term: the first rendering found wins.
    found: list[tuple[int, str | None]] = []
    counts: Counter[str] = Counter()
    texts = {k: encoded.en_vocabulary.text(k) for k in renderings_keys}
    for n, *_ in occurrences_of(slot):
        english = encoded.en[n]
        hit = next((k for k in renderings_keys if k in english), None)
        found.append((n, texts[hit] if hit is not None else None))
        if hit is not None:
            counts[hit] += 1
    if counts[best_key] < min_count:
        return None
    surfaces = {best_key: best_surface}
    for k in variants:
        if counts[k]:
            holders = [n for n, hit in found if hit == texts[k]][:20]
            surfaces[k] = _surface(encoded, k, holders, shown[:1].islower())
    renderings = [Rendering(texts[k], surfaces[k], counts[k]) for k in renderings_keys if counts[k]]
    renderings.sort(key=lambda r: (r.key != texts[best_key], -r.count, r.key))
    share = counts[best_key] / n_f
    evidence = counts[best_key] / (counts[best_key] + 1)
    confidence = share * best_dice * evidence * min(1.0, best_prior)
    return TermRecord(
        key=fr_key_text(encoded, key), french=shown, pairs=n_f, renderings=renderings, dice=round(best_dice, 4),
        confidence=round(confidence, 4), french_forms=[f for f, _ in forms.most_common()], occurrences=found,
    )


def _single_acronym(key: str, candidates: Candidates) -> bool:
    return len(key) == 1 and key in candidates.acronyms


def fr_key_text(encoded: Encoded, key: str) -> str:
    return encoded.fr_vocabulary.text(key)


def _is_content(word: str) -> bool:
    from workflow.terms.forms import FUNCTION_WORDS

    return word not in FUNCTION_WORDS and not word[:1].isdigit()

