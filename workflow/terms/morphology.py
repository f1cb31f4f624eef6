"""French words no engine route knows, rebuilt from words it does: lemma, re-inflection, prefixes.

Apertium's analysers know every inflected form of the lemmas in their dictionaries, so a word they
leave untranslated is usually a lemma they lack ("coprésidés", "antipersonnel", "cyberattaques").
Two general ways round it, both rules as data (`data/leftovers_en.toml` [morphology]):

- the lemma (simplemma) goes through the routes and lexicons, and the English is put back in the
  French word's form: plural noun → English plural, past participle → English past participle,
  present participle → -ing (lemminflect, which knows irregular and British forms); a lexicon
  (a termbase, a dictionary) lists lemmas, so this is what makes one usable;
- a productive prefix ("co", "anti", "cyber", "primo"…) is split off, the stem translated as it
  stands (the routes inflect it themselves), and the English prefix joined back ("co-chaired").

This module only proposes what to ask (`queries`) and builds the English from an answer
(`english_for`); leftovers.py batches the asking, one engine call per route.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

from workflow.source.lexicon import WORD, word_language, zipf


_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]")


@dataclass(frozen=True)
class Prefix:
    fr: str
    en: str
    join: str  # "-", " " or "" (closed form only)


@dataclass(frozen=True)
class _Settings:
    english_min_zipf: float
    oov_min_zipf: float
    subject_pronouns: frozenset[str]
    stem_min_zipf: float
    stem_min_length: int
    past_participle: tuple[str, ...]
    present_participle: tuple[str, ...]
    plural: tuple[str, ...]
    infinitive: tuple[str, ...]
    participle_to_infinitive: tuple[tuple[str, str], ...]
    prefixes: tuple[Prefix, ...]


@cache
def _settings() -> _Settings:
    data = tomllib.loads((files("workflow") / "data" / "leftovers_en.toml").read_text("utf-8"))["morphology"]
    by_length = sorted(data["prefixes"], key=lambda p: -len(p[0]))  # stable: same-length rows keep their order
    return _Settings(
        float(data["english_min_zipf"]), float(data["oov_min_zipf"]), frozenset(data["subject_pronouns"]),
        float(data["stem_min_zipf"]), int(data["stem_min_length"]),
        _longest_first(data["past_participle"]), _longest_first(data["present_participle"]),
        tuple(data["plural"]), tuple(data["infinitive"]),
        tuple((a, b) for a, b in data["participle_to_infinitive"]),
        tuple(Prefix(fr, en, join) for fr, en, join in by_length),
    )


def _longest_first(endings: list[str]) -> tuple[str, ...]:
    return tuple(sorted(endings, key=len, reverse=True))


@lru_cache(maxsize=16384)
def lemma(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang="fr") if word.strip() else word


@lru_cache(maxsize=16384)
def _lemmatiser_knows(word: str) -> bool:
    import simplemma

    return bool(word.strip()) and simplemma.is_known(word, lang="fr")


def _is_french_word(word: str) -> bool:
    settings = _settings()
    return len(word) >= settings.stem_min_length and (
        _lemmatiser_knows(word) or zipf(word, "fr") >= settings.stem_min_zipf)


def bare(word: str) -> str:
    """The word in lower case without an elided article ("l’appui" → "appui")."""
    return _ELISION.sub("", word.lower())


def _is_verb(word: str) -> bool:
    return word.endswith(_settings().infinitive)


def analyse(word: str) -> tuple[str, str]:
    """(what to translate, the form to give its English): form is "plural", "past", "gerund",
    "base" (an infinitive) or "same". "coprésidés" → ("coprésider", "past"), "pandémies" →
    ("pandémie", "plural"), "officialisant" → ("officialiser", "gerund")."""
    settings = _settings()
    lower = bare(word)
    base = lemma(lower)
    past = next((e for e in settings.past_participle if lower.endswith(e)), None)
    if past is not None and base != lower:
        if _is_verb(base):
            return base, "past"
        for ending, infinitive in settings.participle_to_infinitive:
            verb = base[: len(base) - len(ending)] + infinitive
            if base.endswith(ending) and _lemmatiser_knows(verb):  # simplemma gave the participle itself
                return verb, "past"
    stripped = lower.rstrip("".join(settings.plural)) if lower.endswith(settings.plural) else lower
    if stripped.endswith(settings.present_participle) and _is_verb(base):
        return base, "gerund"
    if lower.endswith(settings.plural) and base != lower:
        return base, "plural"
    if lower.endswith("s") and not lower.endswith("ss") and not _lemmatiser_knows(lower):
        return lower[:-1], "plural"  # a word simplemma does not list ("cyberattaques"): its final s is a plural
    if base == lower and _is_verb(base):
        return base, "base"
    return base, "same"


@dataclass(frozen=True)
class Query:
    """One way to find the English of a leftover French word: translate `ask`, put the English in
    `form`, join `prefix` in front."""

    ask: str
    form: str
    prefix: Prefix | None = None

    def label(self) -> str:
        return f"{self.prefix.fr}+{self.ask}" if self.prefix else self.ask


def queries(word: str) -> list[Query]:
    """Ways to find the English of `word`, best first: its lemma; then, after each prefix it
    starts with, the stem as it stands and the stem's lemma."""
    found: list[Query] = []
    ask, form = analyse(word)
    lower = bare(word)
    if ask != lower:
        found.append(Query(ask, form))
    for prefix in _settings().prefixes:
        fr = prefix.fr.rstrip("-")
        if not lower.startswith(fr) or (prefix.fr.endswith("-") and lower[len(fr):len(fr) + 1] not in ("-", "‑")):
            continue
        stem = lower[len(fr):].lstrip("-‑")
        if len(stem) < _settings().stem_min_length or not (_is_french_word(stem) or _is_french_word(lemma(stem))):
            continue
        found.append(Query(stem, "same", prefix))
        stem_ask, stem_form = analyse(stem)
        if stem_ask != stem:
            found.append(Query(stem_ask, stem_form, prefix))
    return list(dict.fromkeys(found))


