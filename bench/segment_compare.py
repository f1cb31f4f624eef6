"""Compare workflow.source.segment with a naive regex splitter on the shared gold files.

Run: ``uv run python bench/segment_compare.py`` (reads ../shared beside the repo).
The naive baseline shows how much of the score the rule layer earns.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from workflow.source.segment import boundary_f1, sentences

GOLD_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "segmentation"
EXTRA = Path(__file__).resolve().parents[1] / "tests" / "data" / "segmentation_extra_fr.jsonl"

# Split after . ! ? followed by whitespace and a capital letter, nothing else.
NAIVE_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ])")


def naive_sentences(text: str) -> list[str]:
    return [piece.strip() for piece in NAIVE_BOUNDARY.split(text) if piece.strip()]


def naive_sentences_with_lines(text: str) -> list[str]:
    return [s for line in text.splitlines() for s in naive_sentences(line)]


def main() -> int:
    paths = [GOLD_DIR / "gold_fr.jsonl", GOLD_DIR / "seed_articles.jsonl", EXTRA]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        print("missing: " + ", ".join(missing), file=sys.stderr)
        return 1
    splitters = {
        "workflow.source.segment": sentences,
        "naive regex": naive_sentences,
        "naive regex + newlines": naive_sentences_with_lines,
    }
    print(f"{'file':32} {'paragraphs':>10} " + " ".join(f"{name:>24}" for name in splitters))
    for path in paths:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        gold = [record["sentences"] for record in records]
        scores = [
            boundary_f1(gold, [split(record["text"]) for record in records])
            for split in splitters.values()
        ]
        print(f"{path.name:32} {len(records):>10} " + " ".join(f"{score:>24.3f}" for score in scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
