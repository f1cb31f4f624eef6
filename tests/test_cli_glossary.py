"""`workflow glossary …` commands."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from workflow.cli import app
from workflow.terms.glossary import load_glossary

from tests.conftest import REPO

runner = CliRunner()
SAMPLE = REPO / "source_fr/sg-assemblee-generale-onu-2018.txt"


def test_scan_json_offsets_point_into_the_file() -> None:
    result = runner.invoke(app, ["glossary", "scan", str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    text = SAMPLE.read_text(encoding="utf-8")
    assert found and set(found[0]) == {"id", "start", "end", "text", "fr", "en"}
    assert all(text[m["start"] : m["end"]] == m["text"] for m in found)
    assert {m["en"] for m in found} >= {"NATO Secretary General", "UN Secretary-General"}


def test_scan_text_names_file_line_and_column() -> None:
    first = runner.invoke(app, ["glossary", "scan", str(SAMPLE)]).stdout.splitlines()[0]
    assert first == f"{SAMPLE}:1:4: secrétaire général de l'OTAN → NATO Secretary General [secretaire-general-de-l-otan]"


def test_validate_shipped_glossary_is_clean() -> None:
    result = runner.invoke(app, ["glossary", "validate", str(REPO / "glossary")])
    assert result.exit_code == 0
    assert "0 error(s)" in result.stderr


def test_validate_reports_duplicates_with_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    rows = (REPO / "glossary/nato_un.csv").read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join(rows[:3] + [rows[1]]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["glossary", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4: error:" in result.stdout


def test_export_tbx_then_import_round_trips(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["glossary", "export", "--glossary", str(REPO / "glossary"), "-o", "g.tbx"]).exit_code == 0
    result = runner.invoke(app, ["glossary", "import", "--house", "g.tbx"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "imported 282 entries into glossary/g.csv\n"
    original = load_glossary(REPO / "glossary")
    again = load_glossary(tmp_path / "glossary/g.csv")
    assert [(e.id, e.fr, e.en, e.type, e.context) for e in again] == [(e.id, e.fr, e.en, e.type, e.context) for e in original]
    refused = runner.invoke(app, ["glossary", "import", "--house", "g.tbx"])
    assert refused.exit_code == 2 and "already exists" in refused.stderr
