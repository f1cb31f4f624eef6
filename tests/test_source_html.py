"""Sources as they arrive: HTML fragments become text (with one warning), never markup to translate."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workflow.cli import app
from workflow.review.pofile import read_po
from workflow.source.article import parse_article, read_article
from workflow.source.extract import extract_segments
from workflow.source.markup import html_to_text

runner = CliRunner()
HTML_PAIR = "news-215492-nato-au-mil2mil-talks-2023"


def test_paragraphs_breaks_entities_and_spaces() -> None:
    text = (
        "Titre\n\n"
        "<p>Première  phrase, M.&nbsp;Dupont.</p><p>Deuxième &amp; dernière<br/>ligne suivante.</p>\n"
        "<div class=\"x\">Un bloc\n   sur deux lignes.</div>\n\n"
        "Texte ordinaire  avec  deux espaces, gardé tel quel.\n\n"
        '<div style="float:left; margin-right:20'
    )
    converted = html_to_text(text)
    assert converted is not None
    assert converted.text.split("\n\n") == [
        "Titre",
        "Première phrase, M.\u00a0Dupont.",
        "Deuxième & dernière\nligne suivante.",
        "Un bloc sur deux lignes.",
        "Texte ordinaire  avec  deux espaces, gardé tel quel.\n",  # the unfinished tag's line is gone
    ]
    assert converted.markup[:4] == ("<p>", "<br>", "<div>", "&nbsp;")
    assert any("unfinished" in m for m in converted.markup)
    assert converted.first_line == 3
    # Each line of the result knows its line in the file.
    assert list(zip(converted.text.split("\n"), converted.line_map))[:8] == [
        ("Titre", 1), ("", 2), ("Première phrase, M.\u00a0Dupont.", 3), ("", 3),
        ("Deuxième & dernière", 3), ("ligne suivante.", 3), ("", 4), ("Un bloc sur deux lignes.", 4),
    ]


@pytest.mark.parametrize("text", [
    "Une hausse de < 5 % et AT&T ou R&D, sans balise.",
    "Le sigle <OTAN> n'est pas une balise HTML; 3 < 4 > 2.",
    "Titre\n\n  • 25 Sep. 2012 -\n\nParagraphe.",
])
def test_text_without_html_is_left_alone(text: str) -> None:
    assert html_to_text(text) is None
    assert parse_article(text, Path("x.txt")).text == text


def test_lines_of_blocks_after_a_converted_block(caplog: pytest.LogCaptureFixture) -> None:
    text = "Titre\n\n<p>Un.</p><p>Deux.</p>\n\nTrois, sur la ligne 5.\nEt la ligne 6."
    with caplog.at_level(logging.WARNING, logger="workflow"):
        article = parse_article(text, Path("a.txt"))
    assert [(b.text, b.line) for b in article.blocks] == [
        ("Titre", 1), ("Un.", 3), ("Deux.", 3), ("Trois, sur la ligne 5.\nEt la ligne 6.", 5)
    ]
    segments = extract_segments(article)
    assert [(s.text, s.line) for s in segments][-2:] == [("Trois, sur la ligne 5.", 5), ("Et la ligne 6.", 6)]
    (record,) = caplog.records
    assert record.getMessage().startswith("a.txt:3: HTML in the source (<p>) converted to text")


@pytest.fixture
def html_project(project: Path, shared_dir: Path) -> Path:
    shutil.copy(shared_dir / "data/pairs" / HTML_PAIR / "source_fr.txt", project / "source_fr" / f"{HTML_PAIR}.txt")
    return project


def test_the_shared_page_with_raw_html(html_project: Path) -> None:
    source = html_project / "source_fr" / f"{HTML_PAIR}.txt"
    article = read_article(source)
    last = article.blocks[-1]
    assert last.kind == "paragraph" and last.line == 9
    assert last.text.startswith("La réunion a été officiellement ouverte par M.\u00a0Zinurine Alghali")
    assert "<" not in article.text and "&nbsp;" not in article.text and "  " not in last.text
    assert all(s.line == 9 for s in extract_segments(article) if s.block is last)


def test_translate_warns_once_and_writes_no_markup(html_project: Path) -> None:
    result = runner.invoke(app, ["translate", "--engine", "none", f"source_fr/{HTML_PAIR}.txt"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: source_fr/{HTML_PAIR}.txt:9: HTML in the source (<p>, &nbsp;) converted to text, "
        "so it is not translated as markup; check the paragraphs"
    ]
    catalog = read_po(html_project / "translations/en" / f"{HTML_PAIR}.po")
    assert not [e.msgid for e in catalog if "<" in e.msgid or "&nbsp;" in e.msgid or "  " in e.msgid]
    assert any(e.msgid.startswith("La réunion a été officiellement ouverte par M.\u00a0Zinurine") for e in catalog)
    assert {e.occurrences[0][1] for e in catalog if "Alghali" in e.msgid} == {"9"}
