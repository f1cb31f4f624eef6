"""Translation memory: which PO entries become units, matching, policy, storage safety."""

from __future__ import annotations

import logging
import os
import random
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import polib
import pytest
from rapidfuzz import fuzz

from workflow.review.memory import (
    DEFAULT_POLICY,
    DEFAULT_THRESHOLD,
    OriginKind,
    ReusePolicy,
    TMMatch,
    TMUnit,
    TranslationMemory,
    TranslationMemoryError,
    _length_window,
    apply_policy,
    normalise,
)

SENTENCE = "Le secrétaire général de l’OTAN a rencontré le ministre russe des Affaires étrangères."
OTHER = "Les Alliés ont décidé de renforcer la dissuasion et la défense de l’Alliance."


def make_po(path: Path, entries: list[dict]) -> Path:
    """entries: dicts of POEntry keyword arguments (flags, obsolete, comment…)."""
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    for fields in entries:
        fields = dict(fields)
        obsolete = fields.pop("obsolete", False)
        fields.setdefault("occurrences", [("source_fr/x.txt", "9")])
        entry = polib.POEntry(**fields)
        entry.obsolete = obsolete
        catalog.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(path))
    return path


def bump_mtime(path: Path) -> None:
    """Filesystems with coarse timestamps could otherwise hide a rewrite."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def tm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TranslationMemory:
    monkeypatch.chdir(tmp_path)
    memory = TranslationMemory(tmp_path / ".cache" / "workflow" / "memory.sqlite", root=tmp_path)
    yield memory
    memory.close()


# --- which entries are units ------------------------------------------------------------


def test_only_reviewed_entries_become_units(tm: TranslationMemory, tmp_path: Path) -> None:
    po = make_po(
        tmp_path / "translations/en/a.po",
        [
            {"msgid": SENTENCE, "msgstr": "The NATO Secretary General met the Russian Foreign Minister."},
            {"msgid": "Brouillon.", "msgstr": "Draft.", "flags": ["fuzzy"]},
            {"msgid": "Vide.", "msgstr": ""},
            {"msgid": "Ancien.", "msgstr": "Old.", "obsolete": True},
            {"msgid": "• Mis à jour le: 28 Sep. 2012 09:32", "msgstr": "• Last updated: 28 Sep. 2012 09:32",
             "comment": "metadata, line 3\nfilled by rule (metadata line), not machine-translated"},
            {"msgid": "NATO Secretary General", "msgstr": "NATO Secretary General",
             "comment": "caption 1\nEnglish in the source: passed through untranslated"},
            {"msgid": "L’OTAN", "msgstr": "NATO", "msgctxt": "title",
             "comment": "title\nMT: apertium fr-en"},
        ],
    )
    assert tm.refresh_from_catalogs([po]) == 1
    units = list(tm.export_units())
    assert [(u.source, u.context) for u in units] == [(SENTENCE, None), ("L’OTAN", "title")]
    first = units[1]
    assert first.kind is OriginKind.CATALOG
    assert first.origin == "translations/en/a.po"
    assert first.reference == "source_fr/x.txt:9"
    # The line is the entry's own line in the PO file, so an editor can jump to it.
    lines = po.read_text(encoding="utf-8").splitlines()
    assert first.line is not None and "L’OTAN" in "\n".join(lines[first.line - 1 : first.line + 6])
    assert first.where == f"translations/en/a.po:{first.line}"


def test_unchanged_files_are_skipped_and_changes_synced(tm: TranslationMemory, tmp_path: Path) -> None:
    po = make_po(tmp_path / "translations/en/a.po", [{"msgid": SENTENCE, "msgstr": "One."}, {"msgid": OTHER, "msgstr": "Two."}])
    assert tm.refresh_from_catalogs([po]) == 1
    assert tm.refresh_from_catalogs([po]) == 0
    bump_mtime(po)  # touched, same bytes: the digest says unchanged
    assert tm.refresh_from_catalogs([po]) == 0
    # A reviewer re-opens one entry: its unit leaves the memory.
    make_po(po, [{"msgid": SENTENCE, "msgstr": "One.", "flags": ["fuzzy"]}, {"msgid": OTHER, "msgstr": "Two, revised."}])
    bump_mtime(po)
    assert tm.refresh_from_catalogs([po]) == 1
    assert [(u.source, u.target) for u in tm.export_units()] == [(OTHER, "Two, revised.")]
    # A deleted catalog takes its units with it.
    po.unlink()
    tm.refresh_from_catalogs([])
    assert len(tm) == 0


def test_broken_catalog_keeps_previous_units(tm: TranslationMemory, tmp_path: Path) -> None:
    po = make_po(tmp_path / "translations/en/a.po", [{"msgid": SENTENCE, "msgstr": "One."}])
    tm.refresh_from_catalogs([po])
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "unterminated\nmsgstr ""\n', encoding="utf-8")
    bump_mtime(po)
    assert tm.refresh_from_catalogs([po]) == 0
    assert len(tm.errors) == 1 and tm.errors[0].path == po
    assert len(tm) == 1


# --- matching ---------------------------------------------------------------------------


def test_exact_normalised_and_fuzzy_matches(tm: TranslationMemory) -> None:
    tm.add_pairs([TMUnit(SENTENCE, "EN-1", "translations/en/a.po", line=12, kind=OriginKind.CATALOG)])
    normalised_variant = SENTENCE.replace("’", "'").replace(" ", "\u00a0", 2).replace("Affaires", "Affaires ")
    edited = SENTENCE.replace("russe", "ukrainien")
    unrelated = "Plus de 16 000 militaires de 39 pays y ont participé."
    found = tm.lookup([SENTENCE, normalised_variant, edited, unrelated])
    assert found[SENTENCE].exact and found[SENTENCE].score == 100
    assert found[SENTENCE].origin == "translations/en/a.po:12"
    assert not found[normalised_variant].exact and found[normalised_variant].score == 99
    assert DEFAULT_THRESHOLD <= found[edited].score < 99 and not found[edited].exact
    assert found[edited].source == SENTENCE
    assert unrelated not in found
    assert edited not in tm.lookup([edited], threshold=99)


def test_hyphen_u2011_is_normalised() -> None:
    assert normalise("M. Ban Ki\u2011moon,\u202f« oui »") == normalise("M. Ban Ki-moon, « oui »")


def test_exclude_origin(tm: TranslationMemory, tmp_path: Path) -> None:
    po = make_po(tmp_path / "translations/en/a.po", [{"msgid": SENTENCE, "msgstr": "One."}])
    tm.refresh_from_catalogs([po])
    assert SENTENCE in tm.lookup([SENTENCE])
    assert tm.lookup([SENTENCE], exclude_origin="translations/en/a.po") == {}
    assert tm.lookup([SENTENCE], exclude_origin=po.resolve()) == {}  # any spelling of the path


def test_ties_prefer_reviewed_then_most_recent(tm: TranslationMemory, tmp_path: Path) -> None:
    tm.add_pairs([TMUnit(SENTENCE, "Imported.", "a.txt + b.txt")])
    old = make_po(tmp_path / "translations/en/old.po", [{"msgid": SENTENCE, "msgstr": "Old wording."}])
    new = make_po(tmp_path / "translations/en/new.po", [{"msgid": SENTENCE, "msgstr": "New wording."}])
    tm.refresh_from_catalogs([old, new])
    # One refresh: same recency, so the origin name decides ("new" < "old").
    assert tm.lookup([SENTENCE])[SENTENCE].target == "New wording."
    make_po(old, [{"msgid": SENTENCE, "msgstr": "Old wording, revised."}])
    bump_mtime(old)
    tm.refresh_from_catalogs([old, new])
    match = tm.lookup([SENTENCE])[SENTENCE]
    assert match.target == "Old wording, revised."
    assert match.conflicts == 2  # the other catalog and the import disagree
    # Re-reading an unchanged entry does not make it recent.
    bump_mtime(new)
    make_po(new, [{"msgid": SENTENCE, "msgstr": "New wording."}, {"msgid": OTHER, "msgstr": "x"}])
    tm.refresh_from_catalogs([old, new])
    assert tm.lookup([SENTENCE])[SENTENCE].target == "Old wording, revised."


def test_length_window_never_drops_a_match() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        a = "".join(rng.choice("abcde ") for _ in range(rng.randint(1, 40)))
        b = "".join(rng.choice("abcde ") for _ in range(rng.randint(1, 40)))
        threshold = rng.choice([50.0, 75.0, 90.0])
        if fuzz.ratio(a, b) >= threshold:
            low, high = _length_window(len(a), threshold)
            assert low <= len(b) <= high


def test_fuzzy_lookup_among_many_units(tm: TranslationMemory) -> None:
    rng = random.Random(1)
    words = OTHER.split() + SENTENCE.split()
    units = [
        TMUnit(" ".join(rng.choice(words) for _ in range(rng.randint(4, 30))), f"t{i}", "bulk.txt + bulk.en.txt")
        for i in range(5000)
    ]
    tm.add_pairs([*units, TMUnit(SENTENCE, "wanted", "a.txt + b.txt")])
    query = SENTENCE.replace("ministre", "ministre délégué")
    assert tm.lookup([query])[query].target == "wanted"


# --- policy -------------------------------------------------------------------------------


def _match(**changes) -> TMMatch:
    fields = dict(source=SENTENCE, target="EN", score=100.0, exact=True, origin="translations/en/x.po:12",
                  kind=OriginKind.CATALOG, context=None, conflicts=0)
    fields.update(changes)
    return TMMatch(**fields)


def test_policy_trusts_only_unambiguous_exact_reviewed_matches() -> None:
    assert DEFAULT_POLICY is ReusePolicy.TRUST_EXACT
    assert apply_policy(_match()) == ("EN", False, "TM: exact match from translations/en/x.po:12")
    assert apply_policy(_match(), ReusePolicy.REVIEW_EXACT)[1] is True
    assert apply_policy(_match(kind=OriginKind.IMPORT, origin="tm import: a.txt + b.txt"))[1] is True
    msgstr, fuzzy, comment = apply_policy(_match(context="title"))
    assert fuzzy and comment == "TM: exact match from translations/en/x.po:12 (context differs: title)"
    assert apply_policy(_match(context="title"), context="title")[1] is False
    assert apply_policy(_match(conflicts=1))[1] is True
    assert apply_policy(_match(score=99.0, exact=False))[1] is True
    assert apply_policy(_match(score=87.4, exact=False)) == ("EN", True, "TM: 87% match from translations/en/x.po:12")
    assert ReusePolicy("review-exact") is ReusePolicy.REVIEW_EXACT


# --- storage ----------------------------------------------------------------------------------


def test_replace_origin_and_export_order(tm: TranslationMemory) -> None:
    origin = "fr.txt + en.txt"
    assert tm.replace_origin(origin, [TMUnit("B", "b", origin), TMUnit("A", "a", origin)]) == 2
    assert tm.replace_origin(origin, [TMUnit("C", "c", origin)]) == 1
    tm.add_pairs([TMUnit("A", "a2", "other.txt + other.en.txt")])
    assert [(u.source, u.where) for u in tm.export_units()] == [
        ("A", "tm import: other.txt + other.en.txt"),
        ("C", "tm import: fr.txt + en.txt"),
    ]


def _write_many(args: tuple[str, int]) -> int:
    path, worker = args
    memory = TranslationMemory(path)
    origin = f"w{worker}.txt + w{worker}.en.txt"
    for batch in range(5):
        memory.add_pairs([TMUnit(f"phrase {worker}-{batch}-{i}", "t", origin) for i in range(40)])
        memory.lookup([f"phrase {worker}-{batch}-0"])
    memory.close()
    return worker


def test_concurrent_processes_share_one_file(tmp_path: Path) -> None:
    path = str(tmp_path / "memory.sqlite")
    with ProcessPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(_write_many, [(path, n) for n in range(4)])) == [0, 1, 2, 3]
    with TranslationMemory(path) as memory:
        assert len(memory) == 4 * 5 * 40
        assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_corrupt_file_is_moved_aside_and_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "memory.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="workflow"):
        memory = TranslationMemory(path)
    assert "corrupt" in caplog.text
    assert memory.available
    assert list(tmp_path.glob("memory.sqlite.corrupt-*"))
    memory.add_pairs([TMUnit(SENTENCE, "EN", "a + b")])
    assert memory.lookup([SENTENCE])[SENTENCE].target == "EN"
    memory.close()


def test_other_schema_version_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "memory.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE units (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with caplog.at_level(logging.WARNING, logger="workflow"), TranslationMemory(path) as memory:
        assert len(memory) == 0
        assert memory.available
    assert "schema version 99" in caplog.text


def test_unusable_location_degrades_reads_and_refuses_writes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with caplog.at_level(logging.WARNING, logger="workflow"):
        memory = TranslationMemory(blocker / "memory.sqlite")
    assert not memory.available
    assert memory.lookup([SENTENCE]) == {}
    assert memory.refresh_from_catalogs([]) == 0
    with pytest.raises(TranslationMemoryError):
        memory.add_pairs([TMUnit(SENTENCE, "EN", "a + b")])


def test_busy_writer_gives_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    TranslationMemory(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        memory = TranslationMemory(path, busy_timeout=0.2)
        with pytest.raises(TranslationMemoryError, match="locked"):
            memory.add_pairs([TMUnit(SENTENCE, "EN", "a + b")])
        assert memory.lookup([SENTENCE]) == {}  # readers are not blocked by a writer (WAL)
        memory.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
