"""Machine translation inside `translate`: what goes to the engine, what comes back, the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflow.mt.engines import NoneEngine, Provenance, Translation, create_engine
from workflow.mt.engines.apertium import apertium_available
from workflow.base.errors import EngineError
from workflow.terms.glossary import load_glossary
from workflow.review.pofile import read_po
from workflow.translate import translate_articles


needs_apertium = pytest.mark.skipif(not apertium_available(), reason="Apertium fr-es/spa-eng not installed")


class RecordingEngine:
    """Test double: upper-cases its input and remembers every call."""

    name = "recording"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    @property
    def provenance(self) -> Provenance:
        return Provenance("recording", "upper", "1", (("beam", "1"),))

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        self.calls.append(list(segments))
        return [Translation(s.upper(), self.provenance) for s in segments]


def entries(project: Path) -> list:
    return [e for p in sorted((project / "translations/en").glob("*.po")) for e in read_po(p)]


def test_all_articles_go_to_the_engine_in_one_batch(project: Path) -> None:
    engine = RecordingEngine()
    report = translate_articles(engine=engine, raw_mt=True)
    assert report.ok
    assert len(engine.calls) == 1
    sent = engine.calls[0]
    assert len(sent) == len(set(sent)) == report.engine_segments == 29
    # captions and metadata lines never reach the engine
    assert not any(s.startswith(("•", "From left", "NATO Secretary General Jens")) for s in sent)


def test_machine_output_is_fuzzy_with_provenance(project: Path) -> None:
    translate_articles(engine=RecordingEngine(), raw_mt=True)
    machine = [e for e in entries(project) if "MT: recording" in e.comment]
    assert len(machine) == 29
    for entry in machine:
        assert entry.fuzzy and entry.msgstr == entry.msgid.upper()
        assert "MT: recording upper 1, beam 1" in entry.comment.split("\n")
    assert not any(e.fuzzy for e in entries(project) if "filled by rule" in e.comment or "passed through" in e.comment)


def test_reviewed_msgstr_is_never_overwritten_and_not_retranslated(project: Path) -> None:
    translate_articles()
    path = project / "translations/en/otan-nations-unies-2012.po"
    catalog = read_po(path)
    title = catalog.find("L’OTAN et les Nations Unies")
    title.msgstr = "NATO and the United Nations"
    catalog.save(str(path))
    engine = RecordingEngine()
    translate_articles(engine=engine)
    assert "L’OTAN et les Nations Unies" not in engine.calls[0]
    again = read_po(path).find("L’OTAN et les Nations Unies")
    assert (again.msgstr, again.fuzzy) == ("NATO and the United Nations", False)


def test_second_run_over_unchanged_sources_makes_no_engine_call(project: Path) -> None:
    cache = project / "cache.sqlite"
    first = translate_articles(engine=RecordingEngine(), cache_path=cache, out_dir=project / "a")
    assert first.engine_calls >= 1
    engine = RecordingEngine()
    second = translate_articles(engine=engine, cache_path=cache, out_dir=project / "b")
    # Drafts (protected spans, leftover repair) ask the cache again, never the engine.
    assert engine.calls == []
    assert second.engine_calls == 0 and second.cache_hits >= 29
    for name in ("otan-nations-unies-2012.po", "sg-assemblee-generale-onu-2018.po"):
        assert (project / "a/en" / name).read_bytes() == (project / "b/en" / name).read_bytes()


def test_progress_chunks_cover_everything_once(project: Path) -> None:
    seen: list[tuple[int, int]] = []
    translate_articles(engine=RecordingEngine(), on_progress=lambda chunk, total: seen.append((len(chunk), total)))
    assert sum(n for n, _ in seen) == 29 and {t for _, t in seen} == {29}


def test_auto_engine_falls_back_with_a_hint(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import workflow.mt.engines.apertium as apertium

    monkeypatch.setattr(apertium, "apertium_available", lambda: False)
    engine = create_engine("auto")
    assert isinstance(engine, NoneEngine)
    assert "workflow models install --file PATH.argosmodel" in caplog.text
    assert "apt-get install apertium" in caplog.text


def test_argos_engine_without_a_model_says_how_to_get_one() -> None:
    with pytest.raises(EngineError, match="models install --file"):
        create_engine("argos")


@needs_apertium
def test_apertium_through_translate(project: Path) -> None:
    report = translate_articles(engine=create_engine("apertium"), cache_path=project / "c.sqlite")
    # One call for every segment; leftover repair adds at most two batched ones (pivot words traced
    # to their French, lemmas and stems of the words no route knows).
    assert report.ok and 1 <= report.engine_calls <= 3
    machine = [e for e in entries(project) if e.fuzzy]
    assert len(machine) == 29
    assert all(e.msgstr and "MT: apertium fr-es+spa-eng" in e.comment for e in machine)
    title = read_po(project / "translations/en/otan-nations-unies-2012.po").find("L’OTAN et les Nations Unies")
    assert "United Nations" in title.msgstr


@needs_apertium
def test_glossary_terms_are_carried_into_apertium_output(project: Path) -> None:
    report = translate_articles(engine=create_engine("apertium"), glossary=load_glossary())
    assert report.ok
    catalog = read_po(project / "translations/en/sg-assemblee-generale-onu-2018.po")
    title = catalog.find("Le secrétaire général de l'OTAN rejoint les dirigeants mondiaux pour l'Assemblée générale des Nations Unies")
    assert "NATO Secretary General" in title.msgstr and "United Nations General Assembly" in title.msgstr
    assert any(line.startswith("terms: secrétaire général de l'OTAN → NATO Secretary General") for line in title.comment.split("\n"))
    un = next(e for e in catalog if e.msgid.startswith("Plus tard dans la journée"))
    assert "UN Secretary-General" in un.msgstr
