"""Glossary term accuracy and chrF with Apertium, with and without workflow.terms.carry, on the shared pairs.

Run: ``cd /work/main && uv run python bench/term_accuracy.py`` (reads ../shared beside the repo;
needs Apertium fr-es + spa-eng). One run prints every table.

Alignment: each pair's French and English paragraphs (blank-line blocks) are matched by hand in
ALIGNMENT below; date lines, press-release symbols and the English photo caption in the French
of sg-assemblee are left out. A block is split into sentences with workflow.source.segment, every
sentence is one engine segment, the block's outputs are joined with a space.

Term accuracy: per segment, each glossary term occurrence the scanner finds in the French (the
article's organisation from default_org_for) counts as hit when an accepted English form
(find_english: en or en_variants) occurs at least as many times in that segment's output, not
counting English nested inside another term's rendering. chrF: sacrebleu.corpus_chrf over blocks.

Controls (the WMT terminology task's sanity checks, made precise):
  A. absent terms: the glossary entries found in none of the segments. Pass = every engine input
     and every output byte-identical to the no-glossary run.
  B. random present terms, correct: 25 random French content words of the texts (seed 13), each
     mapped to Apertium's own translation of the word alone. Shows what the placeholders
     themselves cost (the engine loses the word's context): chrF should stay close.
  C. random present terms, unrelated: the same words mapped to unrelated English words. They must
     be applied (the carrier obeys the glossary; deciding what is a term is the glossary's job),
     and the chrF drop shows the price of a bad glossary.
"""

from __future__ import annotations

import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sacrebleu

from workflow.mt.engines import Translation
from workflow.mt.engines.apertium import ApertiumEngine, apertium_available
from workflow.terms.english import find_english
from workflow.terms.entry import Entry
from workflow.terms.organisation import default_org_for
from workflow.terms.glossary import Glossary, load_glossary
from workflow.source.segment import sentences
from workflow.terms.carry import TermCarrier

PAIRS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pairs"
COMMAND = "uv run python bench/term_accuracy.py"

# (French block indices, English block indices) per pair; blocks are split on blank lines.
ALIGNMENT: dict[str, list[tuple[tuple[int, ...], tuple[int, ...]]]] = {
    "news-113270-unga-2014": [((0,), (0,)), ((2,), (2,)), ((3,), (3,)), ((4,), (4,)), ((5,), (5,))],
    "news-155895-nato-au-staff-talks-2018": [((0,), (0,)), ((1,), (2,)), ((2,), (3,)), ((3,), (4,))],
    "news-158301-ground-zero-2018": [((0,), (0,)), ((2,), (2,)), ((3,), (3,))],
    "sg-assemblee-generale-onu-2018": [((0,), (0,)), ((2,), (1,)), ((4,), (2,)), ((5,), (3,))],
    "un-sgsm-19051-peacekeepers-day-2018": [((2,), (2,)), ((3,), (3,)), ((4,), (4,)), ((5, 6), (5,)),
                                            ((7,), (6,)), ((8, 9), (7,)), ((10,), (8,))],
}
# How an entry's `source` cites one of these pairs (its page number, or the pairs folder).
PAIR_SOURCE_KEYS = ("shared/data/pairs", "news_113270", "news_155895", "news_158301", "news_158289",
                    "sgsm19051", "19051")
RANDOM_SEED = 13
RANDOM_TERMS = 25
UNRELATED_EN = ("pineapple", "violin", "glacier", "teaspoon", "kangaroo", "lighthouse", "saxophone",
                "marmalade", "tornado", "pyjamas", "origami", "cactus", "walrus", "trombone", "avalanche",
                "biscuit", "carousel", "dandelion", "eyebrow", "flamingo", "gazebo", "hammock",
                "igloo", "jigsaw", "ketchup")
FRENCH_STOPWORDS = frozenset("""avec dans pour mais comme cette leurs notre nous vous elles ils sont
    ont été être avait aussi plus tout tous toute toutes entre depuis après avant encore contre
    ainsi dont très sous sans leur lors""".split())


@dataclass
class Segment:
    pair: str
    block: int
    text: str
    org: str | None


def blocks(path: Path) -> list[str]:
    return [b.strip() for b in path.read_text("utf-8").split("\n\n") if b.strip()]


