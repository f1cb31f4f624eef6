"""Does `workflow check` stay quiet on correct English and catch what goes wrong? With pofilter beside it.

Run: ``uv run python bench/qa_false_alarms.py [--verbose] [--json] [--write-baseline]``
(reads ../shared beside the repository; about 20 s).

(a) False alarms. Every shared pair becomes a reviewed PO catalog (bench/qa_corpus.py: the
    project's own translate and aligner, official English in msgstr, no fuzzy) and goes through
    the full check, glossary and the cross-file consistency family included, with default
    settings (no translation memory). Every finding `check` shows by
    default (errors and warnings; not info, nothing is suppressed) is a false alarm: the official
    English is correct by definition. Reported per 1,000 English words entered, by check id.
    Targets: <= 1.0 errors+warnings and <= 0.2 errors per 1,000 words.
(b) Planted errors. Each kind of error is planted, deterministically, into every entry of those
    catalogs where it applies, and the entry is checked again: caught = a new error or warning.
    Targets: >= 150 plants of >= 10 kinds, >= 95% caught overall, each kind >= 85%.
pofilter (translate-toolkit's StandardChecker with its default tests, as `pofilter` runs them on
translated units) gets the same catalogs and the same plants. The numbers are written to
tests/data/qa_bench_baseline.json with --write-baseline; tests/test_checks.py fails when a change
raises a false alarm or loses a catch against that baseline.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.qa_corpus import PAIRS_DIR, corpus  # noqa: E402
from workflow.qa.checks import EntryRunner, is_checked  # noqa: E402
from workflow.qa.findings import ERROR, WARNING  # noqa: E402
from workflow.qa.glossary import glossary_checker  # noqa: E402
from workflow.qa.meaning import english_titles, french_titles, house_title  # noqa: E402
from workflow.qa.rules import qa_rules  # noqa: E402
from workflow.qa.names import source_names  # noqa: E402
from workflow.qa.spelling import _table as spelling_table  # noqa: E402
from workflow.review.align import english_sentences  # noqa: E402
from workflow.review.pofile import read_po  # noqa: E402
from workflow.source.lexicon import word_language  # noqa: E402
from workflow.source.segment import sentences as french_sentences  # noqa: E402
from workflow.terms.english import find_english  # noqa: E402
from workflow.terms.glossary import Glossary, load_glossary  # noqa: E402
from workflow.terms.organisation import organisation_for_entry  # noqa: E402

BASELINE = Path(__file__).resolve().parents[1] / "tests" / "data" / "qa_bench_baseline.json"


# --- the two checkers ---------------------------------------------------------------------


class Workflow:
    """`workflow check` with default settings and the shipped glossary."""

    def __init__(self, glossary: Glossary):
        self.glossary = glossary

    def runner(self) -> EntryRunner:
        return EntryRunner([glossary_checker(self.glossary)])

    @staticmethod
    def shown(runner: EntryRunner, entry, path) -> set[tuple[str, str, str]]:
        """(check id, severity, message) of each finding shown by default."""
        return {(c.issue.check, c.issue.severity, c.issue.message) for c in runner.run(entry, path)
                if not c.suppressed and c.issue.severity in (ERROR, WARNING)}


@cache
def _pofilter():
    from translate.filters import checks

    return checks.StandardChecker(checkerconfig=checks.CheckerConfig(targetlanguage="en"))


def pofilter_failures(entry) -> set[tuple[str, str, str]]:
    from translate.storage import pypo

    unit = pypo.pounit(entry.msgid)
    unit.target = entry.msgstr
    checker = _pofilter()
    checker.results_cache = {}
    failures = checker.run_filters(unit)
    return {(name, "pofilter", str(detail.get("message", "") if isinstance(detail, dict) else detail)[:200])
            for name, detail in failures.items()}


# --- (a) false alarms ------------------------------------------------------------------------


@dataclass
class FalseAlarms:
    words: int
    entries: int
    workflow: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # slug, id, severity, message, msgid
    pofilter: list[tuple[str, str, str]] = field(default_factory=list)  # slug, test, msgid

    @property
    def errors(self) -> int:
        return sum(f[2] == ERROR for f in self.workflow)

    def per_thousand(self, count: int) -> float:
        return 1000.0 * count / max(self.words, 1)


def false_alarms(cat_paths, words: int, tool: Workflow) -> FalseAlarms:
    result = FalseAlarms(words, 0)
    runner = tool.runner()
    for path in cat_paths:
        for entry in read_po(path):
            if not is_checked(entry):
                continue
            result.entries += 1
            for check, severity, message in sorted(Workflow.shown(runner, entry, path)):
                result.workflow.append((path.stem, check, severity, message, entry.msgid))
            if "passed through" in entry.comment or "filled by rule" in entry.comment:
                continue  # pofilter too is spared what the product filled in
            for name, _, _ in sorted(pofilter_failures(entry)):
                result.pofilter.append((path.stem, name, entry.msgid))
    # `check` also compares translations across the files (the consistency family, on by default).
    from workflow.qa.checks import check_paths
    from workflow.qa.consistency import ConsistencyChecks

    report = check_paths(cat_paths, archive_checks=[ConsistencyChecks(None, tool.glossary)])
    for f in report.findings:
        if f.check.startswith("consistency.") and f.counts:
            result.workflow.append((f.path.stem, f.check, f.severity, f.message, f.msgid))
    return result


# --- (b) planted errors ----------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    path: Path
    entry: object
    organisation: str | None

    @property
    def source(self) -> str:
        return self.entry.msgid

    @property
    def target(self) -> str:
        return self.entry.msgstr


Plant = Callable[[Site, int], str | None]
_NUMBER = re.compile(r"(?<![\w.,/])\d[\d,]*(?:\.\d+)?")
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
_DATE_DAY = re.compile(rf"\b(\d{{1,2}})(?=\s+{_MONTH})|{_MONTH}\s(\d{{1,2}})\b")
_DATE = re.compile(rf"\b\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?")
_EN_NEGATION = [(r"\bcannot\b", "can"), (r"\bcan['’]t\b", "can"), (r"\bwon['’]t\b", "will"), (r"\b(\w+)n['’]t\b", r"\1"),
                (r"\bnot\s+", ""), (r"\bnever\b", "always"), (r"\bno\b", "some"), (r"\bwithout\b", "with"),
                (r"\bnothing\b", "something"), (r"\bnone\b", "all"), (r"\bneither\b", "either"), (r"\bnor\b", "or")]
_FR_NEGATION = re.compile(r"\b(?:ne|n['’]|pas|jamais|aucune?|rien|sans|ni)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")


def plant_number(site: Site, n: int) -> str | None:
    target = site.target
    in_dates = [d.span() for d in _DATE.finditer(target)]
    for m in _NUMBER.finditer(target):
        if any(start <= m.start() < end for start, end in in_dates):
            continue
        digits = m.group(0)
        return target[: m.start()] + str((int(digits[0]) % 9) + 1) + target[m.start() + 1:]
    return None


def plant_date(site: Site, n: int) -> str | None:
    m = _DATE_DAY.search(site.target)
    if m is None:
        return None
    group = 1 if m.group(1) else 2
    day = int(m.group(group))
    new_day = day + 1 if day < 28 else day - 1
    return site.target[: m.start(group)] + str(new_day) + site.target[m.end(group):]


def plant_negation(site: Site, n: int) -> str | None:
    if not _FR_NEGATION.search(site.source):
        return None
    for pattern, replacement in _EN_NEGATION:
        changed, count = re.subn(pattern, replacement, site.target, count=1, flags=re.IGNORECASE)
        if count:
            return changed
    return None


def plant_french(site: Site, n: int) -> str | None:
    english = english_sentences(site.target)
    french = french_sentences(site.source)
    if len(english) >= 2:
        return " ".join(english[:-1] + [french[-1]])
    return site.source


@cache
def _spanish_words() -> tuple[str, ...]:
    from wordfreq import top_n_list

    return tuple(w for w in top_n_list("es", 4000) if len(w) >= 7 and w.isalpha() and word_language(w) == "es")


def plant_leftover(site: Site, n: int) -> str | None:
    """One English word replaced by a French word of the source (even n) or a Spanish word (odd n)."""
    words = [m for m in _WORD.finditer(site.target) if m.group().islower() and len(m.group()) >= 5]
    if not words:
        return None
    victim = max(words, key=lambda m: (len(m.group()), -m.start()))
    if n % 2 == 0:
        french = [w for w in _WORD.findall(site.source) if w.islower() and len(w) >= 6 and word_language(w) == "fr"]
        if not french:
            return None
        leftover = max(french, key=len)
    else:
        spanish = _spanish_words()
        leftover = spanish[(n * 7) % len(spanish)]
    return site.target[: victim.start()] + leftover + site.target[victim.end():]


_VOWELS = "aeiou"


def plant_name(site: Site, n: int) -> str | None:
    for name in source_names(site.source):
        if name not in site.target:
            continue
        particle, _, surname = name.rpartition(" ")
        if particle:
            garbled = f"of {surname}"  # "de Blasio" → "of Blasio"
        else:
            inner = [i for i in range(1, len(name) - 1) if name[i] in _VOWELS]
            if not inner:
                continue
            i = inner[-1]
            garbled = name[:i] + _VOWELS[(_VOWELS.index(name[i]) + 1) % 5] + name[i + 1:]
        return site.target.replace(name, garbled, 1)
    return None


def _other(org: str) -> str:
    return next(o for o in qa_rules().org_titles if o not in ("french", org))


def plant_title(site: Site, n: int) -> str | None:
    """A real swap: the English names, or (bare) implies by its style, the other organisation's
    holder where the French has this one's. A qualified title keeps its place and names the other
    organisation ("NATO Secretary General" → "UN Secretary-General"); a bare one takes the other's
    form. (Only the hyphen of a qualified title changed is a house-style variant, not a swap: see
    plant_title_style.)"""
    orgs = {org for org, _ in french_titles(site.source, site.organisation)}
    for style, qualifier, written, title in english_titles(site.target):
        org = qualifier or style
        if org not in orgs:
            continue
        other = _other(org)
        swapped_title = house_title(title, other)
        if qualifier is None:
            swapped = swapped_title
        elif written.startswith(title):  # "Secretary General of NATO"
            swapped = f"{swapped_title} of the {_FULL_NAME[other]}"
        else:
            swapped = f"{other} {swapped_title}"
        return site.target.replace(written, swapped, 1)
    return None


_FULL_NAME = {"NATO": "North Atlantic Treaty Organization", "UN": "United Nations"}


def plant_title_style(site: Site, n: int) -> str | None:
    """The article's own organisation's title written the other's way ("NATO Secretary-General" on
    a NATO page). Another organisation's title in the article's house style ("UN Secretary
    General" on a NATO page) is what older nato.int pages do: not planted."""
    for style, qualifier, written, title in english_titles(site.target):
        if (qualifier or style) != site.organisation or style != site.organisation:
            continue
        return site.target.replace(written, written.replace(title, house_title(title, _other(style))), 1)
    return None


@cache
def _american_of() -> dict[str, str]:
    return {e.suggestion: word for word, e in spelling_table().items() if e.category == "american" and e.suggestion}


def plant_spelling(site: Site, n: int) -> str | None:
    american = _american_of()
    for m in _WORD.finditer(site.target):
        word = m.group()
        us = american.get(word.lower())
        if us:
            us = us[:1].upper() + us[1:] if word[:1].isupper() else us
            return site.target[: m.start()] + us + site.target[m.end():]
    return None


def plant_forbidden(glossary: Glossary) -> Plant:
    def plant(site: Site, n: int) -> str | None:
        for match in glossary.scan(site.source, default_org=site.organisation):
            entry = glossary.get(match.id)
            if entry is None or not entry.en_forbidden:
                continue
            for form in entry.english_forms:
                spans = find_english(form, site.target)
                if spans:
                    start, end = spans[0]
                    return site.target[:start] + entry.en_forbidden[0] + site.target[end:]
        return None

    return plant


def plant_dropped(site: Site, n: int) -> str | None:
    parts = english_sentences(site.target)
    if len(parts) >= 2:
        drop = max(range(len(parts)), key=lambda k: len(parts[k]))
        return " ".join(p for k, p in enumerate(parts) if k != drop)
    words = site.target.split()
    if len(words) < 8:
        return None
    return " ".join(words[: len(words) // 2])  # truncated mid-sentence


def plant_loop(site: Site, n: int) -> str | None:
    words = site.target.split()
    if len(words) < 8:
        return None
    middle = len(words) // 2
    return " ".join(words[:middle] + words[middle: middle + 3] * 4 + words[middle + 3:])


def plant_guillemets(site: Site, n: int) -> str | None:
    if "“" in site.target:
        return site.target.replace("“", "« ", 1).replace("”", " »", 1)
    if site.target.count('"') >= 2:
        return site.target.replace('"', "« ", 1).replace('"', " »", 1)
    return None


def plant_bracket(site: Site, n: int) -> str | None:
    if ")" in site.target:
        k = site.target.index(")")
        return site.target[:k] + site.target[k + 1:]
    return None


def plants(glossary: Glossary) -> dict[str, Plant]:
    return {
        "number changed": plant_number,
        "wrong date": plant_date,
        "negation dropped": plant_negation,
        "sentence left in French": plant_french,
        "French/Spanish word left": plant_leftover,
        "name garbled": plant_name,
        "wrong organisation title": plant_title,
        "title in the other's style": plant_title_style,
        "American spelling": plant_spelling,
        "forbidden variant": plant_forbidden(glossary),
        "sentence dropped or truncated": plant_dropped,
        "MT loop": plant_loop,
        "guillemets left": plant_guillemets,
        "bracket unbalanced": plant_bracket,
    }


@dataclass
class Catch:
    planted: int = 0
    workflow: int = 0
    pofilter: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)  # (source, planted target)
    ids: Counter = field(default_factory=Counter)  # check ids that caught it

    def rate(self, caught: int) -> float:
        return 100.0 * caught / self.planted if self.planted else 0.0


def sites(cat_paths) -> list[Site]:
    found = []
    cache: dict = {}
    for path in cat_paths:
        for entry in read_po(path):
            if is_checked(entry) and "passed through" not in entry.comment and "filled by rule" not in entry.comment:
                found.append(Site(path, entry, organisation_for_entry(entry, path, cache)))
    return found


def catch_rates(cat_paths, tool: Workflow) -> dict[str, Catch]:
    every = sites(cat_paths)
    clean = {}
    for k, site in enumerate(every):
        clean[k] = (Workflow.shown(tool.runner(), site.entry, site.path), pofilter_failures(site.entry))
    rates: dict[str, Catch] = {}
    for kind, plant in plants(tool.glossary).items():
        catch = rates[kind] = Catch()
        for k, site in enumerate(every):
            changed = plant(site, k)
            if changed is None or changed == site.target:
                continue
            entry = deepcopy(site.entry)
            entry.msgstr = changed
            catch.planted += 1
            new = Workflow.shown(tool.runner(), entry, site.path) - clean[k][0]
            if new:
                catch.workflow += 1
                catch.ids.update({check for check, _, _ in new})
            else:
                catch.missed.append((site.source, changed))
            catch.pofilter += bool(pofilter_failures(entry) - clean[k][1])
    return rates


# --- report ------------------------------------------------------------------------------------


def measure(pairs_dir: Path = PAIRS_DIR) -> tuple[FalseAlarms, dict[str, Catch]]:
    tool = Workflow(load_glossary())
    with corpus(pairs_dir) as built:
        alarms = false_alarms(built.paths, built.english_words, tool)
        rates = catch_rates(built.paths, tool)
    return alarms, rates


def summary(alarms: FalseAlarms, rates: dict[str, Catch]) -> dict:
    planted = sum(c.planted for c in rates.values())
    return {
        "english_words": alarms.words,
        "entries": alarms.entries,
        "false_alarms": {
            "workflow": len(alarms.workflow),
            "workflow_errors": alarms.errors,
            "workflow_per_1000_words": round(alarms.per_thousand(len(alarms.workflow)), 2),
            "workflow_errors_per_1000_words": round(alarms.per_thousand(alarms.errors), 2),
            "workflow_by_check": dict(sorted(Counter(f[1] for f in alarms.workflow).items())),
            # The per-entry checks alone: the cross-file family depends on which files are checked together.
            "workflow_per_1000_words_without_consistency": round(alarms.per_thousand(
                sum(not f[1].startswith("consistency.") for f in alarms.workflow)), 2),
            "pofilter": len(alarms.pofilter),
            "pofilter_per_1000_words": round(alarms.per_thousand(len(alarms.pofilter)), 2),
            "pofilter_by_test": dict(sorted(Counter(f[1] for f in alarms.pofilter).items())),
        },
        "plants": {
            "planted": planted,
            "kinds": len([c for c in rates.values() if c.planted]),
            "workflow_caught": sum(c.workflow for c in rates.values()),
            "pofilter_caught": sum(c.pofilter for c in rates.values()),
            "by_kind": {kind: {"planted": c.planted, "workflow": c.workflow, "pofilter": c.pofilter} for kind, c in rates.items()},
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list missed plants")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--write-baseline", action="store_true", help=f"write {BASELINE.name} for tests/test_checks.py")
    args = parser.parse_args()
    if not PAIRS_DIR.is_dir():
        print(f"shared pairs not found at {PAIRS_DIR}", file=sys.stderr)
        return 1
    alarms, rates = measure()
    data = summary(alarms, rates)
    if args.write_baseline:
        BASELINE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(data, indent=1, ensure_ascii=False))
        return 0
    fa = data["false_alarms"]
    print(f"(a) false alarms on the official English: {alarms.entries} checked entries, {alarms.words} English words")
    for slug, check, severity, message, msgid in alarms.workflow:
        print(f"  {slug}: {severity} [{check}] {message}")
        print(f"      fr: {msgid[:120]}")
    print(f"  workflow check: {fa['workflow']} shown ({fa['workflow_errors']} errors) = "
          f"{fa['workflow_per_1000_words']} per 1,000 words (errors {fa['workflow_errors_per_1000_words']}); "
          f"targets <= 1.0 and <= 0.2")
    print("    by check id: " + ", ".join(f"{k} {v}" for k, v in fa["workflow_by_check"].items()))
    print(f"    without the consistency family: {fa['workflow_per_1000_words_without_consistency']} per 1,000 words")
    print(f"  pofilter:       {fa['pofilter']} = {fa['pofilter_per_1000_words']} per 1,000 words")
    print("    by test: " + ", ".join(f"{k} {v}" for k, v in fa["pofilter_by_test"].items()))
    pl = data["plants"]
    print(f"\n(b) planted errors: {pl['planted']} plants of {pl['kinds']} kinds (caught = a new error or warning)")
    print(f"  {'kind':32} {'planted':>7} {'workflow':>10} {'pofilter':>10}   caught by")
    for kind, catch in rates.items():
        print(f"  {kind:32} {catch.planted:7} {catch.rate(catch.workflow):9.1f}% {catch.rate(catch.pofilter):9.1f}%   "
              + ", ".join(f"{k} {v}" for k, v in catch.ids.most_common(3)))
        if args.verbose:
            for source, text in catch.missed:
                print(f"      missed: {text[:150]!r}")
    print(f"  {'total':32} {pl['planted']:7} {100 * pl['workflow_caught'] / pl['planted']:9.1f}% "
          f"{100 * pl['pofilter_caught'] / pl['planted']:9.1f}%   targets >= 95% overall, >= 85% per kind")
    return 0


if __name__ == "__main__":
    sys.exit(main())
