"""Which language a word belongs to, from word-frequency data rather than typed-in lists.

wordfreq (Apache-2.0 code, CC-BY-SA data) gives the frequency of a word in English, French and
Spanish text; a word is foreign in English copy when it is clearly more frequent in French (or in
Spanish, Apertium's pivot) than in English. Thresholds are data in `data/lexicon.toml`. Shared by
language detection, the QA check for source-language leftovers and the draft repair after MT.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

# Letters, with inner hyphens and apostrophes ("vis-à-vis", "aujourd'hui"); elided articles split off.
WORD = re.compile(r"[^\W\d_]+(?:[-‑’'][^\W\d_]+)*")
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’](?=[^\W\d_])", re.IGNORECASE)


@dataclass(frozen=True)
class _Settings:
    min_zipf: float
    margin: float
    min_length: int
    unknown_in_english: float
    rare_min_zipf: float
    languages: tuple[str, ...]
    english_min_zipf: float
    spanish_letters: frozenset[str]
    french_letters: frozenset[str]
    unknown_max_zipf: float
    loans: re.Pattern[str] | None


@cache
def _settings() -> _Settings:
    data = tomllib.loads((files("workflow") / "data" / "lexicon.toml").read_text("utf-8"))
    foreign = data["foreign"]
    marks = data.get("diacritics", {})
    phrases = data.get("loans", {}).get("phrases", [])
    return _Settings(
        min_zipf=float(foreign["min_zipf"]),
        margin=float(foreign["margin"]),
        min_length=int(foreign["min_length"]),
        unknown_in_english=float(foreign["unknown_in_english"]),
        rare_min_zipf=float(foreign["rare_min_zipf"]),
        languages=tuple(foreign["languages"]),
        english_min_zipf=float(data["english"]["min_zipf"]),
        spanish_letters=frozenset(marks.get("spanish", "")),
        french_letters=frozenset(marks.get("french", "")),
        unknown_max_zipf=float(marks.get("max_zipf", 1.0)),
        loans=_loan_pattern(phrases),
    )


def _loan_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        parts.append(r"\s+".join(re.escape(w).replace("'", "['’]").replace("\\-", "[-‑]") for w in phrase.split()))
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(parts) + r")(?![^\W\d_])", re.IGNORECASE)


def loan_spans(text: str) -> list[tuple[int, int]]:
    """Spans of borrowed French phrases ("coup d'état", "Chargé d'Affaires") that English uses as its own."""
    pattern = _settings().loans
    return [m.span() for m in pattern.finditer(text)] if pattern is not None else []


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency of a word (case-folded) in a language; 0 for unknown words."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.casefold(), lang, wordlist="best")


def word_language(word: str) -> str | None:
    """"fr" or "es" for a word that is clearly French or Spanish rather than English, else None."""
    settings = _settings()
    if len(word) < settings.min_length:
        return None
    english = zipf(word, "en")
    if english >= settings.english_min_zipf:
        return None
    best, best_zipf = None, 0.0
    for lang in settings.languages:
        value = zipf(word, lang)
        clear = value >= settings.min_zipf and value - english >= settings.margin
        unknown_in_english = english <= settings.unknown_in_english and value >= settings.rare_min_zipf
        if (clear or unknown_in_english) and value > best_zipf:
            best, best_zipf = lang, value
    if best is None and english <= settings.unknown_max_zipf and word[:1].islower():
        best = _language_by_letters(word, settings)
    return best


def _language_by_letters(word: str, settings: _Settings) -> str | None:
    """A word no list knows, with letters English does not use ("distanciación")."""
    if any(zipf(word, lang) > settings.unknown_max_zipf for lang in settings.languages):
        return None
    lower = word.lower()
    if any(ch in settings.spanish_letters for ch in lower) and "es" in settings.languages:
        return "es"
    if any(ch in settings.french_letters for ch in lower) and "fr" in settings.languages:
        return "fr"
    return None


def is_english_word(word: str, min_zipf: float = 3.0) -> bool:
    """A word ordinary English text uses (for evidence, not for judging)."""
    return zipf(word, "en") >= min_zipf and word_language(word) is None


@dataclass(frozen=True)
class ForeignWord:
    start: int
    end: int
    text: str
    lang: str


def foreign_words(text: str, *, skip_capitalised: bool = True) -> list[ForeignWord]:
    """French or Spanish words in English text, with their offsets.

    Capitalised words are skipped by default (names: "Rosa", "Grabar"; a sentence-initial
    leftover is rare and its neighbours usually give it away); an elided French article
    ("l'OTAN", "d'un") counts as French whatever follows it; borrowed phrases ("coup d'état",
    "Chargé d'Affaires", data/lexicon.toml [loans]) are English; an unknown lower-case word
    with letters English does not use ("distanciación") is foreign.
    """
    found: list[ForeignWord] = []
    loans = loan_spans(text)
    for m in WORD.finditer(text):
        if any(s <= m.start() < e for s, e in loans):
            continue
        token, start = m.group(), m.start()
        elided = _ELISION.match(token)
        if elided:
            found.append(ForeignWord(start, start + elided.end(), token[: elided.end()], "fr"))
            token, start = token[elided.end() :], start + elided.end()
        if skip_capitalised and token[:1].isupper():
            continue
        lang = word_language(token)
        if lang is not None:
            found.append(ForeignWord(start, start + len(token), token, lang))
    return found


def english_evidence(text: str) -> tuple[int, int]:
    """(words clearly French or Spanish, words ordinary English uses) among lower-case words."""
    foreign = english = 0
    for m in WORD.finditer(text):
        token = m.group()
        if not token[:1].islower() or _ELISION.match(token):
            continue
        if word_language(token) is not None:
            foreign += 1
        elif is_english_word(token):
            english += 1
    return foreign, english


def leaning(text: str, margin: float = 1.0) -> tuple[int, int]:
    """(words clearly more French than English, words clearly more English than French), any case.

    For blocks without function words ("Ruined schools. Bombed hospitals."), where only the
    vocabulary can tell; names score in neither language and count for neither."""
    french = english = 0
    for m in WORD.finditer(text):
        token = m.group()
        if len(token) > 1 and token.isupper():
            continue  # acronyms: UN is not French "un"
        fr, en = zipf(token, "fr"), zipf(token, "en")
        if fr - en >= margin and fr >= _settings().min_zipf:
            french += 1
        elif en - fr >= margin and en >= _settings().min_zipf:
            english += 1
    return french, english
