"""Glossary suggestions from reviewed work: French terms, their usual English, glossary CSV rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from tests.conftest import write_catalog
from workflow.cli import app
from workflow.review.archive import ReviewedPair, archive_pairs
from workflow.review.memory import TMUnit, TranslationMemory
from workflow.review.suggest import CONFLICT, PROPOSED, suggest_terms, suggestions_csv
from workflow.terms.glossary import load_glossary, validate
from workflow.terms.phrases import english_tokens, french_spans, french_tokens

# Reviewed pairs in the style of NATO news: two recurring terms (one inflected), an acronym.
PAIRS = [
    ("Les forces de sécurité afghanes ont pris la tête des opérations.", "The Afghan security forces have taken the lead in operations."),
    ("L’OTAN continuera de former la force de sécurité afghane.", "NATO will continue to train the Afghan security force."),
    ("Les ministres ont salué les progrès des forces de sécurité afghanes.", "Ministers welcomed the progress of the Afghan security forces."),
    ("Le Conseil de l’Atlantique Nord s’est réuni mardi.", "The North Atlantic Council met on Tuesday."),
    ("Le Conseil de l’Atlantique Nord a publié une déclaration.", "The North Atlantic Council issued a statement."),
    ("Les Alliés ont informé le Conseil de l’Atlantique Nord de leurs plans.", "Allies briefed the North Atlantic Council on their plans."),
    ("La FIAS a achevé sa mission en décembre.", "ISAF completed its mission in December."),
    ("Les troupes de la FIAS sont rentrées.", "ISAF troops have returned home."),
]


def pairs(items=PAIRS) -> list[ReviewedPair]:
    return [ReviewedPair(fr, en, f"a.po:{10 * n}") for n, (fr, en) in enumerate(items)]


def test_french_terms_are_runs_of_content_words_with_connectors():
    text = "Le Conseil de l’Atlantique Nord a salué les forces de sécurité afghanes."
    tokens = french_tokens(text)
    spans = {text[tokens[i].start : tokens[j].end] for i, j in french_spans(tokens)}
    assert {"Conseil de l’Atlantique Nord", "forces de sécurité afghanes", "sécurité afghanes"} <= spans
    assert not any(s.startswith(("a ", "les ")) or s.endswith(" de") for s in spans)
    # Inflected forms share a key; a hyphen is kept (stand-by and standby are two spellings).
    assert french_tokens("forces")[0].key == french_tokens("force")[0].key
    assert english_tokens("stand-by")[0].key != english_tokens("standby")[0].key


def test_suggestions_pair_recurring_terms_with_their_usual_english():
    found = {s.french: s for s in suggest_terms(pairs())}
    assert found["force de sécurité afghane"].english == "Afghan security forces"
    assert found["force de sécurité afghane"].term.best.count == 3
    assert found["Conseil de l’Atlantique Nord"].english == "North Atlantic Council"
    assert found["FIAS"].english == "ISAF"
    assert all(s.status == PROPOSED for s in found.values())
    confidences = [s.term.confidence for s in suggest_terms(pairs())]
    assert confidences == sorted(confidences, reverse=True)


def test_terms_the_glossary_has_are_skipped_or_flagged(tmp_path: Path):
    glossary = tmp_path / "g.csv"
    glossary.write_text(
        "id,fr,en,type,source\n"
        "nac,Conseil de l'Atlantique Nord,North Atlantic Council,term,test\n"
        "isaf,FIAS,International Security Assistance Force,term,test\n",
        "utf-8",
    )
    found = {s.french: s for s in suggest_terms(pairs(), load_glossary(glossary))}
    assert "Conseil de l’Atlantique Nord" not in found  # agrees with the glossary
    assert found["FIAS"].status == CONFLICT
    assert found["FIAS"].glossary_entry.id == "isaf" and "glossary entry isaf" in found["FIAS"].note()


def test_rows_are_glossary_csv_that_validates(tmp_path: Path):
    suggestions = suggest_terms(pairs())
    text = suggestions_csv(suggestions)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0].keys() >= {"id", "fr", "en", "type", "status", "note", "source"}
    assert {row["status"] for row in rows} == {"proposed"}
    afghan = next(row for row in rows if row["en"] == "Afghan security forces")
    assert "3 of 3 reviewed pairs" in afghan["note"]
    assert afghan["source"].count("a.po:") == 2  # two example references
    path = tmp_path / "suggested.csv"
    path.write_text(text, "utf-8")
    assert [p for p in validate(path) if p.severity == "error"] == []
    assert len(load_glossary(path)) == len(rows)


def test_archive_reads_reviewed_po_entries_and_the_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    po = tmp_path / "translations"
    po.mkdir()
    entries = [polib.POEntry(msgid=fr, msgstr=en) for fr, en in PAIRS[:4]]
    entries.append(polib.POEntry(msgid=PAIRS[4][0], msgstr=PAIRS[4][1], flags=["fuzzy"]))
    write_catalog(po / "a.po", entries)
    with TranslationMemory(tmp_path / "tm.sqlite", root=tmp_path) as tm:
        tm.add_pairs([TMUnit(fr, en, "fr.txt + en.txt") for fr, en in PAIRS[5:]])
    found, failures = archive_pairs([po], tmp_path / "tm.sqlite")
    assert failures == []
    assert len(found) == 4 + 3  # the fuzzy entry is not reviewed work
    assert found[0].where == f"{po / 'a.po'}:{found[0].line}" and found[-1].where == "tm import: fr.txt + en.txt"


def test_glossary_suggest_command_writes_csv_for_glossary_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "translations").mkdir()
    write_catalog(tmp_path / "translations" / "a.po", [polib.POEntry(msgid=fr, msgstr=en) for fr, en in PAIRS])
    runner = CliRunner()
    result = runner.invoke(app, ["glossary", "suggest", "--no-glossary", "-o", "suggested.csv"])
    assert result.exit_code == 0, result.output
    assert "suggestion(s) from 8 reviewed pair(s)" in result.output
    result = runner.invoke(app, ["glossary", "import", "suggested.csv", "-o", "glossary/suggested.csv"])
    assert result.exit_code == 0, result.output
    imported = load_glossary(tmp_path / "glossary" / "suggested.csv")
    assert any(e.fr == "FIAS" and e.en == "ISAF" and e.status == "proposed" for e in imported)
    result = runner.invoke(app, ["glossary", "suggest", "--memory", "nope.sqlite"])
    assert result.exit_code == 2 and "nope.sqlite" in result.output


def _spans(text: str) -> set[str]:
    tokens = french_tokens(text)
    return {text[tokens[i].start : tokens[j].end] for i, j in french_spans(tokens)}


def test_spans_are_maximal_noun_phrases_without_coordinations_titles_or_places():
    spans = _spans("Le siège de l'OTAN à Bruxelles a accueilli l'OTAN et l'Union africaine. Ils parlent de la paix et la sécurité.")
    assert "siège de l'OTAN" in spans and not any("Bruxelles" in s and "siège" in s for s in spans)
    assert not any(" et " in s for s in spans)  # two noun phrases side by side are not one term
    assert "transport aérien et maritime stratégique" in _spans("Le transport aérien et maritime stratégique est prêt.")
    # A coordination inside a name stays in it (never at the start of a lower-case candidate).
    inside = _spans("La Journée internationale pour la sensibilisation au problème des mines et l'assistance à la lutte antimines.")
    assert any(s.startswith("Journée") and s.endswith("lutte antimines") for s in inside)
    assert not any(s.startswith(("mines et", "problème")) and " et " in s for s in inside)
    # A title before a surname is not one term with it; French words after a title are a name.
    assert not any("Toft" in s and "général" in s for s in _spans("Selon le général Toft, la mission avance."))
    assert "division Sécurité coopérative" in _spans("Il dirige la division Sécurité coopérative depuis mai.")


MINING = [
    ("La Convention sur l'interdiction des mines antipersonnel est entrée en vigueur.", "The Anti-Personnel Mine Ban Convention entered into force."),
    ("Les États parties à la Convention sur l'interdiction des mines antipersonnel se réunissent.", "States parties to the Anti-Personnel Mine Ban Convention meet."),
    ("Nous voulons sensibiliser au danger des mines terrestres.", "We want to raise awareness of the dangers posed by landmines."),
    ("Le danger des mines terrestres reste grand.", "The dangers posed by landmines remain great."),
    ("Les mines terrestres tuent encore.", "Landmines still kill."),
    ("M. Anders Fogh Rasmussen a ouvert la séance.", "Mr Anders Fogh Rasmussen opened the session."),
    ("Anders Fogh Rasmussen a salué les progrès.", "Anders Fogh Rasmussen welcomed the progress."),
    ("Selon M. Fogh Rasmussen, la mission avance.", "According to Mr Fogh Rasmussen, the mission is advancing."),
    ("M. Fogh Rasmussen a remercié les Alliés.", "Mr Fogh Rasmussen thanked the Allies."),
    ("Le siège de la CUA accueille l'UA.", "The AUC headquarters hosts the AU."),
    ("La CUA et l'UA ont signé.", "The AUC and the AU signed."),
    ("L'UA a salué la décision.", "The AU welcomed the decision."),
]


def test_renderings_reach_the_english_head_and_skip_what_the_french_has_outside_the_term():
    found = {s.french: s.english for s in suggest_terms(pairs(MINING))}
    # Same evidence, one word longer: the English phrase ends on its head.
    assert found["Convention sur l'interdiction des mines antipersonnel"] == "Anti-Personnel Mine Ban Convention"
    # "posed" translates a French verb outside the term.
    assert found["mines terrestres"] == "Landmines" or found["mines terrestres"] == "landmines"
    # Acronyms: the CUA of the sentence is not the UA's rendering, and they are kept apart.
    assert found["UA"] == "AU" and found["CUA"] == "AUC"
    # A surname after the full name is a short reference to it, not a term of its own.
    assert "Anders Fogh Rasmussen" in found and "Fogh Rasmussen" not in found
    assert "danger des mines terrestres" not in found  # a common noun + des + a term
