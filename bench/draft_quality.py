"""How good are the English drafts `workflow translate` writes, next to raw Apertium on the same text?

Run: ``uv run python bench/draft_quality.py [--verbose] [--json]`` (reads ../shared beside the repo;
needs Apertium fr-es + spa-eng). One run prints every figure of issue #16.

Input: every pair in ../shared/data/pairs. Each pair's French is copied into a scratch project and
translated by `translate_articles` exactly as `workflow translate --engine apertium` does (house
glossary, no translation memory, fresh MT cache); the drafts are read back from the PO files. The
same French segments also go through Apertium alone ("raw"). Units of comparison are the aligned
blocks of each pair's meta.json (1:1, 1:2 and 2:1 merged into one unit); date lines, image labels,
captions (copied, never translated) and document symbols are left out.

Systems: raw Apertium; drafts with the house glossary; drafts with the *held-out* glossary (the
house entries whose source cites none of these pairs: the glossary was partly built from them, so
this row is the honest estimate for unseen articles); drafts with the house glossary and the open
termbases of ../shared/data/termbases imported as a reference layer (`workflow glossary import`,
not enforced: it reaches the drafts only as the lexicon of leftover repair, terms/morphology.py).

Figures (per system):
  chrF, chrF++ (word bigrams), BLEU: sacrebleu corpus scores over the units.
  names kept: a capitalised French token that is not the first word of its segment and occurs
    (case-sensitive, whole word) in the official English unit must occur in the draft unit.
  numbers/dates kept: every number of the French (read the French way: "3 000", "1,5") must
    appear in the draft with the same value read the English way ("3,000", "1.5"), and every
    French date ("29 mai 1948", "1er décembre") as an English date with the same day and month
    (and year). Counted here with its own small patterns, independently of the product's code.
  leftovers: segments whose draft holds a French or Spanish word
    (workflow.source.lexicon.foreign_words, the detector the QA check shares), not counting words
    the official English unit uses too ("Chargé d’Affaires"). A word marked as left over counts.
  term accuracy: glossary terms found in the French that reach the draft (bench/term_accuracy's
    term_hits, house glossary).

chrF breakdown (house glossary drafts; what the gap to the +12 target is made of):
  units with / without leftovers: corpus chrF of raw and drafts on the units whose drafts still hold
    a French or Spanish word (as counted above) and on the others, whose only difference from the
    official English is wording.
  ablations: the same `translate` run with one mechanism of terms/drafts.py switched off (leftover
    repair; post-editing; protected spans), so each mechanism's share of the gain is measured, not
    guessed.
  leftover oracle: every leftover word of a draft (marked "[word]" or not) replaced, one after the
    other, by the word or word pair of the official English unit that raises that unit's sentence
    chrF most (an optimistic, hand-free stand-in for "fixed with the official word": the best
    any leftover repair could do), on the drafts and on the drafts made without leftover repair.
    The procedure is optimistic by itself (it may pick any official word), so it is also run on as
    many ordinary English words of the same units, chosen at random (seeded): the control. Oracle
    minus control is what the leftovers themselves cost.
  route oracle: for each unit, the best raw output of Apertium's installed routes (fr→es→en,
    fr→ca→en, fr→eo→en) chosen with the official English: what choosing a route could add.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import sacrebleu

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path[:1]:
    sys.path.insert(0, str(REPO))

from bench.term_accuracy import term_hits  # noqa: E402
import workflow.translate as translate_module  # noqa: E402
from workflow.mt.engines.apertium import ApertiumEngine, apertium_available  # noqa: E402
from workflow.review.pofile import read_po  # noqa: E402
from workflow.source.article import read_article  # noqa: E402
from workflow.source.extract import Treatment, extract_segments  # noqa: E402
from workflow.source.lexicon import foreign_words  # noqa: E402
from workflow.terms.glossary import DEFAULT_GLOSSARY, Glossary, load_glossary  # noqa: E402
from workflow.terms.organisation import default_org_for  # noqa: E402
from workflow.terms.termbase import import_termbase  # noqa: E402
from workflow.translate import translate_articles  # noqa: E402

PAIRS = REPO.parent / "shared" / "data" / "pairs"
TERMBASE = REPO.parent / "shared" / "data" / "termbases" / "open_fr_en.csv"
COMMAND = "uv run python bench/draft_quality.py"
SKIPPED_KINDS = ("date_line", "image_label", "image_caption", "doc_symbol")
TARGETS = {"chrf_gain": 12.0, "names": 98.0, "numbers": 100.0, "leftovers": 2.0, "terms": 95.0}


@dataclass
class Segment:
    pair: str
    unit: int
    text: str
    org: str | None
    translate: bool  # False: a caption or a metadata line, filled by rule in every system
    fixed: str = ""  # the rule's output when not translated


@dataclass
class Corpus:
    segments: list[Segment] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # one per unit
    unit_pairs: list[str] = field(default_factory=list)


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def _units(meta: dict) -> list[tuple[list[int], list[int]]]:
    """Aligned blocks merged into units (a 2:1 or 1:2 alignment is one unit)."""
    links = [(a["fr"], a["en"]) for a in meta["alignment"]
             if a["fr"] is not None and a["en"] is not None
             and not any(a["kind"].startswith(k) for k in SKIPPED_KINDS)]
    units: list[tuple[set[int], set[int]]] = []
    for fr, en in links:
        joined = [u for u in units if fr in u[0] or en in u[1]]
        merged = ({fr}, {en})
        for u in joined:
            merged[0].update(u[0])
            merged[1].update(u[1])
            units.remove(u)
        units.append(merged)
    return sorted(((sorted(f), sorted(e)) for f, e in units), key=lambda u: u[0][0])


def load_corpus(pairs_dir: Path, work: Path) -> Corpus:
    """Copies every pair's French into work/source_fr/<slug>.txt and lists its segments by unit."""
    corpus = Corpus()
    (work / "source_fr").mkdir(parents=True)
    for folder in sorted(p for p in pairs_dir.iterdir() if (p / "meta.json").is_file()):
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        path = work / "source_fr" / f"{folder.name}.txt"
        shutil.copyfile(folder / "source_fr.txt", path)
        published = re.match(r"\d{4}-\d{2}(?:-\d{2})?", meta.get("source_fr", {}).get("published") or "")
        if published:  # an archived article keeps its date on disk (place names change: Türkiye)
            day = published.group() + ("-01" if len(published.group()) == 7 else "")
            stamp = datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()
            os.utime(path, (stamp, stamp))
        article = read_article(path)
        english = _blocks((folder / "reference_en.txt").read_text("utf-8"))
        if len(article.blocks) != meta["blocks"]["fr"] or len(english) != meta["blocks"]["en"]:
            raise SystemExit(f"{folder.name}: block count differs from meta.json")
        org = default_org_for(article.text)
        by_block: dict[int, list] = {}
        for seg in extract_segments(article):
            by_block.setdefault(article.blocks.index(seg.block), []).append(seg)
        for fr_ids, en_ids in _units(meta):
            unit = len(corpus.references)
            corpus.references.append(" ".join(english[i] for i in en_ids))
            corpus.unit_pairs.append(folder.name)
            for i in fr_ids:
                for seg in by_block.get(i, []):
                    translate = seg.treatment is Treatment.TRANSLATE
                    corpus.segments.append(Segment(folder.name, unit, seg.text, org, translate,
                                                   "" if translate else seg.rule_translation() or ""))
    return corpus


