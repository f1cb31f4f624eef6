"""Tell French blocks from English ones.

nato.int French pages carry English photo captions verbatim; those must pass
through untouched instead of being machine-translated. Function words and
French-only letters are counted (rules as data in `data/language_fr_en.toml`);
a block is English only when the English evidence strictly outweighs the French.
On a tie (no function words at all), word frequencies decide (source/lexicon.py);
a block with no evidence at all (a date, a code, a name) stays with the article's language.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from workflow.source.lexicon import leaning

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class _Evidence:
    french_words: frozenset[str]
    french_letters: frozenset[str]
    english_words: frozenset[str]


@cache
def _evidence() -> _Evidence:
    data = tomllib.loads((files("workflow") / "data" / "language_fr_en.toml").read_text("utf-8"))
    return _Evidence(
        french_words=frozenset(data["fr"]["words"]),
        french_letters=frozenset(data["fr"]["letters"]),
        english_words=frozenset(data["en"]["words"]),
    )


def language_scores(text: str) -> tuple[int, int]:
    """(French evidence, English evidence). Acronyms are skipped: UN is not French 'un'."""
    evidence = _evidence()
    words = [w.lower() for w in _WORD.findall(text) if not (len(w) > 1 and w.isupper())]
    french = sum(w in evidence.french_words for w in words)
    french += sum(ch in evidence.french_letters for ch in text.lower())
    english = sum(w in evidence.english_words for w in words)
    return french, english


def detect_language(text: str, default: str = "fr") -> str:
    """Function words decide; on a tie, the vocabulary (word frequencies); else `default`."""
    for french, english in (language_scores(text), leaning(text)):
        if english > french:
            return "en"
        if french > english:
            return "fr"
    return default
