"""Precision and recall of the leftover and name checks on real machine output, hand-labelled.

Run: ``uv run python bench/qa_apertium.py [--verbose]``

tests/data/apertium_labels.json holds every segment Apertium translated in the French of the
shared pairs, with the French and Spanish words it left, the « » it kept and the names it changed,
labelled by reading each one. The checks run on them as `workflow check` runs them on machine
drafts (fuzzy entries, article by article, in order). Scored per word (leftover words), per name
and per segment; pofilter (translate-toolkit's default tests) beside them, per segment.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.qa_false_alarms import pofilter_failures  # noqa: E402
from workflow.qa.checks import EntryRunner  # noqa: E402

LABELS = Path(__file__).resolve().parents[1] / "tests" / "data" / "apertium_labels.json"
_QUOTED = re.compile(r"“([^”]+)”")


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return 100.0 * self.true_positive / found if found else 100.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return 100.0 * self.true_positive / wanted if wanted else 100.0

    def add(self, predicted: set[str], gold: set[str], where: str) -> None:
        self.true_positive += len(predicted & gold)
        self.false_positive += len(predicted - gold)
        self.false_negative += len(gold - predicted)
        for word in sorted(predicted - gold):
            self.wrong.append(f"false alarm {word!r} in {where}")
        for word in sorted(gold - predicted):
            self.wrong.append(f"missed {word!r} in {where}")

    def line(self) -> str:
        return (f"precision {self.precision:5.1f}%  recall {self.recall:5.1f}%  "
                f"(tp {self.true_positive}, fp {self.false_positive}, fn {self.false_negative})")


def load_labels(path: Path = LABELS) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["segments"]


def findings(segments: list[dict]) -> dict[int, dict[str, set[str]]]:
    """Per segment: check id -> the words or names its findings quote."""
    runner = EntryRunner()
    found: dict[int, dict[str, set[str]]] = {}
    for segment in segments:
        entry = polib.POEntry(msgid=segment["fr"], msgstr=segment["en"], flags=["fuzzy"],
                              occurrences=[(f"source_fr/{segment['article']}.txt", "1")],
                              comment="paragraph, MT: apertium")
        by_check: dict[str, set[str]] = {}
        for checked in runner.run(entry):
            by_check.setdefault(checked.issue.check, set()).update(_QUOTED.findall(checked.issue.message) or {"*"})
        found[segment["id"]] = by_check
    return found


def scores(segments: list[dict]) -> dict[str, Score]:
    found = findings(segments)
    result = {name: Score() for name in ("leftover words", "leftover segments", "guillemets segments", "names",
                                         "name segments", "new checks, segments", "pofilter, segments")}
    for segment in segments:
        where = f"#{segment['id']} {segment['en'][:70]!r}"
        checks = found[segment["id"]]
        leftovers = checks.get("leftover.word", set()) | checks.get("leftover.sentence", set())
        words = {w for w in leftovers if w != "*"}
        result["leftover words"].add(words, set(segment["leftovers"]), where)
        result["leftover segments"].add({"x"} if leftovers else set(), {"x"} if segment["leftovers"] else set(), where)
        result["guillemets segments"].add({"x"} if "leftover.guillemets" in checks else set(),
                                          {"x"} if segment["guillemets"] else set(), where)
        result["names"].add(checks.get("names.changed", set()), set(segment["names"]), where)
        result["name segments"].add({"x"} if "names.changed" in checks else set(), {"x"} if segment["names"] else set(), where)
        flagged = bool(leftovers or "leftover.guillemets" in checks or "names.changed" in checks)
        gold = bool(segment["leftovers"] or segment["guillemets"] or segment["names"])
        result["new checks, segments"].add({"x"} if flagged else set(), {"x"} if gold else set(), where)
        entry = polib.POEntry(msgid=segment["fr"], msgstr=segment["en"])
        result["pofilter, segments"].add({"x"} if pofilter_failures(entry) else set(), {"x"} if gold else set(), where)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every false alarm and miss")
    args = parser.parse_args()
    segments = load_labels()
    labelled = sum(bool(s["leftovers"] or s["guillemets"] or s["names"]) for s in segments)
    print(f"{len(segments)} Apertium segments, {labelled} with a labelled leftover or name "
          f"({sum(len(s['leftovers']) for s in segments)} leftover words, {sum(bool(s['guillemets']) for s in segments)} with « », "
          f"{sum(len(s['names']) for s in segments)} changed names)")
    for name, score in scores(segments).items():
        print(f"  {name:24} {score.line()}")
        if args.verbose:
            for line in score.wrong:
                print(f"      {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
