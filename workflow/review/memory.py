"""Translation memory: every reviewed sentence pair, offered again for new articles.

Units come from two places: reviewed PO entries (non-fuzzy, non-empty msgstr,
not obsolete) re-read by :meth:`TranslationMemory.refresh_from_catalogs`, and
published bilingual articles aligned by :mod:`workflow.review.align`. Each unit keeps
its origin so every reuse can say where it came from.

Matching (:meth:`TranslationMemory.lookup`), best first:

* **exact** (score 100): the identical source string;
* **exact after normalisation** (score 99, ``exact=False``): equal once U+00A0,
  U+202F and other spaces become one space, curly/straight apostrophes are
  unified and U+2011 becomes ``-``. Never treated as exact, because our sources
  keep such characters on purpose and a reviewer should see the difference;
* **fuzzy**: rapidfuzz ``fuzz.ratio`` on the normalised text, at least
  ``threshold`` (default 75). Shown at most 98.9 so 99 and 100 keep their meaning.

Equal scores are decided by: reviewed PO entry before imported alignment (a
human checked the former; the aligner can be wrong), then the most recently
stored or changed unit (the newest reviewed wording reflects current house
style), then origin name and line, so the result never depends on row order.

Storage is :mod:`workflow.base.sqlite_store`, as for the cache: one SQLite file in WAL
mode with a busy timeout, so a translation run can read while another refreshes;
a damaged file is moved aside and rebuilt empty with a warning. Unlike the cache, the memory
is not only an optimisation: imported alignments are lost on a rebuild (PO
units come back at the next refresh), and the warning says so.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import polib
from rapidfuzz import fuzz, process

from workflow.base.errors import CatalogError, WorkflowError
from workflow.review.pofile import read_po
from workflow.base.sqlite_store import SqliteStore, chunks, immediate

log = logging.getLogger("workflow")

_T = TypeVar("_T")

SCHEMA_VERSION = 1

# Below 75 a fuzzy match is mostly noise: on the 210 gold sentences of shared/ the
# best *unrelated* sentence scores 50 at the median, 59 at the 90th percentile and 73
# at most ("Plus de 16 000 militaires de 39 pays y ont participé." against "Des
# experts civils et militaires de 20 pays y ont participé."), while a sentence with
# a few words or a number edited scores 85–98. CAT tools default to 70–75 for the
# same reason: below that, post-editing the match costs more than translating.
DEFAULT_THRESHOLD = 75.0
NORMALISED_EXACT_SCORE = 99.0
FUZZY_SCORE_CEILING = 98.9

# Character folding for the normalised form (rules as data).
NORMALISE_CHARS: dict[str, str] = {
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space (French « » ; : ! ?)
    "\u2009": " ",  # thin space
    "\u2007": " ",  # figure space (3 700)
    "\u2011": "-",  # non-breaking hyphen (Ki‑moon, Royaume‑Uni)
    "\u2010": "-",  # hyphen
    "\u2019": "'",  # right single quotation mark (l’OTAN)
    "\u2018": "'",
    "\u02bc": "'",  # modifier letter apostrophe
    "\u00b4": "'",  # acute accent used as an apostrophe
}
_NORMALISE_TABLE = str.maketrans(NORMALISE_CHARS)
_SPACES = re.compile(r"\s+")

# Extracted comments of PO entries that were filled without translation (metadata
# lines by rule, English captions copied): not translator work, so not memory units.
# They mirror catalog._TREATMENT_NOTES.
NOT_TRANSLATION_NOTES = ("filled by rule", "English in the source")

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS units (
        id        INTEGER PRIMARY KEY,
        origin    TEXT NOT NULL,
        kind      TEXT NOT NULL,
        context   TEXT NOT NULL,
        source    TEXT NOT NULL,
        target    TEXT NOT NULL,
        norm      TEXT NOT NULL,
        line      INTEGER,
        reference TEXT,
        seq       INTEGER NOT NULL,
        UNIQUE (origin, context, source)
    )
    """,
    "CREATE INDEX IF NOT EXISTS units_source ON units (source)",
    "CREATE INDEX IF NOT EXISTS units_norm ON units (norm)",
    """
    CREATE TABLE IF NOT EXISTS catalogs (
        path     TEXT PRIMARY KEY,
        mtime_ns INTEGER NOT NULL,
        size     INTEGER NOT NULL,
        sha256   TEXT NOT NULL
    ) WITHOUT ROWID
    """,
)

