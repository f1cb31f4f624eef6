"""French abbreviations before MT: written out for the engine, or carried in English (data/abbreviations_fr_en.toml)."""

from __future__ import annotations

import re
import tomllib
from importlib.resources import files

import pytest

from workflow.mt.engines import Provenance, Translation
from workflow.mt.engines.apertium import ApertiumEngine, apertium_available
from workflow.terms.abbreviations import english_spans, expand, find_abbreviations
from workflow.terms.drafts import DraftMaker
from workflow.terms.glossary import load_glossary
from workflow.terms.protect import find_spans

needs_apertium = pytest.mark.skipif(not apertium_available(), reason="Apertium fr-es/spa-eng not installed")
REPORTED = ("Le 15 janv. 2019, le gén. Jean Dupont a visité Kaboul avec le col. Martin.",
            "La réunion du 28 févr. a eu lieu à Bruxelles.")


def test_months_are_written_out_in_dates_only() -> None:
    assert expand("Le 15 janv. 2019, le 1er févr. et en sept. 2020") == "Le 15 janvier 2019, le 1er février et en septembre 2020"
    assert expand("du 3 au 7 déc. 2011, le 25 Sep. 2012") == "du 3 au 7 décembre 2011, le 25 septembre 2012"
    # "sept." with no day before it nor year after it is the number seven ending a sentence.
    assert expand("Ils étaient sept.") == "Ils étaient sept."
    assert expand("en oct. les ministres") == "en oct. les ministres"


def test_a_period_shared_with_the_sentence_end_stays() -> None:
    assert expand("La réunion a eu lieu le 28 févr.") == "La réunion a eu lieu le 28 février."
    assert expand("« le 28 févr. »") == "« le 28 février. »"
    assert expand("env. 300 soldats, p. ex. des Belges, c.-à-d. des Alliés") == \
        "environ 300 soldats, par exemple des Belges, c'est-à-dire des Alliés"


def test_case_no_break_spaces_and_idempotence() -> None:
    assert expand("Env. 300, P.\u00a0ex. ceux-ci ; voir l'art. 5 et le chap. VII") == \
        "Environ 300, par exemple ceux-ci ; voir l'article 5 et le chapitre VII"
    once = expand("le 15 janv. 2019, env. 300, c.-à-d. tous")
    assert expand(once) == once
    # Glued to a word, or not followed by what makes it an abbreviation: untouched.
    assert expand("l'envoi, la canv. 2019, l'art. moderne") == "l'envoi, la canv. 2019, l'art. moderne"


def test_ranks_and_titles_before_a_name_are_english_spans() -> None:
    text = "le gén. de div. Toft, le lcl Dupont, le col. Le Goff, le Pr Martin, S.E. Ban, Mlle Durand, le gén. de Villiers"
    assert [(a.text, a.english) for a in english_spans(text)] == [
        ("gén. de div.", "Major General"), ("lcl", "Lieutenant Colonel"), ("col.", "Colonel"), ("Pr", "Professor"),
        ("S.E.", "H.E."), ("Mlle", "Ms"), ("gén.", "General")]
    # Not before a name: not a rank ("col." ending a segment, "le col du Galibier").
    assert english_spans("ils ont franchi le col du Galibier, puis le col.") == []
    # "lt-col." is one rank, not "col." inside it.
    assert [a.english for a in english_spans("le lt-col. Martin")] == ["Lieutenant Colonel"]


def test_a_rank_makes_the_name_after_it_a_name_not_a_sentence_start() -> None:
    found = {(s.text, s.english, s.kind) for s in find_spans("Ensuite, le col. Le Goff a salué le n° 5.")}
    assert found == {("col.", "Colonel", "title"), ("Le Goff", "Le Goff", "name"), ("n°", "No.", "abbreviation")}
    # After a rank or a courtesy title, French first names and common words are names too.
    names = [s.text for s in find_spans("le col. Marchand a reçu M. Jean-Yves Le Drian et le marchand Martin") if s.kind == "name"]
    assert names == ["Marchand", "Jean-Yves Le Drian"]


def _segmenter_data() -> dict:
    return tomllib.loads((files("workflow") / "data" / "segment_fr.toml").read_text("utf-8"))


