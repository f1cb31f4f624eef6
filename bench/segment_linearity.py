"""Segmenter time against input size, on the inputs that used to be quadratic.

Run: ``uv run python bench/segment_linearity.py`` (``--quick`` for smaller sizes,
``--json`` for machine-readable output).

Issue #11 measured 54 kB of chained initials ("X. X. X. …") at 63 s, and 2,000 of them
raised RecursionError. Each generator below repeats one pattern that made some step of
the segmenter rescan the line before the current period (the previous period's class,
straight quotes counted from the line start, the piece so far copied to look for a letter,
a list bullet prefix, the rest of the line copied after an initial) up to sizes of 216 kB,
plus real article text as a control. For each, the script prints the best-of-N time per
size, microseconds per kB, and the growth exponent between the smallest and largest size
(time ∝ size^k: k ≈ 1 is linear, 2 quadratic). Timings are wall-clock on a shared
machine: expect noise of ±20 % on single figures; the exponent over a 32× size range
is robust to it. Target: k < 1.3 for every input and 54 kB of initials well under 1 s.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from workflow.source.segment import segment

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "source_fr").glob("*.txt"))

PATTERNS = {
    "initials 'X. '": "X. ",
    "list markers 'a. '": "a. ",
    "hyphenated initials 'J.-P. '": "J.-P. ",
    "initial + particle 'A. Le '": "A. Le ",
    "straight quotes '\"X.\" '": '"X." ',
    "guillemets '« X. » '": "« X. » ",
    "ellipses '… '": "… ",
    "ranks 'gén. Le '": "gén. Le ",
    "glued periods 'Ab.Cd.'": "Ab.Cd.",
    "one long token 'x.'": "x.",
}


def _text(unit: str, size: int) -> str:
    return "Le rapport. " + unit * (size // len(unit.encode("utf-8"))) + "Fin."


def _article_text(size: int) -> str:
    corpus = "\n\n".join(path.read_text("utf-8") for path in SOURCES)
    # one paragraph (no newline), as a pasted article without line breaks would be
    flat = " ".join(corpus.split())
    return (flat + " ") * (size // len(flat.encode("utf-8")) + 1)


def _best_time(text: str, repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        segment(text)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 6.75 kB to 54 kB")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sizes = [6_750 * 2**i for i in range(4 if args.quick else 6)]  # 6.75 kB … 216 kB

    inputs = {name: (lambda size, unit=unit: _text(unit, size)) for name, unit in PATTERNS.items()}
    inputs["article text, one line"] = _article_text
    results = []
    for name, make in inputs.items():
        times = [_best_time(make(size), args.repeats) for size in sizes]
        exponent = math.log(times[-1] / times[0]) / math.log(sizes[-1] / sizes[0])
        results.append({
            "input": name,
            "sizes_bytes": sizes,
            "seconds": [round(t, 5) for t in times],
            "us_per_kb": [round(t / (s / 1000) * 1e6, 1) for t, s in zip(times, sizes)],
            "exponent": round(exponent, 2),
        })
    at_54k = _best_time(_text(PATTERNS["initials 'X. '"], 54_000), args.repeats)

    if args.json:
        print(json.dumps({"results": results, "initials_54kB_seconds": round(at_54k, 4)}, indent=2))
    else:
        header = f"{'input':34} " + " ".join(f"{s / 1000:>8.1f}kB" for s in sizes) + "   µs/kB(max)  exponent"
        print(header)
        for row in results:
            cells = " ".join(f"{t * 1000:>8.1f}ms" for t in row["seconds"])
            print(f"{row['input']:34} {cells}   {row['us_per_kb'][-1]:>10.1f}  {row['exponent']:>8.2f}")
        print(f"\n54 kB of chained initials: {at_54k * 1000:.0f} ms (issue #11: 63 s before the fix)")
    worst = max(row["exponent"] for row in results)
    ok = worst < 1.3 and at_54k < 1.0
    print(f"worst exponent {worst:.2f} (target < 1.3), 54 kB initials {at_54k:.3f} s (target < 1 s): "
          f"{'PASS' if ok else 'FAIL'}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