def load_corpus() -> tuple[list[Segment], list[str], list[int]]:
    """Segments, one reference per aligned block, and the block index of each segment."""
    segments: list[Segment] = []
    references: list[str] = []
    for pair, pairs in ALIGNMENT.items():
        fr_text = (PAIRS / pair / "source_fr.txt").read_text("utf-8")
        fr, en = blocks(PAIRS / pair / "source_fr.txt"), blocks(PAIRS / pair / "reference_en.txt")
        org = default_org_for(fr_text)
        for fr_ids, en_ids in pairs:
            block = len(references)
            references.append(" ".join(en[i] for i in en_ids))
            for i in fr_ids:
                segments += [Segment(pair, block, s, org) for s in sentences(fr[i])]
    return segments, references, [s.block for s in segments]


class Memo:
    """The engine with a memory, so that variants share identical engine calls (and count them)."""

    def __init__(self, engine):
        self.engine = engine
        self.memo: dict[str, Translation | None] = {}
        self.calls = 0

    def translate_batch(self, texts: list[str]) -> list[Translation | None]:
        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            self.calls += 1
            self.memo.update(zip(todo, self.engine.translate_batch(todo)))
        return [self.memo[t] for t in texts]


def term_hits(glossary: Glossary, source: str, output: str, org: str | None) -> tuple[int, int]:
    matches = glossary.scan(source, org)
    if not matches:
        return 0, 0
    ids = list(dict.fromkeys(m.id for m in matches))
    spans = {i: [s for f in glossary.get(i).english_forms for s in find_english(f, output)] for i in ids}
    hits = 0
    for entry_id in ids:
        others = [s for other, found in spans.items() if other != entry_id for s in found]
        own = {s for s in spans[entry_id]
               if not any(o[0] <= s[0] and s[1] <= o[1] and o != s for o in others)}
        hits += min(len(own), sum(1 for m in matches if m.id == entry_id))
    return hits, len(matches)


def evaluate(name, outputs, segments, references, seg_block, glossary) -> dict:
    hits = total = 0
    for seg, out in zip(segments, outputs):
        h, t = term_hits(glossary, seg.text, out, seg.org)
        hits, total = hits + h, total + t
    hyps = [" ".join(o for o, b in zip(outputs, seg_block) if b == block) for block in range(len(references))]
    chrf = sacrebleu.corpus_chrf(hyps, [references]).score
    return {"name": name, "hits": hits, "total": total, "chrf": chrf}


def run_carrier(carrier: TermCarrier, engine: Memo, segments: list[Segment]):
    prepared = carrier.prepare([s.text for s in segments], [s.org for s in segments])
    outs = engine.translate_batch(prepared.engine_inputs)
    done = carrier.finish(prepared, outs, retry=engine.translate_batch)
    return prepared, done


def random_glossary(segments: list[Segment], glossary: Glossary, engine: Memo, unrelated: bool) -> Glossary:
    covered = set()
    for s in segments:
        for m in glossary.scan(s.text, s.org):
            covered.update(w.lower() for w in re.findall(r"\w+", m.text))
    words = sorted({w for s in segments for w in re.findall(r"\b[a-zéèêàâîôûç]{6,}\b", s.text)
                    if w not in FRENCH_STOPWORDS and w not in covered})
    picked = random.Random(RANDOM_SEED).sample(words, RANDOM_TERMS)
    if unrelated:
        english = list(UNRELATED_EN[:RANDOM_TERMS])
    else:
        english = [t.text.strip() if t else w for w, t in zip(picked, engine.translate_batch(picked))]
        english = [e[:1].lower() + e[1:] for e in english]  # Apertium capitalises a word alone
    return Glossary(tuple(Entry(id=f"random-{i}", fr=w, en=e or w, pos="other")
                          for i, (w, e) in enumerate(zip(picked, english))))


