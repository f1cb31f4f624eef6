"""`translate` end to end on the samples: golden catalogs, validity, determinism, bad input."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from workflow.review.catalog import build_catalog
from workflow.base.errors import CatalogError
from workflow.source.extract import extract_segments
from workflow.review.pofile import read_po, serialize_po
from workflow.translate import catalog_date, translate_articles
from workflow.source.article import parse_article
from workflow.terms.glossary import load_glossary

SAMPLE_SLUGS = ["otan-nations-unies-2012", "sg-assemblee-generale-onu-2018"]
needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")


def stable(text: str) -> str:
    """Golden files must not change with the package version."""
    return re.sub(r'"X-Generator: workflow [^\\]+\\n"', lambda _: '"X-Generator: workflow VERSION\\n"', text)


def catalogs(root: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted((root / "translations/en").glob("*.po"))}


@pytest.fixture
def translated(project: Path) -> dict[str, Path]:
    report = translate_articles(glossary=load_glossary())
    assert report.ok, report.errors
    return catalogs(project)


@pytest.mark.parametrize("slug", SAMPLE_SLUGS)
def test_golden_catalogs(translated: dict[str, Path], slug: str, file_regression) -> None:
    file_regression.check(stable(translated[slug].read_text(encoding="utf-8")), basename=slug, extension=".po")


@needs_gettext
def test_msgfmt_check_passes(translated: dict[str, Path]) -> None:
    goldens = sorted((Path(__file__).parent / "test_translate").glob("*.po"))
    assert len(goldens) == 2
    for path in [*translated.values(), *goldens]:
        result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@needs_gettext
def test_msgmerge_round_trip_changes_nothing(translated: dict[str, Path], tmp_path: Path) -> None:
    for path in translated.values():
        merged = tmp_path / path.name
        subprocess.run(["msgmerge", "--quiet", "--no-wrap", "-o", str(merged), str(path), str(path)], check=True)
        assert merged.read_bytes() == path.read_bytes()


def test_polib_write_read_write_is_byte_identical(translated: dict[str, Path]) -> None:
    for path in translated.values():
        original = path.read_text(encoding="utf-8")
        assert str(polib.pofile(str(path), wrapwidth=0)) == original
        assert serialize_po(read_po(path)) == original


def test_entries_follow_reading_order_with_references(translated: dict[str, Path], project: Path) -> None:
    for slug, path in translated.items():
        lines = (project / "source_fr" / f"{slug}.txt").read_text(encoding="utf-8").split("\n")
        previous = 0
        for entry in read_po(path):
            (reference, line), *_ = entry.occurrences
            assert reference == f"source_fr/{slug}.txt"
            assert entry.msgid in lines[int(line) - 1]
            assert int(line) >= previous
            previous = int(line)


def test_what_the_none_engine_leaves_empty(translated: dict[str, Path]) -> None:
    entries = [e for path in translated.values() for e in read_po(path)]
    ruled = [e for e in entries if "filled by rule" in e.comment]
    passed = [e for e in entries if "passed through" in e.comment]
    assert len(ruled) == 6 and len(passed) == 2
    assert {e.msgstr for e in ruled if "Mis à jour" in e.msgid} == {
        "• Last updated: 28 Sep. 2012 09:32",
        "• Last updated: 26 Sep. 2018 15:47",
    }
    assert all(e.msgstr == e.msgid for e in passed)
    assert all(e.msgstr == "" for e in entries if e not in ruled and e not in passed)
    assert not any(e.fuzzy for e in entries)


def test_positions_in_extracted_comments(translated: dict[str, Path]) -> None:
    comments = [e.comment.split("\n")[0] for e in read_po(translated["otan-nations-unies-2012"])]
    assert comments[:6] == ["title", "lede", "metadata, line 1", "metadata, line 2", "metadata, line 3", "paragraph 1, sentence 1"]
    assert "caption 1, sentence 1" in comments


def test_header(translated: dict[str, Path]) -> None:
    metadata = read_po(translated["sg-assemblee-generale-onu-2018"]).metadata
    assert metadata["Language"] == "en"
    assert metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert metadata["X-Source-Language"] == "fr"
    assert metadata["POT-Creation-Date"] == "2018-09-26 15:47+0000"  # the article's own stamp


def test_same_inputs_same_bytes_and_source_date_epoch(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    translate_articles()
    first = {slug: p.read_bytes() for slug, p in catalogs(project).items()}
    shutil.rmtree(project / "translations")
    os.utime(project / "source_fr/otan-nations-unies-2012.txt", (1, 1))
    translate_articles()
    assert {slug: p.read_bytes() for slug, p in catalogs(project).items()} == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shutil.rmtree(project / "translations")
    translate_articles()
    header = read_po(catalogs(project)["otan-nations-unies-2012"]).metadata
    assert header["POT-Creation-Date"] == "2023-11-14 22:13+0000"


def test_second_run_leaves_files_untouched(project: Path) -> None:
    translate_articles()
    report = translate_articles()
    assert [o.written for o in report.outcomes] == [False, False]


def test_date_falls_back_to_file_time_without_a_stamp(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Titre\n\nUn paragraphe.", encoding="utf-8")
    os.utime(path, (86400, 86400))
    assert catalog_date(parse_article(path.read_text(encoding="utf-8"), path), environ={}).isoformat() == "1970-01-02T00:00:00+00:00"


def test_identical_text_in_title_and_body_gets_a_context(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Sommet de Bruxelles\n\nLe texte.\n\nSommet de Bruxelles", encoding="utf-8")
    article = parse_article(path.read_text(encoding="utf-8"), path)
    catalog = build_catalog(article, extract_segments(article), target="en", reference="a.txt", date=catalog_date(article))
    assert [(e.msgctxt, e.msgid) for e in catalog] == [
        ("title", "Sommet de Bruxelles"), (None, "Le texte."), ("paragraph", "Sommet de Bruxelles"),
    ]


def test_repeated_sentence_is_one_entry_with_two_references(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Titre\n\nMerci. Au revoir.\n\nMerci.", encoding="utf-8")
    article = parse_article(path.read_text(encoding="utf-8"), path)
    catalog = build_catalog(article, extract_segments(article), target="en", reference="a.txt", date=catalog_date(article))
    merci = catalog.find("Merci.")
    assert merci.occurrences == [("a.txt", "3"), ("a.txt", "5")]
    assert merci.comment == "paragraph 1, sentence 1\nparagraph 2, sentence 1"


def test_reviewed_msgstr_survives_a_new_run(project: Path) -> None:
    translate_articles()
    path = catalogs(project)["otan-nations-unies-2012"]
    catalog = read_po(path)
    title = catalog.find("L’OTAN et les Nations Unies")
    title.msgstr = "NATO and the United Nations"
    title.tcomment = "checked against the English site"
    catalog.save(str(path))
    translate_articles()
    again = read_po(path).find("L’OTAN et les Nations Unies")
    assert (again.msgstr, again.tcomment, again.fuzzy) == ("NATO and the United Nations", "checked against the English site", False)


def test_removed_segment_with_translation_becomes_obsolete(project: Path) -> None:
    translate_articles()
    path = catalogs(project)["otan-nations-unies-2012"]
    catalog = read_po(path)
    catalog.find("L’OTAN et les Nations Unies").msgstr = "NATO and the United Nations"
    catalog.save(str(path))
    source = project / "source_fr/otan-nations-unies-2012.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("L’OTAN et les Nations Unies", "L’OTAN et l’ONU", 1), encoding="utf-8")
    translate_articles()
    obsolete = [e for e in read_po(path) if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [("L’OTAN et les Nations Unies", "NATO and the United Nations")]


# --- bad input: one clear message, the rest of the batch still processed, nothing partial ---


def test_bad_articles_are_reported_and_the_others_written(project: Path) -> None:
    (project / "source_fr/empty.txt").write_text("", encoding="utf-8")
    (project / "source_fr/latin1.txt").write_bytes("Titre\n\nÉté".encode("latin-1"))
    report = translate_articles()
    assert sorted(p.name for p in (project / "translations/en").iterdir()) == [f"{s}.po" for s in SAMPLE_SLUGS]
    messages = sorted(str(e) for e in report.errors)
    assert messages == [
        "source_fr/empty.txt: empty article: no text to translate",
        "source_fr/latin1.txt:3: not valid UTF-8: byte 0xc9 at byte offset 7 (save the file as UTF-8)",
    ]


def test_missing_path_and_empty_directory(project: Path) -> None:
    (project / "nothing").mkdir()
    report = translate_articles([Path("nothing"), Path("missing.txt"), Path("source_fr")])
    assert [str(e) for e in report.errors] == [
        "nothing: no articles (*.txt) in this directory",
        "missing.txt: no such file or directory",
    ]
    assert len(catalogs(project)) == 2


def test_broken_po_file_stops_only_its_article_and_is_left_untouched(project: Path) -> None:
    translate_articles()
    path = catalogs(project)["otan-nations-unies-2012"]
    broken = path.read_text(encoding="utf-8").replace('msgid "L’OTAN et les Nations Unies"', 'msgid "L’OTAN et les Nations Unies', 1)
    path.write_text(broken, encoding="utf-8")
    other = catalogs(project)["sg-assemblee-generale-onu-2018"]
    other.unlink()
    report = translate_articles()
    assert len(report.errors) == 1
    error = report.errors[0]
    bad_line = broken.split("\n").index('msgid "L’OTAN et les Nations Unies') + 1
    assert isinstance(error, CatalogError)
    assert str(error) == f"translations/en/otan-nations-unies-2012.po:{bad_line}: cannot parse PO file: malformed string (check quotes and escapes)"
    assert path.read_text(encoding="utf-8") == broken
    assert other.exists()


def test_failed_write_leaves_no_partial_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    report = translate_articles()
    assert len(report.errors) == 2
    assert all("No space left on device" in str(e) for e in report.errors)
    assert list((project / "translations/en").iterdir()) == []  # no temp files, no half files


def test_unknown_target_language(project: Path) -> None:
    """A usage error, said once before anything runs (not once per article)."""
    with pytest.raises(CatalogError, match="unknown target language 'xx'"):
        translate_articles(target="xx")
    assert not (project / "translations").exists()


def test_entries_list_their_glossary_terms(translated: dict[str, Path]) -> None:
    title = read_po(translated["sg-assemblee-generale-onu-2018"]).find(
        "Le secrétaire général de l'OTAN rejoint les dirigeants mondiaux pour l'Assemblée générale des Nations Unies"
    )
    assert (
        "glossary: secrétaire général de l'OTAN → NATO Secretary General; dirigeants mondiaux → world leaders; "
        "Assemblée générale des Nations Unies → United Nations General Assembly"
    ) in title.comment.split("\n")
