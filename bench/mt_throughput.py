"""MT throughput: how close `workflow translate` gets to raw CTranslate2, and how far
it is ahead of argostranslate's one-sentence-per-call translation.

Run: ``uv run python bench/mt_throughput.py [--articles 200] [--quick] [--json]``
(about 19 minutes on 2 cores; ``--quick`` is a one-minute smoke run on a tiny model).

Everything is measured in one run, so only the ratios are meant to be compared:

1. ceiling: raw ``ctranslate2.Translator.translate_batch`` on pre-tokenised,
   length-sorted segments, with the best of a few thread/batch settings;
2. end to end: ``translate_articles`` (read, segment, MT, cache, write PO) with
   ``ArgosEngine`` and its default settings, model load included;
3. argostranslate-style: one ``translate_batch`` call per segment.

A base-size fake Argos package (random weights, tests/argos_fake.py) never emits
end-of-sentence, so each output is exactly as long as its max decoding length:
every method gets min/max decoding length = ratio x source tokens and therefore
does the same work (checked: same number of output tokens everywhere).
Each phase runs in its own process, so its peak RSS and its timing are its own.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Sibling modules; benchlib also puts the repository first on sys.path (before
# argostranslate's own top-level `tests` package).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import isolate_home, run_child_phase, write_phase_result  # noqa: E402
from mt_inputs import prepare  # noqa: E402
from mt_phases import PHASES, ROUND_PHASES  # noqa: E402
from mt_report import CHECKS, print_report, summarise  # noqa: E402


# --------------------------------------------------------------------------- main


def run_phase(name: str, workdir: Path, args: argparse.Namespace, round_: int = 0) -> dict[str, Any]:
    """Each phase in a fresh interpreter: its own peak RSS, no warm state from the others."""
    argv = [
        "--_round", str(round_),
        "--ratio", str(args.ratio), "--search-every", str(args.search_every),
        "--one-by-one-segments", str(args.one_by_one_segments), "--repeats", str(args.repeats),
    ] + (["--profile"] if args.profile else [])
    if not args.json:
        print(f"  ... {name}" + (f" (round {round_ + 1})" if name in ROUND_PHASES else ""), file=sys.stderr, flush=True)
    return run_child_phase(__file__, name, workdir, argv)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=None, help="article files to translate (default 200; 14 with --quick)")
    parser.add_argument("--quick", action="store_true", help="smoke run: few articles, tiny model")
    parser.add_argument("--model", choices=("base", "tiny"), default=None, help="fake model size (default base; tiny with --quick)")
    parser.add_argument("--ratio", type=float, default=0.5, help="decoding length = ratio x source tokens (default 0.5)")
    parser.add_argument("--search-every", type=int, default=8, help="ceiling search on every Nth length group (1 = all)")
    parser.add_argument("--one-by-one-segments", type=int, default=100, help="segments in the one-per-call sample")
    parser.add_argument("--rounds", type=int, default=2, help="alternating ceiling/end-to-end rounds; best of each counts")
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the short re-run/none timings")
    parser.add_argument("--profile", action="store_true", help="cProfile the end-to-end run (printed at the end)")
    parser.add_argument("--json", action="store_true", help="print machine-readable results only")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument("--_phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--_workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_round", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.model is None:
        args.model = "tiny" if args.quick else "base"
    if args.articles is None:
        args.articles = 14 if args.quick else 200
    if args.quick:
        args.search_every = min(args.search_every, 2)
        args.one_by_one_segments = min(args.one_by_one_segments, 40)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args._phase:
        write_phase_result(args._workdir, args._phase, PHASES[args._phase](args._workdir, args))
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="mt-throughput-"))
    try:
        isolate_home(workdir)
        started = time.perf_counter()
        results: dict[str, Any] = {"prepare": prepare(workdir, args)}
        if not args.json:
            p = results["prepare"]
            print(
                f"prepared {p['articles']} articles, {p['segments']} segments, "
                f"{p['expected_out_tokens']} output tokens to decode",
                file=sys.stderr,
            )
        results["search"] = run_phase("search", workdir, args)
        (workdir / "ranked.json").write_text(json.dumps(results["search"]["ranked"]))
        # Ceiling and end-to-end alternate and each keeps its best round: a
        # neighbour's CPU burst then cannot favour one side of the ratio.
        for round_ in range(args.rounds):
            for name in ROUND_PHASES:
                results.setdefault(f"{name}_rounds", []).append(run_phase(name, workdir, args, round_))
        for name in ROUND_PHASES:
            results[name] = max(results[f"{name}_rounds"], key=lambda r: r["tokens_per_s"])
        for name in ("rerun", "one_by_one", "pipeline"):
            results[name] = run_phase(name, workdir, args)
        results["verdicts"] = summarise(results)
        results["total_seconds"] = time.perf_counter() - started
        if args.json:
            print(json.dumps(results, indent=2))
        else:
            print_report(results)
            print(f"\ntotal bench time {results['total_seconds']:.0f} s")
            if args.profile:
                print("\nend-to-end profile (top by own time):")
                print((workdir / "e2e-0.profile.txt").read_text())
        counted = CHECKS if args.model == "tiny" else results["verdicts"].keys()
        return 0 if all(results["verdicts"][name]["pass"] for name in counted) else 1
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
