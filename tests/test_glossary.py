"""Glossary: shipped data, French term finding, validation, TBX round trip, English checks."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from lxml import etree

from workflow.base.errors import GlossaryError, SourceError
from workflow.terms.english import check_translation
from workflow.terms.entry import PARTS_OF_SPEECH
from workflow.terms.forms import inflected_forms
from workflow.terms.organisation import default_org_for
from workflow.terms.glossary import DEFAULT_GLOSSARY, Glossary, entries_to_csv, load_glossary, scan_file, term_comment, validate
from workflow.terms.tbx import TBX_NS, export_tbx, import_glossary

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXPECTED = json.loads((REPO / "tests" / "data" / "glossary_expected_occurrences.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


def ids(matches) -> list[str]:
    return [m.id for m in matches]


def texts(matches) -> list[str]:
    return [m.text for m in matches]


# --- the shipped glossary --------------------------------------------------------------------


def test_shipped_glossary_is_clean_and_sourced(glossary: Glossary) -> None:
    assert validate() == []
    assert len(glossary) >= 200
    assert sum(1 for e in glossary if e.source) >= 200
    assert sum(1 for e in glossary if e.status == "VERIFY") >= 13


def test_shipped_glossary_keeps_every_verify_row_of_the_shared_list(glossary: Glossary) -> None:
    shared_csv = SHARED / "data" / "terminology" / "nato_un_terms.csv"
    if not shared_csv.is_file():
        pytest.skip(f"shared data not found at {SHARED}")
    with shared_csv.open(encoding="utf-8", newline="") as f:
        verify_rows = [r for r in csv.DictReader(f) if "VERIFY" in " ".join(r.values())]
    assert len(verify_rows) == 13
    straight = lambda s: s.replace("’", "'")  # noqa: E731 - the glossary writes straight apostrophes
    for row in verify_rows:
        kept = [e for e in glossary if e.source == row["source"] and e.note == straight(row["context_or_note"])]
        assert kept and all(e.status == "VERIFY" for e in kept), row["fr"]


def test_secretary_general_titles_differ_by_organisation(glossary: Glossary) -> None:
    by_id = glossary.get
    assert by_id("secretaire-general-de-l-otan").en == "NATO Secretary General"
    assert by_id("secretaire-general-de-l-onu").en == "UN Secretary-General"
    assert (by_id("secretaire-general-nato").org, by_id("secretaire-general-nato").en) == ("NATO", "Secretary General")
    assert (by_id("secretaire-general-un").org, by_id("secretaire-general-un").en) == ("UN", "Secretary-General")
    assert by_id("secretaire-general-adjoint-nato").en == "Assistant Secretary General"
    assert by_id("secretaire-general-adjoint-un").en == "Under-Secretary-General"
    assert "NATO Secretary-General" in by_id("secretaire-general-de-l-otan").en_forbidden
    assert "UN Secretary General" in by_id("secretaire-general-de-l-onu").en_forbidden
    assert [(by_id(i).fr, by_id(i).en) for i in ("otan", "fias", "eei")] == [("OTAN", "NATO"), ("FIAS", "ISAF"), ("EEI", "IED")]


def test_default_path_is_the_shipped_csv() -> None:
    assert DEFAULT_GLOSSARY == REPO / "glossary" / "nato_un.csv"


# --- occurrences in the samples and shared pairs (hand-read expectations) ---------------------


@pytest.mark.parametrize("case", EXPECTED["files"], ids=[c["file"] for c in EXPECTED["files"]])
def test_scan_finds_the_hand_read_occurrences(case: dict, glossary: Glossary) -> None:
    if case["root"] == "shared":
        if not SHARED.is_dir():
            pytest.skip(f"shared data not found at {SHARED}")
        path = SHARED / case["file"]
    else:
        path = REPO / case["file"]
    text = path.read_bytes().decode("utf-8")
    assert default_org_for(text) == case["default_org"]
    found = [{k: m[k] for k in ("id", "start", "end", "text")} for m in scan_file(path, glossary)]
    assert found == case["occurrences"]
    assert all(text[o["start"]:o["end"]] == o["text"] for o in found)


def test_scan_file_json_contract(glossary: Glossary, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes("Le secrétaire général de l’OTAN\r\na vu l'ONU.".encode())
    result = scan_file(article, glossary)
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result
    assert [list(r) for r in result] == [["id", "start", "end", "text", "fr", "en"]] * 2
    assert result[0] == {"id": "secretaire-general-de-l-otan", "start": 3, "end": 31,
                         "text": "secrétaire général de l’OTAN", "fr": "secrétaire général de l'OTAN",
                         "en": "NATO Secretary General"}
    assert result[1]["start"] == 40  # offsets count the \r: they index the file's text as it is


def test_scan_file_rejects_non_utf8(glossary: Glossary, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("secrétaire".encode("latin-1"))
    with pytest.raises(SourceError):
        scan_file(bad, glossary)


# --- French matching unit cases -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["l'OTAN", "l’OTAN", "d’OTAN", "de l'OTAN", "(OTAN)", "OTAN-UE", "AP-OTAN"])
def test_elision_and_hyphenated_acronyms_match_from_the_term(glossary: Glossary, text: str) -> None:
    matches = glossary.scan(text)
    if text == "AP-OTAN":
        assert ids(matches) == ["ap-otan"]
    else:
        otan = [m for m in matches if m.id == "otan"]
        assert len(otan) == 1 and otan[0].text == "OTAN" and otan[0].start == text.index("OTAN")


@pytest.mark.parametrize("apostrophe", ["'", "’", "ʼ", "´"])
@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_apostrophe_and_space_variants(glossary: Glossary, apostrophe: str, space: str) -> None:
    text = f"Le secrétaire{space}général de{space}l{apostrophe}OTAN est arrivé."
    [match] = glossary.scan(text)
    assert (match.id, match.start, match.end) == ("secretaire-general-de-l-otan", 3, len(text) - len(" est arrivé."))


@pytest.mark.parametrize("hyphen", ["-", "\u2011", "\u2010"])
def test_hyphen_variants(glossary: Glossary, hyphen: str) -> None:
    text = f"le Royaume{hyphen}Uni et les États{hyphen}Unis après le 11{hyphen}Septembre"
    assert ids(glossary.scan(text)) == ["royaume-uni", "etats-unis", "septembre-11"]


@pytest.mark.parametrize(("text", "entry_id"), [
    ("les secrétaires généraux de l'OTAN", "secretaire-general-de-l-otan"),
    ("la secrétaire générale de l'ONU", "secretaire-general-de-l-onu"),
    ("la secrétaire générale adjointe de l'OTAN pour la diplomatie publique", "secretaire-general-adjoint-diplomatie-publique"),
    ("deux secrétaires généraux adjoints délégués", "secretaire-general-adjoint-delegue"),
    ("la secrétaire générale déléguée de l’OTAN", "secretaire-general-delegue-de-l-otan"),
    ("les représentantes spéciales pour les femmes, la paix et la sécurité", "representant-special-pour-les-femmes-la-paix-et-la-securite"),
    ("la représentante permanente adjointe", "representant-permanent-adjoint"),
    ("les ambassadrices auprès de l'OTAN", "ambassadeur-aupres-de-l-otan"),
    ("la cheffe d’état-major", "chef-d-etat-major"),
    ("les conseillères militaires principales", "conseiller-militaire-principal"),
    ("les opérations de maintien de la paix", "operation-de-maintien-de-la-paix"),
    ("des engins explosifs improvisés", "engin-explosif-improvise"),
])
def test_inflected_forms_are_found(glossary: Glossary, text: str, entry_id: str) -> None:
    assert ids(glossary.scan(text, default_org="NATO")) == [entry_id]


def test_inflection_is_generated_by_rules() -> None:
    assert inflected_forms("secrétaire général adjoint") == [
        "secrétaire générale adjointe", "secrétaires généraux adjoints", "secrétaires générales adjointes"]
    assert inflected_forms("mission OTAN de formation en Iraq") == ["missions OTAN de formation en Iraq"]
    assert inflected_forms("division Sécurité coopérative") == ["divisions Sécurité coopérative"]
    assert inflected_forms("OTAN") == []
    assert inflected_forms("les femmes, la paix et la sécurité") == []


def test_longest_match_wins_and_matches_do_not_overlap(glossary: Glossary) -> None:
    text = "au titre de la résolution 1973 du Conseil de sécurité de l’ONU, puis du Conseil de sécurité de l'ONU"
    assert ids(glossary.scan(text)) == ["resolution-1973-du-conseil-de-securite-de-l-onu", "conseil-de-securite-de-l-onu"]
    assert ids(glossary.scan("la lutte contre les engins explosifs improvisés")) == ["lutte-contre-les-engins-explosifs-improvises"]
    assert ids(glossary.scan("le secrétaire général adjoint délégué", default_org="NATO")) == ["secretaire-general-adjoint-delegue"]


@pytest.mark.parametrize("text", ["l'autodéfense collective", "la cyberdéfense", "OTANé", "éOTAN", "ONUCI", "FIASCO",
                                  "otan", "une alliance régionale", "les pays alliés", "mmes", "Hélogistique"])
def test_no_match_inside_words_or_against_case_rules(glossary: Glossary, text: str) -> None:
    """Word boundaries know accented letters; acronyms and one-word names keep their capitals."""
    found = ids(glossary.scan(text))
    assert not {"otan", "onu", "fias", "alliance", "allies", "madame", "defense-collective", "logistique"} & set(found)
    expected = {"la cyberdéfense": ["cyberdefense"], "ONUCI": ["onuci"]}.get(text, [])
    assert found == expected


def test_match_is_case_insensitive_for_words(glossary: Glossary) -> None:
    assert ids(glossary.scan("LE SECRÉTAIRE GÉNÉRAL DE L'OTAN")) == ["secretaire-general-de-l-otan"]
    assert ids(glossary.scan("Secrétaire Général de l'ONU")) == ["secretaire-general-de-l-onu"]
    assert ids(glossary.scan("Etats-Unis")) == ["etats-unis"]


# --- NATO vs UN ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "default_org", "entry_id", "en"), [
    ("la secrétaire générale adjointe de l'ONU", None, "secretaire-general-adjoint-un", "Under-Secretary-General"),
    ("le secrétaire général adjoint des Nations Unies", "NATO", "secretaire-general-adjoint-un", "Under-Secretary-General"),
    ("le secrétaire général adjoint de l’Organisation des Nations Unies", "NATO", "secretaire-general-adjoint-un", "Under-Secretary-General"),
    ("le secrétaire général adjoint (ONU)", None, "secretaire-general-adjoint-un", "Under-Secretary-General"),
    ("le secrétaire général adjoint de l'OTAN", "UN", "secretaire-general-adjoint-nato", "Assistant Secretary General"),
    ("le secrétaire général adjoint a dit", "UN", "secretaire-general-adjoint-un", "Under-Secretary-General"),
    ("le secrétaire général adjoint a dit", "NATO", "secretaire-general-adjoint-nato", "Assistant Secretary General"),
    ("Le Secrétaire général a dit", "UN", "secretaire-general-un", "Secretary-General"),
    ("Le secrétaire général a dit", "NATO", "secretaire-general-nato", "Secretary General"),
    ("Le secrétaire général a dit", None, "secretaire-general-nato", "Secretary General"),
])
def test_context_picks_the_organisation(glossary: Glossary, text: str, default_org: str | None, entry_id: str, en: str) -> None:
    [match] = [m for m in glossary.scan(text, default_org=default_org) if m.id.startswith("secretaire")]
    assert (match.id, match.en) == (entry_id, en)


def test_nato_only_context_entry_is_dropped_in_a_un_text(glossary: Glossary) -> None:
    assert ids(glossary.scan("au siège de l'Organisation", default_org="NATO")) == ["siege-de-l-organisation-nato"]
    assert ids(glossary.scan("au siège de l'Organisation", default_org="UN")) == []


@pytest.mark.parametrize(("text", "org"), [
    ("L'ONU et l'OTAN. L'ONU encore, et les Nations Unies.", "UN"),
    ("L'OTAN, l'Alliance et l'ONU.", "NATO"),
    ("L'OTAN et l'ONU.", None),
    ("Rien ici.", None),
    ("SG/SM/1\n\nL'OTAN, l'OTAN, l'OTAN.", "UN"),
    ("  • Mis à jour le: 26 Sep. 2018\n\nL'ONU, l'ONU.", "NATO"),
])
def test_default_org_for(text: str, org: str | None) -> None:
    assert default_org_for(text) == org


# --- validation --------------------------------------------------------------------------------

PLANTED = """id,fr,en,type,context,note,source
ok-1,OTAN,NATO,term,,"a note
over two lines",src
dup,secrétaire général,Secretary General,term,org=NATO,,src
dup,secrétaire général,Secretary-General,term,org=UN,,src
conflict,Secrétaire Général,Secretary-General,term,org=NATO,,src
same,OTAN,NATO,term,,,src
empty-en,ONU,,term,,,src
odd-type,UA,AU,glossary,,,src
odd-context,FIAS,ISAF,term,org=EU,,src
split-ok,secrétaire général adjoint,Assistant Secretary General,term,org=NATO,,src
split-ok-2,secrétaire général adjoint,Under-Secretary-General,term,org=UN,,src
,EEI,IED,term,,,
"""


def test_validate_reports_planted_problems_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "planted.csv"
    path.write_text(PLANTED, encoding="utf-8")
    problems = validate(path)
    found = {(p.code, p.line) for p in problems}
    assert found == {
        ("duplicate-id", 5),
        ("conflicting-fr", 6),
        ("duplicate-fr", 7),
        ("empty-field", 8),
        ("unknown-type", 9),
        ("bad-context", 10),
        ("empty-field", 13),
        ("no-source", 13),
    }
    assert all(p.path == path for p in problems)
    conflict = next(p for p in problems if p.code == "conflicting-fr")
    assert "'dup'" in conflict.message and f"{path}:4" in conflict.message
    assert str(conflict).startswith(f"{path}:6: error:")


def test_load_raises_glossary_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "planted.csv"
    path.write_text(PLANTED, encoding="utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path)
    assert caught.value.path == path and caught.value.line == 5
    assert str(caught.value).startswith(f"{path}:5: duplicate id 'dup'")


def test_load_folder_of_csvs_and_cross_file_duplicates(tmp_path: Path) -> None:
    header = "id,fr,en,type,source\n"
    (tmp_path / "a.csv").write_text(header + "otan,OTAN,NATO,term,src\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(header + "onu,ONU,UN,term,src\n", encoding="utf-8")
    assert [e.id for e in load_glossary(tmp_path)] == ["otan", "onu"]
    (tmp_path / "c.csv").write_text(header + "otan,OTAN (bis),NATO,term,src\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_glossary(tmp_path)
    assert caught.value.path == tmp_path / "c.csv" and caught.value.line == 2


def test_missing_or_unreadable_glossary(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError):
        load_glossary(tmp_path / "nope.csv")
    (tmp_path / "bad.csv").write_bytes("id,fr,en,type\nx,é,e,term\n".encode("latin-1"))
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path / "bad.csv")
    assert str(info.value) == f"{tmp_path / 'bad.csv'}:2: not valid UTF-8: byte 0xe9 at byte offset 16 (save the file as UTF-8)"
    (tmp_path / "nohdr.csv").write_text("id,fr,type\n", encoding="utf-8")
    assert [p.code for p in validate(tmp_path / "nohdr.csv")] == ["missing-column"]


# --- TBX -------------------------------------------------------------------------------------------

T = f"{{{TBX_NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_tbx_export_is_well_formed_tbx_basic(glossary: Glossary) -> None:
    document = export_tbx(glossary, version=3)
    root = etree.fromstring(document)  # well-formed, or this raises
    assert document.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert root.tag == T + "tbx" and root.nsmap[None] == TBX_NS
    assert (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "fr")
    assert [c.tag for c in root] == [T + "tbxHeader", T + "text"]
    assert root.find(f"{T}tbxHeader/{T}fileDesc/{T}sourceDesc/{T}p") is not None
    concepts = root.findall(f"{T}text/{T}body/{T}conceptEntry")
    assert [c.get("id") for c in concepts] == [e.id for e in glossary]
    # The TBX-Basic (DCA) rules the LTAC schematron enforces, checked here because no schema is offline.
    for concept in concepts:
        children = [c.tag for c in concept]
        first_lang = children.index(T + "langSec")
        assert set(children[:first_lang]) <= {T + "admin", T + "note", T + "descrip"}
        assert set(children[first_lang:]) == {T + "langSec"}
        for lang_sec in concept.findall(T + "langSec"):
            assert lang_sec.get(XML_LANG) in ("fr", "en")
            term_secs = list(lang_sec)
            assert term_secs and all(t.tag == T + "termSec" for t in term_secs)
            for term_sec in term_secs:
                assert term_sec[0].tag == T + "term" and term_sec[0].text
    for note in root.iter(T + "termNote"):
        assert note.getparent().tag == T + "termSec"
        allowed = {"partOfSpeech": set(PARTS_OF_SPEECH),
                   "administrativeStatus": {"preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"},
                   "termType": {"acronym", "variant"}}
        assert note.text in allowed[note.get("type")]
    for descrip in root.iter(T + "descrip"):
        assert descrip.get("type") == "context" and descrip.getparent().tag == T + "termSec"
    for admin in root.iter(T + "admin"):
        assert admin.get("type") == "source" and admin.getparent().tag == T + "conceptEntry"


def test_tbx_marks_forbidden_variants_deprecated(glossary: Glossary) -> None:
    root = etree.fromstring(export_tbx(glossary, version=3))
    concept = root.find(f".//{T}conceptEntry[@id='secretaire-general-de-l-otan']")
    statuses = {ts.findtext(T + "term"): ts.findtext(f"{T}termNote[@type='administrativeStatus']")
                for ts in concept.iterfind(f"{T}langSec[@{{http://www.w3.org/XML/1998/namespace}}lang='en']/{T}termSec")}
    assert statuses["NATO Secretary General"] == "preferredTerm-admn-sts"
    assert statuses["Secretary General of NATO"] == "admittedTerm-admn-sts"
    assert statuses["NATO Secretary-General"] == "deprecatedTerm-admn-sts"
    context = root.find(f".//{T}conceptEntry[@id='secretaire-general-un']//{T}descrip[@type='context']")
    assert context.text == "org=UN"


def test_tbx_round_trip_keeps_everything(glossary: Glossary, tmp_path: Path) -> None:
    for version in (2, 3):
        path = tmp_path / f"glossary-v{version}.tbx"
        path.write_bytes(export_tbx(glossary, version=version))
        back = import_glossary(path)
        assert back.entries == glossary.entries  # ids, terms, types, variants, contexts, notes, sources, status
        assert {e.type for e in back} == {"term", "do-not-translate", "forbidden"}


def test_tbx_import_accepts_the_ltac_namespace_and_reports_bad_xml(glossary: Glossary, tmp_path: Path) -> None:
    small = Glossary(tuple(e for e in glossary if e.id in ("otan", "secretaire-general-un")))
    ltac = tmp_path / "ltac.tbx"
    ltac.write_bytes(export_tbx(small, version=3).replace(TBX_NS.encode(), b"urn:iso:std:iso:30042:ed:3.0"))
    assert import_glossary(ltac).entries == small.entries
    broken = tmp_path / "broken.tbx"
    broken.write_bytes(b"<?xml version='1.0'?>\n<tbx>\n<text>\n</tbx>\n")
    with pytest.raises(GlossaryError) as caught:
        import_glossary(broken)
    assert caught.value.line == 4
    with pytest.raises(GlossaryError, match="unknown glossary format"):
        import_glossary(tmp_path / "glossary.xlsx")


def test_import_glossary_reads_csv_too() -> None:
    assert import_glossary(DEFAULT_GLOSSARY).entries == load_glossary().entries


def test_tbx_import_reports_the_concept_line(tmp_path: Path) -> None:
    document = (f"<tbx xmlns='{TBX_NS}' type='TBX-Basic' style='dca' xml:lang='fr'><tbxHeader/><text><body>\n"
                "<conceptEntry id='x'>\n<langSec xml:lang='fr'><termSec><term>OTAN</term></termSec></langSec>\n"
                "</conceptEntry></body></text></tbx>\n")
    path = tmp_path / "no-english.tbx"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(GlossaryError, match="empty en") as caught:
        import_glossary(path)
    assert caught.value.line == 2


def test_csv_writer_round_trip(glossary: Glossary, tmp_path: Path) -> None:
    path = tmp_path / "copy.csv"
    path.write_text(entries_to_csv(glossary), encoding="utf-8")
    assert load_glossary(path).entries == glossary.entries


# --- English checks ----------------------------------------------------------------------------


def kinds(issues) -> list[tuple[str, str, str]]:
    return [(i.kind, i.id, i.text) for i in issues]


def test_planted_un_title_without_hyphen(glossary: Glossary) -> None:
    issues = check_translation("Il a rencontré le secrétaire général de l'ONU.", "He met the UN Secretary General.", glossary)
    # one finding per wrong rendering: the forbidden variant, not also "missing"
    assert kinds(issues) == [("forbidden", "secretaire-general-de-l-onu", "UN Secretary General")]
    assert issues[0].target_span == (11, 31)


def test_planted_nato_title_with_hyphen(glossary: Glossary) -> None:
    issues = check_translation("Le secrétaire général de l’OTAN, Jens Stoltenberg, a parlé.",
                               "NATO Secretary-General Jens Stoltenberg spoke.", glossary)
    assert kinds(issues) == [("forbidden", "secretaire-general-de-l-otan", "NATO Secretary-General")]


def test_planted_french_acronym_left_in_english(glossary: Glossary) -> None:
    issues = check_translation("L'OTAN et la FIAS.", "OTAN and ISAF.", glossary)
    assert kinds(issues) == [("forbidden", "otan", "OTAN")]


def test_planted_false_friend_and_us_spelling(glossary: Glossary) -> None:
    issues = check_translation("la secrétaire générale adjointe et la clause de défense collective",
                               "the Deputy Secretary General and the collective defense clause", glossary, default_org="NATO")
    assert sorted(kinds(issues)) == [
        ("forbidden", "clause-de-defense-collective", "collective defense clause"),
        ("forbidden", "secretaire-general-adjoint-nato", "Deputy Secretary General"),
    ]


def test_standalone_forbidden_entries(glossary: Glossary) -> None:
    issues = check_translation("M. Stoltenberg a parlé.", "Mr Stoltenberg, the NATO Secretary-General, spoke.", glossary)
    assert kinds(issues) == [("forbidden", "forbidden-nato-secretary-general-hyphen", "NATO Secretary-General")]
    issues = check_translation("l'exercice Trident Jucnture", "exercise Trident Jucnture", glossary)
    assert ("forbidden", "forbidden-trident-jucnture", "Trident Jucnture") in kinds(issues)


@pytest.mark.parametrize(("fr", "en", "default_org"), [
    ("Le secrétaire général de l'OTAN, Jens Stoltenberg, a rejoint les dirigeants mondiaux à New York.",
     "NATO Secretary General Jens Stoltenberg joined world leaders in New York.", None),
    ("Plus tard dans la journée, M. Stoltenberg a rencontré le secrétaire général de l’ONU, Antonio Guterres.",
     "Later on Tuesday, Mr. Stoltenberg met with UN Secretary-General António Guterres.", None),
    ("Le secrétaire général a rencontré le secrétaire général de l'ONU.",
     "The Secretary General met the UN Secretary\u2011General.", "NATO"),
    ("Nous rendons hommage aux plus de 3 700 Casques bleus qui ont fait le sacrifice ultime.",
     "We honour the more than 3,700 blue helmets who paid the ultimate price.", "UN"),
    ("J'ai également fait part des préoccupations de l’OTAN.", "I also raised NATO´s concerns.", "NATO"),
    ("les Alliés et l'OTAN", "NATO's Allies", "NATO"),
    ("la lutte contre les engins explosifs improvisés (EEI)", "countering improvised explosive devices (IEDs)", "NATO"),
    ("la communauté internationale doit s'unir", "The international community must unite", "NATO"),
])
def test_official_renderings_pass(glossary: Glossary, fr: str, en: str, default_org: str | None) -> None:
    assert check_translation(fr, en, glossary, default_org=default_org) == []


def test_official_reference_of_a_whole_article_passes(glossary: Glossary) -> None:
    pair = SHARED / "data" / "pairs" / "news-158301-ground-zero-2018"
    if not pair.is_dir():
        pytest.skip(f"shared data not found at {SHARED}")
    fr = (pair / "source_fr.txt").read_text(encoding="utf-8")
    en = (pair / "reference_en.txt").read_text(encoding="utf-8")
    assert check_translation(fr, en, glossary, default_org=default_org_for(fr)) == []


def test_english_tolerances_are_limited(glossary: Glossary) -> None:
    fr = "la communauté internationale"
    assert kinds(check_translation(fr, "to the International Community", glossary))[0][0] == "missing"
    assert check_translation(fr, "“The international community", glossary) == []
    bare_un = check_translation("Le Secrétaire général a dit", "The Secretary General said", glossary, default_org="UN")
    assert kinds(bare_un) == [("forbidden", "secretaire-general-un", "Secretary General")]


# --- PO comment ----------------------------------------------------------------------------------


def test_term_comment(glossary: Glossary) -> None:
    matches = glossary.scan("Le secrétaire général de l'OTAN a rappelé le rôle de l’OTAN et de l'OTAN.")
    assert term_comment(matches) == "glossary: secrétaire général de l'OTAN → NATO Secretary General; OTAN → NATO"
    assert term_comment([]) == ""


def test_sentence_start_walk_back_agrees_with_the_anchored_pattern() -> None:
    """The organisation guess asks "does this mention start a sentence?" for every mention; the
    walk-back must answer as the old whole-prefix regex did, without its quadratic cost."""
    import re

    from workflow.terms.organisation import _at_sentence_start

    anchored = re.compile(r"(?:\A|[.!?:…»\n])[\s\"“«(—–-]*\Z")
    texts = [p.read_text("utf-8") for p in sorted((REPO / "source_fr").glob("*.txt"))]
    texts.append("Fin.  « (Le Secrétaire général » — l’ONU: « OTAN »\n\n— Alliance ! « — x")
    for text in texts:
        for pos in range(len(text) + 1):
            assert _at_sentence_start(text, pos) == bool(anchored.search(text[:pos])), (text[max(0, pos - 20) : pos], pos)
