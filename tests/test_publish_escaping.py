"""A translation can never add structure to a published article, and invisible characters
that would reach it are reported by `check` (and so block publishing).

Markdown output is parsed back with markdown-it-py (CommonMark, plus GFM tables and
strikethrough) and HTML output with lxml: the blocks must be those of the source, and the
text that of the msgstr."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from lxml import etree
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from tests.conftest import write_catalog
from workflow.cli import app
from workflow.publish.render import SegmentState, TargetSegment, render_html, render_markdown
from workflow.qa.characters import check_characters
from workflow.source.article import parse_article
from workflow.source.extract import extract_segments

runner = CliRunner()

SOURCE = "Titre de l’article\n\nPremière phrase du texte. Deuxième phrase.\n\nUn autre paragraphe.\n"
ARTICLE = parse_article(SOURCE, Path("x.txt"))
SEGMENTS = extract_segments(ARTICLE)
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
XML_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)

HOSTILE = [
    "A\n\n# Heading", "A\n    code", "A\n\n    code", "    indented code", "\tcode", "A\n---", "A\n===",
    "A\n1) item", "A\n+ item", "A\n- item", "A\n> quote", "A\r\rB", "A\r\nB", "A\u2028B", "A\u2029\u2029# B",
    "A\x85B", "A\x0b\x0cB", "A | B\n--|--", "A | B\n|:-|-:|", "<div>x</div>", "![img](x)", "[a]: http://x",
    "A  \nB", "A\n```\ncode\n```", "~~~", "~~strike~~", "A\n\n\n* * *", "`x`", "**b**", "_i_", "&copy; &#169;",
    "\\", "trailing \\", "A\n<!-- x -->", "<script>alert(1)</script>", "<http://x.org>", "A\n\\# not heading",
    "1. one", "#hashtag", "Title ##", "#", "##", "- ", "A\n\n\n", "\n\nA", "A\x07B", "A\x1bB", "\x1f\rA",
]


def _targets(text: str, index: int = 2) -> list[TargetSegment]:
    return [TargetSegment(seg, text if i == index else "Plain.", SegmentState.REVIEWED) for i, seg in enumerate(SEGMENTS)]


def markdown_structure(document: str) -> tuple[list[str], list[str]]:
    """Block token types, and the text of each inline run (line breaks as spaces, whitespace
    collapsed); any inline token but text and breaks shows as `<type>` in the text."""
    blocks, texts = [], []
    for token in MARKDOWN.parse(document):
        if token.type != "inline":
            blocks.append(token.type)
            continue
        parts = []
        for child in token.children or []:
            if child.type == "text":
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            else:
                parts.append(f"<{child.type}>")  # emphasis, code, link, html…: injected structure
        texts.append(" ".join("".join(parts).split()))
    return blocks, texts


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("index", [0, 1, 2, 3], ids=["title", "paragraph-start", "after-a-sentence", "own-paragraph"])
def test_markdown_msgstr_cannot_add_structure(hostile: str, index: int) -> None:
    benign_blocks, _ = markdown_structure(render_markdown(ARTICLE, _targets("Plain.", index)))
    blocks, texts = markdown_structure(render_markdown(ARTICLE, _targets(hostile, index)))
    assert blocks == benign_blocks
    expected = {0: [_flat(hostile), "Plain. Plain.", "Plain."],
                1: ["Plain.", _flat(f"{hostile} Plain."), "Plain."],
                2: ["Plain.", _flat(f"Plain. {hostile}"), "Plain."],
                3: ["Plain.", "Plain. Plain.", _flat(hostile)]}[index]
    assert texts == expected


def _html_body(document: str) -> etree._Element:
    root = etree.fromstring(document.encode("utf-8"), XML_PARSER)
    return root.find("body/article")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_html_msgstr_cannot_add_structure(hostile: str) -> None:
    article = _html_body(render_html(ARTICLE, _targets(hostile)))
    assert [child.tag for child in article] == ["header", "p", "p"]
    assert [child.tag for child in article[0]] == ["h1"]
    paragraph = article[1]
    assert {child.tag for child in paragraph} <= {"br"}
    shown = "".join(paragraph.itertext())
    broken = "".join("\n" if ch in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" else ch for ch in f"Plain. {hostile}")
    expected = "".join(ch if ch in "\t\n\r" or ch >= " " else "\ufffd" for ch in broken)
    assert _flat(shown) == _flat(expected)


def test_html_title_element_escapes_and_replaces_controls() -> None:
    root = etree.fromstring(render_html(ARTICLE, _targets("<b>A\x07</b>", 0)).encode("utf-8"), XML_PARSER)
    assert root.findtext("head/title") == "<b>A\ufffd</b>"


# --- invisible characters are reported by check


@pytest.mark.parametrize(
    ("target", "check", "named"),
    [
        ("A sen\u202etence.", "characters.bidi", "U+202E RIGHT-TO-LEFT OVERRIDE at character 6"),
        ("\u2067Sentence.\u2069", "characters.bidi", "U+2067 RIGHT-TO-LEFT ISOLATE at character 1"),
        ("A sentence\u200f.", "characters.bidi", "U+200F RIGHT-TO-LEFT MARK"),
        ("A bell\x07.", "characters.control", "U+0007 at character 7"),
        ("Line\u2028separator.", "characters.control", "U+2028 LINE SEPARATOR"),
        ("Next\x85line.", "characters.control", "U+0085 at character 5"),
        ("Carriage\rreturn.", "characters.control", "U+000D"),
    ],
)
def test_invisible_characters_are_named(target: str, check: str, named: str) -> None:
    (found,) = check_characters("Une phrase.", target)
    assert (found.check, found.severity) == (check, "error")
    assert named in found.message


def test_ordinary_text_tabs_and_newlines_are_not_reported() -> None:
    assert check_characters("x", "NATO’s “Trident Juncture” — 3,700 troops\tand\nmore, Côte d’Ivoire, Kyiv.") == []


def test_check_reports_them_with_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_catalog(tmp_path / "a.po", [
        polib.POEntry(msgid="Une phrase.", msgstr="A sen\u202etence."),
        polib.POEntry(msgid="Deux.", msgstr="Two\x1b."),
    ])
    result = runner.invoke(app, ["check", "--no-glossary", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "characters." in line]
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:") and "characters.bidi" in lines[0]
    assert "characters.control" in lines[1] and "U+001B" in lines[1]
