"""The command line contract, through Typer's runner (and once as `python -m workflow`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workflow.cli import app

from tests.conftest import REPO

runner = CliRunner()


def test_translate_writes_one_catalog_per_sample(project: Path) -> None:
    result = runner.invoke(app, ["translate"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "translations/en").iterdir()) == [
        "otan-nations-unies-2012.po",
        "sg-assemblee-generale-onu-2018.po",
    ]
    assert "2 catalog(s) up to date, 0 error(s)" in result.stdout


def test_translate_json_report(project: Path) -> None:
    result = runner.invoke(app, ["translate", "--json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [c["catalog"] for c in report["catalogs"]] == [
        "translations/en/otan-nations-unies-2012.po",
        "translations/en/sg-assemblee-generale-onu-2018.po",
    ]
    assert report["errors"] == []


def test_bad_article_gives_message_and_exit_1_but_others_are_written(project: Path) -> None:
    (project / "source_fr/broken.txt").write_bytes(b"Titre\n\n\xff\xfe")
    result = runner.invoke(app, ["translate"])
    assert result.exit_code == 1
    assert result.stderr == "error: source_fr/broken.txt:3: not valid UTF-8: byte 0xff at byte offset 7 (save the file as UTF-8)\n"
    assert len(list((project / "translations/en").glob("*.po"))) == 2


def test_missing_path_and_empty_directory(project: Path) -> None:
    (project / "empty").mkdir()
    result = runner.invoke(app, ["translate", "empty", "nope.txt"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: empty: no articles (*.txt) in this directory",
        "error: nope.txt: no such file or directory",
    ]


def test_unknown_engine_is_a_clear_error(project: Path) -> None:
    result = runner.invoke(app, ["translate", "--engine", "babelfish"])
    assert result.exit_code == 2
    assert "unknown engine 'babelfish'" in result.stderr
    assert not (project / "translations").exists()


def test_segment_prints_one_segment_per_line() -> None:
    result = runner.invoke(app, ["segment", str(REPO / "source_fr/otan-nations-unies-2012.txt")])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "L’OTAN et les Nations Unies",
        "Les deux organisations coopèrent pour assurer le maintien de la paix et de la sécurité internationales depuis le début des années 1990",
        "• 25 Sep. 2012 -",
        "• |",
        "• Mis à jour le: 28 Sep. 2012 09:32",
    ]
    assert lines[5] == "Pendant la Guerre froide les relations de travail entre l’OTAN et l’Organisation des Nations Unies (ONU) étaient limitées."


def test_segment_reads_stdin() -> None:
    result = runner.invoke(app, ["segment", "-"], input="M. Dupont est arrivé. Il a parlé.\n")
    assert result.stdout.splitlines() == ["M. Dupont est arrivé.", "Il a parlé."]


@pytest.mark.parametrize("name", ["gold_fr.jsonl", "seed_articles.jsonl"])
def test_segment_jsonl_reproduces_the_gold_files(shared_dir: Path, tmp_path: Path, name: str) -> None:
    gold = shared_dir / "data/segmentation" / name
    stripped = tmp_path / name
    with stripped.open("w", encoding="utf-8") as out:
        for line in gold.open(encoding="utf-8"):
            record = json.loads(line)
            record["sentences"] = []
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    result = runner.invoke(app, ["segment", "--jsonl", str(stripped)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == gold.read_text(encoding="utf-8")


def test_segment_jsonl_bad_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "Bonjour."}\n{"text": 3}\n', encoding="utf-8")
    result = runner.invoke(app, ["segment", "--jsonl", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f'error: {path}:2: each line must be a JSON object with a "text" string\n'


def test_segment_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["segment", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: empty article: no text to translate\n"


def test_python_dash_m_entry_point() -> None:
    result = subprocess.run([sys.executable, "-m", "workflow", "--version"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    assert result.stdout.startswith("workflow ")
