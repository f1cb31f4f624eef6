"""QA checks for French→English catalogs, run before publishing.

Machine output fails in ways a reviewer skims past: a changed number or date, a
sentence left in French, a decoder loop, a dropped sentence, a lost bracket.
Generic checkers were written for software strings and misfire on news copy
(French "3 000" read as two numbers, « » vs “ ”, OTAN vs NATO), so the rules
here know French conventions; translate-toolkit's StandardChecker is used for
the tests that hold for prose. Rules, thresholds and severities live in
`data/checks_fr_en.toml`; bench/qa_false_alarms.py measures them on official
translations.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

import polib

from .errors import CatalogError
from .pofile import read_po
from .segment import sentences

ERROR = "error"
WARNING = "warning"
DEFAULT_PATHS = (Path("translations"),)

__all__ = [
    "ERROR",
    "WARNING",
    "Issue",
    "EntryChecker",
    "Finding",
    "CheckReport",
    "check_pair",
    "check_entry",
    "check_catalog",
    "check_paths",
    "is_checked",
    "po_files",
    "severity_of",
]


class Issue(NamedTuple):
    """One problem in one segment. A plain `(check, severity, message)` tuple is
    accepted wherever an Issue is, so plug-ins need not import this module."""

    check: str
    severity: str
    message: str


# A plug-in (e.g. the glossary checks): issues for one entry, msgstr non-empty.
EntryChecker = Callable[[polib.POEntry], Iterable[tuple[str, str, str]]]


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    check: str
    severity: str
    message: str
    msgid: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: [{self.check}] {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "line": self.line,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "msgid": self.msgid,
        }


@dataclass
class CheckReport:
    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Files that could not be checked at all (unparseable, missing).
    failures: list[CatalogError] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Non-zero means: do not publish (exit status 1)."""
        return sum(f.severity == ERROR for f in self.findings) + len(self.failures)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    def lines(self) -> list[str]:
        return [str(failure) for failure in self.failures] + [f.format() for f in self.findings]

    def to_json(self) -> dict[str, object]:
        return {
            "files": [str(p) for p in self.files],
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_dict() for f in self.findings],
            "failures": [
                {"path": str(e.path) if e.path else None, "line": e.line, "message": e.message}
                for e in self.failures
            ],
        }


# --- rules -------------------------------------------------------------------


def _word_alternation(forms: Iterable[str]) -> str:
    """Whole-word alternation, longest first; a trailing period belongs to abbreviations."""
    parts = []
    for form in sorted(forms, key=len, reverse=True):
        tail = "" if form.endswith(".") else r"(?![^\W\d_])"
        parts.append(re.escape(form) + tail)
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class _Rules:
    severity: dict[str, str]
    skip_by_comment: dict[str, frozenset[str]]
    ignore_prefix: str
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
    number_format: tuple[re.Pattern[str], ...]
    elision: re.Pattern[str]