class TranslationMemoryError(WorkflowError):
    """The memory cannot be written (locked for too long, unwritable directory)."""


class OriginKind(StrEnum):
    CATALOG = "po"  # a reviewed entry of one of our PO files
    IMPORT = "import"  # an aligned pair from a published bilingual article


class ReusePolicy(StrEnum):
    """How an exact match is written into a catalog (fuzzy matches are always fuzzy)."""

    TRUST_EXACT = "trust-exact"  # identical reviewed sentence: reused as translated
    REVIEW_EXACT = "review-exact"  # every memory match waits for a reviewer


# A reviewed translation of the very same sentence is what a newsroom's 100% match
# means: re-reviewing it costs time and finds nothing. It is trusted only when
# nothing casts doubt on it (see apply_policy); everything else stays fuzzy.
DEFAULT_POLICY = ReusePolicy.TRUST_EXACT


@dataclass(frozen=True)
class TMUnit:
    source: str
    target: str
    origin: str  # PO path as stored (relative to the memory's root), or "fr.txt + en.txt"
    context: str | None = None  # msgctxt
    line: int | None = None  # line of the entry in the PO file
    reference: str | None = None  # the entry's `#:` references, e.g. "source_fr/x.txt:12"
    kind: OriginKind = OriginKind.IMPORT

    @property
    def where(self) -> str:
        """Human-readable origin, e.g. `translations/en/x.po:42` or `tm import: a.txt + b.txt`."""
        if self.kind is OriginKind.IMPORT:
            return f"tm import: {self.origin}"
        return f"{self.origin}:{self.line}" if self.line else self.origin


@dataclass(frozen=True)
class TMMatch:
    source: str  # the memory's source text (differs from the query for fuzzy matches)
    target: str
    score: float  # 100 exact, 99 exact after normalisation, else fuzzy (≤ 98.9)
    exact: bool
    origin: str  # TMUnit.where of the chosen unit
    kind: OriginKind = OriginKind.CATALOG
    context: str | None = None
    conflicts: int = 0  # other, different targets stored for the same source text


def normalise(text: str) -> str:
    """The form used for exact-normalised and fuzzy matching."""
    return _SPACES.sub(" ", text.translate(_NORMALISE_TABLE)).strip()


def display_path(path: Path | str, root: Path | None = None) -> str:
    """Stable name of a file: relative to `root` (default: cwd) when inside it."""
    path = Path(path)
    base = (root or Path.cwd()).resolve()
    resolved = (base / path).resolve() if not path.is_absolute() else path.resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return resolved.as_posix()


def import_origin(fr_path: Path | str, en_path: Path | str, root: Path | None = None) -> str:
    return f"{display_path(fr_path, root)} + {display_path(en_path, root)}"


