"""Does `workflow check` find inconsistent renderings across files, and stay quiet on official English?

Run: ``uv run python bench/consistency_plants.py [--verbose]`` (reads ../shared beside the repo).

Reviewed PO files are built from the shared pairs: one file per pair, one reviewed entry per
aligned sentence pair (`tm import-pair`'s aligner), msgstr = the official English.

(a) Official English, unmodified: every consistency finding is listed with its reason.
(b) Planted inconsistencies, deterministic, in copies of those files:
    * same-source: an entry is copied into another file (a second article repeating the
      sentence) with its English altered the way revisers do (a word swapped for a synonym,
      a hyphen added, two words reordered);
    * term-variants: in one entry holding a recurring term, its usual rendering is replaced by
      a variant spelling (hyphen, case-insensitive respelling, a word changed).
    Caught = a finding of the expected check on the planted entry that the clean files lacked
    (compared by message: a planted entry may already have had a finding about another term).
    --verbose says how each missed term variant was planted and what the archive then mined.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import benchlib  # noqa: F401
import polib

from workflow.qa.checks import check_paths
from workflow.qa.consistency import SAME_SOURCE, TERM_VARIANTS, ConsistencyChecks
from workflow.review.align import import_pair
from workflow.review.archive import ReviewedPair
from workflow.review.memory import TranslationMemory
from workflow.review.term_mining import mine_archive

PAIRS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pairs"
SYNONYMS = {"said": "stated", "meeting": "session", "support": "assistance", "countries": "nations",
            "important": "significant", "help": "assist", "met": "held talks with", "new": "fresh"}


def reviewed_files(folder: Path) -> dict[Path, list[tuple[str, str]]]:
    files: dict[Path, list[tuple[str, str]]] = {}
    with tempfile.TemporaryDirectory() as tmp, TranslationMemory(Path(tmp) / "tm.sqlite", root=PAIRS_DIR) as tm:
        for pair in sorted(p for p in PAIRS_DIR.iterdir() if (p / "source_fr.txt").is_file()):
            result = import_pair(pair / "source_fr.txt", pair / "reference_en.txt", tm)
            files[folder / f"{pair.name}.po"] = [(p.fr, p.en) for p in result.pairs]
    return files


def write(files: dict[Path, list[tuple[str, str]]]) -> list[Path]:
    for path, pairs in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = polib.POFile(wrapwidth=0)
        catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
        seen = set()
        for fr, en in pairs:
            if fr not in seen:
                seen.add(fr)
                catalog.append(polib.POEntry(msgid=fr, msgstr=en))
        catalog.save(str(path))
    return sorted(files)


def consistency(paths: list[Path]):
    findings = check_paths(paths, archive_checks=[ConsistencyChecks()]).findings
    return [f for f in findings if f.check.startswith("consistency.")]


def alter(english: str, n: int) -> str | None:
    """A reviser's variant of a sentence: a synonym, a hyphen, or two words swapped."""
    words = english.split()
    for k, word in enumerate(words):
        if word.lower() in SYNONYMS and n % 3 == 0:
            words[k] = SYNONYMS[word.lower()]
            return " ".join(words)
    if n % 3 == 1:
        for k in range(len(words) - 1):
            if words[k].isalpha() and words[k + 1].isalpha() and words[k].islower() and words[k + 1].islower():
                words[k] = words[k] + "-" + words[k + 1]
                del words[k + 1]
                return " ".join(words)
    for k in range(1, len(words) - 1):
        if words[k].isalpha() and words[k + 1].isalpha():
            words[k], words[k + 1] = words[k + 1], words[k]
            return " ".join(words)
    return None