def _idioms(phrases: Sequence[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    return re.compile("|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases), re.IGNORECASE)


def _aliases(table: dict[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), replacement) for pattern, replacement in table.items())


@cache
def _rules() -> _Rules:
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
        severity=data["severity"],
        skip_by_comment={k: frozenset(v) for k, v in data["skip_by_comment"].items()},
        ignore_prefix=data["ignore_comment"]["prefix"],
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
        number_format=tuple(re.compile(p) for p in data["number_format"]["patterns"]),
        elision=re.compile(toolkit["source_elision"]),
    )


def severity_of(check: str) -> str:
    """Severity from the TOML table; an unknown check (a plug-in's) counts as a warning."""
    return _rules().severity.get(check, WARNING)


def _issue(check: str, message: str) -> Issue:
    return Issue(check, severity_of(check), message)


# --- numbers and dates ------------------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


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
    rules = _rules()
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
    rules = _rules()
    for pattern, replacement in rules.aliases_fr if french else rules.aliases_en:
        text = pattern.sub(replacement, text)
    idioms = rules.idioms_fr if french else rules.idioms_en
    if idioms is not None:
        text = idioms.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _numbers(text: str, french: bool) -> set[Decimal]:
    rules = _rules()
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


_WORD = re.compile(r"[^\W\d_]+(?:[-‑][^\W\d_]+)*")


def _spelled(text: str, french: bool) -> set[Decimal]:
    """Values written in words ("un million", "five"), which excuse digits opposite."""
    num = _rules().numbers
    words = num["words_fr" if french else "words_en"]
    scales = num["scales_fr" if french else "scales_en"]
    tokens = [t.lower() for t in _WORD.findall(text)]
    values: set[Decimal] = set()
    for i, token in enumerate(tokens):
        if token in words:
            value = Decimal(words[token])
            if i + 1 < len(tokens) and tokens[i + 1] in scales:
                value *= scales[tokens[i + 1]]
            values.add(value)
        elif token in scales:
            values.add(Decimal(scales[token]))
    return values


def _check_numbers_and_dates(source: str, target: str) -> list[Issue]:
    issues: list[Issue] = []
    src_dates, src_rest = _dates(_prepare(source, True), french=True)
    tgt_dates, tgt_rest = _dates(_prepare(target, False), french=False)
    for date in src_dates:
        same_day = [d for d in tgt_dates if (d.day, d.month) == (date.day, date.month)]
        if not same_day:
            issues.append(_issue("dates", f"date {date.show()} from the source is missing or changed"))
        elif date.year and all(d.year not in (None, date.year) for d in same_day):
            other = next(d for d in same_day if d.year)
            issues.append(_issue("dates", f"year of {date.show()} changed to {other.year}"))
    for date in tgt_dates:
        if not any((d.day, d.month) == (date.day, date.month) for d in src_dates):
            issues.append(_issue("dates", f"date {date.show()} is not in the source"))

    src_numbers = _numbers(src_rest, french=True)
    tgt_numbers = _numbers(tgt_rest, french=False)
    # A year of a date on one side may stand alone on the other ("en 2018").
    src_numbers |= {Decimal(d.year) for d in src_dates if d.year} & tgt_numbers
    tgt_numbers |= {Decimal(d.year) for d in tgt_dates if d.year} & src_numbers
    missing = sorted(src_numbers - tgt_numbers - _spelled(target, french=False))
    extra = sorted(tgt_numbers - src_numbers - _spelled(source, french=True))
    problems = []
    if missing:
        problems.append("number " + ", ".join(map(_show, missing)) + " from the source is missing")
    if extra:
        problems.append("number " + ", ".join(map(_show, extra)) + " is not in the source")
    if problems:
        issues.append(_issue("numbers", "; ".join(problems)))
    for pattern in _rules().number_format:
        for m in pattern.finditer(target):
            issues.append(_issue("number-format", f"French number format {m.group(0)!r} in English"))
    return issues


# --- quotes, brackets, punctuation --------------------------------------------------


def _quote_balance(text: str) -> int:
    """Opened minus closed quotation marks; straight quotes by position."""
    quotes = _rules().quotes
    balance = 0
    for i, ch in enumerate(text):
        if ch in quotes["open"]:
            balance += 1
        elif ch in quotes["close"]:
            balance -= 1
        elif ch in quotes["straight"]:
            before = text[i - 1] if i else " "
            balance += 1 if before.isspace() or before in "([{—–-" else -1
    return balance


def _bracket_state(text: str, pair: str) -> tuple[int, bool]:
    """(opened minus closed, whether a closer came before its opener)."""
    depth, early_close = 0, False
    for ch in text:
        if ch == pair[0]:
            depth += 1
        elif ch == pair[1]:
            depth -= 1
            early_close |= depth < 0
    return depth, early_close


def _check_marks(source: str, target: str) -> list[Issue]:
    rules = _rules()
    issues: list[Issue] = []
    french_marks = sorted({ch for ch in target if ch in rules.quotes["french_only"]})
    if french_marks:
        issues.append(_issue("quote-style", f"French quotation marks {' '.join(french_marks)} in English: use “ ”"))
    src_q, tgt_q = _quote_balance(source), _quote_balance(target)
    if src_q != tgt_q:
        issues.append(_issue("unbalanced-quotes", _balance_message("quotation marks", src_q, tgt_q)))
    for pair in rules.brackets:
        (src_b, src_early), (tgt_b, tgt_early) = _bracket_state(source, pair), _bracket_state(target, pair)
        if src_b != tgt_b:
            issues.append(_issue("unbalanced-brackets", _balance_message(f"brackets {pair[0]} {pair[1]}", src_b, tgt_b)))
        elif tgt_early and not src_early:
            issues.append(_issue("unbalanced-brackets", f"'{pair[1]}' closes before its '{pair[0]}' opens"))
    src_end, tgt_end = _end_mark(source), _end_mark(target)
    if src_end != tgt_end:
        issues.append(_issue("end-punctuation", f"source ends with {_describe_end(src_end)}, translation with {_describe_end(tgt_end)}"))
    return issues


def _balance_message(what: str, source: int, target: int) -> str:
    def state(n: int) -> str:
        if n == 0:
            return "balanced"
        return f"{abs(n)} {'unclosed' if n > 0 else 'unopened'}"

    return f"{what} unbalanced: source {state(source)}, translation {state(target)}"


def _end_mark(text: str) -> str:
    rules = _rules()
    text = text.rstrip().replace("...", "…")
    while text and text[-1] in rules.end_closers:
        text = text[:-1]
    return text[-1] if text and text[-1] in rules.end_marks else ""


def _describe_end(mark: str) -> str:
    return f"'{mark}'" if mark else "no final punctuation"


# --- untranslated and French left ------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.replace("’", "'"))


def _is_french_token(token: str) -> bool:
    rules = _rules()
    lower = token.lower()
    if lower in rules.french_words:
        return True
    # Accented capitalised words are mostly names (Sergueï, António) in English copy.
    return token[:1].islower() and any(ch in rules.french_letters for ch in lower)


def _french_evidence(text: str) -> tuple[int, int, int]:
    """(French tokens, all tokens, longest run of French tokens); elisions split (l'OTAN → l, OTAN)."""
    tokens = [t for part in _tokens(text) for t in part.split("'") if t]
    count = run = longest = 0
    for token in tokens:
        if _is_french_token(token):
            count += 1
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return count, len(tokens), longest


def _looks_french(text: str) -> bool:
    settings = _rules().french
    count, total, run = _french_evidence(text)
    if run >= settings["min_run"]:
        return True
    if total > 0 and count >= settings["min_words"] and count / total >= settings["min_share"]:
        return True
    # One sentence left in French inside an otherwise English paragraph.
    for sentence in sentences(text):
        count, total, _ = _french_evidence(sentence)
        if total and count >= settings["min_words"] and count / total >= settings["sentence_share"]:
            return True
    return False


def _normalise_space(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _check_untranslated(source: str, target: str) -> list[Issue]:
    if _normalise_space(source) == _normalise_space(target):
        if _looks_french(source):
            return [_issue("untranslated", "translation is a copy of the French source")]
        return []
    if _looks_french(target):
        count, total, run = _french_evidence(target)
        return [_issue("french-left", f"translation still reads as French ({count} of {total} words French, run of {run})")]
    return []


# --- MT failure signs ---------------------------------------------------------------------


def _max_tandem(words: list[str], n: int) -> tuple[int, tuple[str, ...]]:
    """Longest run of one n-gram repeated back to back."""
    best, best_gram = 1, ()
    for start in range(len(words) - n + 1):
        gram = tuple(words[start : start + n])
        count, pos = 1, start + n
        while tuple(words[pos : pos + n]) == gram:
            count += 1
            pos += n
        if count > best:
            best, best_gram = count, gram
    return best, best_gram


def _check_repetition(source: str, target: str) -> list[Issue]:
    settings = _rules().repetition
    words = [w.lower() for w in _tokens(target)]
    for n in range(1, settings["max_n"] + 1):
        repeats, gram = _max_tandem(words, n)
        if repeats >= settings["min_repeats"][str(n)]:
            return [_issue("repetition", f"'{' '.join(gram)}' repeated {repeats} times in a row (MT loop?)")]
    n = settings["min_ngram"]
    grams = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    if grams:
        gram, count = grams.most_common(1)[0]
        src_words = [w.lower() for w in _tokens(source)]
        src_top = Counter(tuple(src_words[i : i + n]) for i in range(len(src_words) - n + 1)).most_common(1)
        src_count = src_top[0][1] if src_top else 0
        if count >= settings["max_count"] and count > src_count:
            return [_issue("repetition", f"'{' '.join(gram)}' occurs {count} times (MT loop?)")]
    return []


def _length_ratio(source: str, target: str) -> float:
    return len(target.strip()) / max(len(source.strip()), 1)


def _check_length(source: str, target: str) -> list[Issue]:
    settings = _rules().length
    if len(source.strip()) < settings["min_source_chars"]:
        return []
    ratio = _length_ratio(source, target)
    if ratio < settings["min_ratio"]:
        return [_issue("length-ratio", f"translation is {ratio:.2f}× the source length (expected ≥ {settings['min_ratio']})")]
    if ratio > settings["max_ratio"]:
        return [_issue("length-ratio", f"translation is {ratio:.2f}× the source length (expected ≤ {settings['max_ratio']})")]
    return []


def _check_dropped(source: str, target: str) -> list[Issue]:
    src_n, tgt_n = len(sentences(source)), len(sentences(target))
    if tgt_n >= src_n or src_n < 2:
        return []
    rules = _rules()
    missing = src_n - tgt_n
    expected = rules.length["typical_ratio"] * (1 - rules.dropped_slack * missing / src_n)
    ratio = _length_ratio(source, target)
    if ratio < expected:
        return [_issue("dropped-sentence", f"{src_n} sentences in the source, {tgt_n} in the translation, which is also short ({ratio:.2f}× the source)")]
    return []


# --- translate-toolkit ------------------------------------------------------------------------


@cache
def _toolkit_checker():
    from translate.filters.checks import CheckerConfig, StandardChecker
    from translate.lang import factory

    rules = _rules()
    settings = rules.toolkit_config
    config = CheckerConfig(
        targetlanguage=settings["target_language"],
        musttranslatewords=list(settings["must_translate"]),
    )
    # CheckerConfig assumes English sources; ours are French.
    config.sourcelang = factory.getlanguage(settings["source_language"])
    return StandardChecker(checkerconfig=config, limitfilters=list(rules.toolkit_tests))


def _check_toolkit(source: str, target: str) -> list[Issue]:
    from translate.filters.checks import FilterFailure

    checker = _toolkit_checker()
    checker.results_cache = {}
    # Sentence-initial "L’OTAN" would otherwise read as the acronym "L’OTAN".
    source = _rules().elision.sub("", source)
    issues: list[Issue] = []
    reported: set[str] = set()
    for test, name in _rules().toolkit_tests.items():
        try:
            getattr(checker, test)(source, target)
        except FilterFailure as failure:
            if name not in reported:
                reported.add(name)
                issues.append(_issue(name, f"{'; '.join(failure.messages)} (translate-toolkit {test})"))
    return issues


# --- public API ----------------------------------------------------------------------------------

_PAIR_CHECKS: tuple[tuple[frozenset[str], Callable[[str, str], list[Issue]]], ...] = (
    (frozenset({"numbers", "dates", "number-format"}), _check_numbers_and_dates),
    (frozenset({"quote-style", "unbalanced-quotes", "unbalanced-brackets", "end-punctuation"}), _check_marks),
    (frozenset({"untranslated", "french-left"}), _check_untranslated),
    (frozenset({"repetition"}), _check_repetition),
    (frozenset({"length-ratio"}), _check_length),
    (frozenset({"dropped-sentence"}), _check_dropped),
)


def check_pair(source: str, target: str, *, skip: Iterable[str] = ()) -> list[Issue]:
    """Problems of one French source / English target pair; `skip` names checks to leave out."""
    if not target:
        return []
    skipped = frozenset(skip)
    issues: list[Issue] = []
    for names, check in _PAIR_CHECKS:
        if not names <= skipped:
            issues.extend(check(source, target))
    issues.extend(_check_toolkit(source, target))
    return [issue for issue in issues if issue.check not in skipped]


def _target(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return "\n".join(v for _, v in sorted(entry.msgstr_plural.items()))
    return entry.msgstr


def _skipped_checks(entry: polib.POEntry) -> frozenset[str]:
    """Checks switched off by the entry's own comments (rule-filled, passed through, qa-ignore)."""
    rules = _rules()
    skipped: set[str] = set()
    comment = entry.comment or ""
    for marker, checks in rules.skip_by_comment.items():
        if marker in comment:
            skipped |= checks
    for line in (entry.tcomment or "").splitlines():
        line = line.strip()
        if line.lower().startswith(rules.ignore_prefix):
            skipped |= {name.strip() for name in line[len(rules.ignore_prefix) :].split(",") if name.strip()}
    return frozenset(skipped)


def is_checked(entry: polib.POEntry) -> bool:
    """Translated entries, fuzzy or not: machine output needs checking most."""
    return not entry.obsolete and bool(entry.msgid) and bool(_target(entry).strip("\n"))


def check_entry(entry: polib.POEntry, extra_checkers: Sequence[EntryChecker] = ()) -> list[Issue]:
    skipped = _skipped_checks(entry)
    issues = list(check_pair(entry.msgid, _target(entry), skip=skipped))
    for checker in extra_checkers:
        for check, severity, message in checker(entry):
            if check not in skipped:
                issues.append(Issue(check, severity, message))
    return issues


def check_catalog(path: Path, extra_checkers: Sequence[EntryChecker] = ()) -> list[Finding]:
    """Findings of one PO file, in file order. Raises CatalogError if it cannot be read."""
    catalog = read_po(path)
    findings: list[Finding] = []
    for entry in catalog:
        if not is_checked(entry):
            continue
        for check, severity, message in check_entry(entry, extra_checkers):
            findings.append(Finding(path, entry.linenum, check, severity, message, entry.msgid))
    return findings


def po_files(paths: Sequence[Path] = ()) -> tuple[list[Path], list[CatalogError]]:
    """PO files named or found (recursively) under directories; missing paths as errors."""
    found: list[Path] = []
    missing: list[CatalogError] = []
    for path in paths or DEFAULT_PATHS:
        path = Path(path)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.po") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(CatalogError("no such file or directory", path))
    unique = list(dict.fromkeys(found))
    return unique, missing


def check_paths(paths: Sequence[Path] = (), extra_checkers: Sequence[EntryChecker] = ()) -> CheckReport:
    """Check every PO file; one unreadable file is reported and the others still checked."""
    files_, failures = po_files(paths)
    report = CheckReport(files=files_, failures=failures)
    for path in files_:
        try:
            report.findings.extend(check_catalog(path, extra_checkers))
        except CatalogError as error:
            report.failures.append(error)
    return report
