"""Apertium pivot engine: real runs when the Debian packages are installed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from workflow.mt.engines import Engine
from workflow.mt.engines import apertium
from workflow.mt.engines.apertium import ApertiumEngine, apertium_available
from workflow.base.errors import EngineError

REPO = Path(__file__).resolve().parents[1]
PAIRS = REPO.parent / "shared" / "data" / "pairs"

needs_apertium = pytest.mark.skipif(
    not apertium_available(),
    reason="Apertium with fr-es and es-en modes not installed "
    "(apt-get install apertium apertium-fr-es apertium-eng-spa)",
)

MARKS = re.compile(r"(?<![\w*#@])[*#@]\w")


def _corpus_sentences() -> list[str]:
    """Naive sentence split of every French text we have; good enough as test input."""
    files = sorted(PAIRS.glob("*/source_fr.txt")) + sorted((REPO / "source_fr").glob("*.txt"))
    sentences: list[str] = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            for piece in line.split(". "):
                if piece.strip():
                    sentences.append(piece.strip())
    return sentences


@pytest.fixture(scope="module")
def engine() -> ApertiumEngine:
    return ApertiumEngine()


@pytest.fixture
def popen_spy(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Records every process the engine launches, to prove one pipeline per batch."""
    launched: list[list[str]] = []
    real = subprocess.Popen

    def spy(args, *rest, **kwargs):
        launched.append(list(args))
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(apertium.subprocess, "Popen", spy)
    return launched


def test_unavailable_engine_explains_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apertium, "_installed_modes", lambda: frozenset({"fr-es"}))
    assert not apertium_available()
    with pytest.raises(EngineError, match="apt-get install apertium apertium-fr-es apertium-eng-spa"):
        ApertiumEngine()


def test_mode_names_fall_back_to_other_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apertium, "_installed_modes", lambda: frozenset({"fra-spa", "es-en"}))
    assert apertium._pick_modes() == ("fra-spa", "es-en")


@needs_apertium
def test_engine_interface_and_provenance(engine: ApertiumEngine) -> None:
    assert isinstance(engine, Engine)
    provenance = engine.provenance
    assert provenance.engine == "apertium"
    assert provenance.model == f"{engine.fr_es}+{engine.es_en}"
    assert ("pivot", "es") in provenance.settings
    version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "apertium-fr-es"], capture_output=True, text=True
    ).stdout.strip()
    if version:
        assert version in provenance.version


@needs_apertium
def test_batch_keeps_order_and_count_in_one_pipeline(
    engine: ApertiumEngine, popen_spy: list[list[str]]
) -> None:
    sentences = _corpus_sentences()
    if len(sentences) < 50:
        pytest.skip(f"only {len(sentences)} French sentences found under {PAIRS}")
    results = engine.translate_batch(sentences)
    assert len(popen_spy) == 1
    assert len(results) == len(sentences)
    assert all(result is not None and result.text for result in results)

    # Alignment: a batch item must equal the same sentence translated on its own.
    for index in (0, len(sentences) // 2, len(sentences) - 1):
        (alone,) = engine.translate_batch([sentences[index]])
        assert alone is not None
        assert results[index].text == alone.text, sentences[index]
    assert len(popen_spy) == 4


@needs_apertium
def test_no_unknown_word_marks_and_clean_spacing(engine: ApertiumEngine) -> None:
    sentences = _corpus_sentences() + ["Les sécuritaires zorglubesques du Xyzzqwerty sont arrivés."]
    for source, result in zip(sentences, engine.translate_batch(sentences), strict=True):
        assert result is not None
        assert not MARKS.search(result.text) or MARKS.search(source), (source, result.text)
        assert "  " not in result.text
        assert result.text == result.text.strip()


@needs_apertium
def test_simple_sentence_gives_plausible_english(engine: ApertiumEngine) -> None:
    (result,) = engine.translate_batch(["Les Nations Unies et l’OTAN coopèrent dans les Balkans."])
    assert result is not None
    assert "United Nations" in result.text
    assert "NATO" in result.text
    assert "Balkans" in result.text


@needs_apertium
def test_special_characters_survive(engine: ApertiumEngine) -> None:
    sources = [
        "Le taux a atteint 12,5\u202f% en 2018 (contre 9\u00a0% en 2017).",
        "Le 6 juin 2018, l’OTAN\u2011UA a tenu sa réunion : «\u00a0un succès\u00a0».",
        "Voir https://www.nato.int/cps/fr/natohq/news_155895.htm?selectedLocale=fr pour plus d’informations.",
        "Écrivez à presse@otan.int avant le 3 mars.",
    ]
    texts = [r.text for r in engine.translate_batch(sources)]  # type: ignore[union-attr]
    assert "12,5\u202f%" in texts[0] and "9\u00a0%" in texts[0]
    assert "(" in texts[0] and ")" in texts[0] and "2017" in texts[0]
    assert "\u2011" in texts[1] and "«\u00a0" in texts[1] and "\u00a0»" in texts[1]
    assert "https://www.nato.int/cps/fr/natohq/news_155895.htm?selectedLocale=fr" in texts[2]
    assert "presse@otan.int" in texts[3]


@needs_apertium
def test_empty_segments_are_not_sent(engine: ApertiumEngine, popen_spy: list[list[str]]) -> None:
    assert [r.text for r in engine.translate_batch(["", "  ", ""])] == ["", "", ""]  # type: ignore[union-attr]
    assert popen_spy == []
    texts = [r.text for r in engine.translate_batch(["", "Merci beaucoup.", ""])]  # type: ignore[union-attr]
    assert texts[0] == texts[2] == ""
    assert texts[1]
    assert len(popen_spy) == 1


@needs_apertium
def test_line_breaks_inside_a_segment_do_not_split_it(engine: ApertiumEngine) -> None:
    results = engine.translate_batch(["Bonjour\n\nle monde.", "Merci."])
    assert len(results) == 2
    assert "\n" not in results[0].text  # type: ignore[union-attr]


@needs_apertium
def test_failure_reports_stderr(engine: ApertiumEngine) -> None:
    broken = ApertiumEngine()
    broken.fr_es = "xx-yy"
    with pytest.raises(EngineError, match="xx-yy"):
        broken.translate_batch(["Bonjour."])


@needs_apertium
def test_timeout_is_an_engine_error() -> None:
    slow = ApertiumEngine(timeout=0.001)
    with pytest.raises(EngineError, match="did not finish"):
        slow.translate_batch(["Bonjour."])


@needs_apertium
def test_misaligned_output_raises_instead_of_guessing(
    engine: ApertiumEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = subprocess.Popen

    def extra_segment(args, *rest, **kwargs):
        # Stands in for a pipeline that emits one segment too many.
        return real(["bash", "-c", "cat; printf '\\n\\nextra\\n'"], *rest, **kwargs)

    monkeypatch.setattr(apertium.subprocess, "Popen", extra_segment)
    with pytest.raises(EngineError, match="refusing to guess"):
        engine.translate_batch(["Bonjour.", "Merci."])