def test_every_rank_and_month_the_segmenter_knows_has_an_entry() -> None:
    """The segmenter's abbreviation lists (segment_fr.toml) are where a newsroom adds forms; the MT
    side must know them too."""
    abbreviations = _segmenter_data()["abbreviations"]
    missing = [rank for rank in abbreviations["rank"]
               if [a.text for a in find_abbreviations(f"le {rank}. Dupont")] != [f"{rank}."]]
    assert missing == []
    months = [m for m in abbreviations["ambiguous"] if m.lower() in
              {"janv", "févr", "fév", "avr", "juil", "sept", "sep", "oct", "nov", "déc", "jan", "feb", "mar", "apr",
               "jun", "jul", "aug", "dec"}]
    assert len(months) >= 18
    assert [m for m in months if expand(f"le 3 {m}. 2019") == f"le 3 {m}. 2019"] == []


def test_every_entry_has_one_rendering() -> None:
    data = tomllib.loads((files("workflow") / "data" / "abbreviations_fr_en.toml").read_text("utf-8"))
    for item in data["abbreviation"]:
        assert ("french" in item) != ("english" in item), item
        assert item.get("when", "date") in data["when"], item


# -- around an engine ----------------------------------------------------------------------------


class PhraseEngine:
    """Records what it receives and translates it phrase by phrase; placeholders pass through."""

    name = "phrases"
    PHRASES = {"Le 15 janvier 2019": "On 15 January 2019", "le 28 février": "on 28 February",
               "février": "February", "janvier": "January", "a visité": "visited", "avec": "with", "le": "the",
               "La réunion": "The meeting", "a eu lieu à": "took place in", "du": "of",
               "Kaboul": "Kabul", "Bruxelles": "Brussels"}

    def __init__(self) -> None:
        self.received: list[str] = []

    @property
    def provenance(self) -> Provenance:
        return Provenance(self.name)

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        self.received += segments
        out = []
        for text in segments:
            for french, english in self.PHRASES.items():
                text = re.sub(r"(?<!\w)" + re.escape(french) + r"(?!\w)", english, text)
            out.append(Translation(text, self.provenance))
        return out


def test_the_engine_sees_full_words_and_no_rank_abbreviation() -> None:
    engine = PhraseEngine()
    maker = DraftMaker(load_glossary(), repair_leftovers=False)
    prepared = maker.prepare(list(REPORTED))
    drafts = maker.finish(prepared, engine.translate_batch(list(prepared.engine_inputs)), retry=engine.translate_batch)
    first, second = engine.received
    assert "15 janvier 2019" in first and "28 février a eu lieu" in second
    assert not re.search(r"janv\.|févr\.|gén\.|col\.", " ".join(engine.received))
    texts = [d.translation.text for d in drafts]
    assert texts == ["On 15 January 2019, General Jean Dupont visited Kabul with Colonel Martin.",
                     "The meeting of 28 February took place in Brussels."]
    assert all(not d.carried.dates and not d.carried.lost for d in drafts)  # the dates were verified


def test_without_protection_or_abbreviations_segments_reach_the_engine_unchanged() -> None:
    maker = DraftMaker(None, repair_leftovers=False, protect=False)
    prepared = maker.prepare(list(REPORTED))
    assert list(prepared.engine_inputs) == list(REPORTED)  # protect=False: no span, no expansion
    text = "Il a été nommé en mai."
    assert DraftMaker(None).prepare([text]).engine_inputs == [text]


@needs_apertium
def test_apertium_drafts_of_the_reported_sentences() -> None:
    engine = ApertiumEngine()
    maker = DraftMaker(load_glossary(), alternatives=engine.alternatives())
    prepared = maker.prepare(list(REPORTED) + ["Le gén. de div. Toft a accueilli env. 300 soldats, p. ex. des Belges."])
    drafts = maker.finish(prepared, engine.translate_batch(list(prepared.engine_inputs)), retry=engine.translate_batch)
    first, second, third = (d.translation.text for d in drafts)
    for kept in ("15 January 2019", "General Jean Dupont", "Colonel Martin", "Kabul"):
        assert kept in first, first
    assert "28 February" in second and "Brussels" in second, second
    assert "Major General Toft" in third and "300" in third, third
    for text in (first, second, third):
        assert not re.search(r"\[|janv|févr|gén|cabbage|\bthe (?:General|Colonel|Major)", text), text
        assert text.count(".") == 1 + text.count("p.m."), text  # the abbreviations' periods no longer split sentences
    assert all(not d.carried.dates for d in drafts)
