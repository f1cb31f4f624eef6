"""How often do the QA checks cry wolf on official translations, and how often do
they catch planted errors?

Run: ``uv run python bench/qa_false_alarms.py [--verbose]`` (reads ../shared beside the repo).

(a) The French and English blocks of each shared pair are aligned (metadata
    blocks dropped, then a length-based alignment that allows 1:1, 2:1, 1:2 and
    skipping a block, e.g. an English caption the English page lacks), and
    `check_pair` runs on every aligned pair. These are human translations, so
    every finding is a candidate false alarm; the list is printed for review.
(b) Errors are planted into the English side of each aligned pair (change a
    number, change a date, drop a sentence, leave French, repeat a phrase 8
    times, unbalance a bracket) and the catch rate is reported: caught means an
    error-severity finding of the expected check that the clean pair did not have.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workflow.qa.checks import ERROR, Issue, check_pair
from workflow.source.language import detect_language
from workflow.source.metadata import is_metadata_block
from workflow.source.segment import sentences

PAIRS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pairs"

# Alignment costs: |log(length ratio / typical)| for a match, a flat price for
# leaving a block unmatched, a small surcharge for merging two blocks.
TYPICAL_RATIO = 0.88
SKIP_COST = 1.0
MERGE_COST = 0.3


@dataclass(frozen=True)
class AlignedPair:
    slug: str
    source: str
    target: str


def blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip() and not is_metadata_block(b.strip())]


def _match_cost(source: str, target: str) -> float:
    return abs(math.log(max(len(target), 1) / (max(len(source), 1) * TYPICAL_RATIO)))


def align(french: list[str], english: list[str]) -> list[tuple[str, str]]:
    """Dynamic programming over block lengths (Gale–Church without the statistics).

    An English block inside the French (a photo caption) is never merged with
    French text and may be skipped for free: English pages often drop it."""
    n, m = len(french), len(english)
    caption = [detect_language(block) == "en" for block in french]
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    moves = ((1, 1, 0.0), (2, 1, MERGE_COST), (1, 2, MERGE_COST), (1, 0, SKIP_COST), (0, 1, SKIP_COST))
    for i in range(n + 1):
        for j in range(m + 1):
            if cost[i][j] == inf:
                continue
            for di, dj, extra in moves:
                a, b = i + di, j + dj
                if a > n or b > m:
                    continue
                if di > 1 and any(caption[i:a]):
                    continue
                if di and dj:
                    step = _match_cost(" ".join(french[i:a]), " ".join(english[j:b])) + extra
                elif di and caption[i]:
                    step = 0.0
                else:
                    step = extra
                if cost[i][j] + step < cost[a][b]:
                    cost[a][b] = cost[i][j] + step
                    back[a][b] = (i, j)
    pairs: list[tuple[str, str]] = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj = back[i][j]  # type: ignore[misc]
        if i > pi and j > pj:
            pairs.append((" ".join(french[pi:i]), " ".join(english[pj:j])))
        i, j = pi, pj
    return pairs[::-1]


def aligned_pairs(pairs_dir: Path = PAIRS_DIR) -> list[AlignedPair]:
    result = []
    for folder in sorted(p for p in pairs_dir.iterdir() if p.is_dir()):
        french = blocks(folder / "source_fr.txt")
        english = blocks(folder / "reference_en.txt")
        result.extend(AlignedPair(folder.name, fr, en) for fr, en in align(french, english))
    return result


# --- planted errors --------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.,/])\d[\d,]*(?:\.\d+)?")
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
_DATE_DAY = re.compile(rf"\b(\d{{1,2}})(?=\s+{_MONTH})", re.IGNORECASE)
_DATE = re.compile(rf"\b\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?", re.IGNORECASE)


def plant_number(source: str, target: str) -> str | None:
    """Change a number that is not a date's day (dates have their own plant)."""
    in_dates = [d.span() for d in _DATE.finditer(target)]
    for m in _NUMBER.finditer(target):
        if any(start <= m.start() < end for start, end in in_dates):
            continue
        digits = m.group(0)
        first = next(i for i, ch in enumerate(digits) if ch.isdigit())
        bumped = str((int(digits[first]) % 9) + 1)
        return target[: m.start() + first] + bumped + target[m.start() + first + 1 :]
    return None


def plant_date(source: str, target: str) -> str | None:
    m = _DATE_DAY.search(target)
    if m is None:
        return None
    day = int(m.group(1))
    new_day = day + 1 if day < 28 else day - 1
    return target[: m.start()] + str(new_day) + target[m.end() :]


def _drop(target: str, pick: Callable[..., int]) -> str | None:
    parts = sentences(target)
    if len(parts) < 2:
        return None
    drop = pick(range(len(parts)), key=lambda k: len(parts[k]))
    return " ".join(p for k, p in enumerate(parts) if k != drop)


