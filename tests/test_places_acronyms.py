"""Place names the way NATO/UN write them, French acronyms resolved, drafts without a glossary."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from workflow.mt.engines import Translation
from workflow.mt.engines.apertium import ApertiumEngine, apertium_available
from workflow.review.pofile import read_po
from workflow.source.article import read_article
from workflow.terms.acronyms import article_acronyms, initials, merge
from workflow.terms.carry import TermCarrier
from workflow.terms.drafts import DraftMaker
from workflow.terms.glossary import Glossary, load_glossary
from workflow.terms.places import find_places, places
from workflow.translate import published_date, translate_articles

from tests.test_drafts import PROVENANCE, EchoEngine

needs_apertium = pytest.mark.skipif(not apertium_available(), reason="Apertium fr-es/spa-eng not installed")
needs_esperanto = pytest.mark.skipif(not apertium_available("eo"), reason="apertium-eo-fr/eo-en not installed")


def found(text: str, when: date | None = None) -> list[tuple[str, str, bool]]:
    return [(p.text, p.english, p.the) for p in find_places(text, when)]


# -- places -------------------------------------------------------------------------------------


def test_iso_names_pair_french_and_english_register_for_register() -> None:
    table = {p.fr: p.en for p in places()}
    assert table["Côte d'Ivoire"] == "Côte d'Ivoire"  # not "Ivory Coast"
    assert table["Syrie"] == "Syria" and table["République arabe syrienne"] == "Syrian Arab Republic"
    assert table["République démocratique du Congo"] == "Democratic Republic of the Congo"
    assert table["République de Corée"] == "Republic of Korea"  # ISO's "Corée, République de" turned round
    assert len(table) > 300
    assert all(p.source for p in places())


def test_places_in_french_text_with_their_english_article() -> None:
    assert found("La Côte d’Ivoire et la République démocratique du Congo.") == [
        ("Côte d’Ivoire", "Côte d'Ivoire", False), ("République démocratique du Congo", "Democratic Republic of the Congo", True)]
    assert found("aux Pays‑Bas, à Kiev") == [("Pays‑Bas", "Netherlands", True), ("Kiev", "Kyiv", False)]
    # A first name that is also a country: part of a longer name, not a place.
    assert found("M. Maurice Dupont est allé à Maurice.") == [("Maurice", "Mauritius", False)]


def test_turkey_becomes_turkiye_from_june_2022_only() -> None:
    assert found("en Turquie", date(2013, 2, 1)) == [("Turquie", "Turkey", False)]
    assert found("en Turquie", date(2022, 6, 1)) == [("Turquie", "Türkiye", False)]
    assert found("en Turquie") == [("Turquie", "Türkiye", False)]  # undated: today's name


def test_carrier_drops_or_adds_the_english_article() -> None:
    carrier = TermCarrier(Glossary(()))
    prepared = carrier.prepare(["le gouvernement de la Turquie", "les troupes en République démocratique du Congo"],
                               dates=[date(2012, 1, 1), None])
    engine = EchoEngine()
    outputs = engine.translate_batch(prepared.engine_inputs)
    # What Apertium does with the placeholders: "de la Zqxa" → "of the Zqxa", "en Zqxa" → "in Zqxa".
    outputs = [Translation(o.text.replace("le gouvernement de la", "the government of the")
                           .replace("les troupes en", "the troops in"), PROVENANCE) for o in outputs]
    texts = [c.text for c in carrier.finish(prepared, outputs)]
    assert texts == ["the government of Turkey", "the troops in the Democratic Republic of the Congo"]


# -- acronyms -----------------------------------------------------------------------------------


def test_initials_skip_function_words_and_accents() -> None:
    assert initials("Force africaine en attente", frozenset({"en"})) == "FAA"
    assert initials("État islamique en Iraq et au Levant", frozenset({"en", "et", "au"})) == "EIIL"


def test_acronym_defined_after_a_known_term_gets_the_english_initials() -> None:
    house = load_glossary()
    without = Glossary(tuple(e for e in house if e.id not in {"faa", "ua", "cua"}))
    text = ("le chef d’état-major de la Force africaine en attente (FAA), de l'Union africaine (UA) "
            "et de la Commission de l’Union africaine (CUA).\nLa FAA est prête.")
    assert article_acronyms(text, without) == {"FAA": "ASF", "UA": "AU", "CUA": "AUC"}
    assert article_acronyms(text, house) == {}  # the glossary lists them: nothing to derive
    assert article_acronyms(text, None) == {}
    # Not the initials of the term before it: left alone.
    assert article_acronyms("la Force africaine en attente (ASF)", without) == {}
    assert merge([{"FAA": "ASF"}, {"FAA": "AFA", "UA": "AU"}]) == {"UA": "AU"}


def test_derived_acronym_is_used_alone_later_in_the_article() -> None:
    maker = DraftMaker(None, repair_leftovers=False, post_editing=False)
    prepared = maker.prepare(["La FAA est prête."], acronyms={"FAA": "ASF"})
    (draft,) = maker.finish(prepared, EchoEngine().translate_batch(prepared.engine_inputs))
    assert draft.translation.text == "La ASF est prête."


# -- drafts without a glossary, and raw engine output -------------------------------------------


def write_article(project: Path, name: str, text: str, published: date | None = None) -> Path:
    path = project / "source_fr" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    if published is not None:
        stamp = datetime(published.year, published.month, published.day, tzinfo=UTC).timestamp()
        os.utime(path, (stamp, stamp))
    return path


ARTICLE = ("Visite du général Toft en Turquie\n\n"
           "Le général Jan Kazimierz Toft a rencontré 3 000 soldats à Ankara, en Turquie, le 8 mai 2014.\n")


def test_no_glossary_still_protects_names_numbers_and_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_article(tmp_path, "visite.txt", ARTICLE, date(2014, 5, 8))
    engine = EchoEngine()
    assert translate_articles(engine=engine).ok
    sent = " ".join(s for call in engine.calls for s in call)
    assert "Kazimierz" not in sent and "3 000" not in sent and "Turquie" not in sent  # all carried as placeholders
    msgstr = read_po(tmp_path / "translations/en/visite.po").find(ARTICLE.split("\n\n")[1].strip()).msgstr
    assert "Jan Kazimierz Toft" in msgstr and "3,000" in msgstr and "Turkey" in msgstr


def test_raw_mt_keeps_the_engine_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_article(tmp_path, "visite.txt", ARTICLE)
    engine = EchoEngine()
    assert translate_articles(engine=engine, raw_mt=True).ok
    assert len(engine.calls) == 1
    msgstr = read_po(tmp_path / "translations/en/visite.po").find(ARTICLE.split("\n\n")[1].strip()).msgstr
    assert msgstr == ARTICLE.split("\n\n")[1].strip()


def test_place_names_follow_each_article_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    sentence = "Les Alliés soutiennent la Turquie."
    write_article(tmp_path, "old.txt", f"Titre ancien\n\n{sentence}\n", date(2013, 2, 1))
    write_article(tmp_path, "new.txt", f"Titre récent\n\n{sentence}\n", date(2023, 6, 7))
    assert published_date(read_article(tmp_path / "source_fr/old.txt")) == date(2013, 2, 1)
    assert translate_articles(engine=EchoEngine()).ok
    old = read_po(tmp_path / "translations/en/old.po").find(sentence).msgstr
    new = read_po(tmp_path / "translations/en/new.po").find(sentence).msgstr
    assert "Turkey" in old and "Türkiye" in new


def test_published_date_from_the_date_line(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.txt", "Titre\n\n• 25 Sep. 2012 -\n\nTexte du corps.\n")
    assert published_date(read_article(path)) == date(2012, 9, 25)


# -- Apertium end to end ------------------------------------------------------------------------


@needs_apertium
def test_apertium_writes_house_place_names() -> None:
    engine = ApertiumEngine()
    maker = DraftMaker(None, alternatives=engine.alternatives())
    prepared = maker.prepare(["Les Casques bleus sont déployés en Côte d'Ivoire et à Kiev."])
    (draft,) = maker.finish(prepared, engine.translate_batch(list(prepared.engine_inputs)), retry=engine.translate_batch)
    text = draft.translation.text
    assert "Côte d’Ivoire" in text or "Côte d'Ivoire" in text, text
    assert "Ivory" not in text and "Kyiv" in text


@needs_esperanto
@needs_apertium
def test_words_neither_spanish_nor_catalan_know_go_through_esperanto() -> None:
    engine = ApertiumEngine()
    assert [a.pivot for a in engine.alternatives()][-1] == "eo"
    maker = DraftMaker(None, alternatives=engine.alternatives())
    source = "La Journée internationale de la paix nous donne l’occasion de réfléchir aux conséquences de la guerre."
    prepared = maker.prepare([source])
    (draft,) = maker.finish(prepared, engine.translate_batch(list(prepared.engine_inputs)), retry=engine.translate_batch)
    assert "reflexionar" not in draft.translation.text
    assert not re.search(r"\[\w+\]", draft.translation.text), draft.translation.text
