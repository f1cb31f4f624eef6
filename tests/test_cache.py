"""Translation cache: hits, misses, concurrency, corruption and schema changes."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from workflow.mt import cache as cache_module
from workflow.mt.cache import SCHEMA_VERSION, CachedEngine, TranslationCache
from workflow.mt.engines import Engine, Provenance, Translation
from workflow.base.errors import EngineError

REPO = Path(__file__).resolve().parents[1]


class FakeEngine:
    """Upper-cases text; records every batch it receives."""

    name = "fake"

    def __init__(self, version: str = "1", refuse: frozenset[str] = frozenset()):
        self._provenance = Provenance(engine="fake", model="upper", version=version)
        self.refuse = refuse
        self.batches: list[list[str]] = []

    @property
    def provenance(self) -> Provenance:
        return self._provenance

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        self.batches.append(list(segments))
        return [
            None if s in self.refuse else Translation(s.upper(), self._provenance) for s in segments
        ]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "translations.sqlite"


def test_round_trip_and_identity_separation(db: Path) -> None:
    with TranslationCache(db) as cache:
        cache.put_many("a|1", [("Bonjour", "Hello"), ("Merci", "Thanks")])
        cache.put_many("b|1", [("Bonjour", "Hi")])
        assert cache.get_many("a|1", ["Bonjour", "Merci", "Absent"]) == {
            "Bonjour": "Hello",
            "Merci": "Thanks",
        }
        assert cache.get_many("b|1", ["Bonjour", "Merci"]) == {"Bonjour": "Hi"}
        assert cache.get_many("c|1", ["Bonjour"]) == {}
        assert cache.get_many("a|1", []) == {}
        cache.put_many("a|1", [("Bonjour", "Good day")])
        assert cache.get_many("a|1", ["Bonjour"]) == {"Bonjour": "Good day"}


def test_persists_and_uses_wal(db: Path) -> None:
    with TranslationCache(db) as cache:
        cache.put_many("id", [("« Texte »\u00a0!", "“Text”!")])
    with TranslationCache(db) as cache:
        assert cache.get_many("id", ["« Texte »\u00a0!"]) == {"« Texte »\u00a0!": "“Text”!"}
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()


def test_full_source_text_is_the_key(db: Path) -> None:
    """Long segments differing only at the very end must not collide."""
    base = "Le Conseil de sécurité a adopté la résolution " * 200
    pairs = [(base + "A.", "first"), (base + "B.", "second")]
    with TranslationCache(db) as cache:
        cache.put_many("id", pairs)
        assert cache.get_many("id", [base + "A.", base + "B.", base]) == dict(pairs)


def test_many_segments_are_chunked(db: Path) -> None:
    sources = [f"Phrase numéro {n}." for n in range(2_500)]
    with TranslationCache(db) as cache:
        cache.put_many("id", ((s, s.upper()) for s in sources))
        found = cache.get_many("id", sources)
        assert len(found) == len(sources) == len(cache)


def test_cached_engine_sends_only_unique_misses_in_one_call(db: Path) -> None:
    fake = FakeEngine()
    with TranslationCache(db) as cache:
        engine = CachedEngine(fake, cache)
        assert isinstance(engine, Engine)
        assert engine.name == "fake" and engine.provenance == fake.provenance

        results = engine.translate_batch(["b", "a", "b", "c", "a"])
        assert [r.text for r in results] == ["B", "A", "B", "C", "A"]  # type: ignore[union-attr]
        assert fake.batches == [["b", "a", "c"]]
        assert (engine.engine_calls, engine.segments_sent) == (1, 3)

        results = engine.translate_batch(["d", "a", "e", "d"])
        assert [r.text for r in results] == ["D", "A", "E", "D"]  # type: ignore[union-attr]
        assert fake.batches[-1] == ["d", "e"]
        assert (engine.engine_calls, engine.segments_sent) == (2, 5)
        assert all(r.provenance == fake.provenance for r in results)  # type: ignore[union-attr]


def test_rerun_on_unchanged_input_makes_no_engine_call(db: Path) -> None:
    segments = ["Bonjour.", "Merci.", "Au revoir."]
    with TranslationCache(db) as cache:
        CachedEngine(FakeEngine(), cache).translate_batch(segments)
    fake = FakeEngine()
    with TranslationCache(db) as cache:
        engine = CachedEngine(fake, cache)
        results = engine.translate_batch(segments)
    assert [r.text for r in results] == ["BONJOUR.", "MERCI.", "AU REVOIR."]  # type: ignore[union-attr]
    assert (engine.engine_calls, engine.segments_sent, engine.hits) == (0, 0, 3)
    assert fake.batches == []


def test_new_engine_version_misses_the_cache(db: Path) -> None:
    with TranslationCache(db) as cache:
        CachedEngine(FakeEngine(version="1"), cache).translate_batch(["x"])
        newer = CachedEngine(FakeEngine(version="2"), cache)
        newer.translate_batch(["x"])
        assert newer.engine_calls == 1


def test_refused_segments_are_not_cached(db: Path) -> None:
    with TranslationCache(db) as cache:
        fake = FakeEngine(refuse=frozenset({"no"}))
        engine = CachedEngine(fake, cache)
        assert engine.translate_batch(["yes", "no"])[1] is None
        assert engine.translate_batch(["yes", "no"])[1] is None
        assert fake.batches == [["yes", "no"], ["no"]]


def test_engine_returning_wrong_count_is_an_error(db: Path) -> None:
    class Short(FakeEngine):
        def translate_batch(self, segments: list[str]) -> list[Translation | None]:
            return super().translate_batch(segments)[:-1]

    with TranslationCache(db) as cache, pytest.raises(EngineError):
        CachedEngine(Short(), cache).translate_batch(["a", "b"])


def test_garbage_file_is_moved_aside_and_rebuilt(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not sqlite \x00\xff" * 500)
    with caplog.at_level(logging.WARNING, logger="workflow"):
        with TranslationCache(db) as cache:
            assert cache.available
            assert cache.get_many("id", ["a"]) == {}
            cache.put_many("id", [("a", "A")])
            assert cache.get_many("id", ["a"]) == {"a": "A"}
    assert any("corrupt" in record.getMessage() for record in caplog.records)
    assert all(record.name == "workflow" for record in caplog.records)
    aside = list(db.parent.glob(f"{db.name}.corrupt-*"))
    assert aside and aside[0].read_bytes().startswith(b"this is not sqlite")


def test_damaged_pages_do_not_crash(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    with TranslationCache(db) as cache:
        cache.put_many("id", ((f"source {n} " * 20, f"target {n}") for n in range(2_000)))
    size = db.stat().st_size
    assert size > 64 * 1024
    with db.open("r+b") as handle:  # keep the 100-byte header, smash everything after
        handle.seek(100)
        handle.write(b"\xde\xad\xbe\xef" * ((size - 100) // 4))
    with caplog.at_level(logging.WARNING, logger="workflow"):
        with TranslationCache(db) as cache:
            cache.get_many("id", ["source 1 " * 20])
            cache.put_many("id", [("new", "NEW")])
            assert cache.get_many("id", ["new"]) in ({"new": "NEW"}, {})
    assert caplog.records, "damage must be reported as a warning"


def test_other_schema_version_is_rebuilt(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE translations (k TEXT, v TEXT)")
    conn.execute("INSERT INTO translations VALUES ('old', 'layout')")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 41}")
    conn.commit()
    conn.close()
    with caplog.at_level(logging.WARNING, logger="workflow"):
        with TranslationCache(db) as cache:
            assert len(cache) == 0
            cache.put_many("id", [("a", "A")])
            assert cache.get_many("id", ["a"]) == {"a": "A"}
    assert any("schema version" in record.getMessage() for record in caplog.records)


def test_schema_bump_rebuilds_cleanly(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with TranslationCache(db) as cache:
        cache.put_many("id", [("a", "A")])
    monkeypatch.setattr(cache_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with TranslationCache(db) as cache:
        assert cache.get_many("id", ["a"]) == {}


def test_concurrent_threads_each_with_a_connection(db: Path) -> None:
    TranslationCache(db).close()
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        try:
            with TranslationCache(db) as cache:
                for n in range(150):
                    cache.put_many("id", [(f"{tag}-{n}", f"{tag.upper()}-{n}")])
                    cache.get_many("id", [f"{tag}-{n}", f"other-{n}"])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in ("t1", "t2", "t3")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with TranslationCache(db) as cache:
        assert len(cache) == 450


WRITER = """
import sys
from pathlib import Path
from workflow.mt.cache import TranslationCache
path, tag = Path(sys.argv[1]), sys.argv[2]
with TranslationCache(path) as cache:
    for n in range(300):
        cache.put_many("id", [(f"{tag}-{n}", f"{tag}:{n}"), (f"shared-{n}", f"from {tag}")])
        assert cache.get_many("id", [f"{tag}-{n}"]) == {f"{tag}-{n}": f"{tag}:{n}"}
"""


def test_two_processes_writing_at_once(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Two runs start on a missing file at the same moment: both must succeed, nothing lost."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), tag],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("p1", "p2")
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        assert stderr.strip() == "", stderr
    with TranslationCache(db) as cache:
        assert len(cache) == 900
        assert cache.get_many("id", ["p1-299", "p2-0"]) == {"p1-299": "p1:299", "p2-0": "p2:0"}


def test_unopenable_path_degrades_to_no_cache(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A directory where the file should be: warn once, keep translating, no 30 s stall."""
    (tmp_path / "is-a-dir").mkdir()
    with caplog.at_level(logging.WARNING, logger="workflow"):
        with TranslationCache(tmp_path / "is-a-dir", busy_timeout=5) as cache:
            assert not cache.available
            fake = FakeEngine()
            engine = CachedEngine(fake, cache)
            assert [r.text for r in engine.translate_batch(["a"])] == ["A"]  # type: ignore[union-attr]
            assert [r.text for r in engine.translate_batch(["a"])] == ["A"]  # type: ignore[union-attr]
            assert engine.engine_calls == 2
    assert any("running without it" in record.getMessage() for record in caplog.records)
