"""Drafts worth editing: protected spans, leftovers, the draft maker end to end (engine doubles and Apertium)."""

from __future__ import annotations

import re

import pytest

from workflow.mt.engines import Provenance, Translation
from workflow.mt.engines.apertium import ApertiumEngine, apertium_available
from workflow.terms.drafts import DraftMaker
from workflow.terms.glossary import load_glossary
from workflow.terms.leftovers import LeftoverRepair, cognate
from workflow.terms.protect import english_has_date, english_number, find_dates, find_spans

needs_apertium = pytest.mark.skipif(not apertium_available(), reason="Apertium fr-es/spa-eng not installed")
PROVENANCE = Provenance("echo")


def spans(text: str, **kwargs) -> list[tuple[str, str, str]]:
    return [(s.text, s.english, s.kind) for s in find_spans(text, **kwargs)]


def test_names_are_protected_but_french_words_and_exonyms_are_not() -> None:
    found = spans("la secrétaire générale déléguée, Rose Gottemoeller, et Mme l'ambassadeur Kolinda Grabar Kitarović, "
                  "ont rencontré Bill de Blasio à New York, au Conseil de sécurité des Nations Unies, en Syrie.")
    names = [t for t, _, k in found if k == "name"]
    assert names == ["Rose Gottemoeller", "Kolinda Grabar Kitarović", "Bill de Blasio", "New York"]


def test_a_name_after_a_courtesy_title_is_not_a_sentence_start() -> None:
    assert ("Ban Ki‑moon", "Ban Ki‑moon", "name") in spans("avec le secrétaire général de l'ONU, M. Ban Ki‑moon.")


def test_sentence_initial_names_need_the_article() -> None:
    text = "Stoltenberg a dit que la Force africaine en attente est prête."
    assert spans(text) == []
    assert spans(text, known_names={"Stoltenberg"}) == [("Stoltenberg", "Stoltenberg", "name")]


def test_numbers_become_english_and_units_travel_with_them() -> None:
    found = spans("plus de 3 700 Casques bleus, 1,5 million, 15 % des soldats, à 15 h 30, 3 000 € et 1948 morts")
    assert [(t, e) for t, e, k in found if k == "number"] == [
        ("3 700", "3,700"), ("1,5", "1.5"), ("15 %", "15%"), ("15 h 30", "15:30"), ("3 000 €", "€3,000")]
    assert english_number("12 345 678,25", "thousands") == "12,345,678.25"


def test_links_acronyms_and_quoted_english() -> None:
    found = spans("au « 9/11 Memorial & Museum », voir https://www.nato.int/x.htm ou presse@hq.nato.int ; "
                  "la CDS, l'OTAN et le XXe siècle")
    kinds = {t: k for t, _, k in found}
    assert kinds == {"9/11 Memorial & Museum": "quote", "https://www.nato.int/x.htm": "url",
                     "presse@hq.nato.int": "email", "CDS": "acronym"}


def test_dates_are_read_and_verified() -> None:
    (date,) = find_dates("le 1er décembre 2011")
    assert date.english == "1 December 2011"
    assert english_has_date("on 1 December 2011", date) and english_has_date("December 1st, 2011", date)
    assert not english_has_date("on 1 of December", date)


def test_cognates_only_when_english_knows_the_word() -> None:
    assert cognate("pandémie", "fr") == "pandemic"
    assert cognate("perpetrados", "es") == "perpetrated"
    assert cognate("poutrelle", "fr") is None


def test_leftovers_repaired_by_word_then_marked() -> None:
    calls: list[list[str]] = []

    def alternative(words: list[str]) -> list[Translation | None]:
        calls.append(words)
        return [Translation({"décombres": "ruins"}.get(w, w), PROVENANCE) for w in words]

    repair = LeftoverRepair([alternative])
    (draft,) = repair.repair(["une poutrelle provenant des décombres et les informations"],
                             ["a poutrelle pertinent of the décombres and the informations"])
    assert draft.text == "a [poutrelle] pertinent of the ruins and the information"
    assert draft.left == ["poutrelle"]
    assert calls == [["poutrelle", "décombres"]]  # one batched call for every word of the run


class EchoEngine:
    """Gives back what it is sent, French and placeholders included: the carrier's rules do the rest."""

    name = "echo"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    @property
    def provenance(self) -> Provenance:
        return PROVENANCE

    def output(self, segment: str) -> str:
        return segment

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        self.calls.append(list(segments))
        return [Translation(self.output(s), PROVENANCE) for s in segments]


class LosingEngine(EchoEngine):
    """Drops every placeholder (like the random-weight Argos model), echoes the rest."""

    name = "losing"

    def output(self, segment: str) -> str:
        return re.sub(r"Zqx\w*", "", segment)


def test_probe_sends_an_engine_that_drops_placeholders_to_one_pass_repair() -> None:
    engine = LosingEngine()
    maker = DraftMaker(load_glossary(), repair_leftovers=False, post_editing=False)
    segments = [f"L'OTAN et Jens Stoltenberg, numéro {n}." for n in range(20)]
    assert maker.probe(engine.translate_batch, segments) == 0.0
    engine.calls.clear()
    prepared = maker.prepare(segments)
    assert prepared.mode == "repair"
    done = maker.finish(prepared, engine.translate_batch(list(prepared.engine_inputs)), retry=engine.translate_batch)
    assert len(engine.calls) == 1  # the plain French and each term alone, together
    # The term alone ("OTAN" → "OTAN") is found in the plain output and replaced by the house term.
    assert all("NATO" in d.translation.text and "Jens Stoltenberg" in d.translation.text for d in done)
    assert all(any(e.how == "repair" for e in d.carried.enforced) for d in done)


@needs_apertium
def test_apertium_draft_keeps_names_numbers_and_fixes_artefacts() -> None:
    engine = ApertiumEngine()
    maker = DraftMaker(load_glossary(), alternatives=engine.alternatives())
    source = ("Le secrétaire général de l'OTAN, M. Ban Ki‑moon, a rendu hommage aux 3 700 victimes, "
              "avec Kolinda Grabar Kitarović, au sein de l'Alliance.")
    prepared = maker.prepare([source])
    (draft,) = maker.finish(prepared, engine.translate_batch(list(prepared.engine_inputs)), retry=engine.translate_batch)
    text = draft.translation.text
    for kept in ("Mr Ban Ki", "3,700", "Kolinda Grabar Kitarović", "paid tribute", "within the Alliance"):
        assert kept in text, text
    assert "Nato" not in text and "surrendered" not in text
