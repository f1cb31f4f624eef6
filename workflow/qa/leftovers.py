"""Source-language leftovers: French, or Apertium's pivot Spanish, words inside English.

Word language comes from word frequencies (workflow.source.lexicon, wordfreq): names
(capitalised), borrowed phrases ("coup d'état", "Chargé d'Affaires") and words that are also
English are spared. Three more kinds of evidence, for what frequencies alone miss:

* a copy: a lower-case word the French source has too needs less French frequency ("the
  travers of": French 5.1, English 3.1, where the general margin is 2);
* a dictionary: a word wordfreq hardly knows, in simplemma's French or Spanish lexicon and not
  in its English one, is foreign however rare ("apresamientos", "façonnons");
* position: a capitalised word that starts a sentence or a quotation is capitalised by its
  place, not as a name, unless the source has it ("Llama also the States…", "« Façonnons").

A whole sentence left in French is french_left.py's; « » are marks.py's.
"""

from __future__ import annotations

import re
from functools import cache

from workflow.qa.findings import Issue
from workflow.qa.french_left import looks_french, same_text
from workflow.qa.rules import issue, qa_rules
from workflow.source.lexicon import WORD, ForeignWord, foreign_words, loan_spans, word_language, zipf

_LANGUAGE_NAMES = {"fr": "French", "es": "Spanish"}
_LEXICON_LANGUAGES = ("fr", "es")
# What may stand between a sentence start and its first word: the start itself, a sentence end
# and spaces, an opening quote or bracket.
_ELIDED = re.compile(r"^[^\W\d_]{1,7}['’](?=[^\W\d_])")
_STARTS_SENTENCE = re.compile(r"(?:\A|[.!?:;]\s+|[«“\"‘(\[]\s*)\Z")


@cache
def _dictionary_language(word: str) -> str | None:
    """French or Spanish for a word only simplemma's lexicons know (wordfreq hardly does)."""
    import simplemma

    lower = word.lower()
    if zipf(lower, "en") > qa_rules().leftover["unlisted_max_english_zipf"] or simplemma.is_known(lower, lang="en"):
        return None
    for lang in _LEXICON_LANGUAGES:
        if simplemma.is_known(lower, lang=lang):
            return lang
    return None


def _copied_language(word: str, source_words: set[str]) -> str | None:
    """French for a copy of a source word that English dictionaries do not list ("travers"; not
    "manifestations", "allocution", "ensemble", which English has too)."""
    import simplemma

    settings = qa_rules().leftover
    if len(word) < settings["copied_min_length"] or word.casefold() not in source_words:
        return None
    french, english = zipf(word, "fr"), zipf(word, "en")
    if (french >= settings["copied_min_french_zipf"] and english < settings["copied_max_english_zipf"]
            and french - english >= settings["copied_margin"] and not simplemma.is_known(word.lower(), lang="en")):
        return "fr"
    return None


def _names_in(text: str) -> set[str]:
    """Capitalised words not capitalised by their place: names."""
    names = set()
    for m in WORD.finditer(text):
        word, start = m.group(), m.start()
        elided = _ELIDED.match(word)  # "d’Ústí", "l'OTAN"
        if elided:
            word, start = word[elided.end():], start + elided.end()
        if word[:1].isupper() and not _STARTS_SENTENCE.search(text[:start]):
            names.add(word.casefold())
    return names


def _more_leftovers(source: str, target: str, known: list[ForeignWord]) -> list[ForeignWord]:
    source_words = {w.casefold() for w in WORD.findall(source)}
    source_names = _names_in(source)
    taken = [(w.start, w.end) for w in known] + loan_spans(target)
    tokens = list(WORD.finditer(target))
    found = []
    for k, m in enumerate(tokens):
        token = m.group()
        if "'" in token or "’" in token or any(s <= m.start() < e for s, e in taken):
            continue
        if token[:1].islower():
            lang = _copied_language(token, source_words) or _dictionary_language(token)
        elif token[1:].islower() and _STARTS_SENTENCE.search(target[: m.start()]):
            following = tokens[k + 1].group() if k + 1 < len(tokens) else ""
            if token.casefold() in source_names or following[:1].isupper():
                continue  # a name of the source, or one of several words ("Rosa Parks")
            lang = word_language(token.lower()) or _dictionary_language(token)
        else:
            continue
        if lang is not None:
            found.append(ForeignWord(m.start(), m.end(), token, lang))
    return found


def check_leftover_words(source: str, target: str) -> list[Issue]:
    if same_text(source, target) or looks_french(target):
        return []  # already reported as untranslated or as a French sentence
    found = foreign_words(target)
    found = sorted(found + _more_leftovers(source, target, found), key=lambda w: w.start)
    if not found:
        return []
    by_language: dict[str, list[str]] = {}
    for word in found:
        by_language.setdefault(word.lang, [])
        if word.text not in by_language[word.lang]:
            by_language[word.lang].append(word.text)
    parts = [
        f"{_LANGUAGE_NAMES.get(lang, lang)} " + ", ".join(f"“{w}”" for w in words)
        for lang, words in sorted(by_language.items())
    ]
    return [issue("leftover.word", "source-language words left in the English: " + "; ".join(parts))]
