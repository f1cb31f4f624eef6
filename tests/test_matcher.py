"""The automaton matcher against the regex reference; folding; linear cost; files the glossary writes."""

from __future__ import annotations

import csv
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from translate.storage.csvl10n import csvfile
from translate.storage.tbx import tbxfile

from workflow.base.errors import GlossaryError
from workflow.terms import french
from workflow.terms.entry import APOSTROPHES, FORBIDDEN, HORIZONTAL_SPACES, HYPHENS, Entry
from workflow.terms.export import tool_csv
from workflow.terms.fold import fold, fold_char, folded, is_word_char
from workflow.terms.forms import _caseless, form_spec, french_pattern, match_form
from workflow.terms.french import BruteForce, FormIndex, Matcher, scan_with
from workflow.terms.glossary import Glossary, entries_to_csv, load_glossary, validate
from workflow.terms.layers import read_layer_entries
from workflow.terms.refindex import IndexedEntry, ReferenceIndex, build_index
from workflow.terms.tbx import export_tbx, import_tbx

from tests.conftest import REPO, SHARED

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


def house_entries(glossary: Glossary) -> list[tuple[int, Entry]]:
    return [(i, e) for i, e in enumerate(glossary.entries) if e.type != FORBIDDEN and e.fr]


# --- folding ------------------------------------------------------------------------------------


def test_folding_keeps_length_and_never_creates_a_word_boundary() -> None:
    for code in range(0x3000):
        ch = chr(code)
        if unicodedata.category(ch) == "Cs":
            continue
        folded_ch = fold_char(ch)
        assert len(folded_ch) == 1
        assert not (is_word_char(folded_ch) and not is_word_char(ch)), hex(code)
        assert fold(ch) == folded_ch, hex(code)


def test_everything_a_form_accepts_folds_to_its_key() -> None:
    """The automaton's promise: each character the precise rules allow folds like the term's own."""
    for code in range(0x3000):
        ch = chr(code)
        if ch.isalpha():
            assert {fold_char(v) for v in _caseless(ch)} == {fold_char(ch)}, hex(code)
    assert {fold_char(c) for c in APOSTROPHES} == {"'"} and {fold_char(c) for c in HYPHENS} == {"-"}
    assert {fold_char(c) for c in HORIZONTAL_SPACES} == {" "}
    assert fold("ΟΔΟΣ") == fold("οδος") and fold("İstanbul") == "istanbul"


@SETTINGS
@given(st.text(alphabet=st.sampled_from("aé É'’ʼ-\u2011\u00a0\u202f\tOTANl\n x"), max_size=40))
def test_folded_positions_map_back(text: str) -> None:
    flat = folded(text)
    for pos in range(len(flat.text) + 1):
        original = flat.original(pos)
        assert 0 <= original <= len(text)
        if pos < len(flat.text) and flat.text[pos] != " ":
            assert fold_char(text[original]) == flat.text[pos]


@SETTINGS
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_spec_check_is_the_regex(text: str) -> None:
    for form in ("secrétaire général de l'OTAN", "Alliance", "OTAN", "M.", "Royaume-Uni", text.strip() or "x"):
        spec = form_spec(form)
        pattern = french.re.compile(french_pattern(form))
        for pos in range(len(text) + 1):
            m = pattern.match(text, pos)
            assert match_form(spec, text, pos) == (m.end() if m else None)


# --- automaton == brute force -----------------------------------------------------------------


def _texts() -> list[Path]:
    texts = sorted((REPO / "source_fr").glob("*.txt"))
    if SHARED.is_dir():
        texts += sorted((SHARED / "data" / "pairs").glob("*/source_fr.txt"))
    return texts


@pytest.mark.parametrize("path", _texts(), ids=lambda p: p.parent.name if p.name == "source_fr.txt" else p.name)
def test_house_automaton_finds_what_the_regexes_find(glossary: Glossary, path: Path) -> None:
    entries = house_entries(glossary)
    text = path.read_text(encoding="utf-8")
    for org in (None, "NATO", "UN"):
        assert scan_with(FormIndex(entries), text, org) == scan_with(BruteForce(entries), text, org)


