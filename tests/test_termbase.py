"""Reference layers: importing termbases as they are exported, hints without flood, warnings, MT."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from workflow.base.errors import GlossaryError
from workflow.cli import app
from workflow.mt.engines import Provenance, Translation
from workflow.terms.carry import TermCarrier
from workflow.terms.glossary import DEFAULT_GLOSSARY, Glossary, load_glossary, term_comment
from workflow.terms.reference import check_references
from workflow.terms.termbase import import_termbase

from tests.conftest import REPO

DATA = REPO / "tests" / "data" / "termbases"
SHARED_TERMBASE = REPO.parent / "shared" / "data" / "termbases" / "open_fr_en.csv"
runner = CliRunner()


def make_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "glossary"
    folder.mkdir()
    shutil.copy(DEFAULT_GLOSSARY, folder / "nato_un.csv")
    return folder


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def layered(tmp_path: Path, text: str, name: str = "tb", suffix: str = ".csv", **options) -> Glossary:
    folder = make_folder(tmp_path) if not (tmp_path / "glossary").is_dir() else tmp_path / "glossary"
    source = write(tmp_path / f"{name}{suffix}", text)
    import_termbase(source, folder, name=name, cache_dir=tmp_path / "cache", **options)
    return load_glossary(folder, cache_dir=tmp_path / "cache")


# --- import: what termbases export ------------------------------------------------------------


@pytest.mark.parametrize("header", ["fr,en", "source,target", "French,English", "fr-FR,en-GB", "FR_fr,EN_us",
                                    "français,anglais", "Term_FR,Term_EN"])
def test_plain_csv_headers_are_recognised(tmp_path: Path, header: str) -> None:
    glossary = layered(tmp_path, f"{header}\ncryptographie quantique,quantum cryptography\n")
    [entry] = list(glossary.references[0].index.all_entries())
    assert (entry.entry.fr, entry.entry.en) == ("cryptographie quantique", "quantum cryptography")


def test_tsv_and_utf16_and_semicolons(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (tmp_path / "a.tsv").write_text("en\tfr\nquantum cryptography\tcryptographie quantique\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("fr;en;source\nchiffrement;encryption;OQLF\n", encoding="utf-16")
    assert import_termbase(tmp_path / "a.tsv", folder, cache_dir=False).entries == 1
    report = import_termbase(tmp_path / "b.txt", folder, cache_dir=False)
    assert report.entries == 1 and report.layer == "b"


def test_unrecognised_header_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match=r"header not recognised.*found: mot, word") as caught:
        import_termbase(write(tmp_path / "x.csv", "mot,word\na,b\n"), make_folder(tmp_path))
    assert caught.value.line == 1


def test_bad_rows_are_skipped_duplicates_merged_homonyms_kept(tmp_path: Path) -> None:
    text = ("fr,en,domain,source\n"
            "cellule,cell,biology,GEMET\n"          # 2
            "cellule,unit,military,TERMIUM\n"       # 3: homonym
            "chiffrement,encryption,,OQLF\n"        # 4
            "Chiffrement,Encryption,IT,TERMIUM\n"   # 5: duplicate of 4 (case), domain joined
            ",orphan,,\n"                           # 6: no French
            "fusée,,,\n"                            # 7: no English
            "bombe\u2028sale,dirty bomb,,\n"        # 8: line separator inside a term
            "l’OTAN,NATO,,\n"                       # 9
            "l'OTAN,NATO,,X\n"                      # 10: apostrophe variant of 9
            "\"a,b\",c,d,e,f\n")                    # 11: too many fields
    folder = make_folder(tmp_path)
    report = import_termbase(write(tmp_path / "t.csv", text), folder, cache_dir=tmp_path / "c")
    assert report.rows == 10 and report.entries == 4
    assert report.merged == [(5, 4), (10, 9)]
    assert report.homonyms == 1
    assert [line for line, _ in report.skipped] == [6, 7, 8, 11]
    assert "U+2028 (LINE SEPARATOR)" in dict(report.skipped)[8]
    lines = "\n".join(report.lines())
    assert "merged 2 duplicate rows (line 5 into line 4, line 10 into line 9)" in lines
    assert f"{tmp_path / 't.csv'}:8: fr of entry" in lines
    rows = list(csv.DictReader((folder / "termbases" / "t.csv").open(encoding="utf-8")))
    merged = next(r for r in rows if r["fr"] == "chiffrement")
    assert (merged["domain"], merged["source"]) == ("IT", "OQLF TERMIUM")
    assert json.loads(json.dumps(report.to_json()))["skipped"][0] == {"line": 6, "reason": "no French term"}


def test_termium_columns_synonyms_abbreviations_status(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    report = import_termbase(DATA / "termium.csv", folder, cache_dir=tmp_path / "c")
    assert report.entries == 2 and report.skipped == [(3, "no English term")]
    glossary = load_glossary(folder, cache_dir=tmp_path / "c")
    entries = {i.entry.fr: i.entry for i in glossary.references[0].index.all_entries()}
    pko = entries["opération de maintien de la paix"]
    assert (pko.en, pko.fr_variants, pko.en_variants, pko.en_forbidden, pko.domain) == (
        "peacekeeping operation", ("OMP",), ("PKO",), ("peace-keeping operation",), "Military Organization|Organisation militaire")
    assert entries["lunettes de vision nocturne"].fr_variants == ("jumelles de vision nocturne",)


def test_iate_one_term_per_row_csv(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    report = import_termbase(DATA / "iate.csv", folder, cache_dir=tmp_path / "c")
    assert report.entries == 2
    entries = {i.entry.fr: i.entry for i in load_glossary(folder, cache_dir=tmp_path / "c").references[0].index.all_entries()}
    hybrid = entries["guerre hybride"]
    assert (hybrid.id, hybrid.en, hybrid.en_forbidden, hybrid.domain) == ("iate:e-3550231", "hybrid warfare", ("hybrid war",), "defence")
    assert entries["capacité opérationnelle initiale"].en_variants == ("IOC",)
    assert entries["capacité opérationnelle initiale"].domain == "defence|security"


def test_tbx_as_omegat_weblate_and_iate_write_it(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    cache = tmp_path / "c"
    omegat = import_termbase(DATA / "omegat.tbx", folder, cache_dir=cache)
    weblate = import_termbase(DATA / "weblate.tbx", folder, cache_dir=cache)
    iate = import_termbase(DATA / "iate.tbx", folder, cache_dir=cache, priority=10)
    assert (omegat.entries, weblate.entries, iate.entries) == (2, 2, 3)
    assert iate.skipped == [(36, "no French term")] and iate.homonyms == 1 and iate.forbidden == 1
    glossary = load_glossary(folder, cache_dir=cache)
    entries = {i.entry.fr: i.entry for layer in glossary.references for i in layer.index.all_entries()}
    assert entries["mise en commun et partage des capacités"].en == "pooling and sharing"
    assert entries["mise en commun et partage des capacités"].note == "Used in NATO Summit communiqués."
    assert entries["défense intelligente"].id == "omegat:c2"
    pledge = entries["engagement en faveur de la cyberdéfense"]
    assert (pledge.en, pledge.en_forbidden) == ("Cyber Defence Pledge", ("Cyber Defense Pledge",))
    rrf = entries["force de réaction rapide"]
    assert (rrf.id, rrf.fr_variants, rrf.en_variants, rrf.en_forbidden, rrf.domain) == (
        "iate:IATE-877439", ("FRR",), ("RRF",), ("quick reaction force",), "defence")
    assert [row["name"] for row in glossary.layer_summary()] == ["house", "omegat", "weblate", "iate"]


# --- layers, hints, no flood -------------------------------------------------------------------


TERMS = """fr,en,domain
tâche,task,
guerre électronique,electronic warfare,defence
vecteur,vector,mathematics
vecteur,delivery vehicle,defence
secrétaire général,General Secretary,
état-major,headquarters staff,
"""


def test_hints_house_first_longest_no_common_words_homonyms(tmp_path: Path) -> None:
    glossary = layered(tmp_path, TERMS)
    text = "La tâche du vecteur de guerre électronique de l'OTAN, selon le secrétaire général."
    found = glossary.hints(text, "NATO")
    assert [(m.text, m.layer) for m in found] == [
        ("vecteur", "tb"), ("guerre électronique", "tb"), ("OTAN", ""), ("secrétaire général", "")]
    cell = found[0]
    assert cell.en == "vector" and cell.domain == "mathematics"
    assert [(a.en, a.domain) for a in cell.alternatives] == [("delivery vehicle", "defence")]
    assert glossary.scan(text, "NATO") == [m for m in found if not m.layer]  # the house scan is untouched
    comment = term_comment(found)
    assert comment.splitlines() == [
        "glossary: OTAN → NATO; secrétaire général → Secretary General",
        f"termbase: vecteur → vector (mathematics) [{cell.id}] / delivery vehicle (defence) [{cell.alternatives[0].id}]; "
        f"guerre électronique → electronic warfare (defence) [{found[1].id}]"]
    assert found[1].as_dict()["layer"] == "tb" and "layer" not in found[2].as_dict()


def test_state_major_house_entry_overrides_same_french(tmp_path: Path) -> None:
    glossary = layered(tmp_path, TERMS)
    assert [m.id for m in glossary.hints("la cheffe d'état-major", "NATO")] == ["chef-d-etat-major"]
    assert not [m for m in glossary.hints("un état-major", "NATO") if m.layer]  # house owns "état-major"


def test_common_words_when_the_layer_says_so_and_the_cap(tmp_path: Path, monkeypatch) -> None:
    glossary = layered(tmp_path, TERMS, hint_common=True)
    assert [m.fr for m in glossary.hints("une tâche")] == ["tâche"]
    text = " ".join(f"terme{n} rare" for n in range(8))
    many = layered(tmp_path / "x" if (tmp_path / "x").mkdir() is None else tmp_path,
                   "fr,en\n" + "".join(f"terme{n} rare,rare term {n}\n" for n in range(8)), name="many")
    hints = [m for m in many.hints(text) if m.layer]
    assert len(hints) == 8
    comment = term_comment(hints).splitlines()[-1]
    assert comment.count(" → ") == 5 and comment.endswith("; +3 more (workflow glossary scan --json)")


def test_priority_decides_between_layers(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    import_termbase(write(tmp_path / "low.csv", "fr,en\nguerre électronique,EW\n"), folder, priority=5, cache_dir=tmp_path / "c")
    import_termbase(write(tmp_path / "high.csv", "fr,en\nguerre électronique,electronic warfare\n"), folder, priority=90,
                    cache_dir=tmp_path / "c")
    [hint] = load_glossary(folder, cache_dir=tmp_path / "c").hints("la guerre électronique")
    assert (hint.layer, hint.en, [a.en for a in hint.alternatives]) == ("high", "electronic warfare", ["EW"])


def test_index_is_cached_by_content_and_rebuilt_when_the_file_changes(tmp_path: Path) -> None:
    glossary = layered(tmp_path, TERMS)
    layer = glossary.references[0]
    first = layer.index_directory
    assert (first / "keys.marisa").is_file() and (first / "index.sqlite").is_file()
    again = load_glossary(tmp_path / "glossary", cache_dir=tmp_path / "cache").references[0]
    assert again.index_directory == first and again.problems == []
    with layer.path.open("a", encoding="utf-8") as f:
        f.write("t-new,brouillage,jamming,term,,,,,noun,,,,,\n")
    edited = load_glossary(tmp_path / "glossary", cache_dir=tmp_path / "cache").references[0]
    assert edited.index_directory != first
    assert [m.en for m in load_glossary(tmp_path / "glossary", cache_dir=tmp_path / "cache").hints("le brouillage")] == ["jamming"]


# --- check and MT -----------------------------------------------------------------------------


def test_check_warns_when_the_english_differs(tmp_path: Path) -> None:
    glossary = layered(tmp_path, TERMS + "brouillage,jamming,\n")
    source = "Le vecteur de guerre électronique fait du brouillage."
    assert check_references(source, "The electronic warfare delivery vehicle does jamming.", glossary) == []
    issues = check_references(source, "The electronic war carrier does jamming.", glossary)
    assert [i.text for i in issues] == ["vecteur", "guerre électronique"]
    assert issues[0].message.startswith("“vecteur” is “vector” (or “delivery vehicle”) in termbase tb [tb:")


def test_check_command_reports_termbase_warnings_not_errors(tmp_path: Path, monkeypatch) -> None:
    layered(tmp_path, TERMS)
    monkeypatch.chdir(tmp_path)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    po.append(polib.POEntry(msgid="La guerre électronique.", msgstr="Electronic combat."))
    po.save(str(tmp_path / "a.po"))
    result = runner.invoke(app, ["check", "a.po", "--json"])
    assert result.exit_code == 0, result.stdout
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["check"], finding["severity"]) == ("termbase.differs", "warning")


class Echo:
    """An engine that returns its input: what reaches the engine is what is carried."""

    name = "echo"
    provenance = Provenance(engine="echo")

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        return [Translation(s, self.provenance) for s in segments]


def test_only_enforced_reference_terms_are_carried_into_mt(tmp_path: Path) -> None:
    hints_only = layered(tmp_path, TERMS)
    text = "La guerre électronique et l'OTAN."
    assert [m.id for m in hints_only.terms_for_mt(text)] == ["otan"]
    assert not hints_only.enforced_in_mt(hints_only.hints(text)[0].id) and hints_only.enforced_in_mt("otan")
    enforced = layered(tmp_path, TERMS, name="tb2", enforce=True)
    mt_terms = enforced.terms_for_mt(text)
    assert [m.en for m in mt_terms] == ["electronic warfare", "NATO"]
    assert enforced.enforced_in_mt(mt_terms[0].id)
    assert [m.fr for m in enforced.terms_for_mt("le vecteur")] == []  # homonyms: a translator's call
    carrier = TermCarrier(enforced)
    prepared = carrier.prepare([text])
    assert "électronique" not in prepared.engine_inputs[0]
    [done] = carrier.finish(prepared, Echo().translate_batch(prepared.engine_inputs))
    assert "electronic warfare" in done.text and "NATO" in done.text


def test_entry_marked_enforce_in_the_layer_file(tmp_path: Path) -> None:
    glossary = layered(tmp_path, TERMS)
    path = glossary.references[0].path
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        row["enforce"] = "yes" if row["fr"] == "guerre électronique" else ""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    again = load_glossary(tmp_path / "glossary", cache_dir=tmp_path / "cache")
    assert [m.fr for m in again.terms_for_mt("la guerre électronique et la tâche")] == ["guerre électronique"]


def test_translate_writes_reference_hints_in_po_comments(tmp_path: Path, monkeypatch) -> None:
    layered(tmp_path, TERMS)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "source_fr").mkdir()
    (tmp_path / "source_fr" / "a.txt").write_text("Titre\n\nLa guerre électronique de l'OTAN.\n", encoding="utf-8")
    for _ in range(2):  # a second run rewrites the hint, it does not pile up
        result = runner.invoke(app, ["translate", "--engine", "none", "--no-memory", "--no-cache", "--quiet"])
        assert result.exit_code == 0, result.stderr
    [entry] = [e for e in polib.pofile(str(tmp_path / "translations" / "en" / "a.po")) if "OTAN" in e.msgid]
    assert "glossary: OTAN → NATO" in entry.comment
    assert entry.comment.count("termbase: guerre électronique → electronic warfare (defence) [tb:") == 1
    [template] = [e for e in polib.pofile(str(tmp_path / "translations" / "templates" / "a.pot")) if "OTAN" in e.msgid]
    assert template.comment == entry.comment


# --- CLI --------------------------------------------------------------------------------------


def test_cli_import_list_scan(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_folder(tmp_path)
    write(tmp_path / "terms.csv", TERMS)
    result = runner.invoke(app, ["glossary", "import", "terms.csv", "--name", "nato-term", "--priority", "70"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("read 6 rows from terms.csv: 6 entries in layer 'nato-term' "
                                             f"({Path('glossary/termbases/nato-term.csv')})")
    again = runner.invoke(app, ["glossary", "import", "terms.csv", "--name", "nato-term"])
    assert again.exit_code == 2 and "already exists" in again.stderr
    listed = runner.invoke(app, ["glossary", "list", "--json"])
    assert [(r["name"], r["priority"], r["entries"]) for r in json.loads(listed.stdout)] == [
        ("house", "top", 282), ("nato-term", 70, 6)]
    assert "nato-term" in runner.invoke(app, ["glossary", "list"]).stdout
    write(tmp_path / "a.txt", "La guerre électronique.")
    found = json.loads(runner.invoke(app, ["glossary", "scan", "a.txt", "--json"]).stdout)
    assert found[0]["layer"] == "nato-term" and found[0]["domain"] == "defence"
    text = runner.invoke(app, ["glossary", "scan", "a.txt"]).stdout
    assert text.startswith("a.txt:1:4: guerre électronique → electronic warfare [nato-term:")


@pytest.mark.skipif(not SHARED_TERMBASE.is_file(), reason="shared termbase not found")
def test_the_shared_termbase_imports_whole(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    report = import_termbase(SHARED_TERMBASE, folder, cache_dir=tmp_path / "c")
    assert report.rows == 59_457 and report.skipped == [] and report.entries + len(report.merged) == 59_457
    glossary = load_glossary(folder, cache_dir=tmp_path / "c")
    text = (REPO.parent / "shared" / "data" / "pairs" / "news-158301-ground-zero-2018" / "source_fr.txt").read_text("utf-8")
    hints = [m for m in glossary.hints(text) if m.layer]
    assert hints and all(m.id.startswith("open_fr_en:") for m in hints)
    assert not {"par", "contre", "tâche", "de sécurité"} & {m.fr for m in hints}  # no generic words