def variant_of(rendering: str, n: int) -> str:
    words = rendering.split()
    if len(words) > 1 and n % 2 == 0:
        return words[0] + "-" + " ".join(words[1:])  # a hyphen added
    if "-" in rendering:
        return rendering.replace("-", " ", 1)
    return rendering[:-1] + rendering[-1] * 2  # a letter doubled (a plural would not count: it is inflection)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not PAIRS_DIR.is_dir():
        print(f"shared pairs not found at {PAIRS_DIR}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        files = reviewed_files(base / "clean")
        clean = consistency(write(files))
        print(f"(a) official English, {len(files)} files, {sum(len(v) for v in files.values())} entries: "
              f"{len(clean)} consistency findings")
        for f in clean:
            print(f"    {f.path.name}:{f.line}: {f.severity} [{f.check}] {f.message[:220]}")

        planted: list[tuple[str, Path, str]] = []  # (check, file, msgid)
        what: dict[tuple[str, Path, str], str] = {}  # how each term variant was planted
        copies = {base / "planted" / p.name: list(v) for p, v in files.items()}
        names = sorted(copies)
        n = 0
        for index, path in enumerate(names):  # same-source: a sentence repeated in the next file, reworded
            for fr, en in copies[path][1:3]:
                changed = alter(en, n)
                if changed and changed != en and len(fr.split()) >= 5:
                    target = names[(index + 1) % len(names)]
                    copies[target].append((fr, changed))
                    planted.append((SAME_SOURCE, target, fr))
                    n += 1
        pairs = [ReviewedPair(fr, en, str(p)) for p, v in files.items() for fr, en in v]
        mined = mine_archive(pairs)
        used: set[str] = set()
        for term in mined.terms:  # term variants: one entry of each recurring term respelt
            if term.pairs < 3 or term.best.count < 3 or " " not in term.best.text and "-" not in term.best.text:
                continue
            for doc, hit in term.occurrences:
                fr, en = mined.docs[doc][0].source, mined.docs[doc][0].target
                if hit != term.best.key or fr in used or term.best.text not in en:
                    continue
                path = Path(mined.docs[doc][0].where)
                target = base / "planted" / path.name
                copies[target] = [(f, en.replace(term.best.text, variant_of(term.best.text, n), 1) if f == fr else e)
                                  for f, e in copies[target]]
                used.add(fr)
                planted.append((TERM_VARIANTS, target, fr))
                what[planted[-1]] = f"{term.french!r}: {term.best.text!r} → {variant_of(term.best.text, n)!r}"
                n += 1
                break
        found = consistency(write(copies))
        # A finding the clean files lacked (an entry may already have had one about another term).
        clean_keys = {(f.check, f.path.name, f.msgid, f.message) for f in clean}
        caught = [p for p in planted if any(
            f.check == p[0] and f.path == p[1] and f.msgid == p[2]
            and (f.check, f.path.name, f.msgid, f.message) not in clean_keys
            for f in found)]
        by_kind = {kind: (sum(1 for p in caught if p[0] == kind), sum(1 for p in planted if p[0] == kind))
                   for kind in (SAME_SOURCE, TERM_VARIANTS)}
        rate = len(caught) / len(planted) if planted else 0.0
        print(f"(b) planted {len(planted)} inconsistent renderings: {len(caught)} reported ({rate:.1%})   target ≥ 95%")
        for kind, (got, total) in by_kind.items():
            print(f"    {kind}: {got}/{total}")
        missed = [p for p in planted if p not in caught]
        for check, path, msgid in missed if args.verbose or len(missed) < 10 else missed[:10]:
            print(f"    missed {check}: {path.name}: {what.get((check, path, msgid), msgid[:100])}")
            if args.verbose:
                replanted = [ReviewedPair(fr, en, str(p)) for p, v in copies.items() for fr, en in v]
                for term in mine_archive(replanted).terms:
                    if what.get((check, path, msgid), "").startswith(repr(term.french)):
                        print(f"        mined: {term.pairs} pairs, {[(r.text, r.count) for r in term.renderings]}, "
                              f"confidence {term.confidence}")
    return 0 if rate >= 0.95 else 1


if __name__ == "__main__":
    raise SystemExit(main())
