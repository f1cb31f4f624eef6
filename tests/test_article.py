"""Reading nato.int exports: block kinds, exact characters, line numbers, languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflow.source.article import BlockKind, find_articles, parse_article, read_article, read_source_text
from workflow.base.errors import SourceError
from workflow.source.language import detect_language
from workflow.source.metadata import is_metadata_block, translate_metadata

from tests.conftest import REPO, SAMPLES

K = BlockKind


def kinds(path: Path) -> list[str]:
    return [b.kind.value for b in read_article(path).blocks]


def test_sample_layouts() -> None:
    assert kinds(REPO / "source_fr/otan-nations-unies-2012.txt") == [
        "title", "lede", "metadata", "paragraph", "caption", "paragraph", "paragraph", "paragraph",
    ]
    assert kinds(REPO / "source_fr/sg-assemblee-generale-onu-2018.txt") == [
        "title", "metadata", "paragraph", "caption", *["paragraph"] * 5,
    ]


def test_blocks_match_the_hand_segmented_seed_paragraphs(shared_dir: Path) -> None:
    gold = [json.loads(line) for line in (shared_dir / "data/segmentation/seed_articles.jsonl").open(encoding="utf-8")]
    for doc in {g["doc"] for g in gold}:
        expected = [g["text"] for g in sorted((g for g in gold if g["doc"] == doc), key=lambda g: g["para"])]
        assert [b.text for b in read_article(REPO / "source_fr" / doc).blocks] == expected


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_blocks_know_their_lines_and_offsets(path: Path) -> None:
    article = read_article(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    for block in article.blocks:
        assert article.text[block.start : block.end] == block.text
        assert lines[block.line - 1].strip() == block.text.split("\n")[0]


def test_exact_characters_are_kept() -> None:
    text = read_article(REPO / "source_fr/sg-assemblee-generale-onu-2018.txt").text
    assert "M.\u00a0Stoltenberg" in text  # no-break space
    assert "Royaume\u2011Uni" in text  # non-breaking hyphen
    assert "«\u00a0L’OTAN" in text  # no-break space inside French quotes, curly apostrophe


def test_one_line_metadata_form_and_lone_dates(shared_dir: Path) -> None:
    article = read_article(shared_dir / "data/pairs/news-113270-unga-2014/source_fr.txt")
    assert [b.kind for b in article.blocks[:3]] == [K.TITLE, K.METADATA, K.PARAGRAPH]
    un = read_article(shared_dir / "data/pairs/un-sgsm-19051-peacekeepers-day-2018/source_fr.txt")
    assert un.blocks[1].kind is K.METADATA and un.blocks[1].text == "24 MAI 2018"


def test_article_without_metadata_has_no_lede(shared_dir: Path) -> None:
    article = read_article(shared_dir / "data/pairs/news-155895-nato-au-staff-talks-2018/source_fr.txt")
    assert [b.kind for b in article.blocks] == [K.TITLE] + [K.PARAGRAPH] * (len(article.blocks) - 1)


def test_english_captions_are_detected() -> None:
    captions = [b for path in SAMPLES for b in read_article(path).blocks if b.kind is K.CAPTION]
    assert [c.text[:20] for c in captions] == ["From left to right: ", "NATO Secretary Gener"]
    assert all(c.language == "en" for c in captions)


def test_no_french_block_of_the_shared_pairs_is_taken_for_english(shared_dir: Path) -> None:
    pairs = sorted((shared_dir / "data/pairs").glob("*/source_fr.txt"))
    assert len(pairs) >= 5
    # English captions on French pages are aligned with an identical block in the official English.
    english_captions = {"NATO Secretary General Jens Stoltenberg and UN Secretary-General Antonio Guterres"}
    for path in pairs:
        meta_path = path.parent / "meta.json"
        meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {"alignment": []}
        fr_blocks = path.read_text("utf-8").split("\n\n")
        en_blocks = (path.parent / "reference_en.txt").read_text("utf-8").split("\n\n")
        for link in meta["alignment"]:
            if "caption" in link["kind"] and fr_blocks[link["fr"]].strip() == en_blocks[link["en"]].strip():
                english_captions.add(fr_blocks[link["fr"]].strip())
    assert len(english_captions) >= 2
    for path in pairs:
        for block in read_article(path).blocks:
            if block.text in english_captions:
                assert block.language == "en"
            else:
                assert block.language == "fr", (path, block.line, block.text)


def test_english_references_read_as_english(shared_dir: Path) -> None:
    for path in sorted((shared_dir / "data/pairs").glob("*/reference_en.txt")):
        for block in parse_article(path.read_text(encoding="utf-8"), path).blocks:
            if not is_metadata_block(block.text) and len(block.text.split()) >= 6:
                assert detect_language(block.text) == "en", (path, block.text)


@pytest.mark.parametrize(
    ("line", "english"),
    [
        ("• 25 Sep. 2012 -", "• 25 Sep. 2012 -"),
        ("• |", "• |"),
        ("• Mis à jour le: 28 Sep. 2012 09:32", "• Last updated: 28 Sep. 2012 09:32"),
        ("23 Sep. 2014 - | Mis à jour le: 25 Sep. 2014 14:41", "23 Sep. 2014 - | Last updated: 25 Sep. 2014 14:41"),
        ("24 MAI 2018", "24 MAY 2018"),
        ("• 3 Sept. 2020 -", "• 3 Sep. 2020 -"),
        ("Mis à jour le\u00a0: 4 févr. 2021 10:12", "Last updated: 4 Feb. 2021 10:12"),
    ],
)
def test_metadata_lines_are_translated_by_rule(line: str, english: str) -> None:
    assert is_metadata_block(line)
    assert translate_metadata(line) == english


def test_prose_is_not_metadata() -> None:
    assert not is_metadata_block("Le 25 mai 2018, le Conseil s’est réuni.")
    assert not is_metadata_block("SG/SM/19051-OBV/1792-PKO/731")


# --- bad input -------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(SourceError, match="empty article") as info:
        read_source_text(path)
    assert info.value.path == path


def test_non_utf8_names_byte_offset_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Titre\n\nLa sécurité".encode("latin-1"))
    with pytest.raises(SourceError) as info:
        read_source_text(path)
    assert str(info.value) == (
        f"{path}:3: not valid UTF-8: byte 0xe9 at byte offset 11 (save the file as UTF-8)"
    )


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Titre", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(SourceError, match="cannot read file: Permission denied"):
        read_source_text(path)


def test_find_articles_reports_bad_paths_without_stopping(tmp_path: Path) -> None:
    (tmp_path / "empty_dir").mkdir()
    good = tmp_path / "a.txt"
    good.write_text("Titre", encoding="utf-8")
    found, errors = find_articles([tmp_path / "empty_dir", tmp_path / "missing.txt", good])
    assert found == [good]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'empty_dir'}: no articles (*.txt) in this directory",
        f"{tmp_path / 'missing.txt'}: no such file or directory",
    ]
