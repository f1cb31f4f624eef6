"""QA rules for French→English catalogs, loaded once from `data/checks_fr_en.toml`.

Rules, thresholds and severities are data so that a newsroom can tune them without touching code;
every check family reads its own part of the table through `qa_rules()`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from workflow.qa.findings import Issue
from workflow.qa.registry import registry

def _word_alternation(forms: Iterable[str]) -> str:
    """Whole-word alternation, longest first; a trailing period belongs to abbreviations."""
    parts = []
    for form in sorted(forms, key=len, reverse=True):
        tail = "" if form.endswith(".") else r"(?![^\W\d_])"
        parts.append(re.escape(form) + tail)
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class _Rules:
    skip_by_comment: dict[str, tuple[str, ...]]
    toolkit_tests: dict[str, str]
    toolkit_config: dict
    numbers: dict
    aliases_fr: tuple[tuple[re.Pattern[str], str], ...]
    aliases_en: tuple[tuple[re.Pattern[str], str], ...]
    idioms_fr: re.Pattern[str] | None
    idioms_en: re.Pattern[str] | None
    number_fr: re.Pattern[str]
    number_en: re.Pattern[str]
    date_fr: re.Pattern[str]
    date_en: tuple[re.Pattern[str], re.Pattern[str]]
    months_fr: dict[str, int]
    months_en: dict[str, int]
    quotes: dict[str, str]
    brackets: tuple[str, ...]
    end_marks: str
    end_closers: str
    french_words: frozenset[str]
    french_letters: frozenset[str]
    french: dict
    repetition: dict
    length: dict
    dropped_slack: float
    truncation: dict
    number_format: tuple[re.Pattern[str], ...]
    elision: re.Pattern[str]
    names: dict
    spelling: dict
    negation: dict
    org_titles: dict
    glossary: dict
    leftover: dict
    time_fr: re.Pattern[str]
    time_en: re.Pattern[str]


def _idioms(phrases: Sequence[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    return re.compile("|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases), re.IGNORECASE)


def _aliases(table: dict[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), replacement) for pattern, replacement in table.items())


@cache
def qa_rules() -> _Rules:
    data = tomllib.loads((files("workflow") / "data" / "checks_fr_en.toml").read_text("utf-8"))
    num = data["numbers"]
    seps = re.escape(num["thousands_separators"])
    roman_nouns = _word_alternation(num["roman_nouns"])
    # Either a Roman century (XXe siècle) or digits in French format (3 000, 3,5),
    # with an optional scale word (1,5 million); ordinal suffixes (73e, 1er) are left over.
    number_fr = re.compile(
        rf"(?P<roman>\b[IVXLC]+)(?:e|er|re|ème)\s+(?={roman_nouns})"
        rf"|(?<![\w.,])(?P<int>\d{{1,3}}(?:[{seps}]\d{{3}})+(?![\d,])|\d+)(?:,(?P<frac>\d+))?"
        rf"(?:\s*(?P<scale>{_word_alternation(num['scales_fr'])}))?"
    )
    number_en = re.compile(
        rf"(?<![\w.,])(?P<int>\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d{{1,3}}(?:[{seps}]\d{{3}})+(?![\d,])|\d+)"
        rf"(?:[.,](?P<frac>\d+))?"
        rf"(?:\s*(?P<scale>{_word_alternation(num['scales_en'])}))?"
    )
    dates = data["dates"]
    months_fr = {k.lower(): v for k, v in dates["months_fr"].items()}
    months_en = {k.lower(): v for k, v in dates["months_en"].items()}
    any_fr = _word_alternation(dates["months_fr"])
    any_en = _word_alternation(dates["months_en"])
    date_fr = re.compile(
        rf"(?<![\w.,])(?P<day>\d{{1,2}})(?:er)?\s+(?P<month>{any_fr})(?:\s+(?P<year>\d{{4}})(?!\d))?",
        re.IGNORECASE,
    )
    date_en = (
        re.compile(
            rf"(?<![\w.,])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{any_en})"
            rf"(?:,?\s+(?P<year>\d{{4}})(?!\d))?",
            re.IGNORECASE,
        ),
        re.compile(
            rf"(?<![\w.])(?P<month>{any_en})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d,.]\d)"
            rf"(?:,?\s+(?P<year>\d{{4}})(?!\d))?",
            re.IGNORECASE,
        ),
    )
    toolkit = data["toolkit"]
    ends = data["end_punctuation"]
    return _Rules(
        skip_by_comment={k: tuple(v) for k, v in data["skip_by_comment"].items()},
        toolkit_tests=toolkit["tests"],
        toolkit_config=toolkit["config"],
        numbers=num,
        aliases_fr=_aliases(num.get("aliases_fr", {})),
        aliases_en=_aliases(num.get("aliases_en", {})),
        idioms_fr=_idioms(num.get("idioms_fr", [])),
        idioms_en=_idioms(num.get("idioms_en", [])),
        number_fr=number_fr,
        number_en=number_en,
        date_fr=date_fr,
        date_en=date_en,
        months_fr=months_fr,
        months_en=months_en,
        quotes=data["quotes"],
        brackets=tuple(data["brackets"]["pairs"]),
        end_marks=ends["marks"],
        end_closers=ends["closers"],
        french_words=frozenset(data["french_evidence"]["words"]),
        french_letters=frozenset(data["french_evidence"]["letters"]),
        french=data["french_evidence"],
        repetition=data["repetition"],
        length=data["length"],
        dropped_slack=float(data["dropped_sentence"]["slack"]),
        truncation=data["truncation"],
        number_format=tuple(re.compile(p) for p in data["number_format"]["patterns"]),
        elision=re.compile(toolkit["source_elision"]),
        names=data["names"],
        spelling=data["spelling"],
        negation=data["negation"],
        org_titles=data["org_titles"],
        glossary=data["glossary"],
        leftover=data["leftover"],
        time_fr=re.compile(num["time_fr"]),
        time_en=re.compile(num["time_en"], re.IGNORECASE),
    )


def severity_of(check: str) -> str:
    """The registry's default severity of a check id (a project may change it: QASettings)."""
    return registry().severity(check)


def issue(check: str, message: str) -> Issue:
    return Issue(check, severity_of(check), message)


WORD = re.compile(r"[^\W\d_]+(?:[-‑][^\W\d_]+)*")


def word_tokens(text: str) -> list[str]:
    return WORD.findall(text.replace("’", "'"))


def length_ratio(source: str, target: str) -> float:
    return len(target.strip()) / max(len(source.strip()), 1)
