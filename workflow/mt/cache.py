"""SQLite translation cache, so re-running on unchanged articles costs no MT time.

Keyed by the engine's `Provenance.identity()` and the full source segment: a
new model, version or setting misses the cache, and storing the text itself
(not a hash) rules out collisions. The cache is an optimisation only, so every
failure here is logged and swallowed rather than stopping a translation run:
a corrupt file is moved aside and rebuilt, a write that cannot get the lock
is skipped.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable

from workflow.mt.engines import Engine, Provenance, Translation
from workflow.base.errors import EngineError
from workflow.base.sqlite_store import SqliteStore, chunks, immediate

# Bump when the table layout changes: an older or newer file is rebuilt empty.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    identity TEXT NOT NULL,
    source   TEXT NOT NULL,
    target   TEXT NOT NULL,
    created  REAL NOT NULL,
    PRIMARY KEY (identity, source)
) WITHOUT ROWID
"""


class TranslationCache(SqliteStore):
    """One SQLite file shared by all runs; WAL lets two runs read and write at once."""

    label = "translation cache"
    schema = (_SCHEMA,)

    @property
    def schema_version(self) -> int:
        # Looked up at open time: the public module constant stays authoritative (tests patch it).
        return SCHEMA_VERSION

    def get_many(self, identity: str, segments: list[str]) -> dict[str, str]:
        """Returns the cached targets of those segments that have one."""
        if self._conn is None or not segments:
            return {}
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(segments))
        try:
            for chunk in chunks(unique):
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT source, target FROM translations WHERE identity = ? AND source IN ({marks})",
                    [identity, *chunk],
                )
                found.update(rows)
        except sqlite3.DatabaseError as error:
            self._failed("lookup", error)
            return {}
        return found

    def put_many(self, identity: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Stores (source, target) pairs, replacing older targets for the same key."""
        if self._conn is None:
            return
        now = time.time()
        rows = [(identity, source, target, now) for source, target in pairs]
        try:
            for chunk in chunks(rows):
                immediate(
                    self._conn,
                    lambda conn: conn.executemany(
                        "INSERT OR REPLACE INTO translations (identity, source, target, created) "
                        "VALUES (?, ?, ?, ?)",
                        chunk,
                    ),
                )
        except sqlite3.DatabaseError as error:
            self._failed("write", error)

    def __len__(self) -> int:
        return self._count("translations")


class CachedEngine:
    """Wraps any engine so that only segments never seen before reach it.

    `engine_calls` and `segments_sent` let tests and benchmarks prove that a
    re-run on unchanged input does no MT work at all.
    """

    def __init__(self, engine: Engine, cache: TranslationCache):
        self.engine = engine
        self.cache = cache
        self.name = engine.name
        self.engine_calls = 0
        self.segments_sent = 0
        self.hits = 0

    @property
    def provenance(self) -> Provenance:
        return self.engine.provenance

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        provenance = self.engine.provenance
        identity = provenance.identity()
        known = self.cache.get_many(identity, segments)
        misses = list(dict.fromkeys(segment for segment in segments if segment not in known))
        fresh: dict[str, Translation | None] = {}
        if misses:
            self.engine_calls += 1
            self.segments_sent += len(misses)
            results = self.engine.translate_batch(misses)
            if len(results) != len(misses):
                raise EngineError(
                    f"engine {self.engine.name!r} returned {len(results)} results for {len(misses)} segments"
                )
            fresh = dict(zip(misses, results))
            # None means "no translation" (refused or the none engine): nothing to remember.
            self.cache.put_many(
                identity,
                ((source, result.text) for source, result in fresh.items() if result is not None),
            )
        out: list[Translation | None] = []
        for segment in segments:
            if segment in known:
                self.hits += 1
                out.append(Translation(text=known[segment], provenance=provenance))
            else:
                out.append(fresh[segment])
        return out
