"""Word language from word frequencies: French and Spanish leftovers in English, loanwords spared."""

from __future__ import annotations

from workflow.source.language import detect_language
from workflow.source.lexicon import foreign_words, word_language


def test_clear_french_and_spanish_words() -> None:
    assert word_language("essuyés") == "fr"
    assert word_language("casques") == "fr"
    assert word_language("aucun") == "fr"
    assert word_language("también") == "es"
    assert word_language("para") == "es"


def test_english_words_and_established_loanwords_are_english() -> None:
    for word in ("mission", "programme", "coup", "regime", "record", "families", "via", "per", "sin", "no"):
        assert word_language(word) is None, word


def test_leftovers_found_with_offsets_names_skipped() -> None:
    text = "The shots essuyés by the casques bleus of l'OTAN, said Rosa Grabar."
    found = foreign_words(text)
    assert [(w.text, w.lang) for w in found] == [("essuyés", "fr"), ("casques", "fr"), ("bleus", "fr"), ("l'", "fr")]
    assert all(text[w.start : w.end] == w.text for w in found)
    assert foreign_words("NATO Secretary General Jens Stoltenberg met the Minister.") == []


def test_vocabulary_decides_when_there_are_no_function_words() -> None:
    assert detect_language("Ruined schools.  Bombed hospitals.  Broken families.") == "en"
    assert detect_language("Écoles détruites. Hôpitaux bombardés. Familles brisées.") == "fr"
    assert detect_language("SG/SM/19051") == "fr"  # no evidence: the article's language