def held_out_glossary(glossary: Glossary, pairs_dir: Path) -> Glossary:
    """House entries whose source cites none of the pairs (by slug or page name)."""
    keys: set[str] = set()
    for folder in pairs_dir.iterdir():
        meta_path = folder / "meta.json"
        if not meta_path.is_file():
            continue
        meta = json.loads(meta_path.read_text("utf-8"))
        keys.add(folder.name)
        for side in ("source_fr", "reference_en"):
            for url_key in ("url", "canonical_url"):
                url = meta.get(side, {}).get(url_key) or ""
                page = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
                page = re.sub(r"(?:\.doc)?\.html?$", "", page)
                if len(page) >= 6:
                    keys.add(page)
    return Glossary(tuple(e for e in glossary if not any(k in e.source for k in keys)))


def with_termbase(work: Path, termbase: Path) -> Glossary:
    """The house glossary with `termbase` imported under it as the reference layer "open"."""
    folder = work / "glossary-with-termbase"
    folder.mkdir()
    shutil.copyfile(DEFAULT_GLOSSARY, folder / DEFAULT_GLOSSARY.name)
    import_termbase(termbase, folder, name="open", cache_dir=work / "index-cache")
    return load_glossary(folder, cache_dir=work / "index-cache")


def drafts(corpus: Corpus, work: Path, glossary: Glossary | None, engine, tag: str,
           switched_off: dict[str, bool] | None = None) -> tuple[list[str], float]:
    """`translate` end to end into work/<tag>; the msgstr of each segment, and the seconds it took.
    `switched_off`: DraftMaker options forced for an ablation ({"repair_leftovers": False}…)."""
    out = work / tag
    original = translate_module.DraftMaker
    if switched_off:
        class Ablated(original):  # type: ignore[valid-type, misc]
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **{**kwargs, **switched_off})
        translate_module.DraftMaker = Ablated  # type: ignore[misc]
    try:
        started = time.perf_counter()
        report = translate_articles([work / "source_fr"], engine=engine, out_dir=out, root=work,
                                    cache_path=work / f"{tag}.sqlite", glossary=glossary)
        seconds = time.perf_counter() - started
    finally:
        translate_module.DraftMaker = original  # type: ignore[misc]
    if not report.ok:
        raise SystemExit(f"translate failed: {report.errors}")
    found: dict[tuple[str, str], str] = {}
    for po in sorted((out / "en").glob("*.po")):
        for entry in read_po(po):
            found[(po.stem, entry.msgid)] = entry.msgstr
    return [found.get((s.pair, s.text), "") if s.translate else s.fixed for s in corpus.segments], seconds