def apply_policy(
    match: TMMatch,
    policy: ReusePolicy = DEFAULT_POLICY,
    *,
    context: str | None = None,
) -> tuple[str, bool, str]:
    """(msgstr, fuzzy, comment) for writing `match` into an entry whose msgctxt is
    `context`. Under TRUST_EXACT a match is written as translated only if it is
    byte-identical, comes from a reviewed PO entry (not an automatic alignment),
    has the same msgctxt, and the memory holds no other translation of that sentence."""
    notes: list[str] = []
    if match.exact:
        what = "exact match"
    elif match.score >= NORMALISED_EXACT_SCORE:
        what = "exact match except spaces/apostrophes/hyphens"
    else:
        what = f"{math.floor(match.score):.0f}% match"
    same_context = (match.context or "") == (context or "")
    if not same_context:
        notes.append(f"context differs: {match.context or 'none'}")
    if match.conflicts:
        plural = "s" if match.conflicts > 1 else ""
        notes.append(f"{match.conflicts} other translation{plural} in memory")
    trusted = (
        policy is ReusePolicy.TRUST_EXACT
        and match.exact
        and match.kind is OriginKind.CATALOG
        and same_context
        and not match.conflicts
    )
    comment = f"TM: {what} from {match.origin}"
    if notes:
        comment += " (" + "; ".join(notes) + ")"
    return match.target, not trusted, comment


def _length_window(length: int, threshold: float) -> tuple[int, int]:
    """Candidate lengths that can reach `threshold`: ratio ≤ 200·min/(a+b)."""
    t = max(min(threshold / 100.0, 1.0), 1e-6)
    low = math.floor(length * t / (2 - t))
    high = math.ceil(length * (2 - t) / t) if t > 0 else 10**9
    return low, high


_Row = tuple[int, str, str, str, str, str, int | None, str | None, int]  # id origin kind context source target line reference seq
_UNIT_COLUMNS = "id, origin, kind, context, source, target, line, reference, seq"


def _unit(row: _Row) -> TMUnit:
    _, origin, kind, context, source, target, line, reference, _ = row
    return TMUnit(
        source=source,
        target=target,
        origin=origin,
        context=context or None,
        line=line,
        reference=reference,
        kind=OriginKind(kind),
    )


def _rank(row: _Row) -> tuple:
    """Tie-breaking among equal scores (see the module docstring)."""
    unit_id, origin, kind, _, _, _, line, _, seq = row
    return (kind != OriginKind.CATALOG.value, -seq, origin, line or 0, unit_id)


