"""Everyday command-line habits: each warning once, generated files ignored by git."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workflow.cli import app
from workflow.translate import translate_articles

from tests.conftest import REPO

runner = CliRunner()


def test_a_warning_raised_for_every_file_is_printed_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    translate_articles()
    import workflow.review.status as status

    real = status.catalog_status

    def warning_per_catalog(path, checker=None, **kwargs):
        logging.getLogger("workflow").warning("translation memory unusable; running without it")
        return real(path, checker, **kwargs)

    monkeypatch.setattr(status, "catalog_status", warning_per_catalog)
    for _ in range(2):  # and again in the next command: each command starts afresh
        result = runner.invoke(app, ["status"])
        assert result.exit_code == 0, result.output
        assert result.stderr == "warning: translation memory unusable; running without it\n"


@pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(), reason="needs git and a checkout")
@pytest.mark.parametrize(("path", "ignored"), [
    ("translations/en/a.mo", True),
    ("translations/en_GB/messages.mo", True),
    ("published/en/a.html", True),
    ("published-drafts/en/a.html", True),
    (".cache/workflow/memory-en.sqlite", True),
    ("translations/en/a.po~", True),
    ("translations/en/a.po", False),
    ("translations/templates/a.pot", False),
    ("workflow.toml", False),
])
def test_gitignore(path: str, ignored: bool) -> None:
    result = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=REPO)
    assert (result.returncode == 0) is ignored


def test_quick_start_on_a_fresh_clone_shows_the_work(project: Path) -> None:
    """The README's first command on the bundled samples: catalogs and templates written, and said so."""
    result = runner.invoke(app, ["translate", "--engine", "none"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "translations/en/otan-nations-unies-2012.po: 15 segments, written",
        "translations/en/sg-assemblee-generale-onu-2018.po: 22 segments, written",
    ]
    assert lines[2] == "2 template(s) written to translations/templates"
    again = runner.invoke(app, ["translate", "--engine", "none"]).stdout.splitlines()
    assert again[0].endswith(", unchanged") and not any("template" in line for line in again)
    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0 and "otan-nations-unies-2012" in status.stdout

