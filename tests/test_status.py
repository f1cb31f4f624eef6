"""Progress report: pocount-shaped counts, obsolete entries and open QA findings."""

from __future__ import annotations

import json
from pathlib import Path

import polib
from rich.console import Console

from workflow.qa.checks import entry_checker
from workflow.review.status import CatalogStatus, catalog_status, project_status, render_table, to_json

from tests.conftest import write_catalog




def _article(path: Path) -> Path:
    return write_catalog(
        path,
        [
            # translated (reviewed): 3 words (pocount keeps l’ONU as one)
            polib.POEntry(msgid="L’OTAN et l’ONU", msgstr="NATO and the UN"),
            # fuzzy with text: 5 + 6 words; the second one has a number error
            polib.POEntry(msgid="Les deux organisations coopèrent étroitement.", msgstr="The two organisations cooperate closely.", flags=["fuzzy"]),
            polib.POEntry(msgid="Nous saluons les 14 missions actuelles.", msgstr="We salute the 41 current missions.", flags=["fuzzy"]),
            # untranslated: empty, and fuzzy but empty (pocount counts it untranslated): 3 + 2 words
            polib.POEntry(msgid="Pas encore traduit.", msgstr=""),
            polib.POEntry(msgid="Rien ici.", msgstr="", flags=["fuzzy"]),
            # obsolete: counted apart, never in the word totals
            polib.POEntry(msgid="Ancien texte.", msgstr="Old text.", obsolete=True),
            # translated with a warning (American spelling) and an info finding (double space): 4 words
            polib.POEntry(msgid="Les entretiens sont terminés.", msgstr="The talks  are honorably over."),
        ],
    )


def test_catalog_status_counts(tmp_path: Path) -> None:
    status = catalog_status(_article(tmp_path / "otan-onu.po"), entry_checker())
    assert status == CatalogStatus(
        name="otan-onu",
        path=tmp_path / "otan-onu.po",
        translated=2,
        translated_words=7,
        fuzzy=2,
        fuzzy_words=11,
        untranslated=2,
        untranslated_words=5,
        obsolete=1,
        errors=1,
        warnings=1,
    )
    assert status.segments == 6 and status.words == 23
    assert round(status.done_percent, 1) == 30.4


def test_word_counts_match_pocount(tmp_path: Path) -> None:
    from translate.tools.pocount import calcstats

    path = _article(tmp_path / "a.po")
    stats = calcstats(str(path))
    status = catalog_status(path, entry_checker())
    assert (status.translated, status.fuzzy, status.untranslated) == (stats["translated"], stats["fuzzy"], stats["untranslated"])
    assert (status.translated_words, status.fuzzy_words, status.untranslated_words) == (
        stats["translatedsourcewords"],
        stats["fuzzysourcewords"],
        stats["untranslatedsourcewords"],
    )


def test_project_status_totals_json_and_failures(tmp_path: Path) -> None:
    folder = tmp_path / "translations" / "en"
    folder.mkdir(parents=True)
    _article(folder / "b.po")
    write_catalog(folder / "a.po", [polib.POEntry(msgid="Bonjour à tous.", msgstr="Hello everyone.")])
    (folder / "broken.po").write_text('msgid "x\nmsgstr ""\n', encoding="utf-8")

    status = project_status([tmp_path / "translations"], entry_checker())
    assert [c.name for c in status.catalogs] == ["a", "b"]
    assert status.total.translated == 3 and status.total.translated_words == 10
    assert status.total.fuzzy_words == 11 and status.total.obsolete == 1
    assert status.total.errors == 1 and status.total.warnings == 1
    assert [(e.path.name, e.line) for e in status.failures] == [("broken.po", 1)]

    data = to_json(status)
    assert json.loads(json.dumps(data)) == data
    assert list(data) == ["catalogs", "total", "failures"]
    assert data["total"] == {
        "name": "total",
        "path": None,
        "segments": {"total": 7, "translated": 3, "fuzzy": 2, "untranslated": 2, "obsolete": 1},
        "words": {"total": 26, "translated": 10, "fuzzy": 11, "untranslated": 5},
        "done_percent": 38.5,
        "checks": {"errors": 1, "warnings": 1},
    }
    assert data["catalogs"][0]["path"] == str(folder / "a.po")


def test_render_table(tmp_path: Path) -> None:
    _article(tmp_path / "article.po")
    table = render_table(project_status([tmp_path], entry_checker()))
    console = Console(width=160, record=True, color_system=None)
    console.print(table)
    text = console.export_text()
    assert "article" in text and "2 (7 w)" in text and "2 (11 w)" in text and "30%" in text


def test_empty_project(tmp_path: Path) -> None:
    status = project_status([tmp_path], entry_checker())
    assert status.catalogs == [] and status.total.words == 0 and status.total.done_percent == 100.0
    assert to_json(status)["total"]["words"]["total"] == 0
