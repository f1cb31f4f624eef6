"""How often does the glossary check flag the official human translations?

Aligns the French and English of every shared pair with the project's own aligner (as
bench/qa_corpus.py does for the QA bench), runs the strict term check (`check_translation`,
the one MT term insertion is verified with, not the QA family's tolerant reading of human
English) on each aligned pair with the article's organisation, and prints every flag so each
can be classified as a real deviation of the published English or a strict-rule false alarm.

    uv run python bench/glossary_false_alarms.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa_corpus import PAIRS_DIR  # noqa: E402

from workflow.review.align import align_files  # noqa: E402
from workflow.terms.english import check_translation  # noqa: E402
from workflow.terms.glossary import load_glossary  # noqa: E402
from workflow.terms.organisation import default_org_for  # noqa: E402


def main() -> int:
    glossary = load_glossary()
    kinds: Counter[str] = Counter()
    by_article: Counter[str] = Counter()
    aligned = 0
    for pair_dir in sorted(d for d in PAIRS_DIR.iterdir() if (d / "reference_en.txt").is_file()):
        french = pair_dir / "source_fr.txt"
        organisation = default_org_for(french.read_text(encoding="utf-8"))
        for pair in align_files(french, pair_dir / "reference_en.txt"):
            aligned += 1
            for issue in check_translation(pair.fr, pair.en, glossary, organisation):
                kinds[issue.kind] += 1
                by_article[pair_dir.name] += 1
                print(f"{pair_dir.name} [{issue.kind}] {issue.id}: {issue.message}")
    print()
    print(f"{aligned} aligned pairs, glossary {len(glossary)} entries")
    for article, count in sorted(by_article.items()):
        print(f"  {article:40} {count} flag(s)")
    print(f"total: {sum(kinds.values())} flag(s): " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
