"""Bilingual alignment: English splitter, bead types, import into the memory, gold accuracy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflow.review.align import (
    MIN_IMPORT_SCORE,
    align_files,
    align_texts,
    bead_precision_recall,
    english_sentences,
    import_pair,
)
from workflow.base.errors import SourceError
from workflow.review.memory import OriginKind, TranslationMemory

GOLD = Path(__file__).parent / "data" / "align_gold.json"
# Measured with `uv run python bench/align_accuracy.py --stress` (see the report in that file).
GOLD_PRECISION = GOLD_RECALL = 1.0
STRESS_PRECISION, STRESS_RECALL = 0.97, 0.96


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Stoltenberg met Dr. Smith. They talked.", ["Mr. Stoltenberg met Dr. Smith.", "They talked."]),
        ("On 23 Sep. 2014 the U.S. Army left. The U.S. Navy stayed.",
         ["On 23 Sep. 2014 the U.S. Army left.", "The U.S. Navy stayed."]),
        ("He left the U.S. The talks went on.", ["He left the U.S.", "The talks went on."]),
        ("John F. Kennedy spoke. Then he left!", ["John F. Kennedy spoke.", "Then he left!"]),
        ("“It is indispensable,” he said. Soon after, troops left.",
         ["“It is indispensable,” he said.", "Soon after, troops left."]),
        ("to stress “the importance of trust”.  For his part, he agreed.",
         ["to stress “the importance of trust”.", "For his part, he agreed."]),
        ("\"Our contacts.\" Later on Tuesday, they met.", ["\"Our contacts.\"", "Later on Tuesday, they met."]),
        ("Version 2.0 is out. it continues in lower case.", ["Version 2.0 is out. it continues in lower case."]),
        ("First line\nSecond line. Third.", ["First line", "Second line.", "Third."]),
    ],
)
def test_english_sentences(text: str, expected: list[str]) -> None:
    assert english_sentences(text) == expected


FR = """Le titre de l’OTAN

23 Sep. 2014 - | Mis à jour le: 25 Sep. 2014 14:41

Le 6 juin 2018, l’OTAN a reçu 30 représentants de l’UA à Bruxelles. Ce mardi, le secrétaire général a rencontré Sergueï Lavrov. Plus tard, M. Stoltenberg a rencontré Antonio Guterres : ensemble, ils ont salué la coopération entre l’OTAN et l’ONU.

NATO Secretary General Jens Stoltenberg and UN Secretary-General Antonio Guterres

Les Alliés soutiennent l’Ukraine depuis 2014. Une phrase propre au français, sans équivalent anglais aucun, qui parle de tout autre chose encore. Ils ont réaffirmé leur solidarité avec l’Ukraine.
"""

EN = """The NATO title

On 6 June 2018, NATO hosted 30 AU representatives in Brussels. On Tuesday, the Secretary General met Sergey Lavrov. Later, Mr. Stoltenberg met António Guterres. The two welcomed cooperation between NATO and the UN.

