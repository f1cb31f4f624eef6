"""A reference layer's French forms, compiled once and kept on disk, opened in milliseconds.

A termbase of 60,000–500,000 entries cannot be compiled into regexes, nor even into an in-memory
automaton, on every run: building costs seconds and hundreds of megabytes. The compiled index
is a folder named after the layer file's content hash (so an edited file gets a new index):

- `keys.marisa`: every folded French form (fold.fold_key), in a MARISA trie (marisa-trie) that
  is memory-mapped, not loaded. From each word start of the folded text, the trie lists the
  keys that begin there (a prefix walk of the automaton): the candidates.
- `index.sqlite`: what each key stands for (entry, rank, form) and the entries themselves, read
  only for the keys a text actually contains, through a bounded cache.

Candidates are then verified exactly like the house glossary's (french.verify), so a reference
term is found by the same rules. Measured against pyahocorasick and ahocorasick-rs (see
bench/termbase_scale.py): those scan a little faster but must be rebuilt in every process
(0.3 s for 60k keys, 3 s for 500k; pyahocorasick's own save/load is no faster than building),
where the trie opens in under a millisecond and is built in 0.06 s / 0.9 s.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import marisa_trie

from workflow.terms.entry import Entry
from workflow.terms.fold import Folded, fold_key
from workflow.terms.forms import INFLECTION_RULES, IRREGULAR_INFLECTIONS, PERSON_TITLES, FUNCTION_WORDS
from workflow.terms.french import FormCheck, Target, entry_forms

# Bump when what is stored, or how forms are generated or folded, changes.
INDEX_FORMAT = 2
# Keys and entries kept in memory between scans (translate scans every segment several times).
CACHE_SIZE = 50_000
# Where a key may start in folded text: a non-space character not preceded by a word character;
# the group is the word that begins there (empty before punctuation). A key can only be found
# where its own first word is (else it would end inside a word), so starts are filtered by word.
_START = re.compile(r"(?<!\w)(?=\S)(\w*)")
_FIRST_WORD = re.compile(r"\w*")
ENTRY_COLUMNS = ("id", "fr", "en", "type", "context", "fr_variants", "en_variants", "en_forbidden",
                 "pos", "status", "note", "source", "domain")


@dataclass(frozen=True)
class IndexedEntry:
    """An entry of a reference layer as the index keeps it, with what decides its use."""

    entry: Entry
    enforce: bool  # carried into MT (the layer's flag or the entry's)
    common: bool  # a single common word: hinted only where the layer says so
    line: int | None = None  # its line in the layer file (entry.line if None)


def rules_fingerprint() -> str:
    """What else than the file decides the index: the format, the inflection and folding rules."""
    rules = repr((INDEX_FORMAT, INFLECTION_RULES, sorted(IRREGULAR_INFLECTIONS.items()), sorted(PERSON_TITLES),
                  sorted(FUNCTION_WORDS)))
    return hashlib.sha256(rules.encode()).hexdigest()[:12]


def content_key(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    digest.update(rules_fingerprint().encode())
    return digest.hexdigest()[:24]


def build_index(entries: Sequence[IndexedEntry], directory: Path) -> None:
    """Compile entries into `directory` (written beside it, then renamed into place)."""
    keys: dict[str, list[tuple[int, int, int, str]]] = {}
    for number, item in enumerate(entries):
        for rank, forms in enumerate(entry_forms(item.entry)):
            for order, form in enumerate(forms):
                keys.setdefault(fold_key(form), []).append((number, rank, order, form))
    directory.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=directory.name + ".", dir=directory.parent))
    try:
        trie = marisa_trie.Trie(keys.keys())
        trie.save(str(work / "keys.marisa"))
        db = sqlite3.connect(work / "index.sqlite")
        db.execute("PRAGMA journal_mode = OFF")  # a fresh file, renamed into place only when complete
        db.execute("PRAGMA synchronous = OFF")
        with db:
            db.execute("CREATE TABLE targets (key TEXT, number INTEGER, rank INTEGER, ord INTEGER, form TEXT, "
                       "common INTEGER, enforce INTEGER)")
            db.execute("CREATE TABLE first_words (word TEXT)")
            db.execute(f"CREATE TABLE entries (number INTEGER PRIMARY KEY, {', '.join(ENTRY_COLUMNS)}, "
                       "line INTEGER, enforce INTEGER, common INTEGER)")
            db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER)")
            db.executemany("INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, ?)",
                           ((key, *target, entries[target[0]].common, entries[target[0]].enforce)
                            for key, targets in keys.items() for target in targets))
            db.executemany("INSERT INTO first_words VALUES (?)", ((w,) for w in {_FIRST_WORD.match(k).group() for k in keys}))
            db.execute("CREATE INDEX targets_by_key ON targets (key)")
            db.executemany(f"INSERT INTO entries VALUES ({', '.join('?' * (len(ENTRY_COLUMNS) + 4))})",
                           ((n, *_row(item.entry), item.line or item.entry.line, item.enforce, item.common)
                            for n, item in enumerate(entries)))
            db.execute("CREATE INDEX entries_by_id ON entries (id)")
            db.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("max_key_length", max(map(len, keys), default=0)), ("entries", len(entries)), ("keys", len(keys)),
                ("enforced", sum(1 for e in entries if e.enforce)), ("common", sum(1 for e in entries if e.common))])
        db.close()
        if directory.exists():  # another process built it meanwhile: same content
            shutil.rmtree(work)
        else:
            os.replace(work, directory)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _row(entry: Entry) -> tuple[str, ...]:
    row = entry.to_row()
    return tuple(row[name] for name in ENTRY_COLUMNS)


class ReferenceIndex:
    """An opened index: candidate hits for a text, entries by number or id."""

    def __init__(self, directory: Path, *, layer: str, path: Path | None = None):
        self.directory = directory
        self.layer = layer
        self.path = path
        self._trie = marisa_trie.Trie()
        self._trie.mmap(str(directory / "keys.marisa"))
        self._db = sqlite3.connect(f"file:{directory / 'index.sqlite'}?mode=ro", uri=True, check_same_thread=False)
        self.meta = dict(self._db.execute("SELECT name, value FROM meta"))
        self._first_words = frozenset(row[0] for row in self._db.execute("SELECT word FROM first_words"))
        self._max = int(self.meta["max_key_length"])
        self._targets: OrderedDict[tuple[str, bool | None], list[Target]] = OrderedDict()
        self._checks: dict[str, FormCheck] = {}
        self._entries: OrderedDict[int, IndexedEntry] = OrderedDict()

    def __len__(self) -> int:
        return int(self.meta["entries"])

    def close(self) -> None:
        self._db.close()

    def hits(self, flat: Folded, *, hints: bool = True, skip: frozenset[str] = frozenset()) -> list[tuple[int, list[Target]]]:
        """(start in the original text, targets) for every key found at a word start.

        hints=True keeps the entries worth a hint (no common words); False keeps the entries
        enforced in MT; None keeps all. Keys in `skip` (French the house glossary owns) are dropped."""
        text, longest, first_words = flat.text, self._max, self._first_words
        prefixes = self._trie.prefixes
        starts = [m.start() for m in _START.finditer(text) if m.group(1) in first_words]
        found = [(start, key) for start in starts for key in prefixes(text[start:start + longest]) if key not in skip]
        if not found:
            return []
        targets = self._load_targets({key for _, key in found}, hints)
        if flat.shrunk:
            return [(flat.original(start), targets[key]) for start, key in found if targets[key]]
        return [(start, targets[key]) for start, key in found if targets[key]]

    def _load_targets(self, keys: set[str], hints: bool | None) -> dict[str, list[Target]]:
        cache = self._targets
        out = {k: cache[k, hints] for k in keys if (k, hints) in cache}
        missing = [k for k in keys if k not in out]
        for chunk in range(0, len(missing), 900):
            part = missing[chunk:chunk + 900]
            rows = self._db.execute("SELECT key, number, rank, ord, form, common, enforce FROM targets "
                                    f"WHERE key IN ({','.join('?' * len(part))})", part)
            for key, number, rank, order, form, common, enforce in rows:
                wanted = out.setdefault(key, [])
                if hints is None or (not common if hints else enforce):
                    check = self._checks.get(form)
                    if check is None:
                        check = self._checks[form] = FormCheck(form)
                    wanted.append((number, rank, order, check))
        for key in missing:
            out.setdefault(key, [])
        for key, targets in out.items():
            cache[key, hints] = targets
            cache.move_to_end((key, hints))
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
        if len(self._checks) > 4 * CACHE_SIZE:
            self._checks.clear()
        return out

    def entries(self, numbers: set[int]) -> dict[int, IndexedEntry]:
        cache = self._entries
        out = {n: cache[n] for n in numbers if n in cache}
        missing = [n for n in numbers if n not in out]
        for chunk in range(0, len(missing), 900):
            part = missing[chunk:chunk + 900]
            rows = self._db.execute(f"SELECT * FROM entries WHERE number IN ({','.join('?' * len(part))})", part)
            for row in rows:
                out[row[0]] = self._entry(row)
        for number, item in out.items():
            cache[number] = item
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
        return out

    def by_id(self, entry_id: str) -> IndexedEntry | None:
        row = self._db.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return self._entry(row) if row else None

    def all_entries(self):
        for row in self._db.execute("SELECT * FROM entries ORDER BY number"):
            yield self._entry(row)

    def _entry(self, row: tuple) -> IndexedEntry:
        values = dict(zip(ENTRY_COLUMNS, row[1:]))
        for name in ("fr_variants", "en_variants", "en_forbidden"):
            values[name] = tuple(v for v in values[name].split("|") if v)
        values["id"] = f"{self.layer}:{values['id']}"
        line, enforce, common = row[-3:]
        return IndexedEntry(Entry(**values, path=self.path, line=line), bool(enforce), bool(common))