def _english_word(word: str) -> bool:
    return zipf(word, "en") >= _settings().english_min_zipf and word_language(word) is None


def inflect(english: str, form: str) -> str | None:
    """`english` (a lemma's translation) in `form`; None where that form cannot be made (a plural of
    "taking part"). Nouns take the plural on their last word, verbs the participle on their first."""
    import lemminflect

    words = english.split()
    if form in ("same", "base") or not words:
        return english.removeprefix("to ") if form == "base" else english
    if form == "plural":
        head = words[-1]
        known = lemminflect.getAllLemmas(head)
        if "NOUN" in known and known["NOUN"][0] != head:
            return english  # already plural
        if "NOUN" not in known and "ADJ" in known:
            return english  # English adjectives take no plural ("indicibles" → "unspeakable")
        if head.endswith("ing") and known.get("VERB", (head,))[0] != head:
            return english  # an -ing form stands for a French adjective in -ant ("chauffants" → "heating")
        before = [w for w in re.split(r"[\s\-‑]+", english)[:-1] if w]
        if any(w not in lemminflect.getAllLemmas(w).get("VERB", (w,)) for w in before):
            return None  # a verb phrase is no noun ("intervenant" → "taking part", "prime-taking part")
        last = lemminflect.getAllLemmas(re.split(r"[-‑]", head)[-1])
        if not known and last and "NOUN" not in last:
            return None  # "x-intervening" is no noun either
        forms = lemminflect.getInflection(head, "NNS", inflect_oov=False)
        if not forms and not known:
            # A word it does not list ("cyberattack"): regular rules, if English has the plural at all.
            forms = tuple(f for f in lemminflect.getInflection(head, "NNS") if zipf(f, "en") >= _settings().oov_min_zipf)
        return " ".join([*words[:-1], forms[0]]) if forms else None
    if words[0] == "to" and len(words) > 1:
        words = words[1:]
    tag = {"past": "VBN", "gerund": "VBG"}[form]
    head = words[0]
    known = lemminflect.getAllLemmas(head)
    if "VERB" in known and head in lemminflect.getInflection(known["VERB"][0], tag, inflect_oov=False):
        return " ".join(words)  # already in that form ("chaired")
    forms = lemminflect.getInflection(head, tag, inflect_oov=False) if "VERB" in known else ()
    return " ".join([forms[0], *words[1:]]) if forms else None


def english_for(query: Query, english: str) -> str | None:
    """The English for the leftover word from what `query.ask` was translated to, or None."""
    if english.split()[0].lower() in _settings().subject_pronouns:
        return None  # the route read the word as a finite verb ("valens" → "they cost")
    made = inflect(english, query.form)
    if made is None or query.prefix is None:
        return made
    if not WORD.fullmatch(made):
        return None  # "in" + "it attaches" is not "unit attaches"
    prefix = query.prefix
    closed = prefix.en + made
    if _english_word(closed):
        return closed
    return prefix.en + prefix.join + made if prefix.join else None