def main() -> int:
    if not PAIRS.is_dir():
        print(f"missing: {PAIRS}", file=sys.stderr)
        return 1
    if not apertium_available():
        print("Apertium fr-es + spa-eng not installed", file=sys.stderr)
        return 1
    started = time.perf_counter()
    glossary = load_glossary()
    engine = Memo(ApertiumEngine())
    segments, references, seg_block = load_corpus()
    sources = [s.text for s in segments]
    baseline = [t.text if t else "" for t in engine.translate_batch(sources)]

    rows = [evaluate("no glossary", baseline, segments, references, seg_block, glossary)]
    variants = [
        ("(b) repair only: align the term's own MT", TermCarrier(glossary, mode="repair")),
        ("(a) placeholders, no article rules", TermCarrier(glossary, mode="placeholder", article_rules=False)),
        ("(a) placeholders + article rules", TermCarrier(glossary, mode="placeholder")),
        ("(c) placeholders + rules + repair [default]", TermCarrier(glossary)),
    ]
    how_counts: dict[str, int] = {}
    for name, carrier in variants:
        _, done = run_carrier(carrier, engine, segments)
        rows.append(evaluate(name, [d.text or "" for d in done], segments, references, seg_block, glossary))
        if "[default]" in name:
            for d in done:
                for e in d.enforced:
                    how_counts[e.how] = how_counts.get(e.how, 0) + 1
            default_done = done

    print(f"$ {COMMAND}")
    print(f"{len(ALIGNMENT)} pairs, {len(references)} aligned blocks, {len(segments)} segments, "
          f"glossary {len(glossary)} entries; engine: Apertium fr→es→en")
    print()
    print(f"{'variant':46} {'term accuracy':>18} {'chrF':>7}")
    for r in rows:
        acc = 100 * r["hits"] / r["total"] if r["total"] else 100.0
        print(f"{r['name']:46} {r['hits']:>4}/{r['total']:<4} {acc:6.1f} % {r['chrf']:7.2f}")
    # The glossary was partly built from these very pairs: the same run with only the entries
    # sourced elsewhere shows how much of the chrF gain is that overlap.
    held_out = Glossary(tuple(e for e in glossary if not any(k in e.source for k in PAIR_SOURCE_KEYS)))
    _, done = run_carrier(TermCarrier(held_out), engine, segments)
    off = evaluate("", baseline, segments, references, seg_block, held_out)
    on = evaluate("", [d.text or "" for d in done], segments, references, seg_block, held_out)
    for tag, r in (("held-out glossary, without", off), ("held-out glossary, with [default]", on)):
        acc = 100 * r["hits"] / r["total"] if r["total"] else 100.0
        print(f"{tag:46} {r['hits']:>4}/{r['total']:<4} {acc:6.1f} % {r['chrf']:7.2f}")
    print(f"  (held-out = the {len(held_out)} entries whose source cites none of these pairs)")
    print(f"default: enforcement by kind {dict(sorted(how_counts.items()))}")
    misses = [(s, d) for s, d in zip(segments, default_done) if any(i.kind == 'missing' for i in d.issues)]
    for s, d in misses:
        print(f"  still missing in {s.pair}: {[i.text for i in d.issues if i.kind == 'missing']} -> {d.text!r}")

    # Control A: absent terms change nothing.
    absent = Glossary(tuple(e for e in glossary
                            if not any(Glossary((e,)).scan(s.text, s.org) for s in segments)))
    # Protected spans (names, numbers) are not glossary terms: off, so only the glossary is tested.
    prepared, done = run_carrier(TermCarrier(absent, protect=False), engine, segments)
    same_in = sum(a == b for a, b in zip(prepared.engine_inputs, sources))
    same_out = sum((d.text or "") == b for d, b in zip(done, baseline))
    print()
    print(f"control A, {len(absent)} glossary entries absent from every segment: engine inputs identical "
          f"{same_in}/{len(sources)}, outputs identical {same_out}/{len(sources)} "
          f"({'PASS' if same_in == same_out == len(sources) else 'FAIL'})")

    print(f"controls B/C, {RANDOM_TERMS} random French words of the texts (seed {RANDOM_SEED}) as terms:")
    print(f"{'':46} {'term accuracy':>18} {'chrF':>7}")
    for label, unrelated in (("B  mapped to their own Apertium MT", False), ("C  mapped to unrelated English", True)):
        rand = random_glossary(segments, glossary, engine, unrelated)
        off = evaluate("", baseline, segments, references, seg_block, rand)
        _, done = run_carrier(TermCarrier(rand), engine, segments)
        on = evaluate("", [d.text or "" for d in done], segments, references, seg_block, rand)
        for tag, r in (("without", off), ("with", on)):
            acc = 100 * r["hits"] / r["total"] if r["total"] else 100.0
            print(f"{label + ', ' + tag:46} {r['hits']:>4}/{r['total']:<4} {acc:6.1f} % {r['chrf']:7.2f}")
    print()
    print(f"{engine.calls} engine calls, {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