Allies have supported Ukraine since 2014. They reaffirmed their solidarity with Ukraine.
"""


def test_alignment_handles_missing_dates_captions_splits_and_omissions() -> None:
    pairs = align_texts(FR, EN)
    got = [(p.kind, p.fr[:20], p.en[:20]) for p in pairs]
    assert got == [
        ("1-1", "Le titre de l’OTAN", "The NATO title"),
        ("1-1", "Le 6 juin 2018, l’OT", "On 6 June 2018, NATO"),
        ("1-1", "Ce mardi, le secréta", "On Tuesday, the Secr"),
        ("1-2", "Plus tard, M. Stolte", "Later, Mr. Stoltenbe"),
        ("1-1", "Les Alliés soutienne", "Allies have supporte"),
        ("1-1", "Ils ont réaffirmé le", "They reaffirmed thei"),
    ]
    assert pairs[3].en == "Later, Mr. Stoltenberg met António Guterres. The two welcomed cooperation between NATO and the UN."
    assert all(0.0 <= p.score <= 1.0 for p in pairs)


def test_merged_paragraphs_align_at_block_level() -> None:
    fr = "Nous rendons hommage aux 3 700 Casques bleus.\n\nNous saluons les 14 missions.\n\nLes opérations de paix sont un investissement."
    en = "We honour the 3,700 blue helmets. And we pay tribute to the 14 missions.\n\nPeace operations are an investment."
    kinds = [(p.kind, p.en) for p in align_texts(fr, en)]
    assert kinds == [
        ("1-1", "We honour the 3,700 blue helmets."),
        ("1-1", "And we pay tribute to the 14 missions."),
        ("1-1", "Peace operations are an investment."),
    ]


def test_import_pair_stores_confident_pairs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fr.txt").write_text(FR, encoding="utf-8")
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    with TranslationMemory(tmp_path / "memory.sqlite") as memory:
        result = import_pair(Path("fr.txt"), Path("en.txt"), memory)
        assert result.aligned == 6
        assert result.imported == result.aligned - result.low_score
        assert result.fr_sentences == 7 and result.en_sentences == 7
        units = list(memory.export_units())
        assert len(units) == result.imported
        assert {u.where for u in units} == {"tm import: fr.txt + en.txt"}
        assert all(u.kind is OriginKind.IMPORT for u in units)
        # Re-importing replaces, never duplicates.
        again = import_pair(tmp_path / "fr.txt", tmp_path / "en.txt", memory)
        assert again.imported == result.imported and len(memory) == result.imported
        match = memory.lookup(["Ce mardi, le secrétaire général a rencontré Sergueï Lavrov."])
        assert next(iter(match.values())).target == "On Tuesday, the Secretary General met Sergey Lavrov."


def test_import_pair_reports_bad_input_by_file_and_line(tmp_path: Path) -> None:
    good = tmp_path / "en.txt"
    good.write_text(EN, encoding="utf-8")
    bad = tmp_path / "fr.txt"
    bad.write_bytes("Titre\n\nLigne deux\n".encode() + b"caf\xe9\n")
    with TranslationMemory(tmp_path / "memory.sqlite") as memory:
        with pytest.raises(SourceError) as error:
            import_pair(bad, good, memory)
        assert error.value.path == bad and error.value.line == 4
        with pytest.raises(SourceError, match="no such file"):
            import_pair(tmp_path / "missing.txt", good, memory)
        empty = tmp_path / "empty.txt"
        empty.write_text("\n\n", encoding="utf-8")
        with pytest.raises(SourceError, match="empty"):
            import_pair(good, empty, memory)
        assert len(memory) == 0


# --- the hand-made gold alignment of shared/data/pairs ------------------------------------


def _gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))["pairs"]


def test_gold_sentences_are_verbatim_from_the_pairs(shared_dir: Path) -> None:
    """Guards hand edits of the gold file: every sentence is in its article, in order."""
    for slug, entry in _gold().items():
        for side, name in (("fr", "source_fr.txt"), ("en", "reference_en.txt")):
            text = (shared_dir / "data" / "pairs" / slug / name).read_text(encoding="utf-8")
            position = 0
            for bead in entry["beads"]:
                for sentence in bead[side]:
                    found = text.find(sentence, position)
                    assert found >= 0, (slug, side, sentence)
                    position = found + len(sentence)


def test_accuracy_on_gold(shared_dir: Path) -> None:
    correct = predicted = expected = 0
    for slug, entry in _gold().items():
        folder = shared_dir / "data" / "pairs" / slug
        found = [(p.fr, p.en) for p in align_files(folder / "source_fr.txt", folder / "reference_en.txt")]
        gold = [(" ".join(b["fr"]), " ".join(b["en"])) for b in entry["beads"]]
        ok, n_pred, n_gold = bead_precision_recall(found, gold)
        correct, predicted, expected = correct + ok, predicted + n_pred, expected + n_gold
    assert correct / predicted >= GOLD_PRECISION
    assert correct / expected >= GOLD_RECALL


def test_accuracy_with_omissions(shared_dir: Path) -> None:
    from bench.align_accuracy import stress

    runs, correct, predicted, expected = stress(shared_dir / "data" / "pairs")
    assert runs > 80
    assert correct / predicted >= STRESS_PRECISION
    assert correct / expected >= STRESS_RECALL


def test_precision_recall_counts() -> None:
    gold = [("a", "A"), ("b c", "B")]
    assert bead_precision_recall([("a", "A"), ("b", "B")], gold) == (1, 2, 2)
    assert bead_precision_recall([("a", " A "), ("b  c", "B")], gold) == (2, 2, 2)
    assert MIN_IMPORT_SCORE > 0
