"""Post-editing machine drafts with rules kept as data (`data/postedit_en.toml`), sacremoses-style.

Engines repeat the same mistakes wherever a French expression occurs: Apertium's Spanish pivot
writes "has surrendered homage" for "a rendu hommage", "to the heart of" for "au sein de",
"his" for every "son/sa/ses/leur(s)", "Nato" for "OTAN". A rule is a regular expression over the
English, optionally gated by a regular expression that must match the French segment, and
optionally limited to some engines; the possessive fix is the one rule that needs code (it pairs
the French and English possessives in order). Nothing here knows a glossary or a sentence.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern[str]
    replacement: str | dict[str, str]
    source: re.Pattern[str] | None = None
    engines: tuple[str, ...] = ()
    case: str = ""
    example: tuple[str, str, str] | None = None

    def applies(self, source: str, engine: str) -> bool:
        if self.engines and engine not in self.engines:
            return False
        return self.source is None or self.source.search(source) is not None

    def apply(self, text: str) -> str:
        return self.pattern.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        found = match.group(0)
        if isinstance(self.replacement, dict):
            # The whole match becomes the value for its first group (or for itself): "has maintained" → "was held".
            key = (match.group(1) if match.re.groups else found).lower()
            new = self.replacement.get(key, found)
        else:
            new = match.expand(self.replacement)
        if self.case == "lower":
            return new.lower()
        new = re.sub(r"\s{2,}", " ", new)
        if found[:1].isupper() and new[:1].islower():
            new = new[0].upper() + new[1:]
        return new


@dataclass(frozen=True)
class Possessives:
    english: tuple[str, ...]
    french: dict[str, str]
    french_all: re.Pattern[str]


@dataclass(frozen=True)
class Tense:
    """French passé composé reported in the English simple past (data/postedit_en.toml [tense])."""

    french: re.Pattern[str]
    english: re.Pattern[str]

    def apply(self, source: str, text: str) -> str:
        candidates = list(self.english.finditer(text))
        if not candidates or len(self.french.findall(source)) < len(candidates):
            return text  # more English perfects than French passé composé forms: nothing is guessed
        def simple(m: re.Match[str]) -> str:
            adverb = m.group("adverb") or ""
            verb = m.group("verb")
            if verb == "been":
                verb = "was" if m.group("aux").lower() == "has" else "were"
            out = adverb + verb
            return out[0].upper() + out[1:] if m.group("aux")[:1].isupper() else out
        return self.english.sub(simple, text)


@dataclass(frozen=True)
class PostEditor:
    rules: tuple[Rule, ...]
    possessives: Possessives | None
    tense: Tense | None = None

    def edit(self, source: str, text: str, engine: str = "") -> str:
        """The draft with every applicable rule run in order, then the possessives, the tense and
        a/an fixed."""
        for rule in self.rules:
            if rule.applies(source, engine):
                text = rule.apply(text)
        if self.possessives is not None:
            text = _fix_possessives(source, text, self.possessives)
        if self.tense is not None:
            text = self.tense.apply(source, text)
        text = re.sub(r"\b([Aa]) (?=(?:important|essential|interim|international|effective|open|other|"
                      r"official|initiative|area|office|objective|expert|overall|ally)\b)", r"\1n ", text)
        return re.sub(r"(?<=\S) {2,}(?=\S)", " ", text)


def _fix_possessives(source: str, text: str, rules: Possessives) -> str:
    french = [m.group().lower() for m in rules.french_all.finditer(source)]
    english = [m for m in re.finditer(r"\b(?:" + "|".join(rules.english) + r")\b", text, re.IGNORECASE)]
    if not french or len(french) != len(english):
        return text
    pieces, last = [], 0
    for fr, en in zip(french, english):
        wanted = rules.french.get(fr)
        if wanted is None or en.group().lower() != "his":
            continue
        if en.group()[:1].isupper():
            wanted = wanted.capitalize()
        pieces += [text[last:en.start()], wanted]
        last = en.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _rule(item: dict) -> Rule:
    replacement = item["replacement"]
    example = item.get("example")
    return Rule(
        id=item["id"],
        pattern=re.compile(item["pattern"]),
        replacement=dict(replacement) if isinstance(replacement, dict) else str(replacement),
        source=re.compile(item["source"], re.IGNORECASE) if item.get("source") else None,
        engines=tuple(item.get("engines", ())),
        case=item.get("case", ""),
        example=tuple(example) if example else None,  # type: ignore[arg-type]
    )


@cache
def post_editor(lang: str = "en") -> PostEditor:
    resource = files("workflow") / "data" / f"postedit_{lang}.toml"
    if not resource.is_file():
        return PostEditor((), None)
    data = tomllib.loads(resource.read_text("utf-8"))
    rules = tuple(_rule(item) for item in data.get("rule", []))
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"postedit_{lang}.toml: duplicate rule ids {duplicates}")
    poss = data.get("possessives")
    possessives = None
    if poss:
        french_words: Sequence[str] = ("son", "sa", "ses", *poss["french"])
        possessives = Possessives(
            tuple(poss["english"]), dict(poss["french"]),
            re.compile(r"(?<![\w’'])(?:" + "|".join(dict.fromkeys(french_words)) + r")\b", re.IGNORECASE),
        )
    tense = _tense(data["tense"]) if "tense" in data else None
    return PostEditor(rules, possessives, tense)


def _tense(data: dict) -> Tense:
    def words(items: Sequence[str]) -> str:
        return "|".join(re.escape(w) for w in items)

    french = re.compile(r"(?<![\w-])(?:" + words(data["french_auxiliaries"]) + r")\s+(?:(?:" + words(data["french_adverbs"])
                        + r")\s+){0,2}(?:été\s+)?" + data["french_participle"] + r"\b", re.IGNORECASE)
    # "to have", "will have"…: a perfect that is not the French passé composé.
    blocked = "".join(r"(?<!\b" + re.escape(w) + " )" for w in data["english_blockers"])
    english = re.compile(r"(?<![\w’'-])" + blocked + r"(?P<aux>[Hh]as|[Hh]ave) (?P<adverb>(?:"
                         + words(data["english_adverbs"]) + r") )?(?P<verb>been|[a-z]+ed)\b")
    return Tense(french, english)


def post_edit(source: str, text: str, engine: str = "", lang: str = "en") -> str:
    return post_editor(lang).edit(source, text, engine)
