"""PO files edited by people and by several tools: nothing a translator wrote is lost,
and every file the tool writes, gettext and the tool itself read back as written."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from workflow.base.errors import CatalogError, SourceError
from workflow.cli import app
from workflow.review.pofile import read_po, serialize_po, write_po
from workflow.source.article import read_article
from workflow.translate import translate_articles

runner = CliRunner()
needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")

OTAN_PO = Path("translations/en/otan-nations-unies-2012.po")
SENTENCE = "Les choses ont changé en 1992 quand les Balkans occidentaux sont devenus le théâtre de conflits de plus en plus graves."


def _msgfmt_check(path: Path) -> None:
    if shutil.which("msgfmt"):
        done = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def _set_msgstr(path: Path, msgid: str, msgstr: str) -> None:
    catalog = read_po(path)
    entry = catalog.find(msgid)
    entry.msgstr = msgstr
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    write_po(catalog, path)


# --- duplicate entries (a hand merge, two tools)


def _duplicate_entry(path: Path, msgid: str, reviewed: str) -> tuple[int, int]:
    """Append a second, empty copy of an entry after the reviewed one; their msgid lines."""
    _set_msgstr(path, msgid, reviewed)
    text = path.read_text("utf-8")
    path.write_text(text + f'\n#: source_fr/otan-nations-unies-2012.txt:9\nmsgid "{msgid}"\nmsgstr ""\n', "utf-8")
    lines = path.read_text("utf-8").split("\n")
    first = lines.index(f'msgid "{msgid}"') + 1
    second = len(lines) - 2
    return first, second


def test_duplicate_entries_are_an_error_naming_both_lines_and_nothing_is_rewritten(project: Path) -> None:
    assert translate_articles().ok
    first, second = _duplicate_entry(project / OTAN_PO, SENTENCE, "Things changed in 1992.")
    before = (project / OTAN_PO).read_bytes()

    report = translate_articles()

    (error,) = report.errors
    assert isinstance(error, CatalogError)
    assert error.path == OTAN_PO and error.line == second
    assert f"duplicate entry: same msgctxt and msgid as line {first}" in error.message
    assert (project / OTAN_PO).read_bytes() == before  # the reviewed msgstr is still there
    # check and status say the same, with the file and line
    result = runner.invoke(app, ["check", str(OTAN_PO)])
    assert result.exit_code == 1
    assert f"{OTAN_PO}:{second}: duplicate entry" in result.output


def test_obsolete_copies_of_a_live_entry_are_not_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_text('msgid "A"\nmsgstr "a"\n\n#~ msgid "A"\n#~ msgstr "old a"\n', "utf-8")
    assert [e.obsolete for e in read_po(path)] == [False, True]


# --- the write phase of translate


def test_a_save_during_the_write_phase_is_not_overwritten(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor saves after the catalog was merged, while our new file is being flushed."""
    assert translate_articles().ok
    path = project / OTAN_PO
    _set_msgstr(path, SENTENCE, "Things changed in 1992.")
    (project / "source_fr/otan-nations-unies-2012.txt").write_text(
        (project / "source_fr/otan-nations-unies-2012.txt").read_text("utf-8") + "\nUne phrase ajoutée.\n", "utf-8"
    )
    real_fsync = os.fsync
    saved = "# saved from Poedit\n"

    def editor_saves_meanwhile(fd: int) -> None:
        real_fsync(fd)
        if not path.read_text("utf-8").endswith(saved):
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(saved)

    with monkeypatch.context() as patch:
        patch.setattr("workflow.base.fsutil.os.fsync", editor_saves_meanwhile)
        report = translate_articles()

    assert path.read_text("utf-8").endswith(saved)
    assert "Une phrase ajoutée." not in path.read_text("utf-8")
    (error,) = report.errors
    assert str(error).startswith(f"{OTAN_PO}: changed on disk during this run")
    assert not list(path.parent.glob(".*.tmp"))
    assert translate_articles().ok  # the next run merges the saved file
    assert read_po(path).find(SENTENCE).msgstr == "Things changed in 1992."


# --- empty and odd files


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf"], ids=["0-byte", "blank", "bom-only"])
def test_an_empty_po_file_is_not_regenerated_over(project: Path, content: bytes) -> None:
    (project / "translations/en").mkdir(parents=True)
    (project / OTAN_PO).write_bytes(content)
    report = translate_articles()
    (error,) = report.errors
    assert str(error).startswith(f"{OTAN_PO}: empty PO file")
    assert (project / OTAN_PO).read_bytes() == content
    assert (project / "translations/en/sg-assemblee-generale-onu-2018.po").is_file()


