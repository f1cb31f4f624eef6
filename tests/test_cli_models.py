"""`workflow models` and the Argos engine through `workflow translate` (tiny random-weight package)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from workflow.cli import app
from workflow.review.pofile import read_po

runner = CliRunner()


def test_install_from_file_then_auto_picks_argos(project: Path, argos_package_file: Path) -> None:
    result = runner.invoke(app, ["models", "install", "--file", str(argos_package_file)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("installed fr→en: translate-fr_en 1.9")

    listed = json.loads(runner.invoke(app, ["models", "list", "--json"]).stdout)
    assert [(m["from"], m["to"], m["version"]) for m in listed["installed"]] == [("fr", "en", "1.9")]

    # Raw engine output: a random-weight model loses placeholders, which costs one extra
    # (fallback) call; the call count here is about batching alone.
    result = runner.invoke(app, ["translate", "--json", "--raw-mt"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["engine_segments"], report["engine_calls"]) == (29, 1)
    catalog = read_po(project / "translations/en/otan-nations-unies-2012.po")
    machine = [e for e in catalog if e.fuzzy]
    assert len(machine) == 11
    assert all("MT: argos translate-fr_en 1.9, beam 4, compute int8" in e.comment for e in machine)

    again = json.loads(runner.invoke(app, ["translate", "--json", "--raw-mt", "--out", "other"]).stdout)
    assert (again["engine_calls"], again["cache_hits"]) == (0, 29)


def test_install_from_the_index_offline_fails_fast_with_the_file_hint() -> None:
    result = runner.invoke(app, ["models", "install", "fr", "en"])
    assert result.exit_code == 2
    assert "workflow models install --file" in result.stderr


def test_install_needs_a_pair_or_a_file() -> None:
    result = runner.invoke(app, ["models", "install"])
    assert result.exit_code == 2
    assert "give FROM TO" in result.stderr


def test_corrupt_package_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = runner.invoke(app, ["models", "install", "--file", str(bad)])
    assert result.exit_code == 2
    assert str(bad) in result.stderr


def test_engine_argos_without_model_is_a_clear_error(project: Path) -> None:
    result = runner.invoke(app, ["translate", "--engine", "argos"])
    assert result.exit_code == 2
    assert "no Argos fr→en model package is installed" in result.stderr
    assert not (project / "translations").exists()
