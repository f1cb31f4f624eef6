"""Time and peak memory of `glossary suggest` and the consistency checks at archive scale.

Run: ``uv run python bench/consistency_scale.py [--articles 2000] [--memory-pairs 100000]``

Input (generated, deterministic): `--articles` reviewed PO files and a translation memory of
`--memory-pairs` pairs, made from the sentence pairs of ../shared/data/pairs with a serial
number and a varied figure in each sentence, so pairs are distinct (as in a real archive) while
the terms recur. Each phase runs in its own process (benchlib) so its peak RSS is its own.
The machine is shared with other engineers: wall times are noisy (the CPU others used is shown).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import benchlib
import polib

PAIRS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pairs"


def _pairs() -> list[tuple[str, str]]:
    from workflow.review.align import import_pair
    from workflow.review.memory import TranslationMemory

    out: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp, TranslationMemory(Path(tmp) / "tm.sqlite", root=PAIRS_DIR) as tm:
        for pair in sorted(p for p in PAIRS_DIR.iterdir() if (p / "source_fr.txt").is_file()):
            out += [(p.fr, p.en) for p in import_pair(pair / "source_fr.txt", pair / "reference_en.txt", tm).pairs]
    return out


def _vary(fr: str, en: str, n: int) -> tuple[str, str]:
    return f"{fr} (n° {n}, {n % 97} unités)", f"{en} (no. {n}, {n % 97} units)"


def build(workdir: Path, articles: int, memory_pairs: int) -> None:
    from workflow.review.memory import TMUnit, TranslationMemory

    base = _pairs()
    folder = workdir / "translations"
    folder.mkdir(parents=True)
    n = 0
    for a in range(articles):
        catalog = polib.POFile(wrapwidth=0)
        catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
        for k in range(40):
            fr, en = _vary(*base[(a * 7 + k) % len(base)], n)
            catalog.append(polib.POEntry(msgid=fr, msgstr=en))
            n += 1
        catalog.save(str(folder / f"article-{a:05d}.po"))
    with TranslationMemory(workdir / "tm.sqlite", root=workdir) as tm:
        units = []
        for k in range(memory_pairs):
            fr, en = _vary(*base[k % len(base)], n)
            units.append(TMUnit(fr, en, f"import-{k // 50}.txt + en.txt"))
            n += 1
        tm.add_pairs(units)


def phase(name: str, workdir: Path) -> dict:
    from workflow.qa.checks import check_paths
    from workflow.qa.consistency import ConsistencyChecks
    from workflow.review.archive import archive_pairs, open_memory
    from workflow.review.suggest import suggest_terms
    from workflow.terms.glossary import load_glossary

    meter = benchlib.Meter()
    with meter:
        if name == "suggest":
            pairs, _ = archive_pairs([workdir / "translations"], workdir / "tm.sqlite")
            result = {"pairs": len(pairs), "suggestions": len(suggest_terms(pairs, load_glossary()))}
        else:
            tm = open_memory(workdir / "tm.sqlite")
            checks = ConsistencyChecks(tm, load_glossary())
            report = check_paths([workdir / "translations"], archive_checks=[checks])
            result = {"entries": len(checks.seen), "findings": len(report.findings)}
            tm.close()
    return {**result, "seconds": round(meter.seconds, 1), "others_cores": meter.other_cores, "peak_rss_mib": round(benchlib.peak_rss_mib())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--memory-pairs", type=int, default=100_000)
    parser.add_argument("--_phase")
    parser.add_argument("--_workdir")
    args = parser.parse_args()
    if args._phase:
        benchlib.write_phase_result(Path(args._workdir), args._phase, phase(args._phase, Path(args._workdir)))
        return 0
    if not PAIRS_DIR.is_dir():
        print(f"shared pairs not found at {PAIRS_DIR}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        build(workdir, args.articles, args.memory_pairs)
        print(f"{args.articles} PO files × 40 reviewed entries, memory of {args.memory_pairs} pairs")
        for name in ("suggest", "consistency"):
            result = benchlib.run_child_phase(__file__, name, workdir, [])
            print(f"{name}: {result}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
