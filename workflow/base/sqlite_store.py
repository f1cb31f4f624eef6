"""One SQLite file shared by concurrent runs: the base of the cache and the memory.

Both stores are opened by several runs at once (WAL mode, a busy timeout) and
neither may stop a translation run, so a damaged file is moved aside and
rebuilt empty, and any other failure is logged and the store is left unusable
(`available` is False) rather than raised.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

log = logging.getLogger("workflow")

_T = TypeVar("_T")

# Under SQLite's historical 999-variable limit, and short enough that a
# transaction never holds the write lock for long.
CHUNK = 500

_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def is_corruption(error: sqlite3.DatabaseError) -> bool:
    """Tells a damaged file apart from a busy one: only the former is rebuilt."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(error).lower()
    return "not a database" in message or "malformed" in message


def is_busy(error: sqlite3.DatabaseError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(error).lower() or "busy" in str(error).lower()


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def immediate(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], _T]) -> _T:
    """Runs `work(conn)` in one short transaction that takes the write lock up
    front, so a busy file fails at BEGIN (after the busy timeout), not halfway."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work(conn)
        conn.execute("COMMIT")
        return result
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class SqliteStore:
    """Opening, schema versioning and recovery; subclasses add the queries."""

    label: str  # names the store in warnings, e.g. "translation cache"
    schema: tuple[str, ...]  # statements creating the tables
    schema_version: int  # kept in PRAGMA user_version: a file with another is rebuilt empty
    schema_note: str = ""  # appended to the schema-rebuild warning: what was lost
    corrupt_note: str = ""  # appended to the corruption warning: what was lost

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
            log.warning("%s %s unusable (%s); running without it", self.label, self.path, error)
            return
        try:
            self._open_with_retry()
        except sqlite3.DatabaseError as error:
            self._close_quietly()
            if not is_corruption(error):
                log.warning("%s %s unusable (%s); running without it", self.label, self.path, error)
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
                if not is_busy(error) or time.monotonic() > deadline:
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
        expected = self.schema_version
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version == expected:
            return

        def work(conn: sqlite3.Connection) -> None:
            # Re-read under the write lock: a concurrent run may have just done this.
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            if version == expected:
                return
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            if version != 0 or tables:
                log.warning(
                    "%s %s has schema version %s, expected %s; rebuilding it empty%s",
                    self.label,
                    self.path,
                    version,
                    expected,
                    self.schema_note,
                )
            for table in tables:
                conn.execute(f'DROP TABLE IF EXISTS "{table}"')
            for statement in self.schema:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {expected}")

        immediate(conn, work)

    def _rebuild(self, error: Exception) -> None:
        """Moves a damaged file (and its WAL/SHM companions) aside and starts empty."""
        self._close_quietly()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        log.warning(
            "%s %s is corrupt (%s); moved to %s and rebuilt empty%s",
            self.label,
            self.path,
            error,
            aside.name,
            self.corrupt_note,
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
            log.warning("%s %s still unusable (%s); running without it", self.label, self.path, again)

    def _close_quietly(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None

    def _failed(self, action: str, error: sqlite3.DatabaseError) -> None:
        if is_corruption(error):
            self._rebuild(error)
        else:
            log.warning("%s %s: %s failed (%s); continuing without it", self.label, self.path, action, error)

    def _count(self, table: str) -> int:
        if self._conn is None:
            return 0
        try:
            return self._conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        except sqlite3.DatabaseError as error:
            self._failed("count", error)
            return 0

    # -- public API ----------------------------------------------------------

    @property
    def available(self) -> bool:
        """False after an unrecoverable error: lookups then find nothing."""
        return self._conn is not None

    def close(self) -> None:
        self._close_quietly()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
