"""How often does the glossary check flag the official human translations?

Aligns the French and English blocks of every shared pair (the same alignment as
bench/qa_false_alarms.py), runs the glossary check on each aligned pair with the
article's organisation, and prints every flag so each can be classified as a
real deviation of the published English or a false alarm.

    uv run python bench/glossary_false_alarms.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa_false_alarms import PAIRS_DIR, aligned_pairs  # noqa: E402

from workflow.terms.english import check_translation  # noqa: E402
from workflow.terms.organisation import default_org_for  # noqa: E402
from workflow.terms.glossary import load_glossary  # noqa: E402


def main() -> int:
    glossary = load_glossary()
    pairs = aligned_pairs()
    organisations = {
        pair_dir.name: default_org_for((pair_dir / "source_fr.txt").read_text(encoding="utf-8"))
        for pair_dir in sorted(PAIRS_DIR.iterdir())
    }
    kinds: Counter[str] = Counter()
    by_article: Counter[str] = Counter()
    for pair in pairs:
        for issue in check_translation(pair.source, pair.target, glossary, organisations[pair.slug]):
            kinds[issue.kind] += 1
            by_article[pair.slug] += 1
            print(f"{pair.slug} [{issue.kind}] {issue.id}: {issue.message}")
    print()
    print(f"{len(pairs)} aligned block pairs, glossary {len(glossary)} entries")
    for article, count in sorted(by_article.items()):
        print(f"  {article:40} {count} flag(s)")
    print(f"total: {sum(kinds.values())} flag(s): " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