class TranslationMemory(SqliteStore):
    """One SQLite file of reviewed pairs, shared by concurrent runs."""

    label = "translation memory"
    schema = _SCHEMA
    schema_version = SCHEMA_VERSION
    schema_note = " (run `workflow tm refresh` and re-import bilingual pairs)"
    corrupt_note = " (reviewed PO entries return at the next refresh; re-import bilingual pairs)"

    def __init__(self, path: Path | str, *, root: Path | None = None, busy_timeout: float = 30.0):
        self.root = (root or Path.cwd()).resolve()
        self.errors: list[CatalogError] = []  # PO files the last refresh could not read
        self._refresh_seq: int | None = None
        super().__init__(path, busy_timeout)

    def _write(self, action: str, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Runs `work(conn)` in one IMMEDIATE transaction; raises TranslationMemoryError."""
        if self._conn is None:
            raise TranslationMemoryError("translation memory unavailable (see the warning above)", self.path)
        try:
            return immediate(self._conn, work)
        except sqlite3.DatabaseError as error:
            self._failed(action, error)
            raise TranslationMemoryError(f"{action} failed: {error}", self.path) from None

    # -- public API ---------------------------------------------------------------------

    def origin_key(self, path: Path | str) -> str:
        """How a PO file is named in this memory (and in `exclude_origin`)."""
        return display_path(path, self.root)

    def refresh_from_catalogs(self, paths: Iterable[Path | str]) -> int:
        """Re-read changed PO files; returns how many were read (unchanged ones are
        skipped by size+mtime, then by SHA-256). Units of entries no longer reviewed,
        and of indexed PO files that no longer exist, are removed. A file that does
        not parse keeps its previous units, is listed in `errors` and is retried next
        time. Failures of the store itself are logged, never raised."""
        self.errors = []
        self._refresh_seq = None
        if self._conn is None:
            return 0
        reread = 0
        try:
            for path in sorted({Path(p) for p in paths}, key=lambda p: self.origin_key(p)):
                if self._refresh_one(path):
                    reread += 1
            self._prune_missing()
        except TranslationMemoryError as error:
            log.warning("%s", error)
        except sqlite3.DatabaseError as error:
            self._failed("refresh", error)
        return reread

    def _refresh_one(self, path: Path) -> bool:
        key = self.origin_key(path)
        try:
            stat = path.stat()
        except OSError:
            return False  # missing: pruned below if it was indexed
        assert self._conn is not None
        stamp = self._conn.execute(
            "SELECT mtime_ns, size, sha256 FROM catalogs WHERE path = ?", (key,)
        ).fetchone()
        if stamp and stamp[0] == stat.st_mtime_ns and stamp[1] == stat.st_size:
            return False
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as error:
            self.errors.append(CatalogError(f"cannot read PO file: {error.strerror or error}", path))
            return False
        new_stamp = (key, stat.st_mtime_ns, stat.st_size, digest)
        if stamp and stamp[2] == digest:
            self._write("refresh", lambda conn: _save_stamp(conn, new_stamp))
            return False
        try:
            catalog = read_po(path)
        except CatalogError as error:
            log.warning("translation memory: skipping %s", error)
            self.errors.append(error)
            return False
        units = list(_catalog_units(catalog, key))
        def work(conn: sqlite3.Connection) -> None:
            self._refresh_seq = _sync(conn, key, units, seq=self._refresh_seq)
            _save_stamp(conn, new_stamp)

        self._write("refresh", work)
        return True

    def _prune_missing(self) -> None:
        assert self._conn is not None
        indexed = [row[0] for row in self._conn.execute("SELECT path FROM catalogs")]
        gone = [key for key in indexed if not (self.root / key).exists()]
        if gone:

            def work(conn: sqlite3.Connection) -> None:
                for key in gone:
                    conn.execute("DELETE FROM units WHERE origin = ? AND kind = ?", (key, OriginKind.CATALOG.value))
                    conn.execute("DELETE FROM catalogs WHERE path = ?", (key,))

            self._write("refresh", work)

    def add_pairs(self, pairs: Iterable[TMUnit]) -> int:
        """Store units (insert, or update the target of the same origin+context+source).
        Returns how many were given. Raises TranslationMemoryError if it cannot write."""
        units = list(pairs)
        by_origin: dict[str, list[TMUnit]] = {}
        for unit in units:
            by_origin.setdefault(unit.origin, []).append(unit)

        def work(conn: sqlite3.Connection) -> None:
            for origin, group in sorted(by_origin.items()):
                _sync(conn, origin, group, remove_missing=False)

        self._write("write", work)
        return len(units)

    def replace_origin(self, origin: str, units: Iterable[TMUnit]) -> int:
        """Make `units` the only ones of `origin` (re-importing a pair replaces the
        earlier import). Returns the number of units now stored for it."""
        group = [
            TMUnit(u.source, u.target, origin, u.context, u.line, u.reference, u.kind) for u in units
        ]
        self._write("write", lambda conn: _sync(conn, origin, group))
        return len({(u.context or "", u.source) for u in group})

    def remove_origin(self, origin: str) -> int:
        def work(conn: sqlite3.Connection) -> int:
            conn.execute("DELETE FROM catalogs WHERE path = ?", (origin,))
            return conn.execute("DELETE FROM units WHERE origin = ?", (origin,)).rowcount

        return self._write("write", work)

    def lookup(
        self,
        segments: list[str],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        exclude_origin: str | Path | None = None,
    ) -> dict[str, TMMatch]:
        """Best match per segment (segments without a match are absent). Units of
        `exclude_origin` (typically the catalog being translated) are ignored."""
        if self._conn is None or not segments:
            return {}
        excluded = {""}
        if exclude_origin is not None:
            excluded |= {str(exclude_origin), self.origin_key(exclude_origin)}
        try:
            return self._lookup(list(dict.fromkeys(segments)), threshold, excluded)
        except sqlite3.DatabaseError as error:
            self._failed("lookup", error)
            return {}

    def _lookup(self, segments: list[str], threshold: float, excluded: set[str]) -> dict[str, TMMatch]:
        assert self._conn is not None
        conn = self._conn
        found: dict[str, TMMatch] = {}
        ex_marks = ",".join("?" * len(excluded))
        ex_args = sorted(excluded)

        def rows_where(column: str, values: list[str]) -> dict[str, list[_Row]]:
            grouped: dict[str, list[_Row]] = {}
            for chunk in chunks(values):
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT {_UNIT_COLUMNS}, {column} FROM units "
                    f"WHERE {column} IN ({marks}) AND origin NOT IN ({ex_marks})",
                    [*chunk, *ex_args],
                ):
                    grouped.setdefault(row[-1], []).append(row[:-1])
            return grouped

        # Everything is read in one transaction, so a concurrent refresh is seen whole or not at all.
        conn.execute("BEGIN")
        try:
            exact = rows_where("source", segments)
            for segment in segments:
                if segment in exact:
                    found[segment] = _match(exact[segment], 100.0, True)
            norms = {segment: normalise(segment) for segment in segments if segment not in found}
            by_norm = rows_where("norm", sorted(set(norms.values())))
            for segment, norm in norms.items():
                if norm in by_norm:
                    found[segment] = _match(by_norm[norm], NORMALISED_EXACT_SCORE, False)
            pending = {s: n for s, n in norms.items() if s not in found and n}
            if pending and threshold <= FUZZY_SCORE_CEILING:
                found.update(self._fuzzy(conn, pending, threshold, ex_marks, ex_args))
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # read-only: nothing to keep
        return found

    def _fuzzy(
        self,
        conn: sqlite3.Connection,
        pending: dict[str, str],
        threshold: float,
        ex_marks: str,
        ex_args: list[str],
    ) -> dict[str, TMMatch]:
        """One pass over the distinct normalised sources, sorted by length, so each
        segment only meets the candidates whose length can reach the threshold."""
        ids_by_norm: dict[str, list[int]] = {}
        for unit_id, norm in conn.execute(
            f"SELECT id, norm FROM units WHERE origin NOT IN ({ex_marks})", ex_args
        ):
            ids_by_norm.setdefault(norm, []).append(unit_id)
        choices = sorted(ids_by_norm, key=lambda n: (len(n), n))
        lengths = [len(n) for n in choices]
        found: dict[str, TMMatch] = {}
        for segment, norm in pending.items():
            low, high = _length_window(len(norm), threshold)
            window = choices[bisect.bisect_left(lengths, low) : bisect.bisect_right(lengths, high)]
            if not window:
                continue
            # rapidfuzz applies score_cutoff in its own precision: cut a little lower,
            # then compare the returned scores.
            scored = process.extract(
                norm, window, scorer=fuzz.ratio, score_cutoff=max(threshold - 0.01, 0), limit=None
            )
            if not scored or scored[0][1] < threshold - 1e-9:
                continue
            score = scored[0][1]
            ids = [unit_id for choice, value, _ in scored if value >= score - 1e-9 for unit_id in ids_by_norm[choice]]
            rows: list[_Row] = []
            for chunk in chunks(ids):
                marks = ",".join("?" * len(chunk))
                rows.extend(conn.execute(f"SELECT {_UNIT_COLUMNS} FROM units WHERE id IN ({marks})", chunk))
            shown = min(math.floor(score * 10) / 10, FUZZY_SCORE_CEILING)
            found[segment] = _match(rows, shown, False)
        return found

    def export_units(self) -> Iterator[TMUnit]:
        """All units in a stable order (source, context, origin, line)."""
        if self._conn is None:
            return
        try:
            rows = self._conn.execute(
                f"SELECT {_UNIT_COLUMNS} FROM units ORDER BY source, context, origin, line, id"
            ).fetchall()
        except sqlite3.DatabaseError as error:
            self._failed("export", error)
            return
        for row in rows:
            yield _unit(row)

    def __len__(self) -> int:
        return self._count("units")


# --- helpers that run inside a write transaction ----------------------------------------


def is_reviewed_translation(entry: polib.POEntry) -> bool:
    """Reviewed entries: not fuzzy, not obsolete, non-empty msgstr, a real translation
    (not filled by rule, not English copied from the source)."""
    if entry.obsolete or not entry.msgid or entry.msgid_plural or not entry.msgstr:
        return False
    if "fuzzy" in entry.flags:
        return False
    return not any(line.startswith(NOT_TRANSLATION_NOTES) for line in (entry.comment or "").splitlines())


def _catalog_units(catalog: polib.POFile, key: str) -> Iterator[TMUnit]:
    for entry in catalog:
        if not is_reviewed_translation(entry):
            continue
        reference = " ".join(f"{path}:{line}" if line else path for path, line in entry.occurrences) or None
        yield TMUnit(
            source=entry.msgid,
            target=entry.msgstr,
            origin=key,
            context=entry.msgctxt or None,
            line=entry.linenum or None,
            reference=reference,
            kind=OriginKind.CATALOG,
        )


def _save_stamp(conn: sqlite3.Connection, stamp: tuple[str, int, int, str]) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO catalogs (path, mtime_ns, size, sha256) VALUES (?, ?, ?, ?)", stamp
    )


def _sync(
    conn: sqlite3.Connection,
    origin: str,
    units: list[TMUnit],
    *,
    remove_missing: bool = True,
    seq: int | None = None,
) -> int:
    """Bring one origin's units to `units`; returns the sequence number used. Only a
    new or changed target gets it, so re-reading an unchanged file does not make it
    'recent'. One refresh passes the same number for all its files."""
    existing = {
        (context, source): (unit_id, target, line, reference)
        for unit_id, context, source, target, line, reference in conn.execute(
            "SELECT id, context, source, target, line, reference FROM units WHERE origin = ?", (origin,)
        )
    }
    wanted = {(u.context or "", u.source): u for u in units}
    if seq is None:
        (seq,) = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM units").fetchone()
    if remove_missing:
        gone = [existing[key][0] for key in existing.keys() - wanted.keys()]
        for chunk in chunks(gone):
            conn.execute(f"DELETE FROM units WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    for key, unit in wanted.items():
        old = existing.get(key)
        if old is None:
            conn.execute(
                "INSERT INTO units (origin, kind, context, source, target, norm, line, reference, seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (origin, unit.kind.value, key[0], unit.source, unit.target, normalise(unit.source),
                 unit.line, unit.reference, seq),
            )
        elif old[1] != unit.target:
            conn.execute(
                "UPDATE units SET target = ?, kind = ?, line = ?, reference = ?, seq = ? WHERE id = ?",
                (unit.target, unit.kind.value, unit.line, unit.reference, seq, old[0]),
            )
        elif (old[2], old[3]) != (unit.line, unit.reference):
            conn.execute("UPDATE units SET line = ?, reference = ? WHERE id = ?", (unit.line, unit.reference, old[0]))
    return seq


def _match(rows: list[_Row], score: float, exact: bool) -> TMMatch:
    best = min(rows, key=_rank)
    unit = _unit(best)
    # Only units with the chosen unit's own source text count as rival translations.
    targets = {row[5] for row in rows if row[4] == best[4]}
    return TMMatch(
        source=unit.source,
        target=unit.target,
        score=score,
        exact=exact,
        origin=unit.where,
        kind=unit.kind,
        context=unit.context,
        conflicts=len(targets) - 1,
    )