def _noisy(rng: random.Random, forms: list[str]) -> str:
    """Glossary forms as newsrooms type them: any case, other apostrophes/spaces/hyphens, glued or not."""
    pieces = []
    for _ in range(30):
        form = rng.choice(forms)
        form = "".join(c.upper() if rng.random() < 0.15 else c for c in form)
        form = "".join(rng.choice(APOSTROPHES) if c in APOSTROPHES else rng.choice(HYPHENS) if c in HYPHENS else
                       rng.choice(" \u00a0\u202f  ") if c == " " else c for c in form)
        pieces.append(form)
        pieces.append(rng.choice([" ", "  ", ", ", "l'", " d’", "x", "é", "\n", " (", ") ", "-", "s "]))
    return "".join(pieces)


def test_house_automaton_on_perturbed_text(glossary: Glossary) -> None:
    entries = house_entries(glossary)
    forms = [f for _, e in entries for group in french.entry_forms(e) for f in group]
    index, brute = FormIndex(entries), BruteForce(entries)
    rng = random.Random(13)
    for _ in range(60):
        text = _noisy(rng, forms)
        assert scan_with(index, text, None) == scan_with(brute, text, None), text


def _sample_termbase(tmp_path: Path) -> list[IndexedEntry]:
    source = SHARED / "data" / "termbases" / "open_fr_en.csv"
    if not source.is_file():
        pytest.skip(f"shared termbase not found at {source}")
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows = random.Random(7).sample(rows, 2000)
    layer = tmp_path / "sample.csv"
    with layer.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["id", "fr", "en", "type"])
        writer.writerows([f"t{n}", r["fr"], r["en"], "term"] for n, r in enumerate(rows))
    entries, _ = read_layer_entries(layer, 9.0)
    return entries


def test_termbase_index_agrees_with_the_brute_force_reference(tmp_path: Path) -> None:
    entries = _sample_termbase(tmp_path)
    build_index(entries, tmp_path / "index")
    index = ReferenceIndex(tmp_path / "index", layer="sample")
    brute = BruteForce([(n, item.entry) for n, item in enumerate(entries)])
    forms = [f for item in entries[:300] for group in french.entry_forms(item.entry) for f in group]
    texts = [p.read_text(encoding="utf-8") for p in _texts()] + [_noisy(random.Random(n), forms) for n in range(8)]
    found = 0
    for text in texts:
        expected = sorted(brute.candidates(text))
        assert sorted(french.verify(text, index.hits(folded(text), hints=None))) == expected
        found += len(expected)
    assert found > 150


# --- linear cost (issue #11: one 30 kB paragraph cost ~5x ten 3 kB ones) -------------------------