# ---------------------------------------------------------------------------------------------
# Figures

_WORD = re.compile(r"[^\W\d_]+(?:[-‑’'][^\W\d_]+)*")
_FR_MONTHS = ("janvier février mars avril mai juin juillet août septembre octobre novembre décembre").split()
_EN_MONTHS = ("january february march april may june july august september october november december").split()
_FR_DATE = re.compile(r"(?<!\d)(1er|\d{1,2})[  \u202f]+(" + "|".join(_FR_MONTHS) + r")(?:[  \u202f]+(\d{4}))?",
                      re.IGNORECASE)
_EN_DATE = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)? (" + "|".join(_EN_MONTHS) + r")(?:,? (\d{4}))?"
                      r"|(" + "|".join(_EN_MONTHS) + r") (\d{1,2})(?:st|nd|rd|th)?(?:, (\d{4}))?", re.IGNORECASE)
_FR_NUMBER = re.compile(r"(?<![\w,.])\d{1,3}(?:[  \u202f]\d{3})+(?:,\d+)?(?![\d])|(?<![\w,.])\d+(?:,\d+)?(?![\d])")
_EN_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|(?<![\w.])\d+(?:\.\d+)?(?!\d)")


def _fr_value(text: str) -> Decimal:
    return Decimal(re.sub(r"[  \u202f]", "", text).replace(",", "."))


