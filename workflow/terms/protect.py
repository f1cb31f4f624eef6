"""Spans of French that must reach the English unchanged, or changed only by rule.

Engines damage exactly what a reviewer must never miss: Apertium turns "Grabar" into "Record"
(a Spanish verb on the pivot), "Rose" into "Rosa", "15 %" into "15  0th"; neural engines drop or
reword numbers. `find_spans` lists what the carrier (carry.py) swaps for placeholders:

- proper names: runs of capitalised words not opening the sentence, none of them clearly French
  (word frequencies, workflow.source.lexicon; rules in data/protect_fr_en.toml), and names met
  elsewhere in the article;
- country and place names, in the English the organisations use (places.py: ISO 3166 + sourced
  house forms; "Côte d'Ivoire", "Kyiv", Turkey/Türkiye by the article's date);
- acronyms the glossary does not know, URLs and e-mail addresses, English quoted inside French;
- ranks and titles abbreviated before a name, in English ("gén." → "General"; abbreviations.py,
  which also writes out the abbreviations the engine should see in full before any of this);
- numbers written the French way, rewritten the English way (3 000 → 3,000; 1,5 → 1.5;
  15 h 30 → 15:30; 15 % → 15%).

`find_dates` lists French dates with their English form, for verification only: every engine
translates dates, and a placeholder would hide the preposition ("le 29 mai" → "on 29 May").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

from workflow.source.lexicon import WORD, leaning, zipf
from workflow.terms.abbreviations import english_spans, ends_with_title
from workflow.terms.places import find_places

NAME = "name"
ACRONYM = "acronym"
URL = "url"
EMAIL = "email"
QUOTE = "quote"
NUMBER = "number"
PLACE = "place"
TITLE = "title"  # a rank or title before a name: takes no article in English ("General Jean Dupont")
ABBREVIATION = "abbreviation"  # another abbreviation rendered in English ("n° 5" → "No. 5")
KINDS = (NAME, ACRONYM, URL, EMAIL, QUOTE, NUMBER, PLACE, TITLE, ABBREVIATION)

FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
_SPACE = "[ \u00a0\u202f]"
_FR_DATE = re.compile(r"(?<![\w,.])(?P<day>1er|[0-3]?\d)" + _SPACE + r"+(?P<month>" + "|".join(FR_MONTHS)
                      + r")(?:" + _SPACE + r"+(?P<year>\d{4}))?(?!\w)", re.IGNORECASE)
_SENTENCE_OPENING = re.compile(r"(?:\A|[.!?…:]\s+)[«“\"(\[—–\s-]*\Z")


@dataclass(frozen=True)
class Span:
    """French text[start:end] and the English it must become."""

    start: int
    end: int
    text: str
    english: str
    kind: str
    the: bool = False  # a place whose English name takes "the" (places.py)


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    text: str
    english: str  # "29 May 1948", "1 December"
    day: int
    month: int
    year: int | None


@dataclass(frozen=True)
class _Unit:
    unit: str
    space: bool
    before: bool


@dataclass(frozen=True)
class _Rules:
    french_min_zipf: float
    french_margin: float
    particles: frozenset[str]
    capital_particles: frozenset[str]
    leading_titles: frozenset[str]
    recurring: bool
    single_word_max_zipf: float
    acronym: re.Pattern[str]
    roman: re.Pattern[str]
    url: re.Pattern[str]
    email: re.Pattern[str]
    quotes: tuple[tuple[str, str], ...]
    quote_min_words: int
    numbers: tuple[tuple[str, re.Pattern[str]], ...]
    units: tuple[_Unit, ...]


@cache
def _rules() -> _Rules:
    data = tomllib.loads((files("workflow") / "data" / "protect_fr_en.toml").read_text("utf-8"))
    names, numbers = data["names"], data["numbers"]
    units = tuple(_Unit(u["unit"], bool(u.get("space", False)), bool(u.get("before", False)))
                  for u in numbers["units"])
    return _Rules(
        french_min_zipf=float(names["french_min_zipf"]),
        french_margin=float(names["french_margin"]),
        particles=frozenset(names["particles"]),
        capital_particles=frozenset(names["capital_particles"]),
        leading_titles=frozenset(names["leading_titles"]),
        recurring=bool(names["recurring"]),
        single_word_max_zipf=float(names["single_word_max_zipf"]),
        acronym=re.compile(data["acronyms"]["pattern"]),
        roman=re.compile(data["acronyms"]["roman"]),
        url=re.compile(data["links"]["url"]),
        email=re.compile(data["links"]["email"]),
        quotes=tuple((a, b) for a, b in data["quotes"]["pairs"]),
        quote_min_words=int(data["quotes"]["min_words"]),
        numbers=tuple((kind, re.compile(numbers[kind])) for kind in ("time", "thousands", "decimal")),
        units=units,
    )


# ---------------------------------------------------------------------------------------------
# Names


def is_clearly_french(word: str) -> bool:
    """A word far more frequent in French than in English: a common word or a French exonym."""
    rules = _rules()
    fr = zipf(word, "fr")
    return fr >= rules.french_min_zipf and fr - zipf(word, "en") >= rules.french_margin


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def _name_runs(text: str) -> Iterable[tuple[int, int, list[str]]]:
    """(start, end, words) of runs of capitalised words, lower-case particles allowed inside."""
    rules = _rules()
    words = list(WORD.finditer(text))
    i = 0
    while i < len(words):
        if not _capitalised(words[i].group()) or words[i].group() in rules.leading_titles:
            i += 1
            continue
        j = i
        while j + 1 < len(words):
            gap = text[words[j].end():words[j + 1].start()]
            nxt = words[j + 1].group()
            if gap not in (" ", "\u00a0"):
                break
            if _capitalised(nxt):
                j += 1
            elif (nxt in rules.particles and j + 2 < len(words) and _capitalised(words[j + 2].group())
                  and text[words[j + 1].end():words[j + 2].start()] in (" ", "\u00a0")):
                j += 2
            else:
                break
        yield words[i].start(), words[j].end(), [w.group() for w in words[i:j + 1]]
        i = j + 1


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start]
    if _SENTENCE_OPENING.search(before) is None:
        return False
    # "M. Fogh Rasmussen", "J. Smith", "le gén. Jean Dupont": the full stop of a title, a rank or an
    # initial ends no sentence.
    last = re.search(r"([^\W\d_]+)\.\s+\Z", before)
    return last is None or not (last.group(1) in _rules().leading_titles or len(last.group(1)) == 1
                                or ends_with_title(before))


def _is_name(words: Sequence[str]) -> bool:
    rules = _rules()
    capitals = [w for n, w in enumerate(words) if w not in rules.particles
                and not (w in rules.capital_particles and n + 1 < len(words))]
    if len(capitals) == 1 and zipf(capitals[0], "fr") >= rules.single_word_max_zipf:
        # "la Force africaine", "l'Union européenne": a common word heading a French name, which
        # the engine must see to reorder; a lone rare word ("Toft", "Grabar") is a name.
        return False
    return bool(capitals) and not any(is_clearly_french(w) for w in capitals)


@cache
def _courtesy_before() -> re.Pattern[str]:
    return re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, _rules().leading_titles)) + r")\.?\s+\Z")


def _after_title(text: str, start: int) -> bool:
    """Capitalised words after a courtesy title or a rank are a name, French words or not ("M. Jean-Yves
    Le Drian", "le col. Marchand")."""
    return _courtesy_before().search(text, 0, start) is not None or ends_with_title(text[:start])


def article_names(text: str) -> frozenset[str]:
    """Names used inside a sentence somewhere in the text: protected at a sentence start too."""
    found = set()
    for start, _end, words in _name_runs(text):
        if not _opens_sentence(text, start) and _is_name(words):
            found.add(" ".join(words))
    return frozenset(found)


# ---------------------------------------------------------------------------------------------
# Numbers and dates


def english_number(text: str, kind: str) -> str:
    """3 000 → 3,000; 3 000,5 → 3,000.5; 1,5 → 1.5; 15 h 30 → 15:30; 9 h → 9:00."""
    if kind == "time":
        m = re.match(r"(\d+)\D+(\d+)?", text)
        assert m is not None
        return f"{int(m.group(1))}:{m.group(2) or '00'}"
    whole, _, fraction = re.sub(r"[ \u00a0\u202f]", "", text).partition(",")
    if kind == "thousands":
        whole = f"{int(whole):,}"
    return whole + ("." + fraction if fraction else "")


def _numbers(text: str) -> list[Span]:
    rules = _rules()
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    units = "|".join(re.escape(u.unit) for u in sorted(rules.units, key=lambda u: -len(u.unit)))
    unit_after = re.compile(_SPACE + r"?(?P<unit>" + units + r")(?![\w])")
    plain = re.compile(r"(?<![\w,.])\d+(?![\w,.]\d)")
    candidates: list[tuple[str, re.Match[str]]] = [(kind, m) for kind, p in rules.numbers for m in p.finditer(text)]
    candidates += [("plain", m) for m in plain.finditer(text)]
    for kind, m in candidates:
        start, end = m.span()
        if any(s < end and start < e for s, e in taken):
            continue
        english = english_number(m.group(), kind) if kind != "plain" else m.group()
        unit = unit_after.match(text, end) if kind != "time" else None
        if unit is not None:
            spec = next(u for u in rules.units if u.unit == unit.group("unit"))
            end = unit.end()
            english = spec.unit + english if spec.before else english + (" " if spec.space else "") + spec.unit
        elif kind == "plain":
            continue  # a bare integer or year: every engine keeps it
        taken.append((start, end))
        spans.append(Span(start, end, text[start:end], english, NUMBER))
    return spans


def find_dates(text: str) -> list[DateSpan]:
    """French dates ("29 mai 1948", "1er décembre") and their house-style English ("1 December")."""
    found = []
    for m in _FR_DATE.finditer(text):
        day = 1 if m["day"] == "1er" else int(m["day"])
        if not 1 <= day <= 31:
            continue
        month = FR_MONTHS.index(m["month"].lower()) + 1
        year = int(m["year"]) if m["year"] else None
        english = f"{day} {EN_MONTHS[month - 1]}" + (f" {year}" if year else "")
        found.append(DateSpan(m.start(), m.end(), m.group(), english, day, month, year))
    return found


def english_has_date(text: str, date: DateSpan) -> bool:
    month = EN_MONTHS[date.month - 1]
    day = rf"{date.day}(?:st|nd|rd|th)?"
    year = rf",?\s+{date.year}" if date.year else ""
    pattern = rf"(?<!\d){day}\s+{month}{year}(?!\d)|{month}\s+{day}{year}(?!\d)"
    return re.search(pattern, text, re.IGNORECASE) is not None


# ---------------------------------------------------------------------------------------------


def _quotes(text: str) -> list[Span]:
    rules = _rules()
    spans = []
    for opening, closing in rules.quotes:
        pattern = re.compile(re.escape(opening) + r"[ \u00a0\u202f]*([^" + re.escape(opening + closing)
                             + r"\n]+?)[ \u00a0\u202f]*" + re.escape(closing))
        for m in pattern.finditer(text):
            inner = m.group(1)
            french, english = leaning(inner)
            if french == 0 and english >= 1 and len(WORD.findall(inner)) >= rules.quote_min_words:
                spans.append(Span(m.start(1), m.end(1), inner, inner, QUOTE))
    return spans


def find_spans(text: str, *, known_names: Iterable[str] = (), taken: Sequence[tuple[int, int]] = (),
               when: date | None = None, acronyms: Mapping[str, str] | None = None) -> list[Span]:
    """Spans to protect in one French segment, in text order, overlapping neither each other nor `taken`
    (the glossary's matches). `known_names`: names met elsewhere in the article (`article_names`);
    `when`: the article's date, for place names that changed (places.py); `acronyms`: French
    acronyms with the English the articles' own definitions give them (acronyms.py)."""
    rules = _rules()
    found: list[Span] = []
    occupied = list(taken)

    def add(span: Span) -> None:
        if span.end > span.start and not any(s < span.end and span.start < e for s, e in occupied):
            occupied.append((span.start, span.end))
            found.append(span)

    for kind, pattern in ((URL, rules.url), (EMAIL, rules.email)):
        for m in pattern.finditer(text):
            add(Span(m.start(), m.end(), m.group(), m.group(), kind))
    for span in _quotes(text):
        add(span)
    for span in _numbers(text):
        add(span)
    for title in english_spans(text):
        add(Span(title.start, title.end, title.text, title.english or "", TITLE if title.before_name else ABBREVIATION))
    for place in find_places(text, when):
        add(Span(place.start, place.end, place.text, place.english, PLACE, place.the))
    resolved = acronyms or {}
    for m in rules.acronym.finditer(text):
        if m.group() in resolved:
            add(Span(m.start(), m.end(), m.group(), resolved[m.group()], ACRONYM))
        # A French acronym ("OTAN", "ONU", "OMS") is left to the glossary and the engine, which know it.
        elif not rules.roman.match(m.group()) and not is_clearly_french(m.group()):
            add(Span(m.start(), m.end(), m.group(), m.group(), ACRONYM))
    known = set(known_names)
    for start, end, words in _name_runs(text):
        name = " ".join(words)
        if not _after_title(text, start) and ((_opens_sentence(text, start) and name not in known) or not _is_name(words)):
            # A sentence may open with a known name followed by more capitals ("Stoltenberg Toft"): rare, skipped.
            continue
        add(Span(start, end, text[start:end], text[start:end], NAME))
    found.sort(key=lambda s: s.start)
    return found
