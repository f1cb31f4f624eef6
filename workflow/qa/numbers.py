"""Numbers and dates: the same values on both sides, read the French way and the English way.

French writes "3 000", "1,5", "XXe siècle", "1er mai"; English "3,000", "1.5", "20th century",
"1 May". Idioms ("24 heures sur 24") and spelled-out numbers are data in the rules table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from workflow.qa.findings import Issue
from workflow.qa.rules import WORD, issue, qa_rules

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_MULTIPLIERS = {"mille": 1000, "cent": 100, "cents": 100, "thousand": 1000, "hundred": 100}


def _roman(text: str) -> int:
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        following = _ROMAN[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _show(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class _Date:
    day: int
    month: int
    year: int | None

    def show(self) -> str:
        months = "January February March April May June July August September October November December".split()
        return f"{self.day} {months[self.month - 1]}" + (f" {self.year}" if self.year else "")


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _dates(text: str, french: bool) -> tuple[list[_Date], str]:
    """Dates found, and the text with them blanked so their digits aren't counted twice."""
    rules = qa_rules()
    months = rules.months_fr if french else rules.months_en
    patterns = (rules.date_fr,) if french else rules.date_en
    found: list[_Date] = []
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        for m in pattern.finditer(_blank(text, spans)):
            day = int(m["day"])
            if not 1 <= day <= 31:
                continue
            year = int(m["year"]) if m["year"] else None
            found.append(_Date(day, months[m["month"].lower()], year))
            spans.append(m.span())
    return found, _blank(text, spans)


def _prepare(text: str, french: bool) -> str:
    rules = qa_rules()
    for pattern, replacement in rules.aliases_fr if french else rules.aliases_en:
        text = pattern.sub(replacement, text)
    idioms = rules.idioms_fr if french else rules.idioms_en
    if idioms is not None:
        text = idioms.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _numbers(text: str, french: bool) -> set[Decimal]:
    rules = qa_rules()
    scales = rules.numbers["scales_fr" if french else "scales_en"]
    pattern = rules.number_fr if french else rules.number_en
    values: set[Decimal] = set()
    for m in pattern.finditer(text):
        if m.groupdict().get("roman"):
            values.add(Decimal(_roman(m["roman"])))
            continue
        digits = re.sub(r"\D", "", m["int"])
        value = Decimal(f"{digits}.{m['frac']}" if m["frac"] else digits)
        if m["scale"]:
            value *= scales[m["scale"].lower()]
        values.add(value)
    return values


def _spelled(text: str, french: bool) -> set[Decimal]:
    """Values written in words ("un million", "five"), which excuse digits opposite."""
    num = qa_rules().numbers
    words = num["words_fr" if french else "words_en"]
    scales = num["scales_fr" if french else "scales_en"]
    tokens = [t.lower() for t in WORD.findall(text)]
    values: set[Decimal] = set()
    for i, token in enumerate(tokens):
        if token in words:
            value = Decimal(words[token])
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if following in scales:
                value *= scales[following]
            elif following in _MULTIPLIERS:  # "trois mille", "five hundred"
                value *= _MULTIPLIERS[following]
            values.add(value)
        elif token in scales:
            values.add(Decimal(scales[token]))
    return values


def _times(text: str, french: bool) -> tuple[set[tuple[int, int]], str]:
    """Clock times as (hour, minute) on 24 hours, and the text with them blanked."""
    rules = qa_rules()
    pattern = rules.time_fr if french else rules.time_en
    found: set[tuple[int, int]] = set()
    spans = []
    for m in pattern.finditer(text):
        groups = m.groupdict()
        if groups.get("hour24"):
            hour, minute = int(groups["hour24"]), int(groups["minute24"])
        else:
            hour, minute = int(groups["hour"]), int(groups["minute"] or 0)
            half = (groups.get("half") or "").replace(".", "").lower()
            if half == "pm" and hour < 12:
                hour += 12
            elif half == "am" and hour == 12:
                hour = 0
        found.add((hour, minute))
        spans.append(m.span())
    return found, _blank(text, spans)


def _relative_year(target: str) -> bool:
    lower = target.lower()
    return any(phrase in lower for phrase in qa_rules().numbers.get("relative_years_en", ()))


def check_numbers_and_dates(source: str, target: str) -> list[Issue]:
    issues: list[Issue] = []
    src_times, source_rest = _times(_prepare(source, True), french=True)
    tgt_times, target_rest = _times(_prepare(target, False), french=False)
    for hour, minute in sorted(src_times - tgt_times):
        if tgt_times:
            issues.append(issue("numbers.changed", f"time {hour:02d}:{minute:02d} from the source is missing or changed"))
    src_dates, src_rest = _dates(source_rest, french=True)
    tgt_dates, tgt_rest = _dates(target_rest, french=False)
    for date in src_dates:
        same_day = [d for d in tgt_dates if (d.day, d.month) == (date.day, date.month)]
        if not same_day:
            issues.append(issue("numbers.date", f"date {date.show()} from the source is missing or changed"))
        elif date.year and all(d.year not in (None, date.year) for d in same_day):
            other = next(d for d in same_day if d.year)
            issues.append(issue("numbers.date", f"year of {date.show()} changed to {other.year}"))
    for date in tgt_dates:
        if not any((d.day, d.month) == (date.day, date.month) for d in src_dates):
            issues.append(issue("numbers.date", f"date {date.show()} is not in the source"))

    src_numbers = _numbers(src_rest, french=True)
    tgt_numbers = _numbers(tgt_rest, french=False)
    # A year of a date on one side may stand alone on the other ("en 2018").
    src_numbers |= {Decimal(d.year) for d in src_dates if d.year} & tgt_numbers
    tgt_numbers |= {Decimal(d.year) for d in tgt_dates if d.year} & src_numbers
    missing = sorted(src_numbers - tgt_numbers - _spelled(target, french=False))
    if _relative_year(target):  # "en 2016" → "last year"
        missing = [n for n in missing if not 1900 <= n <= 2100]
    extra = sorted(tgt_numbers - src_numbers - _spelled(source, french=True))
    problems = []
    if missing:
        problems.append("number " + ", ".join(map(_show, missing)) + " from the source is missing")
    if extra:
        problems.append("number " + ", ".join(map(_show, extra)) + " is not in the source")
    if problems:
        issues.append(issue("numbers.changed", "; ".join(problems)))
    for pattern in qa_rules().number_format:
        for m in pattern.finditer(target):
            issues.append(issue("numbers.format", f"French number format {m.group(0)!r} in English"))
    return issues
