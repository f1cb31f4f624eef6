"""French abbreviations written out before MT, or carried through it in English (rules as data).

Engines know words, not abbreviations: Apertium leaves "janv." and "gén." untouched, turns "col."
into "cabbage" and takes an abbreviation's period for a sentence end, so "le 28 févr. a eu lieu"
comes out "of the 28 [févr]. It has taken place". `data/abbreviations_fr_en.toml` says, for each
abbreviation and the context that makes it one (a date, a number, a name after it), either the
French word the engine should see instead (`expand`: "15 janv. 2019" → "15 janvier 2019", which the
date rules of protect.py then verify as "15 January 2019") or its English (`english_spans`: ranks
and titles before a name, "gén." → "General", protected like names by the carrier).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

_SPACE = "[ \u00a0\u202f]"
# What may follow a period that the abbreviation shares with the end of its sentence.
_SENTENCE_END = re.compile(r"[\s»”\"’')\]]*\Z")
# Before a word that opens its sentence (its written-out form takes a capital).
_OPENING = re.compile(r"(?:\A|[.!?…]\s+)[«“\"(\[\s]*$")


@dataclass(frozen=True)
class Abbreviation:
    """One abbreviation found in a text: text[start:end] and what it becomes."""

    start: int
    end: int
    text: str
    french: str | None  # the French word the engine sees instead
    english: str | None  # its English, carried as a protected span
    before_name: bool = False  # a rank or title: English drops the article before it


@dataclass(frozen=True)
class _Entry:
    pattern: re.Pattern[str]
    tests: tuple[tuple[re.Pattern[str] | None, re.Pattern[str] | None], ...]  # (before, after): any one suffices
    french: str | None
    english: str | None
    before_name: bool

    def fits(self, text: str, start: int, end: int) -> bool:
        if not self.tests:
            return True
        return any((before is not None and before.search(text, 0, start) is not None)
                   or (after is not None and after.match(text[end:]) is not None)
                   for before, after in self.tests)


def _form_pattern(form: str) -> str:
    """A form as a regular expression: first letter in either case, any space, either apostrophe,
    an optional period after a final letter, and no word glued to it on either side."""
    first = form[0]
    head = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" if first.lower() != first.upper() else re.escape(first)
    body = ""
    for char in form[1:]:
        body += _SPACE + "+" if char == " " else "['’]" if char in "'’" else re.escape(char)
    tail = r"\.?(?!\w)" if form[-1].isalnum() else ""
    return head + body + tail


@cache
def _entries() -> tuple[_Entry, ...]:
    data = tomllib.loads((files("workflow") / "data" / "abbreviations_fr_en.toml").read_text("utf-8"))
    contexts = {
        name: tuple((re.compile(t["before"]) if "before" in t else None, re.compile(t["after"]) if "after" in t else None)
                    for t in tests)
        for name, tests in data["when"].items()
    }
    entries = []
    for item in data["abbreviation"]:
        if ("french" in item) == ("english" in item):
            raise ValueError(f"abbreviations_fr_en.toml: {item['forms']} needs one of 'french' or 'english'")
        when = item.get("when")
        if when is not None and when not in contexts:
            raise ValueError(f"abbreviations_fr_en.toml: {item['forms']}: unknown context {when!r}")
        forms = sorted(item["forms"], key=len, reverse=True)
        pattern = re.compile(r"(?<![\w.\-])(?:" + "|".join(_form_pattern(f) for f in forms) + ")")
        entries.append(_Entry(pattern, contexts[when] if when else (), item.get("french"), item.get("english"),
                              when == "name"))
    return tuple(entries)


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Every abbreviation of the table in its context, in text order, the longest where two overlap
    ("gén. de div." over "gén.")."""
    candidates = []
    for entry in _entries():
        for m in entry.pattern.finditer(text):
            if entry.fits(text, m.start(), m.end()):
                candidates.append(Abbreviation(m.start(), m.end(), m.group(), entry.french, entry.english,
                                               entry.before_name))
    found: list[Abbreviation] = []
    for item in sorted(candidates, key=lambda a: (-(a.end - a.start), a.start)):
        if not any(f.start < item.end and item.start < f.end for f in found):
            found.append(item)
    return sorted(found, key=lambda a: a.start)


def expand(text: str) -> str:
    """The text with every abbreviation that has a French full form written out ("Env." opening a
    sentence → "Environ", "25 Sep. 2012" → "25 septembre 2012"); a period the abbreviation shared
    with the end of the sentence stays ("le 28 févr." → "le 28 février.")."""
    pieces: list[str] = []
    last = 0
    for found in find_abbreviations(text):
        if found.french is None:
            continue
        word = found.french
        if found.text[:1].isupper() and _OPENING.search(text, 0, found.start):
            word = word[:1].upper() + word[1:]
        if found.text.endswith(".") and _SENTENCE_END.match(text, found.end):
            word += "."
        pieces += [text[last:found.start], word]
        last = found.end
    pieces.append(text[last:])
    return "".join(pieces)


def english_spans(text: str) -> list[Abbreviation]:
    """Abbreviations rendered in English (ranks and titles before a name)."""
    return [a for a in find_abbreviations(text) if a.english is not None]


def ends_with_title(before: str) -> bool:
    """Whether `before` ends with a rank or title abbreviation and a space: the capitalised word
    that follows opens a name, not a sentence ("le gén. Jean Dupont")."""
    tail = before[-40:]  # the longest form is shorter
    spans = [a for a in english_spans(tail + "X") if a.before_name]
    return bool(spans) and tail[spans[-1].end:].strip(" \u00a0\u202f") == ""
