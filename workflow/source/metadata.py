"""Metadata lines (dates, "Mis à jour le:" stamps): recognised and translated by rule.

Dates must come out exactly as published, so these lines never go to MT. The
patterns and wording live in `data/metadata_fr_en.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

_ENGLISH_MONTHS = (
    "Jan. Feb. Mar. Apr. May Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. "
    "January February March April June July August September October November December"
).split()


@dataclass(frozen=True)
class _Rules:
    line_patterns: tuple[re.Pattern[str], ...]
    phrases: tuple[tuple[str, str], ...]
    months: tuple[tuple[re.Pattern[str], str], ...]


def _word_pattern(word: str) -> str:
    """A month as a whole word; a trailing period is part of abbreviations."""
    return r"(?<![^\W\d_])" + re.escape(word) + (r"" if word.endswith(".") else r"(?![^\W\d_])")


@cache
def _rules() -> _Rules:
    data = tomllib.loads((files("workflow") / "data" / "metadata_fr_en.toml").read_text("utf-8"))
    month_forms = sorted({*data["months"], *_ENGLISH_MONTHS}, key=len, reverse=True)
    any_month = "(?:" + "|".join(re.escape(m) for m in month_forms) + ")"
    patterns = tuple(
        re.compile(p.replace("<month>", any_month), re.IGNORECASE) for p in data["line_patterns"]
    )
    months = tuple(
        (re.compile(_word_pattern(fr), re.IGNORECASE), en)
        for fr, en in sorted(data["months"].items(), key=lambda kv: len(kv[0]), reverse=True)
    )
    return _Rules(patterns, tuple(data["phrases"].items()), months)


def is_metadata_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and any(p.match(stripped) for p in _rules().line_patterns)


def is_metadata_block(text: str) -> bool:
    return all(is_metadata_line(line) for line in text.splitlines() if line.strip())


def _match_case(source: str, replacement: str) -> str:
    if source.isupper():
        return replacement.upper()
    return replacement


def translate_metadata(line: str) -> str:
    """English form of a metadata line: wording swapped, dates and separators kept."""
    rules = _rules()
    for french, english in rules.phrases:
        line = line.replace(french, english)
    for pattern, english in rules.months:
        line = pattern.sub(lambda m, en=english: _match_case(m.group(0), en), line)
    return line
