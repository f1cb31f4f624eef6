"""Bad input from careless users and odd machines: one clear message, a non-zero exit, nothing lost.

Each test here reproduces a failure reported in issue #11 (a traceback, a lost file, a
whole batch stopped by one article) and pins the behaviour that replaced it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workflow.base.errors import WorkflowError
from workflow.cli import app
from workflow.review.pofile import read_po
from workflow.translate import translate_articles

runner = CliRunner()

SG = "source_fr/sg-assemblee-generale-onu-2018.txt"
SG_PO = "translations/en/sg-assemblee-generale-onu-2018.po"
OTAN_PO = "translations/en/otan-nations-unies-2012.po"


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


# --- header dates


@pytest.mark.parametrize("stamp", ["26 Sep. 2018 24:00", "31 Feb. 2018 10:00", "26 Sep. 2018 15:97"])
def test_a_bad_date_line_warns_and_the_batch_goes_on(project: Path, stamp: str) -> None:
    source = project / SG
    text = source.read_text("utf-8").replace("Mis à jour le: 26 Sep. 2018 15:47", f"Mis à jour le: {stamp}")
    source.write_text(text, "utf-8")
    os.utime(source, (86400, 86400))

    result = runner.invoke(app, ["translate"])

    _no_traceback(result)
    assert result.exit_code == 0, result.output
    line = text.split("\n").index(f"  • Mis à jour le: {stamp}") + 1
    assert f"warning: {SG}:{line}: " in result.stderr
    assert stamp in result.stderr
    # the header date fell back to the next rule (the file's modification time)
    assert read_po(project / SG_PO).metadata["POT-Creation-Date"] == "1970-01-02 00:00+0000"
    assert (project / OTAN_PO).is_file()


@pytest.mark.parametrize("epoch", ["99999999999999999", "-99999999999999999", "1e9", "soon"])
def test_a_bad_source_date_epoch_is_one_usage_error(project: Path, monkeypatch: pytest.MonkeyPatch, epoch: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = runner.invoke(app, ["translate"])
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr.count("error: ") == 1
    assert f"SOURCE_DATE_EPOCH={epoch!r}" in result.stderr
    assert not (project / "translations/en").exists()


# --- paths that are not what they should be


def test_translate_out_naming_a_file(project: Path) -> None:
    (project / "outfile").write_text("keep me", "utf-8")
    result = runner.invoke(app, ["translate", "--out", "outfile"])
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr == "error: outfile: is a file: the output must be a folder (for <lang>/<slug>.po)\n"
    assert (project / "outfile").read_text("utf-8") == "keep me"


def _deny_writes_under(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """What a read-only folder does to a non-root user (tests may run as root, where chmod is ignored)."""
    import builtins
    import tempfile

    real_open, real_mkstemp = builtins.open, tempfile.mkstemp
    folder = folder.resolve()

    def inside(path: object) -> bool:
        return folder in Path(os.fspath(path)).resolve().parents

    def guarded_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and set(mode) & set("wax+") and inside(file):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, mode, *args, **kwargs)

    def guarded_mkstemp(*args, dir=None, **kwargs):
        if dir is not None and (inside(Path(dir) / "x")):
            raise PermissionError(13, "Permission denied", os.fspath(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(tempfile, "mkstemp", guarded_mkstemp)


def _translate_denied(project: Path, monkeypatch: pytest.MonkeyPatch, folder: str):
    (project / "translations/en").mkdir(parents=True)
    _deny_writes_under(monkeypatch, project / folder)
    result = runner.invoke(app, ["translate"])
    _no_traceback(result)
    return result


def test_read_only_translations_folder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _translate_denied(project, monkeypatch, "translations")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: translations/.workflow.lock: cannot ")
    assert "Permission denied" in result.stderr


def test_read_only_catalog_folder_fails_each_article_with_its_name(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _translate_denied(project, monkeypatch, "translations/en")
    assert result.exit_code == 1
    assert sorted(result.stderr.splitlines()) == [
        f"error: {OTAN_PO}: cannot write: Permission denied",
        f"error: {SG_PO}: cannot write: Permission denied",
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_translations_folder_for_real(project: Path) -> None:
    (project / "translations").mkdir()
    (project / "translations").chmod(0o555)
    try:
        result = runner.invoke(app, ["translate"])
    finally:
        (project / "translations").chmod(0o755)
    _no_traceback(result)
    assert result.exit_code == 2
    assert "Permission denied" in result.stderr


def test_export_into_a_path_below_a_file(project: Path) -> None:
    (project / "f").write_text("", "utf-8")
    result = runner.invoke(app, ["glossary", "export", "-o", "f/x"])
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr == "error: f/x: cannot write: f is a file, not a folder\n"


def test_very_long_file_names(project: Path) -> None:
    for path in (project / "source_fr").iterdir():
        path.unlink()
    name = "a" * 251 + ".txt"  # 255 bytes, the usual limit: its .po name fits, a temporary name around it would not
    (project / "source_fr" / name).write_text("Titre\n\nUne phrase.\n", "utf-8")
    result = runner.invoke(app, ["translate"])
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    assert (project / "translations/en" / ("a" * 251 + ".po")).is_file()
    assert [p.name for p in (project / "translations/en").iterdir()] == ["a" * 251 + ".po"]


def test_very_long_names_in_publish_fail_alone_with_a_message(project: Path) -> None:
    name = "a" * 251
    (project / "source_fr" / f"{name}.txt").write_text("Titre\n\nUne phrase.\n", "utf-8")
    assert runner.invoke(app, ["translate"]).exit_code == 0
    result = runner.invoke(app, ["publish", "--draft", "--format", "txt,html"])
    _no_traceback(result)
    assert result.exit_code == 1
    assert f"failed source_fr/{name}.txt: published-drafts/en/{name}.html: cannot write: File name too long" in result.stdout
    assert "2 drafted" in result.stdout


# --- sources


def test_cr_only_line_endings_read_as_lines(project: Path) -> None:
    source = project / SG
    lf = source.read_text("utf-8")
    source.write_bytes(lf.replace("\n", "\r").encode("utf-8"))
    (project / "source_fr/otan-nations-unies-2012.txt").write_bytes(
        (project / "source_fr/otan-nations-unies-2012.txt").read_bytes().replace(b"\n", b"\r\n")
    )
    assert translate_articles().ok
    catalog = read_po(project / SG_PO)
    title = catalog[0]
    assert title.msgid == lf.split("\n")[0]
    assert title.occurrences == [(SG, "1")]
    # metadata, paragraphs and captions are found as in the LF file, on the same lines
    lines = {e.msgid: e.occurrences[0][1] for e in catalog}
    assert lines["• Mis à jour le: 26 Sep. 2018 15:47"] == "5"
    assert len(catalog) == 22


# --- check, status


def test_check_on_a_folder_without_po_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["check", "empty"])
    _no_traceback(result)
    assert result.exit_code == 1
    assert "empty: no PO files (*.po) in this folder" in result.output


def test_check_with_no_translations_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert "translations: no such file or directory" in result.output


# --- publish


def test_non_utf8_file_in_the_publish_folder_is_replaced_not_a_traceback(project: Path) -> None:
    assert runner.invoke(app, ["translate"]).exit_code == 0
    out = project / "published-drafts/en"
    out.mkdir(parents=True)
    (out / "otan-nations-unies-2012.txt").write_bytes(b"\xff\xfe not UTF-8")
    (out / "notes.txt").write_bytes(b"\xff\xfe someone else's file")
    result = runner.invoke(app, ["publish", "--draft"])
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    assert (out / "otan-nations-unies-2012.txt").read_text("utf-8").startswith("⟦")
    assert (out / "notes.txt").read_bytes() == b"\xff\xfe someone else's file"


# --- the one place where errors become messages


def test_an_unexpected_os_error_is_one_message_not_a_traceback(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device", "translations/en")

    monkeypatch.setattr("workflow.translate.translate_articles", disk_full)
    result = runner.invoke(app, ["translate"])
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr == "error: translations/en: No space left on device\n"


def test_workflow_errors_still_name_file_and_line() -> None:
    assert str(WorkflowError("bad", "a.po", 3)) == "a.po:3: bad"


def test_an_unknown_target_language_is_one_usage_error(project: Path) -> None:
    result = runner.invoke(app, ["translate", "--to", "xx"])
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr.count("error: ") == 1
    assert "unknown target language 'xx'" in result.stderr
    assert not (project / "translations/xx").exists()


def test_a_po_file_that_is_not_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b'msgid "A"\nmsgstr "a"\n\nmsgid "B"\nmsgstr "\xe9t\xe9"\n')
    result = runner.invoke(app, ["check", "--no-glossary", str(path)])
    assert result.exit_code == 1
    assert f"{path}:5: not valid UTF-8: byte 0xe9 at byte offset 40 (save the file as UTF-8)" in result.output
