"""French abbreviations through the engine: raw Apertium, drafts without the abbreviation table, drafts with it.

Run: ``uv run python bench/abbreviation_drafts.py [--verbose]`` (reads ../shared beside the repo; needs
Apertium fr-es + spa-eng).

Input: the hand-segmented sentences of ../shared/data/segmentation/gold_fr.jsonl (French NATO-style news
written to be hard for a segmenter; not the bilingual pairs, whose abbreviations are all in date lines
that are never machine-translated) that hold an abbreviation of workflow/data/abbreviations_fr_en.toml in
the context that makes it one. No official English exists for them, so the figures count failures:

  abbreviation left: the French abbreviation, without its period, is still a word of the draft
    ("the 15 janv", "the gén. Tod", "c.-To-d");
  sentence split: the draft has more sentence breaks (". " before a capital) than the French has
    (Apertium reads the abbreviation's period as the end of a sentence);
  dates lost: French dates of the sentence (abbreviated months written out first) whose English form is
    missing (workflow.terms.protect.english_has_date, the check the drafts use).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path[:1]:
    sys.path.insert(0, str(REPO))

import workflow.terms.drafts as drafts_module  # noqa: E402
import workflow.terms.protect as protect_module  # noqa: E402
from workflow.mt.engines.apertium import ApertiumEngine, apertium_available  # noqa: E402
from workflow.source.lexicon import leaning  # noqa: E402
from workflow.source.metadata import is_metadata_block  # noqa: E402
from workflow.terms.abbreviations import expand, find_abbreviations  # noqa: E402
from workflow.terms.drafts import DraftMaker  # noqa: E402
from workflow.terms.glossary import load_glossary  # noqa: E402
from workflow.terms.protect import english_has_date, find_dates  # noqa: E402

GOLD = REPO.parent / "shared" / "data" / "segmentation" / "gold_fr.jsonl"
COMMAND = "uv run python bench/abbreviation_drafts.py"
_BREAK = re.compile(r"[.!?]\s+[«“\"(]*[A-Z]")


def sentences() -> list[str]:
    found = []
    for line in GOLD.read_text("utf-8").splitlines():
        for sentence in json.loads(line)["sentences"]:
            french, english = leaning(sentence)
            # Date lines are translated by rule, English captions copied: neither reaches the engine.
            if find_abbreviations(sentence) and not is_metadata_block(sentence.strip()) and french >= english:
                found.append(sentence.strip())
    return found


def make_drafts(segments: list[str], engine: ApertiumEngine) -> list[str]:
    maker = DraftMaker(load_glossary(), alternatives=engine.alternatives())
    prepared = maker.prepare(segments)
    done = maker.finish(prepared, engine.translate_batch(list(prepared.engine_inputs)), retry=engine.translate_batch)
    return [d.translation.text if d.translation else "" for d in done]


def without_table(segments: list[str], engine: ApertiumEngine) -> list[str]:
    """The same drafts with the abbreviation table switched off (no written-out forms, no title spans)."""
    saved = drafts_module.expand, protect_module.english_spans, protect_module.ends_with_title
    drafts_module.expand, protect_module.english_spans, protect_module.ends_with_title = (
        lambda text: text), (lambda text: []), (lambda before: False)
    try:
        return make_drafts(segments, engine)
    finally:
        drafts_module.expand, protect_module.english_spans, protect_module.ends_with_title = saved


def failures(source: str, draft: str) -> dict[str, int]:
    left = sum(1 for a in find_abbreviations(source)
               if re.search(r"(?<!\w)" + re.escape(a.text.rstrip(".")) + r"(?!\w)", draft, re.IGNORECASE)
               and a.text.rstrip(".").lower() != (a.english or "").rstrip(".").lower())
    split = int(len(_BREAK.findall(draft)) > len(_BREAK.findall(source)))
    dates = find_dates(expand(source))
    lost = sum(1 for d in dates if not english_has_date(draft, d))
    return {"left": left, "split": split, "dates": len(dates), "lost": lost}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not apertium_available():
        print("Apertium fr-es/spa-eng not installed", file=sys.stderr)
        return 2
    engine = ApertiumEngine()
    segments = sentences()
    systems = {"raw Apertium": [t.text if t else "" for t in engine.translate_batch(segments)],
               "drafts, no abbreviation table": without_table(segments, engine),
               "drafts (default)": make_drafts(segments, engine)}
    count = sum(len(find_abbreviations(s)) for s in segments)
    print(f"$ {COMMAND}\n{len(segments)} sentences of {GOLD.name} with {count} abbreviations in context")
    print(f"\n{'system':32} {'abbreviations left':>19} {'sentences split':>16} {'dates lost':>11}")
    for name, outputs in systems.items():
        totals = {"left": 0, "split": 0, "dates": 0, "lost": 0}
        for source, draft in zip(segments, outputs):
            for key, value in failures(source, draft).items():
                totals[key] += value
        print(f"{name:32} {totals['left']:>10} / {count:<6} {totals['split']:>7} / {len(segments):<6} "
              f"{totals['lost']:>4} / {totals['dates']}")
    if args.verbose:
        for n, source in enumerate(segments):
            print(f"\nFR  {source}")
            for name, outputs in systems.items():
                print(f"    {name}: {outputs[n]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