def _en_value(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def number_spans(source: str) -> list[tuple[str, object]]:
    """("date", (day, month, year)) and ("number", value) spans of a French segment."""
    spans: list[tuple[str, object]] = []
    blanked = source
    for m in _FR_DATE.finditer(source):
        day = 1 if m.group(1) == "1er" else int(m.group(1))
        spans.append(("date", (day, _FR_MONTHS.index(m.group(2).lower()) + 1, int(m.group(3)) if m.group(3) else None)))
        blanked = blanked[:m.start()] + " " * (m.end() - m.start()) + blanked[m.end():]
    for m in _FR_NUMBER.finditer(blanked):
        spans.append(("number", _fr_value(m.group())))
    return spans


def english_numbers(text: str) -> tuple[set, set[Decimal]]:
    dates = set()
    for m in _EN_DATE.finditer(text):
        if m.group(1):
            day, month, year = m.group(1), m.group(2), m.group(3)
        else:
            day, month, year = m.group(5), m.group(4), m.group(6)
        dates.add((int(day), _EN_MONTHS.index(month.lower()) + 1, int(year) if year else None))
    values = {_en_value(m.group()) for m in _EN_NUMBER.finditer(text)}
    return dates, values


def numbers_kept(source: str, draft: str) -> tuple[int, int, list[str]]:
    dates, values = english_numbers(draft)
    kept = 0
    lost: list[str] = []
    spans = number_spans(source)
    for kind, value in spans:
        if kind == "date":
            day, month, year = value  # type: ignore[misc]
            ok = any(d[:2] == (day, month) and (year is None or d[2] in (None, year)) for d in dates)
            ok = ok and (year is None or Decimal(year) in values or any(d[2] == year for d in dates))
        else:
            ok = value in values
        kept += ok
        if not ok:
            lost.append(f"{kind} {value}")
    return kept, len(spans), lost


def name_tokens(segment: str) -> list[str]:
    """Capitalised tokens that do not open the segment."""
    words = list(_WORD.finditer(segment))
    return [w.group() for n, w in enumerate(words) if n > 0 and w.group()[:1].isupper()]


def _has_word(word: str, text: str) -> bool:
    return re.search(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", text) is not None


def leftover_words(draft: str, reference: str):
    """French or Spanish words of a draft, not counting words the official English unit uses too
    ("Chargé d’Affaires")."""
    return [w for w in foreign_words(draft)
            if not (w.text in reference if w.text[-1:] in "’'" else _has_word(w.text, reference))]


def unit_texts(corpus: Corpus, outputs: list[str]) -> list[str]:
    return [" ".join(o for s, o in zip(corpus.segments, outputs) if s.unit == u) for u in range(len(corpus.references))]


def figures(corpus: Corpus, outputs: list[str], glossary: Glossary, verbose: bool = False) -> dict:
    hyps = unit_texts(corpus, outputs)
    refs = [corpus.references]
    result = {
        "chrf": sacrebleu.corpus_chrf(hyps, refs).score,
        "chrf++": sacrebleu.corpus_chrf(hyps, refs, word_order=2).score,
        "bleu": sacrebleu.corpus_bleu(hyps, refs).score,
    }
    names_total = names_kept = 0
    lost_names: Counter[str] = Counter()
    for s, out in zip(corpus.segments, outputs):
        if not s.translate:
            continue
        for word in dict.fromkeys(name_tokens(s.text)):
            if _has_word(word, corpus.references[s.unit]):
                names_total += 1
                if _has_word(word, out):
                    names_kept += 1
                else:
                    lost_names[word] += 1
    num_total = num_kept = 0
    lost_numbers: list[str] = []
    left = 0
    left_words: Counter[str] = Counter()
    hits = terms = 0
    translated = 0
    for s, out in zip(corpus.segments, outputs):
        if not s.translate:
            continue
        translated += 1
        k, t, lost = numbers_kept(s.text, out)
        num_kept, num_total = num_kept + k, num_total + t
        lost_numbers += [f"{s.pair}: {x} in {out!r}" for x in lost]
        foreign = leftover_words(out, corpus.references[s.unit])
        if foreign:
            left += 1
            left_words.update(f"{w.text}/{w.lang}" for w in foreign)
        h, t = term_hits(glossary, s.text, out, s.org)
        hits, terms = hits + h, terms + t
    result.update(
        names=100 * names_kept / names_total if names_total else 100.0, names_n=f"{names_kept}/{names_total}",
        numbers=100 * num_kept / num_total if num_total else 100.0, numbers_n=f"{num_kept}/{num_total}",
        leftovers=100 * left / translated if translated else 0.0, leftovers_n=f"{left}/{translated}",
        terms=100 * hits / terms if terms else 100.0, terms_n=f"{hits}/{terms}",
    )
    if verbose:
        result["lost_names"] = dict(lost_names.most_common())
        result["lost_numbers"] = lost_numbers
        result["leftover_words"] = dict(left_words.most_common())
    return result


# ---------------------------------------------------------------------------------------------
# chrF breakdown


def _chrf(hyps: list[str], refs: list[str]) -> float:
    return sacrebleu.corpus_chrf(hyps, [refs]).score if hyps else float("nan")


def oracle_fix(draft: str, reference: str, words: list[str] | None = None) -> tuple[str, int]:
    """The draft with each leftover word (or each of `words`) replaced by the official English word
    or word pair that raises the unit's sentence chrF most (greedy, left to right); and how many
    were replaced."""
    ref_words = _WORD.findall(reference)
    options = list(dict.fromkeys(ref_words + [f"{a} {b}" for a, b in zip(ref_words, ref_words[1:])]))
    fixed = 0
    if words is None:
        words = [w.text for w in leftover_words(draft, reference)]
    for word in words:
        marked = re.search(r"\[" + re.escape(word) + r"\]|(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", draft)
        if marked is None:
            continue
        best, best_score = draft, sacrebleu.sentence_chrf(draft, [reference]).score
        for option in options:
            candidate = draft[:marked.start()] + option + draft[marked.end():]
            score = sacrebleu.sentence_chrf(candidate, [reference]).score
            if score > best_score:
                best, best_score = candidate, score
        fixed += best is not draft
        draft = best
    return draft, fixed


def ordinary_words(draft: str, reference: str, count: int, seed: int) -> list[str]:
    """`count` English words of the draft (lower case, 4+ letters, not leftovers), chosen at random:
    the control for the oracle's optimism."""
    foreign = {w.text for w in leftover_words(draft, reference)}
    pool = sorted({w for w in _WORD.findall(draft) if w[:1].islower() and len(w) >= 4 and w not in foreign})
    return random.Random(seed).sample(pool, min(count, len(pool)))


def _oracle(units: list[str], refs: list[str]) -> dict:
    fixed = [oracle_fix(h, r) for h, r in zip(units, refs)]
    counts = [len(leftover_words(h, r)) for h, r in zip(units, refs)]
    control = [oracle_fix(h, r, ordinary_words(h, r, n, i))[0] if n else h
               for i, (h, r, n) in enumerate(zip(units, refs, counts))]
    return {"chrf": _chrf([text for text, _ in fixed], refs), "words replaced": sum(n for _, n in fixed),
            "before": _chrf(units, refs), "control": _chrf(control, refs)}


def breakdown(corpus: Corpus, raw: list[str], house: list[str], routes: dict[str, list[str]],
              ablations: dict[str, list[str]]) -> dict:
    """What the house drafts' chrF gap is made of (see the module docstring)."""
    refs = corpus.references
    raw_units, house_units = unit_texts(corpus, raw), unit_texts(corpus, house)
    with_left = [bool(leftover_words(h, r)) for h, r in zip(house_units, refs)]
    result: dict = {"raw": _chrf(raw_units, refs), "drafts": _chrf(house_units, refs)}
    for label, flag in (("with leftovers", True), ("without leftovers", False)):
        picked = [i for i, f in enumerate(with_left) if f is flag]
        result[label] = {
            "units": len(picked),
            "reference_chars": sum(len(refs[i]) for i in picked),
            "raw": _chrf([raw_units[i] for i in picked], [refs[i] for i in picked]),
            "drafts": _chrf([house_units[i] for i in picked], [refs[i] for i in picked]),
        }
    result["all_reference_chars"] = sum(len(r) for r in refs)
    result["ablations"] = {name: _chrf(unit_texts(corpus, out), refs) for name, out in ablations.items()}
    result["leftover oracle"] = _oracle(house_units, refs)
    if "no leftover repair" in ablations:  # the most leftover repair could ever add, next to what it adds
        result["leftover oracle, no repair"] = _oracle(unit_texts(corpus, ablations["no leftover repair"]), refs)
    route_units = {name: unit_texts(corpus, out) for name, out in routes.items()}
    best = [max((units[i] for units in route_units.values()), key=lambda h, r=refs[i]: sacrebleu.sentence_chrf(h, [r]).score)
            for i in range(len(refs))]
    result["route oracle"] = {"chrf": _chrf(best, refs),
                              "routes": {name: _chrf(units, refs) for name, units in route_units.items()}}
    return result


def print_breakdown(b: dict, raw_chrf: float, target_gain: float) -> None:
    drafts, target = b["drafts"], raw_chrf + target_gain
    print(f"chrF breakdown, house glossary drafts (raw {raw_chrf:.2f}, drafts {drafts:.2f}, target {target:.2f}: "
          f"{target - drafts:.2f} to go)")
    for label in ("without leftovers", "with leftovers"):
        part = b[label]
        share = 100 * part["reference_chars"] / b["all_reference_chars"]
        print(f"  units {label:18} {part['units']:3} units, {share:4.1f}% of the official text: "
              f"raw {part['raw']:6.2f}, drafts {part['drafts']:6.2f} ({part['drafts'] - part['raw']:+.2f})")
    for name, value in b["ablations"].items():
        print(f"  ablation: {name:30} chrF {value:6.2f}  (the mechanism adds {drafts - value:+.2f})")
    oracle = b["leftover oracle"]
    print(f"  leftover oracle ({oracle['words replaced']} words replaced by the best official word/pair): "
          f"chrF {oracle['chrf']:6.2f} ({oracle['chrf'] - drafts:+.2f} over the drafts, gain over raw "
          f"{oracle['chrf'] - raw_chrf:+.2f} of the +{target_gain:.0f} target; the same procedure on as many "
          f"ordinary English words: {oracle['control'] - drafts:+.2f})")
    if "leftover oracle, no repair" in b:
        before = b["leftover oracle, no repair"]
        print(f"  leftover oracle on the drafts without leftover repair ({before['words replaced']} words): chrF "
              f"{before['chrf']:6.2f}, {before['chrf'] - before['before']:+.2f} over them (control on ordinary words "
              f"{before['control'] - before['before']:+.2f}); the repair adds {drafts - before['before']:+.2f}")
    routes = b["route oracle"]
    names = ", ".join(f"{n} {v:.2f}" for n, v in routes["routes"].items())
    print(f"  route oracle (best raw route per unit; {names}): chrF {routes['chrf']:6.2f} "
          f"({routes['chrf'] - raw_chrf:+.2f} over raw fr→es→en)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list lost names, numbers and leftover words")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--dump", type=Path, help="write source/raw/draft per segment to this JSON file")
    args = parser.parse_args(argv)
    if not args.pairs.is_dir():
        print(f"missing: {args.pairs}", file=sys.stderr)
        return 1
    if not apertium_available():
        print("Apertium fr-es + spa-eng not installed", file=sys.stderr)
        return 1
    glossary = load_glossary()
    held_out = held_out_glossary(glossary, args.pairs)
    with tempfile.TemporaryDirectory(prefix="draft-quality-") as tmp:
        work = Path(tmp)
        corpus = load_corpus(args.pairs, work)
        engine = ApertiumEngine()
        to_translate = [s.text for s in corpus.segments if s.translate]
        started = time.perf_counter()
        raw_out = iter(t.text if t else "" for t in engine.translate_batch(to_translate))
        raw_seconds = time.perf_counter() - started
        raw = [next(raw_out) if s.translate else s.fixed for s in corpus.segments]
        house, house_seconds = drafts(corpus, work, glossary, engine, "house")
        held, held_seconds = drafts(corpus, work, held_out, engine, "held-out")
        layered = None
        if TERMBASE.is_file():
            layered, _ = drafts(corpus, work, with_termbase(work, TERMBASE), engine, "termbase")
        ablations = {f"no {label}": drafts(corpus, work, glossary, engine, f"no-{option}", {option: False})[0]
                     for label, option in (("leftover repair", "repair_leftovers"), ("post-editing", "post_editing"),
                                           ("protected spans", "protect"))}
        routes = {"fr→es→en": raw}
        for alternative in engine.alternatives():
            out = iter(t.text if t else "" for t in alternative.translate_batch(to_translate))
            routes[f"fr→{alternative.pivot}→en"] = [next(out) if s.translate else s.fixed for s in corpus.segments]
    rows = {
        "raw Apertium": figures(corpus, raw, glossary, args.verbose),
        "translate, house glossary": figures(corpus, house, glossary, args.verbose),
        "translate, held-out glossary": figures(corpus, held, glossary, args.verbose),
    }
    if layered is not None:
        rows["translate, house + termbases"] = figures(corpus, layered, glossary, args.verbose)
    base = rows["raw Apertium"]["chrf"]
    for row in rows.values():
        row["chrf_gain"] = row["chrf"] - base
    explained = breakdown(corpus, raw, house, routes, ablations)
    if args.dump:
        args.dump.write_text(json.dumps([
            {"pair": s.pair, "unit": s.unit, "fr": s.text, "raw": r, "draft": h, "held_out": o}
            for s, r, h, o in zip(corpus.segments, raw, house, held) if s.translate
        ], ensure_ascii=False, indent=1), "utf-8")
    if args.json:
        print(json.dumps({"command": COMMAND, "pairs": len(set(corpus.unit_pairs)), "units": len(corpus.references),
                          "segments": sum(s.translate for s in corpus.segments), "rows": rows,
                          "breakdown": explained}, indent=2,
                         ensure_ascii=False))
        return 0
    segments = sum(s.translate for s in corpus.segments)
    print(f"$ {COMMAND}")
    print(f"{len(set(corpus.unit_pairs))} pairs, {len(corpus.references)} aligned units, {segments} translated segments; "
          f"glossary {len(glossary)} entries (held-out: {len(held_out)}); engine Apertium fr→es→en")
    print(f"seconds: raw {raw_seconds:.1f}, translate house {house_seconds:.1f}, held-out {held_seconds:.1f} "
          "(shared machine: noisy)")
    print()
    header = f"{'system':30} {'chrF':>6} {'gain':>6} {'chrF++':>6} {'BLEU':>6}  {'names kept':>15}  " \
             f"{'numbers kept':>15}  {'leftover segs':>14}  {'term accuracy':>15}"
    print(header)
    for name, r in rows.items():
        print(f"{name:30} {r['chrf']:6.2f} {r['chrf_gain']:+6.2f} {r['chrf++']:6.2f} {r['bleu']:6.2f}  "
              f"{r['names']:5.1f}% {r['names_n']:>8}  {r['numbers']:5.1f}% {r['numbers_n']:>8}  "
              f"{r['leftovers']:4.1f}% {r['leftovers_n']:>8}  {r['terms']:5.1f}% {r['terms_n']:>8}")
    print()
    house_row = rows["translate, house glossary"]
    checks = [
        ("chrF ≥ raw + 12", house_row["chrf_gain"] >= TARGETS["chrf_gain"], f"{house_row['chrf_gain']:+.2f}"),
        ("names kept ≥ 98%", house_row["names"] >= TARGETS["names"], f"{house_row['names']:.1f}%"),
        ("numbers/dates kept 100%", house_row["numbers"] >= TARGETS["numbers"], f"{house_row['numbers']:.1f}%"),
        ("leftover segments ≤ 2%", house_row["leftovers"] <= TARGETS["leftovers"], f"{house_row['leftovers']:.1f}%"),
        ("term accuracy ≥ 95%", house_row["terms"] >= TARGETS["terms"], f"{house_row['terms']:.1f}%"),
    ]
    for label, ok, value in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label:26} {value}")
    print()
    print_breakdown(explained, base, TARGETS["chrf_gain"])
    if args.verbose:
        for name, r in rows.items():
            print(f"\n== {name}")
            print("lost names:", r["lost_names"])
            print("leftover words:", r["leftover_words"])
            for line in r["lost_numbers"]:
                print("lost:", line)
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
