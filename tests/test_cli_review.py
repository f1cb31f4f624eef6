"""`workflow check`, `status` and `publish` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workflow.cli import app
from workflow.review.pofile import read_po
from workflow.translate import translate_articles

from tests.test_publish import APPROVED

runner = CliRunner()
SLUG = "sg-assemblee-generale-onu-2018"
# The reviewer also applies the glossary where the approved draft strayed from it.
HOUSE_STYLE = {
    "Antonio\u00a0Guterres": "António\u00a0Guterres",
    "Antonio Guterres": "António Guterres",
}


def house_style(text: str) -> str:
    for wrong, right in HOUSE_STYLE.items():
        text = text.replace(wrong, right)
    return text


def approve(project: Path, slug: str) -> Path:
    """A reviewer fills every entry with the approved English and clears fuzzy."""
    path = project / "translations/en" / f"{slug}.po"
    catalog = read_po(path)
    for entry in catalog:
        if entry.msgid in APPROVED[slug]:
            entry.msgstr = house_style(APPROVED[slug][entry.msgid])
        elif "passed through" in entry.comment:
            entry.msgstr = house_style(entry.msgstr)
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
    catalog.save(str(path))
    return path


@pytest.fixture
def approved(project: Path) -> Path:
    assert translate_articles().ok
    return approve(project, SLUG)


def test_check_is_clean_on_the_approved_translation(approved: Path) -> None:
    result = runner.invoke(app, ["check", str(approved)])
    assert result.exit_code == 0, result.stdout
    assert result.stderr.startswith("1 file(s): 0 error(s)")


def test_check_catches_planted_term_and_number_errors(approved: Path) -> None:
    catalog = read_po(approved)
    entry = catalog.find("Ce mardi (25 septembre 2018), le secrétaire général de l'OTAN, Jens Stoltenberg, a rejoint les dirigeants mondiaux à New York, pour assister à la 73e session de l'Assemblée générale des Nations Unies.")
    entry.msgstr = entry.msgstr.replace("NATO Secretary General", "UN Secretary-General").replace("73rd", "74th")
    catalog.save(str(approved))
    result = runner.invoke(app, ["check", str(approved)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    where = f"{approved}:{entry.linenum}:"
    assert any(line.startswith(where + " error [meaning.org-title] “UN Secretary-General”") for line in lines)
    assert any(line.startswith(where + " error [numbers.changed]") for line in lines)
    assert all("qa-ignore:" in line for line in lines)  # every finding names the way out
    report = json.loads(runner.invoke(app, ["check", str(approved), "--json"]).stdout)
    assert {(f["check"], f["severity"]) for f in report["findings"]} >= {("meaning.org-title", "error"), ("numbers.changed", "error")}


def test_check_reports_an_unparseable_file_and_checks_the_rest(approved: Path, project: Path) -> None:
    broken = project / "translations/en/broken.po"
    broken.write_text('msgid "a\nmsgstr "b"\n', encoding="utf-8")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert "translations/en/broken.po:1: cannot parse PO file" in result.stdout


def test_status_json_counts(approved: Path) -> None:
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.stderr
    status = json.loads(result.stdout)
    by_name = {c["name"]: c for c in status["catalogs"]}
    mine, other = by_name[SLUG], by_name["otan-nations-unies-2012"]
    assert (mine["segments"]["fuzzy"], mine["segments"]["untranslated"], mine["done_percent"]) == (0, 0, 100.0)
    assert (other["segments"]["translated"], other["segments"]["untranslated"]) == (4, 11)
    assert mine["checks"]["errors"] == 0
    assert status["total"]["segments"]["total"] == mine["segments"]["total"] + other["segments"]["total"] == 37


def test_publish_writes_the_reviewed_article_and_blocks_the_other(approved: Path, project: Path) -> None:
    result = runner.invoke(app, ["publish", "--format", "txt,md", "--format", "html"])
    assert result.exit_code == 1  # the other sample is not reviewed
    assert result.stdout.splitlines()[-1] == "2 articles: 1 published, 1 blocked"
    assert sorted(p.name for p in (project / "published/en").iterdir()) == [f"{SLUG}.html", f"{SLUG}.md", f"{SLUG}.txt"]
    assert "translations/en/otan-nations-unies-2012.po:" in result.stdout
    assert (project / f"published/en/{SLUG}.txt").read_text(encoding="utf-8").startswith(
        "NATO Secretary General joins world leaders"
    )


def test_publish_draft_marks_unreviewed_work(project: Path) -> None:
    assert translate_articles().ok
    result = runner.invoke(app, ["publish", "--draft"])
    assert result.exit_code == 0, result.stdout
    draft = (project / "published-drafts/en/otan-nations-unies-2012.txt").read_text(encoding="utf-8")
    assert "⟦untranslated: L’OTAN et les Nations Unies⟧" in draft
    assert not (project / "published").exists()
