"""Segmenter checks: gold agreement, span invariants, byte-exact JSONL output."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from workflow.source.segment import Span, boundary_f1, segment, segment_jsonl_records, sentences

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
GOLD_DIR = SHARED / "data" / "segmentation"
EXTRA = Path(__file__).resolve().parent / "data" / "segmentation_extra_fr.jsonl"

GOLD_FILES = ["gold_fr.jsonl", "seed_articles.jsonl"]
NBSP, NNBSP, NBHYPHEN = "\u00a0", "\u202f", "\u2011"


def _gold_path(name: str) -> Path:
    path = GOLD_DIR / name
    if not path.is_file():
        pytest.skip(f"shared gold data not found at {path} (expected ../shared beside the repo)")
    return path


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _all_corpora() -> list[pytest.param]:
    params = [pytest.param(name, id=name) for name in GOLD_FILES]
    params.append(pytest.param("extra", id="segmentation_extra_fr.jsonl"))
    return params


def _corpus(name: str) -> list[dict]:
    return _records(EXTRA if name == "extra" else _gold_path(name))


def _check_invariants(text: str, spans: list[Span]) -> None:
    previous_end = 0
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text and span.text == span.text.strip()
        assert span.start >= previous_end, "spans overlap or are out of order"
        assert text[previous_end : span.start].strip() == "", "non-whitespace left out"
        previous_end = span.end
    assert text[previous_end:].strip() == ""


# --- agreement with hand-segmented data --------------------------------------


@pytest.mark.parametrize("corpus", _all_corpora())
def test_boundary_f1_is_perfect(corpus: str) -> None:
    records = _corpus(corpus)
    gold = [record["sentences"] for record in records]
    predicted = [sentences(record["text"]) for record in records]
    assert boundary_f1(gold, predicted) == 1.0


@pytest.mark.parametrize("corpus", _all_corpora())
def test_sentence_lists_match_exactly(corpus: str) -> None:
    for record in _corpus(corpus):
        assert sentences(record["text"]) == record["sentences"], record["text"]


@pytest.mark.parametrize("corpus", _all_corpora())
def test_span_invariants(corpus: str) -> None:
    for record in _corpus(corpus):
        _check_invariants(record["text"], segment(record["text"]))


def test_extra_cases_are_plentiful_and_well_formed() -> None:
    records = _records(EXTRA)
    assert len(records) >= 40
    negatives = sum(1 for record in records if len(record["sentences"]) == 1)
    assert negatives >= 10, "keep plenty of no-split cases"
    for record in records:
        assert list(record) == ["text", "sentences"]
        _check_invariants(record["text"], segment(record["text"]))


@pytest.mark.parametrize("name", GOLD_FILES)
def test_jsonl_reproduced_byte_for_byte(name: str) -> None:
    path = _gold_path(name)
    original = path.read_bytes()
    records = [json.loads(line) for line in original.decode("utf-8").splitlines()]
    # Drop the answers, then put them back: keys must come back in place.
    stripped = [{key: value for key, value in record.items()} for record in records]
    for record in stripped:
        record["sentences"] = []
    rebuilt = "".join(
        json.dumps(record, ensure_ascii=False) + "\n" for record in segment_jsonl_records(stripped)
    )
    assert rebuilt.encode("utf-8") == original


# --- segment_jsonl_records -----------------------------------------------------


def test_jsonl_records_keep_key_order_and_append_missing_sentences() -> None:
    records = [
        {"doc": "a.txt", "text": "Un. Deux.", "sentences": ["x"], "para": 0},
        {"text": "Trois. Quatre.", "doc": "b.txt"},
    ]
    out = list(segment_jsonl_records(records))
    assert list(out[0]) == ["doc", "text", "sentences", "para"]
    assert out[0]["sentences"] == ["Un.", "Deux."]
    assert list(out[1]) == ["text", "doc", "sentences"]
    assert records[0]["sentences"] == ["x"], "input records must not be modified"


def test_jsonl_records_without_text_are_rejected() -> None:
    with pytest.raises(KeyError):
        list(segment_jsonl_records([{"sentences": []}]))


# --- boundary_f1 ---------------------------------------------------------------


def test_boundary_f1_counts_inner_boundaries_only() -> None:
    gold = [["A b.", "C d.", "E f."], ["Titre"]]
    assert boundary_f1(gold, gold) == 1.0
    # One boundary missed out of two: P = 1/1, R = 1/2.
    assert boundary_f1(gold, [["A b. C d.", "E f."], ["Titre"]]) == pytest.approx(2 / 3)
    # One extra boundary: P = 2/3, R = 1.
    assert boundary_f1(gold, [["A", "b.", "C d.", "E f."], ["Titre"]]) == pytest.approx(0.8)


def test_boundary_f1_ignores_whitespace_and_handles_no_boundaries() -> None:
    assert boundary_f1([["Un.", "Deux."]], [["Un. ", " Deux."]]) == 1.0
    assert boundary_f1([["Titre"]], [["Titre"]]) == 1.0
    assert boundary_f1([["Un. Deux."]], [["Un.", "Deux."]]) == 0.0


def test_boundary_f1_rejects_mismatched_input() -> None:
    with pytest.raises(ValueError):
        boundary_f1([["Un."]], [])
    with pytest.raises(ValueError):
        boundary_f1([["Un."]], [["Deux."]])


# --- targeted rules ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # newline is always a boundary; indentation belongs to no span
        ("• 25 Sep. 2012 -\n  • |\n  • Mis à jour le: 28 Sep. 2012 09:32",
         ["• 25 Sep. 2012 -", "• |", "• Mis à jour le: 28 Sep. 2012 09:32"]),
        ("Ligne un\r\nLigne deux.\r\n", ["Ligne un", "Ligne deux."]),
        # abbreviation before a name or number: no split
        ("M. Stoltenberg et MM. Guterres et Lajčák.", ["M. Stoltenberg et MM. Guterres et Lajčák."]),
        ("Voir l’art. 5, p. 12 et le chap. VII.", ["Voir l’art. 5, p. 12 et le chap. VII."]),
        # ... but a number after an abbreviation can still end the sentence
        ("Voir l’art. 5. Le texte est clair.", ["Voir l’art. 5.", "Le texte est clair."]),
        # sentence-final abbreviations share their period
        ("Des cours, des exercices, etc. Il y en a beaucoup.",
         ["Des cours, des exercices, etc.", "Il y en a beaucoup."]),
        ("Vestiges de 480 av. J.-C. Ils sont intacts.", ["Vestiges de 480 av. J.-C.", "Ils sont intacts."]),
        # initials vs labels
        ("Signé J. Stoltenberg.", ["Signé J. Stoltenberg."]),
        ("Voir l’annexe B. Elle est jointe.", ["Voir l’annexe B.", "Elle est jointe."]),
        ("It was held in Washington D.C. The", ["It was held in Washington D.C.", "The"]),
        # ellipsis
        ("Ils ont repris… puis arrêté.", ["Ils ont repris… puis arrêté."]),
        ("Nous (…) devons agir.", ["Nous (…) devons agir."]),
        ("… Et puis plus rien.", ["… Et puis plus rien."]),
        # quotes
        ("«\u00a0Qui\u00a0?\u00a0» s’est-il interrogé.", ["«\u00a0Qui\u00a0?\u00a0» s’est-il interrogé."]),
        ("«\u00a0Non.\u00a0» Il est parti.", ["«\u00a0Non.\u00a0»", "Il est parti."]),
        ('He said "yes." "No," she replied.', ['He said "yes."', '"No," she replied.']),
        # ; and : never split
        ("Trois volets\u00a0: la formation\u00a0; la planification.",
         ["Trois volets\u00a0: la formation\u00a0; la planification."]),
        # no space, no boundary: dates, URLs, versions
        ("Signé le 4.4.1949. Voir nato.int. Fin.", ["Signé le 4.4.1949.", "Voir nato.int.", "Fin."]),
        ("", []),
        ("  \n \t ", []),
        # military ranks before a name, also a name that starts like a sentence ("Le Goff")
        ("Le gén. de brig. Le Goff commande la brigade.", ["Le gén. de brig. Le Goff commande la brigade."]),
        ("Le Lt-Col. Durand et le vice-adm. De Villiers sont arrivés.",
         ["Le Lt-Col. Durand et le vice-adm. De Villiers sont arrivés."]),
        ("Le GÉN. Wolters a parlé au Cpt. Leroy.", ["Le GÉN. Wolters a parlé au Cpt. Leroy."]),
        # ... but a rank abbreviation that is also a word still ends a sentence before an opener
        ("Ils ont franchi le col. Le lendemain, ils sont redescendus.",
         ["Ils ont franchi le col.", "Le lendemain, ils sont redescendus."]),
        # country abbreviations end a sentence before a capital
        ("Les troupes viennent des É.-U. Les alliés ont suivi.", ["Les troupes viennent des É.-U.", "Les alliés ont suivi."]),
        ("Un accord entre les É.-U. et le R.-U. a été signé.", ["Un accord entre les É.-U. et le R.-U. a été signé."]),
        # a missing space after a full stop, before a capitalised French word
        ("C’est la fin.Début d’une autre phrase.", ["C’est la fin.", "Début d’une autre phrase."]),
        ("Voir www.nato.int.Le site, la version 2.0.Le texte et M.Dupont.",
         ["Voir www.nato.int.Le site, la version 2.0.Le texte et M.Dupont."]),
    ],
)
def test_targeted_rules(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected
    _check_invariants(text, segment(text))


def test_exact_characters_are_kept() -> None:
    text = f"Le Royaume{NBHYPHEN}Uni{NNBSP}? Oui{NBSP}! «{NBSP}D’accord{NBSP}» ; “fin”."
    spans = segment(text)
    assert [span.text for span in spans] == [
        f"Le Royaume{NBHYPHEN}Uni{NNBSP}?",
        f"Oui{NBSP}!",
        f"«{NBSP}D’accord{NBSP}» ; “fin”.",
    ]
    assert all(text[span.start : span.end] == span.text for span in spans)


def test_offsets_index_the_original_string() -> None:
    text = "  Premier.   Second !\n\tTroisième"
    assert segment(text) == [
        Span(2, 10, "Premier."),
        Span(13, 21, "Second !"),
        Span(23, 32, "Troisième"),
    ]


def test_invariants_hold_on_arbitrary_slices() -> None:
    """Cut real text at random places: the segmenter must never lose or invent characters."""
    path = _gold_path("gold_fr.jsonl")
    corpus = "\n".join(record["text"] for record in _records(path)) + EXTRA.read_text("utf-8")
    rng = random.Random(20240601)
    for _ in range(300):
        start = rng.randrange(len(corpus))
        piece = corpus[start : start + rng.randrange(1, 400)]
        _check_invariants(piece, segment(piece))


def test_a_long_run_of_initials_neither_crashes_nor_loses_text() -> None:
    """2,000 chained initials raised RecursionError (each period asked about the one before it)."""
    for unit in ("X. ", "a. ", "J.-P. ", "« X. » ", "… ", '"X." '):
        text = "Le rapport. " + unit * 5000 + "Fin."
        _check_invariants(text, segment(text))
