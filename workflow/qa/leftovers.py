"""Source-language leftovers: French, or Apertium's pivot Spanish, words inside English.

Word language comes from word frequencies (workflow.source.lexicon, wordfreq): names
(capitalised), borrowed phrases ("coup d'état", "Chargé d'Affaires") and words that are also
English are spared. A whole sentence left in French is french_left.py's; « » are marks.py's.
"""

from __future__ import annotations

from workflow.qa.findings import Issue
from workflow.qa.french_left import looks_french, same_text
from workflow.qa.rules import issue
from workflow.source.lexicon import foreign_words

_LANGUAGE_NAMES = {"fr": "French", "es": "Spanish"}


def check_leftover_words(source: str, target: str) -> list[Issue]:
    if same_text(source, target) or looks_french(target):
        return []  # already reported as untranslated or as a French sentence
    found = foreign_words(target)
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