class Work:
    """Counts the glossary's work units: full passes of a per-entry pattern, automaton hits, checks."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.passes = self.hits = self.checks = self.overlaps = 0
        original_finditer, original_hits = Matcher.finditer, FormIndex.hits
        original_end, original_greedy = french.FormCheck.end, french._greedy

        def finditer(matcher, text):
            self.passes += 1
            return original_finditer(matcher, text)

        def hits(index, flat):
            found = original_hits(index, flat)
            self.hits += len(found)
            return found

        def end(check, text, pos):
            self.checks += 1
            return original_end(check, text, pos)

        def greedy(cluster):
            self.overlaps += len(cluster) ** 2
            return original_greedy(cluster)

        monkeypatch.setattr(Matcher, "finditer", finditer)
        monkeypatch.setattr(FormIndex, "hits", hits)
        monkeypatch.setattr(french.FormCheck, "end", end)
        monkeypatch.setattr(french, "_greedy", greedy)

    @property
    def total(self) -> int:
        return self.passes * 1000 + self.hits + self.checks + self.overlaps


def test_glossary_work_is_linear_in_paragraph_size(monkeypatch: pytest.MonkeyPatch) -> None:
    sample = (REPO / "source_fr" / "sg-assemblee-generale-onu-2018.txt").read_text(encoding="utf-8")
    chunk = " ".join(sample.split())[:3000]
    work = Work(monkeypatch)
    for _ in range(10):
        load_glossary().scan(chunk)
    ten_small = work.total
    work.passes = work.hits = work.checks = work.overlaps = 0
    load_glossary().scan(" ".join([chunk] * 10))
    one_big = work.total
    assert work.passes == 0  # no per-entry pass over the text: the cost does not grow with the glossary
    assert one_big <= 1.1 * ten_small, (one_big, ten_small)


# --- characters that break files, and round trips (issue #11) -----------------------------------


@pytest.mark.parametrize("bad", ["\u2028", "\u2029", "\u0085", "\x00", "\u202e", "\u200f", "\x07"])
def test_control_and_bidi_characters_are_refused_naming_the_entry(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "g.csv"
    path.write_text(f"id,fr,en,type,source\nok,OTAN,NATO,term,s\nbad-one,bombe{bad}sale,dirty bomb,term,s\n", encoding="utf-8")
    problems = [p for p in validate(path) if p.severity == "error"]
    assert [(p.line, p.code) for p in problems] == [(3, "bad-character")]
    assert "fr of entry 'bad-one'" in problems[0].message and f"U+{ord(bad):04X}" in problems[0].message
    with pytest.raises(GlossaryError, match=f"entry 'bad', fr: U\\+{ord(bad):04X}"):
        export_tbx(Glossary((Entry("bad", f"a{bad}b", "x"),)))


def test_a_note_may_hold_lines(tmp_path: Path) -> None:
    entry = Entry("n", "OTAN", "NATO", note="line one\nline two", source="s")
    path = tmp_path / "n.tbx"
    path.write_bytes(export_tbx(Glossary((entry,))))
    assert import_tbx(path).entries == (entry,)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFF), min_size=1, max_size=12)
_ROW = st.fixed_dictionaries({
    "fr": _TEXT, "en": _TEXT, "fr_variants": st.lists(_TEXT, max_size=2), "en_forbidden": st.lists(_TEXT, max_size=2),
    "note": st.text(max_size=20), "domain": st.text(max_size=8), "pos": st.sampled_from(["noun", "verb", "other"]),
})


def _csv_row(data: dict) -> dict[str, str]:
    return {"id": "e1", "type": "term", "fr": data["fr"], "en": data["en"], "fr_variants": "|".join(data["fr_variants"]),
            "en_forbidden": "|".join(data["en_forbidden"]), "note": data["note"], "domain": data["domain"],
            "pos": data["pos"], "source": "s"}


@SETTINGS
@given(_ROW)
def test_random_terms_round_trip_through_csv_and_tbx_or_are_refused(data: dict) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(_csv_row(data)), lineterminator="\n")
            writer.writeheader()
            writer.writerow(_csv_row(data))
        try:
            loaded = load_glossary(path)
        except GlossaryError as error:  # refused: the message names the file and the row
            assert error.path == path and error.line == 2
            return
        [entry] = loaded.entries
        again = Path(tmp) / "again.csv"
        again.write_text(entries_to_csv(loaded), encoding="utf-8")
        assert load_glossary(again).entries == loaded.entries
        for version in (2, 3):
            tbx = Path(tmp) / f"g{version}.tbx"
            tbx.write_bytes(export_tbx(loaded, version=version))
            back = import_tbx(tbx).entries
            assert [(e.fr, e.en, e.fr_variants, e.en_forbidden, e.note, e.domain, e.pos) for e in back] == [
                (entry.fr, entry.en, entry.fr_variants, entry.en_forbidden, " ".join(entry.note.split()) if "\n" not in entry.note
                 else entry.note, entry.domain, entry.pos)] or back == loaded.entries


# --- what CAT tools read -----------------------------------------------------------------------


def test_translate_toolkit_reads_every_entry_of_the_tbx_export(glossary: Glossary) -> None:
    store = tbxfile.parsestring(export_tbx(glossary))
    units = [u for u in store.units if not u.isheader()]
    assert len(units) == len(glossary) == 282
    for unit, entry in zip(units, glossary):
        assert unit.getid() == entry.id
        if not entry.fr:  # an English-only ban: the toolkit shows its one language as the source
            assert [(t.text, t.deprecated) for t in unit.get_source_terms()] == [(entry.en, True)]
            continue
        assert [t.text for t in unit.get_source_terms()] == [entry.fr, *entry.fr_variants]
        targets = {t.text: t.deprecated for t in unit.get_target_terms()}
        assert targets[entry.en or entry.fr] is (entry.type == FORBIDDEN)
        assert all(targets[f] for f in entry.en_forbidden)


def test_translate_toolkit_and_weblate_read_the_csv_export(glossary: Glossary) -> None:
    store = csvfile.parsestring(tool_csv(glossary).encode("utf-8"))
    units = [u for u in store.units if u.source]
    exported = [e for e in glossary if e.type != FORBIDDEN and e.fr]
    assert [(u.source, u.target, u.getid()) for u in units] == [(e.fr, e.en or e.fr, e.id) for e in exported]
    assert tool_csv(glossary).splitlines()[0] == '"source","target","context","id","developer_comments"'