def plant_drop_longest(source: str, target: str) -> str | None:
    return _drop(target, max)


def plant_drop_shortest(source: str, target: str) -> str | None:
    return _drop(target, min)


def plant_french_copy(source: str, target: str) -> str | None:
    return source


def plant_french_sentence(source: str, target: str) -> str | None:
    """The last English sentence replaced by the last French one (MT left a sentence out)."""
    fr, en = sentences(source), sentences(target)
    if len(en) < 2:
        return None
    return " ".join(en[:-1] + [fr[-1]])


def plant_repeat(source: str, target: str) -> str | None:
    words = target.split()
    if len(words) < 8:
        return None
    middle = len(words) // 2
    phrase = words[middle : middle + 3]
    return " ".join(words[:middle] + phrase * 8 + words[middle + 3 :])


def plant_bracket(source: str, target: str) -> str | None:
    if ")" in target:
        k = target.index(")")
        return target[:k] + target[k + 1 :]
    words = target.split(" ")
    if len(words) < 4:
        return None
    words[2] = "(" + words[2]
    return " ".join(words)


PLANTS: dict[str, tuple[Callable[[str, str], str | None], str]] = {
    "change a number": (plant_number, "numbers"),
    "change a date": (plant_date, "dates"),
    "drop the longest sentence": (plant_drop_longest, "dropped-sentence"),
    "drop the shortest sentence": (plant_drop_shortest, "dropped-sentence"),
    "leave French (copy)": (plant_french_copy, "untranslated"),
    "leave French (one sentence)": (plant_french_sentence, "french-left"),
    "repeat a phrase 8 times": (plant_repeat, "repetition"),
    "unbalance a bracket": (plant_bracket, "unbalanced-brackets"),
}


def _new_errors(clean: list[Issue], planted: list[Issue]) -> list[Issue]:
    before = {i.check for i in clean}
    return [i for i in planted if i.severity == ERROR and i.check not in before]


@dataclass(frozen=True)
class CatchRate:
    planted: int
    caught: int  # by the expected check
    any_error: int  # by any new error
    missed: tuple[str, ...]


def findings_on_references(pairs: list[AlignedPair]) -> list[tuple[AlignedPair, Issue]]:
    return [(pair, issue) for pair in pairs for issue in check_pair(pair.source, pair.target)]


def catch_rates(pairs: list[AlignedPair]) -> dict[str, CatchRate]:
    rates = {}
    clean = [check_pair(p.source, p.target) for p in pairs]
    for name, (plant, expected) in PLANTS.items():
        planted = caught = any_error = 0
        missed = []
        for pair, before in zip(pairs, clean):
            changed = plant(pair.source, pair.target)
            if changed is None or changed == pair.target:
                continue
            planted += 1
            new = _new_errors(before, check_pair(pair.source, changed))
            hit = any(i.check == expected for i in new)
            caught += hit
            any_error += bool(new)
            if not hit:
                missed.append(changed)
        rates[name] = CatchRate(planted, caught, any_error, tuple(missed))
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show each aligned pair and each missed plant")
    args = parser.parse_args()
    if not PAIRS_DIR.is_dir():
        print(f"shared pairs not found at {PAIRS_DIR}", file=sys.stderr)
        return 1

    pairs = aligned_pairs()
    print(f"(a) {len(pairs)} aligned block pairs from {len({p.slug for p in pairs})} articles\n")
    if args.verbose:
        for pair in pairs:
            print(f"  {pair.slug}: {pair.source[:60]!r} ↔ {pair.target[:60]!r}")
    findings = findings_on_references(pairs)
    for pair, issue in findings:
        print(f"  {pair.slug} [{issue.check}] ({issue.severity}) {issue.message}")
        print(f"      fr: {pair.source[:110]}")
        print(f"      en: {pair.target[:110]}")
    per_check = Counter(issue.check for _, issue in findings)
    errors = sum(issue.severity == ERROR for _, issue in findings)
    print("\nfindings on human translations, per check:")
    for check, count in sorted(per_check.items()):
        print(f"  {check:22} {count}")
    print(f"  total: {len(findings)} ({errors} errors, {len(findings) - errors} warnings)\n")

    print("(b) planted errors (caught = a new error of the expected check)")
    rates = catch_rates(pairs)
    for name, rate in rates.items():
        expected = PLANTS[name][1]
        if args.verbose:
            for text in rate.missed:
                print(f"    missed ({name}): {text[:140]!r}")
        print(f"  {name:28} {rate.caught}/{rate.planted} caught by [{expected}], {rate.any_error}/{rate.planted} by any error")
    planted = sum(r.planted for r in rates.values())
    print(
        f"  total: {sum(r.caught for r in rates.values())}/{planted} by the expected check, "
        f"{sum(r.any_error for r in rates.values())}/{planted} by any error"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
