"""How good are glossary suggestions mined from reviewed work?

Run: ``uv run python bench/suggest_quality.py [--top 50] [--json]`` (reads ../shared beside the repo).

1. A translation memory is built from every pair of ../shared/data/pairs with `tm import-pair`'s
   own code (block, then sentence alignment).
2. `suggest_terms` runs on it with the house glossary hidden (as `workflow glossary suggest
   --no-glossary` would).
3. Recall: the house glossary entries found at least twice in the memory's French (the
   glossary's own scanner counts them) are the reference. An entry is recalled when a suggestion
   has the same French (lemma key of `fr` or a `fr_variants` form) and an accepted English (`en`
   or `en_variants`, case, hyphen and inflection set aside); "French only" counts the French.
4. The top suggestions are printed for judging by hand (the verdicts are in the closing note).
5. translate-toolkit's `poterminology` runs on the same French (a PO file of the memory's
   pairs, default options, and its English stoplist replaced by nothing, since it ships none
   for French); its French recall is reported beside ours.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import benchlib  # noqa: F401  (puts the repository first on sys.path)
import polib

from workflow.review.align import import_pair
from workflow.review.archive import ReviewedPair
from workflow.review.memory import TranslationMemory
from workflow.review.suggest import suggest_terms
from workflow.terms.glossary import load_glossary
from workflow.terms.phrases import english_tokens, french_tokens

PAIRS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pairs"


def build_memory(workdir: Path) -> list[ReviewedPair]:
    path = workdir / "tm.sqlite"
    with TranslationMemory(path, root=PAIRS_DIR) as tm:
        for pair in sorted(PAIRS_DIR.iterdir()):
            if (pair / "source_fr.txt").is_file():
                import_pair(pair / "source_fr.txt", pair / "reference_en.txt", tm)
        units = list(tm.export_units())
    return [ReviewedPair(u.source, u.target, u.where) for u in units]


def french_key(text: str) -> str:
    return " ".join(t.key for t in french_tokens(text) if t.kind != "barrier" or t.text.isalnum())


def english_key(text: str) -> str:
    return " ".join(t.key for t in english_tokens(text)).replace("-", " ")


def reference_entries(pairs: list[ReviewedPair]) -> list[tuple[object, int]]:
    glossary = load_glossary()
    counts: Counter[str] = Counter()
    for pair in pairs:
        for match in glossary.scan(pair.source):
            counts[match.id] += 1
    return [(glossary.get(i), n) for i, n in counts.most_common() if n >= 2]


def recall(pairs: list[ReviewedPair], suggestions) -> dict:
    by_french: dict[str, list] = {}
    for s in suggestions:
        for form in {s.french, *s.term.french_forms}:
            by_french.setdefault(french_key(form), []).append(s)
    rows = []
    for entry, count in reference_entries(pairs):
        keys = {french_key(f) for f in entry.french_forms}
        found = [s for k in keys for s in by_french.get(k, [])]
        accepted = {english_key(e) for e in entry.english_forms}
        right = [s for s in found if english_key(s.english) in accepted]
        rows.append({
            "id": entry.id, "fr": entry.fr, "en": entry.en, "occurrences": count,
            "french_found": bool(found), "correct": bool(right),
            "suggested": found[0].english if found else None,
        })
    total = len(rows)
    return {
        "reference_entries": total,
        "recall": sum(r["correct"] for r in rows) / total if total else 0.0,
        "french_recall": sum(r["french_found"] for r in rows) / total if total else 0.0,
        "rows": rows,
    }


def poterminology_recall(pairs: list[ReviewedPair], workdir: Path) -> dict:
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for n, pair in enumerate(pairs):
        catalog.append(polib.POEntry(msgid=pair.source, msgstr=pair.target, msgctxt=str(n)))
    source = workdir / "memory.po"
    catalog.save(str(source))
    empty_stoplist = workdir / "stoplist-none"
    empty_stoplist.write_text("# no French stoplist ships with translate-toolkit\n", "utf-8")
    results = {}
    for label, extra in (("default (English stoplist)", []), ("no stoplist", ["-S", str(empty_stoplist)])):
        out = workdir / f"terms-{len(results)}.pot"
        subprocess.run(
            [sys.executable, "-m", "translate.tools.poterminology", "-i", str(source), "-o", str(out), *extra],
            check=True, capture_output=True,
        )
        terms = [e.msgid for e in polib.pofile(str(out)) if e.msgid]
        keys = {french_key(t) for t in terms}
        reference = reference_entries(pairs)
        found = sum(1 for entry, _ in reference if any(french_key(f) in keys for f in entry.french_forms))
        results[label] = {"terms": len(terms), "french_recall": found / len(reference), "top": terms[:15]}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not PAIRS_DIR.is_dir():
        print(f"shared pairs not found at {PAIRS_DIR}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        pairs = build_memory(workdir)
        suggestions = suggest_terms(pairs, glossary=None)
        measured = recall(pairs, suggestions)
        toolkit = poterminology_recall(pairs, workdir)
    top = [
        {"rank": n, "fr": s.french, "en": s.english, "confidence": s.term.confidence,
         "evidence": f"{s.term.best.count}/{s.term.pairs}"}
        for n, s in enumerate(suggestions[: args.top], start=1)
    ]
    if args.json:
        print(json.dumps({"pairs": len(pairs), "suggestions": len(suggestions), **measured,
                          "top": top, "poterminology": toolkit}, ensure_ascii=False, indent=2))
        return 0
    print(f"memory: {len(pairs)} aligned pairs from {PAIRS_DIR}; {len(suggestions)} suggestions (glossary hidden)")
    print(f"reference: {measured['reference_entries']} glossary entries seen ≥ 2 times in the memory's French")
    print(f"recall (French and English right): {measured['recall']:.1%}   target ≥ 70%")
    print(f"recall (French found):              {measured['french_recall']:.1%}")
    for label, result in toolkit.items():
        print(f"poterminology, {label}: {result['terms']} terms, French recall {result['french_recall']:.1%}")
    print("\nmissed or wrong:")
    for row in measured["rows"]:
        if not row["correct"]:
            got = f"suggested {row['suggested']!r}" if row["french_found"] else "French not suggested"
            print(f"  {row['occurrences']:3d}× {row['fr']!r} → {row['en']!r}: {got}")
    print(f"\ntop {len(top)} suggestions (judge by hand):")
    for row in top:
        print(f"  {row['rank']:2d}. {row['fr']} → {row['en']}  [{row['evidence']}, {row['confidence']:.2f}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
