"""Concurrent runs, edits made during a run, interrupted runs: nothing is corrupted or lost."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from workflow.mt.engines import Translation
from workflow.base.fsutil import LockedError, exclusive_lock
from workflow.review.pofile import read_po
from workflow.translate import LOCK_NAME, translate_articles

from tests.test_translate_mt import RecordingEngine


def _hold_lock(path: str, ready, release) -> None:
    with exclusive_lock(Path(path), "workflow translate"):
        ready.set()
        release.wait(10)


def test_a_second_concurrent_run_is_refused(project: Path) -> None:
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(project / "translations" / LOCK_NAME), ready, release))
    holder.start()
    try:
        assert ready.wait(20)
        with pytest.raises(LockedError, match=r"workflow translate is already running here \(pid \d+\)"):
            translate_articles()
        assert not (project / "translations/en").exists()
    finally:
        release.set()
        holder.join(10)
    assert translate_articles().ok  # the lock went with the process


def test_po_saved_by_an_editor_during_the_run_is_left_alone(project: Path) -> None:
    translate_articles()
    path = project / "translations/en/otan-nations-unies-2012.po"

    class EditorSavesMeanwhile(RecordingEngine):
        def translate_batch(self, segments: list[str]) -> list[Translation | None]:
            path.write_text(path.read_text(encoding="utf-8") + "\n# saved from Poedit\n", encoding="utf-8")
            return super().translate_batch(segments)

    report = translate_articles(engine=EditorSavesMeanwhile())
    saved = path.read_text(encoding="utf-8")
    assert saved.endswith("# saved from Poedit\n")
    (error,) = report.errors
    assert str(error).startswith("translations/en/otan-nations-unies-2012.po: changed on disk during this run")
    # the other article was written; a new run merges the edited file
    assert any(e.fuzzy for e in read_po(project / "translations/en/sg-assemblee-generale-onu-2018.po"))
    assert translate_articles(engine=RecordingEngine()).ok


class InterruptedEngine(RecordingEngine):
    """Translates the first chunk, then the user presses Ctrl-C."""

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        if self.calls:
            raise KeyboardInterrupt
        return super().translate_batch(segments)


def test_interrupted_run_resumes_without_redoing_mt(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("workflow.translate.MT_CHUNK", 10)
    cache = project / "cache.sqlite"
    engine = InterruptedEngine()
    with pytest.raises(KeyboardInterrupt):
        translate_articles(engine=engine, cache_path=cache, raw_mt=True)
    assert not list((project / "translations").rglob("*.po"))  # no half-written catalog
    first_chunk = set(engine.calls[0])
    resumed = RecordingEngine()
    report = translate_articles(engine=resumed, cache_path=cache, raw_mt=True)
    assert report.ok and report.cache_hits == 10
    sent = [s for call in resumed.calls for s in call]
    assert len(sent) == 19 and not first_chunk & set(sent)