def test_plural_entries_are_kept(project: Path) -> None:
    assert translate_articles().ok
    path = project / OTAN_PO
    catalog = read_po(path)
    entry = catalog.find(SENTENCE)
    entry.msgid_plural = "Les choses ont changé %d fois."
    entry.msgstr_plural = {0: "Things changed in 1992.", 1: "Things changed %d times."}
    entry.flags = []
    gone = polib.POEntry(msgid="Une phrase disparue.", msgid_plural="%d phrases disparues.",
                         msgstr_plural={0: "A vanished sentence.", 1: "%d vanished sentences."})
    catalog.append(gone)
    write_po(catalog, path)

    assert translate_articles().ok

    after = read_po(path)
    kept = after.find(SENTENCE)
    assert kept.msgid_plural == "Les choses ont changé %d fois."
    assert kept.msgstr_plural == {0: "Things changed in 1992.", 1: "Things changed %d times."}
    obsolete = [e for e in after if e.obsolete]
    assert [(e.msgid, e.msgstr_plural[1]) for e in obsolete] == [("Une phrase disparue.", "%d vanished sentences.")]
    _msgfmt_check(path)


def test_msgstr_index_without_msgid_plural_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_text('msgid "A"\nmsgstr "a"\n\nmsgid "B"\nmsgstr[0] "b"\n', "utf-8")
    with pytest.raises(CatalogError) as caught:
        read_po(path)
    assert caught.value.line == 5
    assert "msgstr[0] without msgid_plural" in caught.value.message


# --- characters


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x1c", "\x1e", "\x0b", "\x0c"])
def test_a_msgstr_with_a_line_separator_survives_and_reads_back(project: Path, char: str) -> None:
    assert translate_articles().ok
    path = project / OTAN_PO
    msgstr = f"Things changed{char}in 1992."
    _set_msgstr(path, SENTENCE, msgstr)

    assert translate_articles().ok

    assert read_po(path).find(SENTENCE).msgstr == msgstr
    assert polib.pofile(str(path), wrapwidth=0).find(SENTENCE).msgstr == msgstr
    _msgfmt_check(path)


def test_a_title_with_a_line_separator_gives_a_readable_header(project: Path) -> None:
    source = project / "source_fr/otan-nations-unies-2012.txt"
    source.write_text(source.read_text("utf-8").replace("L’OTAN et", "L’OTAN\u2028et", 1), "utf-8")
    assert translate_articles().ok
    assert translate_articles().ok  # the file written by the first run reads back
    _msgfmt_check(project / OTAN_PO)


def test_nul_in_a_source_article_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Titre\n\nUne phrase\x00 cassée.\n".encode("utf-8"))
    with pytest.raises(SourceError) as caught:
        read_article(path)
    assert caught.value.line == 3
    assert "NUL character (U+0000)" in caught.value.message


def test_nul_in_a_po_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b'msgid "A"\nmsgstr "a"\n\nmsgid "B"\nmsgstr "b\x00c"\n')
    with pytest.raises(CatalogError) as caught:
        read_po(path)
    assert caught.value.line == 5
    assert "NUL character" in caught.value.message


def test_nul_cannot_be_written_into_a_po_file() -> None:
    catalog = polib.POFile(wrapwidth=0)
    catalog.append(polib.POEntry(msgid="Une phrase.", msgstr="A sen\x00tence.", occurrences=[("a.txt", "7")]))
    with pytest.raises(CatalogError, match=r"a\.txt:7: .*NUL character.*'Une phrase\.'"):
        serialize_po(catalog)


@needs_gettext
def test_control_characters_in_a_msgstr_round_trip(project: Path) -> None:
    assert translate_articles().ok
    path = project / OTAN_PO
    msgstr = "Tab\there, bell\x07, escape\x1b, delete\x7f, C1\x9b, bidi\u202e, \\ and \"."
    _set_msgstr(path, SENTENCE, msgstr)
    assert translate_articles().ok
    assert read_po(path).find(SENTENCE).msgstr == msgstr
    done = subprocess.run(["msgfmt", "-o", str(project / "a.mo"), str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert polib.mofile(str(project / "a.mo")).find(SENTENCE).msgstr == msgstr


def test_eot_in_a_source_article_is_refused_with_its_line(tmp_path: Path) -> None:
    """msgfmt refuses U+0004 anywhere ("context separator <EOT> within string"); found by
    the property tests."""
    path = tmp_path / "a.txt"
    path.write_bytes("Titre\u0004\n\nUne phrase.\n".encode("utf-8"))
    with pytest.raises(SourceError) as caught:
        read_article(path)
    assert caught.value.line == 1
    assert caught.value.message.startswith("EOT character (U+0004)")


def test_a_cr_in_a_translator_comment_is_written_as_a_line_end(tmp_path: Path) -> None:
    """A comment is raw lines: a CR inside one split it for polib reading the file and for
    gettext, and the next line was a syntax error. Found by the property tests."""
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="Une phrase.", msgstr="A sentence.", tcomment="checked\rwith the desk  "))
    path = tmp_path / "a.po"
    write_po(catalog, path)
    assert polib.pofile(str(path), wrapwidth=0).find("Une phrase.").tcomment == "checked\nwith the desk"
    assert serialize_po(read_po(path)).encode("utf-8") == path.read_bytes()
    _msgfmt_check(path)
