"""Leftover words no engine route knows: lemma and re-inflection, prefixes, reference layers as lexicon."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workflow.mt.engines import Provenance, Translation
from workflow.mt.engines.apertium import ApertiumEngine, apertium_available
from workflow.terms.drafts import DraftMaker, reference_lexicon
from workflow.terms.glossary import DEFAULT_GLOSSARY, load_glossary
from workflow.terms.leftovers import LeftoverRepair
from workflow.terms.morphology import analyse, english_for, inflect, queries
from workflow.terms.termbase import import_termbase

PROVENANCE = Provenance("double")


@pytest.mark.parametrize(("word", "expected"), [
    ("coprésidés", ("coprésider", "past")),  # simplemma gives the participle: its verb is rebuilt
    ("réélus", ("réélire", "past")),
    ("pandémies", ("pandémie", "plural")),
    ("officialisant", ("officialiser", "gerund")),
    ("intervenants", ("intervenant", "plural")),  # a noun in -ant, not a participle
    ("valoriser", ("valoriser", "base")),
    ("poutrelle", ("poutrelle", "same")),
    ("qu'", ("", "same")),  # an elided word alone: nothing to ask, and no error
    ("cyberattaques", ("cyberattaque", "plural")),  # unknown to simplemma: a final s is a plural
])
def test_the_french_form_is_read_from_word_and_lemma(word: str, expected: tuple[str, str]) -> None:
    assert analyse(word) == expected


@pytest.mark.parametrize(("english", "form", "expected"), [
    ("citizen", "plural", "citizens"),
    ("first responder", "plural", "first responders"),
    ("unspeakable", "plural", "unspeakable"),  # English adjectives take no plural
    ("taking part", "plural", None),  # a verb phrase has no plural: the query fails, nothing is guessed
    ("primo-intervening", "plural", None),
    ("cyberattack", "plural", "cyberattacks"),  # a word lemminflect does not list: regular rules
    ("to preside", "past", "presided"),
    ("hold", "past", "held"),
    ("chaired", "past", "chaired"),
    ("formalise", "gerund", "formalising"),  # British spelling kept
    ("to enhance", "base", "enhance"),
])
def test_english_is_put_back_in_the_french_form(english: str, form: str, expected: str | None) -> None:
    assert inflect(english, form) == expected


def _prefixed(word: str) -> list[tuple[str, str]]:
    return [(q.prefix.fr, q.ask) for q in queries(word) if q.prefix]


def test_prefixes_split_only_before_a_french_stem() -> None:
    assert ("co", "présidés") in _prefixed("coprésidés")
    assert ("anti", "personnel") in _prefixed("antipersonnel")
    assert ("dés", "information") in _prefixed("désinformation")
    assert _prefixed("poutrelle") == []
    # A prefix written with a hyphen in the data needs one in the word.
    assert ("ex-", "président") in _prefixed("ex-président")
    assert not any(p == "ex-" for p, _ in _prefixed("excroissances"))


def test_prefixes_join_the_english_closed_only_where_english_has_the_word() -> None:
    (co,) = [q for q in queries("coprésidés") if q.prefix and q.ask == "présidés"]
    assert english_for(co, "chaired") == "co-chaired"
    (dis,) = [q for q in queries("désinformation") if q.prefix]
    assert english_for(dis, "information") == "disinformation"
    (de,) = [q for q in queries("dépollués") if q.prefix and q.ask == "pollués"]
    assert english_for(de, "polluted") is None  # "de" joins closed only: "depolluted" is no English word
    assert english_for(co, "it presides") is None  # one English word after a prefix


class Route:
    """A route that knows a few words and passes the rest through, as Apertium does."""

    def __init__(self, known: dict[str, str]):
        self.known = known
        self.calls: list[list[str]] = []

    def __call__(self, words: list[str]) -> list[Translation | None]:
        self.calls.append(list(words))
        return [Translation(self.known.get(w, w), PROVENANCE) for w in words]


def test_morphology_asks_each_route_once_for_the_whole_run() -> None:
    main, other = Route({"présidés": "Chaired"}), Route({"attaques": "attacks", "pandémie": "pandemic"})
    repair = LeftoverRepair([], routes=[main, other])
    drafts = repair.repair(
        ["Les entretiens étaient coprésidés par le général.", "Les cyberattaques et les pandémies."],
        ["The talks were coprésidés by the general.", "The cyberattaques and the pandémies."])
    assert [d.text for d in drafts] == ["The talks were co-chaired by the general.",
                                        "The cyber attacks and the pandemics."]
    assert len(main.calls) == len(other.calls) == 1  # every lemma and stem of the run in one call
    assert "coprésidés → co-chaired (from co+présidés)" in drafts[0].repaired
    assert not any(d.left for d in drafts)


def test_a_rendering_that_passes_part_of_the_word_through_is_refused() -> None:
    route = Route({"primo-intervenant": "Primo-responder", "intervenants": "intervinientes"})
    (draft,) = LeftoverRepair([], routes=[route]).repair(["les primo-intervenants"], ["the primo-intervenants"])
    assert draft.left == ["primo-intervenants"]


def test_what_no_route_or_lexicon_knows_is_still_marked() -> None:
    (draft,) = LeftoverRepair([], routes=[Route({})]).repair(["une poutrelle"], ["a poutrelle"])
    assert (draft.text, draft.left) == ("a [poutrelle]", ["poutrelle"])


def test_cognate_of_the_lemma_is_made_plural() -> None:
    (draft,) = LeftoverRepair([]).repair(["la préparation aux pandémies"], ["the preparation to the pandémies"])
    assert draft.text == "the preparation to the pandemics"


def test_an_imported_termbase_is_a_lexicon_for_lemmas(tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    folder.mkdir()
    shutil.copy(DEFAULT_GLOSSARY, folder / "nato_un.csv")
    termbase = tmp_path / "tb.csv"
    termbase.write_text("fr,en\nofficialiser,formalise\nrepérage,identification\ncyberattaque,cyberattack\n", "utf-8")
    import_termbase(termbase, folder, name="tb", cache_dir=tmp_path / "cache")
    glossary = load_glossary(folder, cache_dir=tmp_path / "cache")
    lexicon = reference_lexicon(glossary)
    assert lexicon(["officialiser", "repérage", "poutrelle"]) == {"officialiser": "formalise",
                                                                   "repérage": "identification"}
    repair = LeftoverRepair([], routes=[Route({})], lexicons=[lexicon])
    first, second, third = repair.repair(
        ["un accord officialisant le statut", "le repérage des menaces", "les cyberattaques"],
        ["an agreement officialisant the status", "the repérage of the threats", "the cyberattaques"])
    assert first.text == "an agreement formalising the status"  # the lemma's entry, as a gerund
    assert second.text == "the identification of the threats"
    assert third.text == "the cyberattacks"  # the entry found for a plural form, made plural
    assert "(from officialiser)" in first.repaired[0]


@pytest.mark.skipif(not apertium_available(), reason="Apertium fr-es/spa-eng not installed")
def test_apertium_drafts_rebuild_prefixed_words() -> None:
    engine = ApertiumEngine()
    maker = DraftMaker(load_glossary(), alternatives=engine.alternatives())
    source = "Les menaces hybrides, comme les cyberattaques ou la désinformation, exigent une réponse."
    prepared = maker.prepare([source])
    (draft,) = maker.finish(prepared, engine.translate_batch(list(prepared.engine_inputs)), retry=engine.translate_batch)
    assert "disinformation" in draft.translation.text and "cyber" in draft.translation.text
    assert not draft.left
