"""SQLite translation cache, so re-running on unchanged articles costs no MT time.

Keyed by the engine's `Provenance.identity()` and the full source segment: a
new model, version or setting misses the cache, and storing the text itself
(not a hash) rules out collisions. The cache is an optimisation only, so every
failure here is logged and swallowed rather than stopping a translation run:
a corrupt file is moved aside and rebuilt, a write that cannot get the lock
is skipped.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

from workflow.engines import Engine, Provenance, Translation
from workflow.errors import EngineError

log = logging.getLogger("workflow")

# Bump when the table layout changes: an older or newer file is rebuilt empty.
SCHEMA_VERSION = 1

# Under SQLite's historical 999-variable limit, and short enough that a
# transaction never holds the write lock for long.
_CHUNK = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    identity TEXT NOT NULL,
    source   TEXT NOT NULL,
    target   TEXT NOT NULL,
    created  REAL NOT NULL,
    PRIMARY KEY (identity, source)
) WITHOUT ROWID
"""

_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    """Tells a damaged file apart from a busy one: only the former is rebuilt."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(error).lower()
    return "not a database" in message or "malformed" in message


def _is_busy(error: sqlite3.DatabaseError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(error).lower() or "busy" in str(error).lower()


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class TranslationCache:
    """One SQLite file shared by all runs; WAL lets two runs read and write at once."""

    def __init__(self, path: Path | str, busy_timeout: float = 30.0):
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._conn: sqlite3.Connection | None = None
        self._open()

    # -- opening, schema, recovery ------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            log.warning("translation cache %s unusable (%s); running without it", self.path, error)
            return
        try:
            self._open_with_retry()
        except sqlite3.DatabaseError as error:
            self._close_quietly()
            if not _is_corruption(error):
                log.warning("translation cache %s unusable (%s); running without it", self.path, error)
                return
            self._rebuild(error)

    def _open_with_retry(self) -> None:
        """Retries SQLITE_BUSY by hand: SQLite skips the busy handler when two
        connections race to create the file or switch it to WAL."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                self._conn = self._connect()
                self._ensure_schema(self._conn)
                return
            except sqlite3.OperationalError as error:
                self._close_quietly()
                if not _is_busy(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we open transactions ourselves and keep them short.
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        # WAL is stored in the file: only the first run has to switch it (an exclusive step).
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: a concurrent run may have just done this.
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            if version != SCHEMA_VERSION:
                tables = [
                    row[0]
                    for row in conn.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    )
                ]
                if version != 0 or tables:
                    log.warning(
                        "translation cache %s has schema version %s, expected %s; rebuilding it empty",
                        self.path,
                        version,
                        SCHEMA_VERSION,
                    )
                for table in tables:
                    conn.execute(f'DROP TABLE IF EXISTS "{table}"')
                conn.execute(_SCHEMA)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _rebuild(self, error: Exception) -> None:
        """Moves a damaged file (and its WAL/SHM companions) aside and starts empty."""
        self._close_quietly()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        log.warning(
            "translation cache %s is corrupt (%s); moved to %s and rebuilt empty",
            self.path,
            error,
            aside.name,
        )
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            try:
                source.replace(Path(f"{aside}{suffix}"))
            except FileNotFoundError:
                pass  # a concurrent run moved it first, or it never existed
            except OSError as move_error:
                log.warning("cannot move %s aside: %s", source, move_error)
        try:
            self._open_with_retry()
        except sqlite3.DatabaseError as again:
            self._close_quietly()
            log.warning("translation cache %s still unusable (%s); running without it", self.path, again)

    def _close_quietly(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None

    def _failed(self, action: str, error: sqlite3.DatabaseError) -> None:
        if _is_corruption(error):
            self._rebuild(error)
        else:
            log.warning("translation cache %s: %s failed (%s); continuing without it", self.path, action, error)

    # -- public API ----------------------------------------------------------

    @property
    def available(self) -> bool:
        """False after an unrecoverable error: lookups then miss and writes are dropped."""
        return self._conn is not None

    def get_many(self, identity: str, segments: list[str]) -> dict[str, str]:
        """Returns the cached targets of those segments that have one."""
        if self._conn is None or not segments:
            return {}
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(segments))
        try:
            for chunk in _chunks(unique):
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
            for chunk in _chunks(rows):
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.executemany(
                        "INSERT OR REPLACE INTO translations (identity, source, target, created) "
                        "VALUES (?, ?, ?, ?)",
                        chunk,
                    )
                    self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
        except sqlite3.DatabaseError as error:
            self._failed("write", error)

    def __len__(self) -> int:
        if self._conn is None:
            return 0
        try:
            return self._conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
        except sqlite3.DatabaseError as error:
            self._failed("count", error)
            return 0

    def close(self) -> None:
        self._close_quietly()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


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
