"""Country and place names the way NATO and the UN write them in English.

Engines get these wrong in ways a reviewer must catch: Apertium writes "Ivory Coast" for
"Côte d'Ivoire" (the UN and ISO keep the French form), "Kiev" for "Kyiv", "of the Turkey" for "de la
Turquie". The bulk is ISO 3166-1 with its French translations (the `pycountry` package: Debian's
iso-codes data and gettext catalogues), each French form paired with the English form it
translates; `data/places_fr_en.toml` adds the English article, dated names (Turkey → Türkiye from
June 2022) and cities, each with its source. `find_places` gives the spans protect.py carries
through the engine as placeholders; the carrier puts "the" where the English name takes it.
"""

from __future__ import annotations

import gettext
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

from workflow.terms.entry import APOSTROPHES, HYPHENS
from workflow.terms.forms import FUNCTION_WORDS

_GAP = "[ \u00a0\u202f]+"
_CAPITAL_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Place:
    fr: str
    en: str
    the: bool  # the English name takes "the"
    before: tuple[date, str] | None = None  # (cut-off, English used before it)
    source: str = ""

    def english(self, when: date | None = None) -> str:
        if self.before is not None and when is not None and when < self.before[0]:
            return self.before[1]
        return self.en


@dataclass(frozen=True)
class PlaceSpan:
    start: int
    end: int
    text: str
    english: str
    the: bool


_LINKS = ("de", "du", "des", "d'", "d’", "of", "the")


def _turned(name: str, french: bool = False) -> str:
    """ISO's inverted forms the right way round: "Korea, Republic of" → "Republic of Korea";
    a French adjective moved to the end is lower-cased ("République arabe syrienne")."""
    head, comma, tail = name.partition(", ")
    if not comma:
        return name
    tail = tail.strip()
    if french and not tail.lower().endswith(_LINKS):
        head = head[:1].lower() + head[1:]
    joiner = "" if tail.endswith(("'", "’")) else " "
    return f"{tail}{joiner}{head}"


def _takes_the(english: str, heads: Sequence[str], with_article: Sequence[str]) -> bool:
    if english.split()[:1] in (["The"], ["the"]) or english in with_article:
        return True
    return any(h in english.split() or (" " in h and h in english) for h in heads)


def _strip_the(name: str) -> str:
    """Without a leading article: "the State of Palestine", "L'État de Palestine"."""
    return re.sub(r"^(?:The |the |L['’]|La |Le |Les )", "", name)


@cache
def _settings() -> dict:
    return tomllib.loads((files("workflow") / "data" / "places_fr_en.toml").read_text("utf-8"))


@cache
def places() -> tuple[Place, ...]:
    """Every known French form with its English, overrides first (they win over ISO)."""
    data = _settings()
    heads = tuple(data["english"]["article_heads"])
    plural = tuple(data["english"]["with_article"])
    found: dict[str, Place] = {}
    for item in data.get("place", []):
        before = item.get("before")
        dated = (date.fromisoformat(before["date"]), before["en"]) if before else None
        english = item["en"]
        the = bool(item.get("the", _takes_the(english, heads, plural)))
        for fr in item["fr"]:
            found.setdefault(fr, Place(fr, _strip_the(english), the, dated, item.get("source", "")))
    for fr, en in _iso_pairs(tuple(data["iso"]["fields"])):
        fr = _strip_the(fr)
        if fr not in found:
            found[fr] = Place(fr, _strip_the(en), _takes_the(en, heads, plural), None, "ISO 3166-1 (pycountry)")
    return tuple(found.values())


def _iso_pairs(fields: Sequence[str]) -> Iterable[tuple[str, str]]:
    try:
        import pycountry
    except ImportError:  # a trimmed install: overrides only
        return []
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    pairs = []
    for country in pycountry.countries:
        for field in fields:
            english = getattr(country, field, None)
            if not english:
                continue
            pairs.append((_turned(french.gettext(english), french=True), _turned(english)))
    return pairs


def _form_pattern(form: str) -> str:
    out = []
    for ch in form:
        if ch in APOSTROPHES:
            out.append("[" + re.escape(APOSTROPHES) + "]")
        elif ch in HYPHENS:
            out.append("[" + re.escape(HYPHENS) + "]")
        elif ch == " ":
            out.append(_GAP)
        else:
            out.append(re.escape(ch))
    return "".join(out)


@cache
def _matcher() -> tuple[re.Pattern[str], dict[str, Place]]:
    table = places()
    by_key = {_key(p.fr): p for p in table}
    forms = sorted((p.fr for p in table), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w'’‑-])(?:" + "|".join(_form_pattern(f) for f in forms) + r")(?![\w‑-])")
    return pattern, by_key


def _key(text: str) -> str:
    for ch in APOSTROPHES:
        text = text.replace(ch, "'")
    for ch in HYPHENS:
        text = text.replace(ch, "-")
    return re.sub(r"\s+", " ", text)


def _touches_capital(text: str, start: int, end: int) -> bool:
    """Another capitalised word right before or after: part of a longer name ("Maurice Dupont",
    "Jean Maurice"); a capitalised article or preposition opening the sentence does not count."""
    after = re.match(r"[ \u00a0]([^\W\d_][\w'’-]*)", text[end:])
    before = re.search(r"([^\W\d_][\w'’-]*)[ \u00a0]\Z", text[:start])
    return any(m is not None and m.group(1)[:1].isupper() and m.group(1).lower() not in FUNCTION_WORDS
               for m in (after, before))


def find_places(text: str, when: date | None = None) -> list[PlaceSpan]:
    """Country and place names in a French segment, with the English for an article dated `when`."""
    pattern, by_key = _matcher()
    found = []
    for m in pattern.finditer(text):
        place = by_key.get(_key(m.group()))
        if place is None or _touches_capital(text, m.start(), m.end()):
            continue
        found.append(PlaceSpan(m.start(), m.end(), m.group(), place.english(when), place.the))
    return found


def dated_cutoffs() -> tuple[date, ...]:
    """The dates at which some English name changes: articles on the same side of every cut-off
    get the same English, so the pipeline can share their drafts."""
    return tuple(sorted({p.before[0] for p in places() if p.before is not None}))


def era(when: date | None) -> tuple[bool, ...] | None:
    return None if when is None else tuple(when >= cut for cut in dated_cutoffs())
