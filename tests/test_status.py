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


def _rendered(status, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(render_table(status, width=width))
    return console.export_text().splitlines()


def test_render_table(tmp_path: Path) -> None:
    _article(tmp_path / "article.po")
    lines = _rendered(project_status([tmp_path], entry_checker()), 160)
    header = next(line for line in lines if line.startswith("article"))
    row = next(line for line in lines if line.startswith("article ") and "%" in line)
    assert header.split() == ["article", "done", "rev.", "fuzzy", "empty", "left", "obs.", "err.", "warn."]
    # done, reviewed, fuzzy, untranslated segments, words left (11 fuzzy + 5 untranslated), obsolete, errors, warnings
    assert row.split() == ["article", "30%", "2", "2", "2", "16", "1", "1", "1"]


def test_table_fits_80_columns_with_long_names(tmp_path: Path) -> None:
    """Numbers stay on one line and in their columns; long slugs wrap at hyphens; names are not markup."""
    long_names = ["news-148933-un-peacekeeping-ministerial-vancouver-2017", "un-sgsm-19480-mine-ban-[convention]-20th-2019"]
    for name in long_names:
        _article(tmp_path / f"{name}.po")
    (tmp_path / "broken.po").write_text('msgid "x\nmsgstr ""\n', "utf-8")
    lines = _rendered(project_status([tmp_path], entry_checker()), 80)
    assert max(len(line.rstrip()) for line in lines) <= 80
    text = "\n".join(lines)
    assert "news-148933-un-peacekeeping-" in text and "ministerial-vancouver-2017" in text
    assert "[convention]" in text  # escaped, not swallowed as rich markup
    rows = [line for line in lines if "%" in line and not line.startswith(("done:", "total"))]
    assert len(rows) == 2 and all(line.split()[-8:] == ["30%", "2", "2", "2", "16", "1", "1", "1"] for line in rows)
    assert any(line.startswith("broken.po: unreadable") for line in lines)
    assert next(line for line in lines if line.startswith("total")).split() == ["total", "30%", "4", "4", "4", "32", "2", "2", "2"]


def test_empty_project(tmp_path: Path) -> None:
    status = project_status([tmp_path], entry_checker())
    assert status.catalogs == [] and status.total.words == 0 and status.total.done_percent == 100.0
    assert to_json(status)["total"]["words"]["total"] == 0
