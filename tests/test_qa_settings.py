"""Severities, suppression and project settings: workflow.toml [qa], `check --strict/--all`, status counts,
qa-ignore surviving re-runs, the organisation set per folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from tests.conftest import write_catalog
from workflow.base.config import load_config
from workflow.base.errors import ConfigError
from workflow.cli import app
from workflow.qa.checks import check_catalog, check_paths
from workflow.qa.registry import registry
from workflow.qa.settings import qa_settings
from workflow.review.pofile import read_po, write_po
from workflow.terms.organisation import article_organisation, default_org_for
from workflow.translate import translate_articles

runner = CliRunner()
WRONG_NUMBER = polib.POEntry(msgid="Il y a 3 soldats.", msgstr="There are 4 soldiers.", occurrences=[("source_fr/a.txt", "3")])
AMERICAN = polib.POEntry(msgid="Le centre de défense.", msgstr="The defense center.", occurrences=[("source_fr/a.txt", "5")])


def _settings(tmp_path: Path, text: str):
    (tmp_path / "workflow.toml").write_text(text, encoding="utf-8")
    return qa_settings(load_config(tmp_path))


def test_registry_resolves_ids_families_and_legacy_names() -> None:
    reg = registry()
    assert reg.resolve("glossary") == {"glossary.forbidden", "glossary.missing"}
    assert reg.resolve("dates") == {"numbers.date"}
    assert reg.resolve("numbers.changed") == {"numbers.changed"}
    assert reg.severity("consistency.rendering", "warning") == "warning"  # a plug-in's own
    assert all(info.about for info in reg.checks.values())


def test_severity_overrides_by_check_and_family(tmp_path: Path) -> None:
    settings = _settings(tmp_path, '[qa.severity]\nnumbers = "warning"\n"spelling.american" = "error"\nmt = "off"\n')
    reg = settings.registry
    assert reg.severity("numbers.changed") == reg.severity("numbers.date") == "warning"
    assert reg.severity("spelling.american") == "error"
    assert reg.severity("mt.repetition") == "off"
    path = write_catalog(tmp_path / "a.po", [WRONG_NUMBER, AMERICAN])
    report = check_paths([path], settings=settings)
    assert [(f.check, f.severity) for f in report.findings] == [("numbers.changed", "warning"), ("spelling.american", "error")]
    assert (report.errors, report.warnings, report.exit_code(), report.exit_code(strict=True)) == (1, 1, 1, 1)


@pytest.mark.parametrize(("text", "message"), [
    ('[qa.severity]\n"numbers.changd" = "error"\n', "unknown check or family 'numbers.changd'"),
    ('[qa.severity]\nnumbers = "fatal"\n', "expected one of error, warning, info, off"),
    ('[qa]\nstrictness = 1\n', "unknown key(s) strictness"),
    ('[[qa.ignore]]\nreason = "x"\n', "say which checks it covers"),
    ('[qa.spelling]\nUN = "iz"\n', "expected one of ise, ize, either"),
])
def test_bad_settings_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        _settings(tmp_path, text)
    assert message in str(error.value) and "workflow.toml" in str(error.value)


def test_project_exception_suppresses_only_what_it_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(tmp_path, '[[qa.ignore]]\nchecks = ["numbers"]\npaths = ["translations/en/a*.po"]\ntext = "soldats"\n'
                                   'reason = "figure checked with the press office"\n')
    folder = tmp_path / "translations" / "en"
    folder.mkdir(parents=True)
    write_catalog(folder / "a.po", [WRONG_NUMBER, AMERICAN])
    write_catalog(folder / "b.po", [WRONG_NUMBER])
    monkeypatch.chdir(tmp_path)
    report = check_paths([Path("translations")], settings=settings)
    by_file = {(f.path.name, f.check): f for f in report.findings}
    assert by_file[("a.po", "numbers.changed")].suppressed.startswith("workflow.toml [[qa.ignore]] #1: figure checked")
    assert not by_file[("b.po", "numbers.changed")].suppressed
    assert not by_file[("a.po", "spelling.american")].suppressed
    assert (report.errors, report.warnings, report.suppressed) == (1, 1, 1)


def test_check_cli_text_json_strict_and_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "translations").mkdir()
    ignored = polib.POEntry(msgid="Il y a 5 soldats.", msgstr="There are 6 soldiers.", tcomment="qa-ignore: numbers.changed")
    write_catalog(tmp_path / "translations" / "a.po", [AMERICAN, ignored])
    result = runner.invoke(app, ["check", "--no-glossary"])
    assert result.exit_code == 0  # a warning alone does not fail
    (line,) = result.stdout.splitlines()
    assert ": warning [spelling.american] American spelling: “defense” (→ defence), “center” (→ centre)" in line
    assert "“qa-ignore: spelling.american”" in line
    assert "1 suppressed" in result.stderr
    assert runner.invoke(app, ["check", "--no-glossary", "--strict"]).exit_code == 1
    everything = runner.invoke(app, ["check", "--no-glossary", "--all"]).stdout.splitlines()
    assert len(everything) == 2 and "suppressed by the translator comment “qa-ignore: numbers.changed”" in everything[1]
    data = json.loads(runner.invoke(app, ["check", "--no-glossary", "--json", "--all"]).stdout)
    assert (data["errors"], data["warnings"], data["suppressed"]) == (0, 1, 1)
    assert [(f["check"], f["severity"], bool(f["suppressed"])) for f in data["findings"]] == [
        ("spelling.american", "warning", False), ("numbers.changed", "error", True)]
    status = json.loads(runner.invoke(app, ["status", "--json"]).stdout)
    assert status["total"]["checks"] == {"errors": 0, "warnings": 1}


def test_qa_ignore_survives_a_rerun_and_a_changed_source(project: Path) -> None:
    """The translator comment lives on the entry: translate keeps it, also as a fuzzy suggestion."""
    assert translate_articles().ok
    path = Path("translations/en/sg-assemblee-generale-onu-2018.po")
    catalog = read_po(path)
    entry = next(e for e in catalog if e.msgid.startswith("Ce mardi (25 septembre 2018)"))
    entry.msgstr = "On Tuesday (25 September 2018), NATO Secretary General Jens Stoltenberg joined world leaders in New York for the 74th session of the UN General Assembly."
    entry.tcomment = "qa-ignore: numbers.changed"
    write_po(catalog, path)
    assert not [f for f in check_catalog(path) if f.counts]
    assert translate_articles().ok  # re-run on an unchanged source
    assert [f.suppressed != "" for f in check_catalog(path) if f.check == "numbers.changed"] == [True]
    source = Path("source_fr/sg-assemblee-generale-onu-2018.txt")
    source.write_text(source.read_text("utf-8").replace("Ce mardi (25 septembre 2018)", "Ce mardi 25 septembre 2018"), "utf-8")
    assert translate_articles().ok  # the sentence changed: the old translation is offered as fuzzy
    moved = next(e for e in read_po(path) if e.msgid.startswith("Ce mardi 25 septembre 2018"))
    assert moved.fuzzy and moved.tcomment == "qa-ignore: numbers.changed"


def test_pass_through_captions_and_rule_filled_lines_are_not_held_against_the_translator(project: Path) -> None:
    assert translate_articles().ok
    findings = check_catalog(Path("translations/en/otan-nations-unies-2012.po"))
    assert not [f for f in findings if "Ban Ki-Moon" in f.msgid or "Mis à jour" in f.msgid]


def test_organisation_set_per_folder_in_workflow_toml(tmp_path: Path) -> None:
    text = "Le Secrétaire général a salué les Casques bleus."
    assert default_org_for(text) == "UN"
    (tmp_path / "workflow.toml").write_text('[organisation]\ndefault = "UN"\n[organisation.paths]\n"source_fr/nato/*" = "NATO"\n', "utf-8")
    assert article_organisation("source_fr/nato/a.txt", text, root=tmp_path) == "NATO"
    assert article_organisation("source_fr/b.txt", "Rien ici.", root=tmp_path) == "UN"
    (tmp_path / "workflow.toml").write_text('[organisation.paths]\n"x" = "OSCE"\n', "utf-8")
    with pytest.raises(ConfigError, match="unknown organisation 'OSCE'"):
        article_organisation("x", text, root=tmp_path)


@pytest.mark.parametrize(("text", "org"), [
    ("L'OTAN participe à la réunion des Nations Unies\n\nLes Nations Unies et les Nations Unies ont invité son secrétaire général.", "NATO"),
    ("La déclaration suivante a été communiquée par le Porte-parole du Secrétaire général:\n\nLe Secrétaire général condamne l'attaque.", "UN"),
    ("Communiqué\n\nLe Secrétaire général salue la MINUSMA.", "UN"),
])
def test_organisation_inferred_from_house_style_and_page_furniture(text: str, org: str) -> None:
    assert default_org_for(text) == org


def test_spelling_table_is_what_scowl_gives() -> None:
    """data/spelling_en.tsv is generated from SCOWL; rebuilt and compared where Debian's scowl is installed."""
    scowl = Path("/usr/share/dict/scowl")
    if not scowl.is_dir():
        pytest.skip("Debian package scowl not installed")
    from importlib.resources import files

    from workflow.qa.spelling import build_table

    assert build_table(scowl) == (files("workflow") / "data" / "spelling_en.tsv").read_text("utf-8")


def test_ise_ize_follows_the_organisation(tmp_path: Path) -> None:
    from workflow.qa.spelling import check_spelling

    assert check_spelling("", "The organization was recognised.", "NATO") == []
    (issue,) = check_spelling("", "The organisation was recognised.", "UN")
    assert issue.check == "spelling.ise-ize" and "“organisation” (→ organization)" in issue.message
    assert check_spelling("", "The organisation was recognised.", "UN", "either") == []
    assert check_spelling("", "NATO’s program at the World Trade Center and the U.S. Department of Defense.", None)[0].message.count("“") == 1


def test_samples_publish_once_reviewed(project: Path) -> None:
    """The README's quick start: translate, review (approved English), check, publish."""
    from tests.test_publish import APPROVED, SLUGS, approve

    assert translate_articles().ok
    for slug in SLUGS:
        approve(slug, APPROVED[slug])
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.stdout
    assert "0 error(s)" in result.stderr
    published = runner.invoke(app, ["publish"])
    assert published.exit_code == 0, published.stdout
    assert published.stdout.splitlines()[-1] == "2 articles: 2 published, 0 blocked"
    shutil.rmtree("published")
