"""Consistency across files: same source / same target / term variants, with suppression and the memory."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from tests.conftest import write_catalog
from workflow.cli import app
from workflow.qa.checks import check_paths
from workflow.qa.consistency import (
    SAME_SOURCE,
    SAME_TARGET,
    TERM_VARIANTS,
    ConsistencyChecks,
    family_checks,
)
from workflow.base.config import load_config
from workflow.qa.registry import registry
from workflow.qa.settings import qa_settings
from workflow.review.memory import TMUnit, TranslationMemory
from workflow.terms.glossary import load_glossary


def entry(msgid: str, msgstr: str, *, fuzzy: bool = False, tcomment: str = "") -> polib.POEntry:
    e = polib.POEntry(msgid=msgid, msgstr=msgstr, tcomment=tcomment)
    if fuzzy:
        e.flags.append("fuzzy")
    return e


def run(paths, memory=None, glossary=None, checks=None, settings=None):
    return check_paths(paths, archive_checks=[ConsistencyChecks(memory, glossary, checks)], settings=settings)


def of(report, check):
    return [f for f in report.findings if f.check == check]


def test_the_family_is_in_the_qa_registry_and_workflow_toml_changes_it(tmp_path: Path):
    assert set(family_checks()) == {SAME_SOURCE, SAME_TARGET, TERM_VARIANTS}
    assert {c: registry().severity(c) for c in family_checks()} == {SAME_SOURCE: "warning", SAME_TARGET: "info", TERM_VARIANTS: "warning"}
    assert registry().resolve("consistency") == set(family_checks())
    a = write_catalog(tmp_path / "a.po", [entry("Le sommet a commencé.", "The summit began.")])
    b = write_catalog(tmp_path / "b.po", [entry("Le sommet a commencé.", "The summit opened.")])
    (tmp_path / "workflow.toml").write_text('[qa.severity]\n"consistency.same-source" = "error"\n', "utf-8")
    report = run([a, b], settings=qa_settings(load_config(tmp_path)))
    assert {f.severity for f in report.findings} == {"error"} and report.exit_code() == 1
    (tmp_path / "workflow.toml").write_text('[qa.severity]\nconsistency = "off"\n', "utf-8")
    assert run([a, b], settings=qa_settings(load_config(tmp_path))).findings == []


def test_same_source_translated_differently_lists_every_variant_with_file_and_line(tmp_path: Path):
    a = write_catalog(tmp_path / "a.po", [entry("Le sommet s’est tenu à Bruxelles.", "The summit took place in Brussels.")])
    b = write_catalog(tmp_path / "b.po", [entry("Le sommet s'est tenu à  Bruxelles.", "The summit was held in Brussels.")])
    c = write_catalog(tmp_path / "c.po", [entry("LE SOMMET S'EST TENU À BRUXELLES.", "The Summit Was Held In Brussels.")])
    findings = of(run([a, b, c], checks={SAME_SOURCE}), SAME_SOURCE)
    assert [f.path.name for f in findings] == ["a.po", "b.po", "c.po"]
    first = findings[0]
    assert first.severity == "warning"
    # c.po differs from b.po only in case, and its French is in capitals: one variant, not three.
    assert "translated 2 ways" in first.message
    assert f"{b}:" in first.message and f"{c}:" in first.message and "was held" in first.message
    assert f"{a}:" in findings[1].message


def test_numbers_are_set_aside_on_both_sides(tmp_path: Path):
    a = write_catalog(tmp_path / "a.po", [entry("Plus de 3 000 soldats y ont participé.", "More than 3,000 soldiers took part.")])
    b = write_catalog(tmp_path / "b.po", [entry("Plus de 5 000 soldats y ont participé.", "More than 5,000 soldiers took part.")])
    assert run([a, b]).findings == []


def test_fuzzy_and_rule_filled_entries_are_not_reviewed_work(tmp_path: Path):
    a = write_catalog(tmp_path / "a.po", [entry("Le sommet a commencé.", "The summit began.")])
    b = write_catalog(tmp_path / "b.po", [entry("Le sommet a commencé.", "The summit started.", fuzzy=True)])
    assert run([a, b]).findings == []


def test_qa_ignore_suppresses_on_that_entry_only(tmp_path: Path):
    a = write_catalog(tmp_path / "a.po", [entry("Le sommet a commencé.", "The summit began.", tcomment="qa-ignore: consistency.same-source")])
    b = write_catalog(tmp_path / "b.po", [entry("Le sommet a commencé.", "The summit opened.")])
    c = write_catalog(tmp_path / "c.po", [entry("Le sommet a commencé.", "The summit opened.", tcomment="qa-ignore: consistency")])
    report = run([a, b, c])
    counted = [f for f in report.findings if f.counts]
    assert [(f.path.name, f.check) for f in counted] == [("b.po", SAME_SOURCE)]
    assert "The summit began." in counted[0].message  # the suppressed entry is still a variant
    # Suppressed, not dropped: `check --all` lists them with the comment that silenced them.
    suppressed = {f.path.name: f.suppressed for f in report.findings if not f.counts}
    assert suppressed == {"a.po": "the translator comment “qa-ignore: consistency.same-source”",
                          "c.po": "the translator comment “qa-ignore: consistency”"}
    assert (report.errors, report.warnings, report.suppressed) == (0, 1, 2)
    listed = report.lines(everything=True)
    assert [line.split(":", 1)[0] for line in listed] == [str(a), str(b), str(c)]
    assert "(suppressed by the translator comment" in listed[0] and "(suppressed by" in listed[2]
    assert report.lines() == [listed[1]]


def test_memory_units_are_variants_too(tmp_path: Path):
    a = write_catalog(tmp_path / "a.po", [entry("Les ministres se sont réunis à Londres.", "The ministers met in London.")])
    with TranslationMemory(tmp_path / "tm.sqlite", root=tmp_path) as tm:
        tm.add_pairs([TMUnit("Les ministres se sont réunis à Londres.", "Ministers gathered in London.", "fr.txt + en.txt")])
        findings = run([a], memory=tm).findings
    assert len(findings) == 1
    assert "tm import: fr.txt + en.txt" in findings[0].message and "gathered" in findings[0].message


def test_memory_units_of_the_checked_files_are_not_counted_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    a = write_catalog(tmp_path / "a.po", [entry("Le sommet a commencé.", "The summit began.")])
    with TranslationMemory(tmp_path / "tm.sqlite", root=tmp_path) as tm:
        tm.refresh_from_catalogs([a])
        write_catalog(a, [entry("Le sommet a commencé.", "The summit opened.")])  # reviewed again since
        assert run([a], memory=tm).findings == []


def test_same_target_for_different_sources_is_info(tmp_path: Path):
    target = "The Secretary General welcomed the progress made by both organisations."
    a = write_catalog(tmp_path / "a.po", [entry("Le secrétaire général a salué les progrès accomplis par les deux organisations.", target)])
    b = write_catalog(tmp_path / "b.po", [entry("Les ministres ont adopté une déclaration commune sur la sécurité maritime.", target)])
    findings = run([a, b], checks={SAME_TARGET}).findings
    assert [(f.path.name, f.severity) for f in findings] == [("a.po", "info"), ("b.po", "info")]
    assert "déclaration commune" in findings[0].message


def test_two_wordings_of_one_sentence_may_share_a_translation(tmp_path: Path):
    target = "The exercise Trident Juncture tested the readiness of the NATO Response Force."
    a = write_catalog(tmp_path / "a.po", [entry("L’exercice Trident Juncture a testé la disponibilité de la Force de réaction de l’OTAN.", target)])
    b = write_catalog(tmp_path / "b.po", [entry("L’exercice Trident Jucnture a testé la disponibilité de la Force de réaction de l’OTAN.", target)])
    assert run([a, b], checks={SAME_TARGET}).findings == []


TERM_CORPUS = [
    ("La Force africaine en attente sera opérationnelle en 2015.", "The African Standby Force will be operational in 2015."),
    ("L’OTAN soutient la Force africaine en attente depuis 2007.", "NATO has supported the African Standby Force since 2007."),
    ("Des experts ont évalué la Force africaine en attente à Addis-Abeba.", "Experts assessed the African Standby Force in Addis Ababa."),
    ("Les exercices de la Force africaine en attente ont commencé.", "The exercises of the African Stand-by Force have begun."),
]


def _term_files(tmp_path: Path) -> list[Path]:
    return [
        write_catalog(tmp_path / f"t{n}.po", [entry(source, target)]) for n, (source, target) in enumerate(TERM_CORPUS)
    ]


def test_a_term_rendered_a_near_variant_way_is_reported_with_counts(tmp_path: Path):
    findings = run(_term_files(tmp_path), checks={TERM_VARIANTS}).findings
    assert [f.path.name for f in findings] == ["t3.po"]
    message = findings[0].message
    assert "«Force africaine en attente»" in message and "«African Standby Force» in 3 of 4" in message
    assert "here «African Stand-by Force»" in message


def test_term_variants_leave_glossary_terms_to_the_glossary_check(tmp_path: Path):
    glossary = tmp_path / "g.csv"
    glossary.write_text("id,fr,en,type,source\nasf,Force africaine en attente,African Standby Force,term,test\n", "utf-8")
    assert run(_term_files(tmp_path), glossary=load_glossary(glossary), checks={TERM_VARIANTS}).findings == []


def test_check_command_runs_the_family_and_can_leave_it_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "translations").mkdir()
    write_catalog(tmp_path / "translations" / "a.po", [entry("Le sommet a commencé.", "The summit began.")])
    write_catalog(tmp_path / "translations" / "b.po", [entry("Le sommet a commencé.", "The summit opened.")])
    runner = CliRunner()
    result = runner.invoke(app, ["check", "--no-glossary"])
    assert result.exit_code == 0, result.output  # warnings do not fail the check
    assert "[consistency.same-source]" in result.output
    result = runner.invoke(app, ["check", "--no-glossary", "--no-consistency"])
    assert "consistency" not in result.output
    result = runner.invoke(app, ["check", "--no-glossary", "--memory", "missing.sqlite"])
    assert result.exit_code == 2 and "missing.sqlite" in result.output


VARIANT_CORPUS = [
    ("L’OTAN soutient le maintien de la paix en Afrique.", "NATO supports peacekeeping in Africa."),
    ("Le maintien de la paix exige des moyens.", "Peacekeeping requires means."),
    ("Les ministres ont parlé du maintien de la paix.", "Ministers spoke about peacekeeping."),
    ("Le maintien de la paix progresse.", "Peacekeeping is making progress."),
    ("La réforme du maintien de la paix avance.", "The reform of peace-keeping is advancing."),
    ("L'UA a salué la décision.", "The AU welcomed the decision."),
    ("L'UA a signé l'accord.", "The AU signed the agreement."),
    ("L'UA se réunit.", "The AU meets."),
    ("Le siège de la CUA accueille l'UA.", "The AUC headquarters hosts the delegation."),
    ("L'OTAN et l'ONU coopèrent.", "NATO-UN cooperation grows."),
    ("L'OTAN se réunit.", "NATO meets."),
    ("L'OTAN a salué les Nations.", "The Nations were welcomed."),
    ("L'OTAN décide.", "NATO decides."),
]


def test_term_variants_are_respellings_not_other_words_fragments_or_other_acronyms(tmp_path: Path):
    files = [write_catalog(tmp_path / f"v{n}.po", [entry(fr, en)]) for n, (fr, en) in enumerate(VARIANT_CORPUS)]
    findings = run(files, checks={TERM_VARIANTS}).findings
    assert [(f.path.name, f.message.split("here ")[1].split("»")[0]) for f in findings] == [("v4.po", "«peace-keeping")]


def test_a_spelling_used_again_and_again_is_a_house_convention_not_a_slip(tmp_path: Path):
    corpus = [(f"Le secrétaire général a parlé le {n} mai.", f"The Secretary General talked on {n} May.") for n in range(1, 6)]
    corpus += [(f"Le secrétaire général a écrit le {n} juin.", f"The Secretary-General replied on {n} June.") for n in range(1, 4)]
    files = [write_catalog(tmp_path / f"c{n}.po", [entry(fr, en)]) for n, (fr, en) in enumerate(corpus)]
    assert run(files, checks={TERM_VARIANTS}).findings == []
    # Once, it is a slip.
    once = files[:5] + files[5:6]
    assert [f.path.name for f in run(once, checks={TERM_VARIANTS}).findings] == ["c5.po"]
