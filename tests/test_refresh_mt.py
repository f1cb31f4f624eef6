"""`translate --refresh-mt`: untouched machine drafts get the current engine's output; human work never moves."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from workflow.cli import app
from workflow.mt.engines import Provenance, Translation
from workflow.mt.engines.apertium import apertium_available
from workflow.review.drafts import DraftState, draft_state
from workflow.review.pofile import read_po, write_po
from workflow.translate import refresh_drafts, translate_articles

from tests.test_translate_mt import RecordingEngine

SLUG = "sg-assemblee-generale-onu-2018"
runner = CliRunner()


class BetterEngine:
    """A 'newer model': title-cases its input (test double, different provenance)."""

    name = "better"

    @property
    def provenance(self) -> Provenance:
        return Provenance("better", "title", "2")

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        return [Translation(s.title(), self.provenance) for s in segments]


def catalog_path(project: Path) -> Path:
    return project / "translations/en" / f"{SLUG}.po"


def drafts(project: Path) -> list[polib.POEntry]:
    return [e for e in read_po(catalog_path(project)) if "fuzzy" in e.flags]


@pytest.fixture
def touched(project: Path) -> dict[str, str]:
    """Machine drafts, then a translator: edits one, reviews one, comments on one, leaves the rest;
    one more draft looks as drafts did before fingerprints. (Test doubles are no translators:
    raw_mt keeps their output as it comes, the draft processing has its own test below.)"""
    translate_articles(engine=RecordingEngine(), raw_mt=True)
    path = catalog_path(project)
    catalog = read_po(path)
    machine = [e for e in catalog if "fuzzy" in e.flags]
    assert len(machine) >= 8 and all(draft_state(e) is DraftState.UNTOUCHED for e in machine)
    edited, reviewed, commented, legacy = machine[:4]
    edited.msgstr = edited.msgstr.capitalize() + " (edited)"
    reviewed.flags.remove("fuzzy")
    commented.tcomment = "ask the desk about this one"
    legacy.comment = "\n".join(line for line in legacy.comment.splitlines() if not line.startswith("MT draft: "))
    write_po(catalog, path)
    return {"edited": edited.msgid, "reviewed": reviewed.msgid, "commented": commented.msgid, "legacy": legacy.msgid}


def test_only_untouched_drafts_are_retranslated(project: Path, touched: dict[str, str]) -> None:
    before = {e.msgid: e for e in read_po(catalog_path(project))}
    report = refresh_drafts(engine=BetterEngine(), raw_mt=True)
    assert report.ok, report.errors
    after = {e.msgid: e for e in read_po(catalog_path(project))}

    for role in ("edited", "reviewed", "commented", "legacy"):
        msgid = touched[role]
        assert after[msgid].msgstr == before[msgid].msgstr, role
        assert after[msgid].flags == before[msgid].flags, role
        assert after[msgid].tcomment == before[msgid].tcomment, role
    untouched = [m for m, e in before.items() if draft_state(e) is DraftState.UNTOUCHED]
    assert len(untouched) >= 4
    for msgid in untouched:
        entry = after[msgid]
        assert entry.msgstr == msgid.title() and entry.fuzzy
        assert "MT: better title 2" in entry.comment.splitlines()
        assert "MT: recording upper 1, beam 1" not in entry.comment.splitlines()
        assert draft_state(entry) is DraftState.UNTOUCHED  # still refreshable by a later engine
    # Counted over the run (the other sample's drafts too); the touched ones by why they were kept.
    other = read_po(project / "translations/en/otan-nations-unies-2012.po")
    assert report.refresh is not None
    assert (report.refresh.refreshed, report.refresh.same, report.refresh.no_output) == (
        len(untouched) + sum(1 for e in other if "fuzzy" in e.flags), 0, 0)
    assert report.refresh.edited == 2 and report.refresh.unknown == 1


def test_rerun_with_the_same_engine_changes_nothing(project: Path, touched: dict[str, str]) -> None:
    refresh_drafts(engine=BetterEngine(), raw_mt=True)
    before = catalog_path(project).read_bytes()
    report = refresh_drafts(engine=BetterEngine(), raw_mt=True)
    assert catalog_path(project).read_bytes() == before
    assert report.refresh.refreshed == 0 and report.refresh.same > 0


def test_an_engine_with_no_output_keeps_the_drafts(project: Path, touched: dict[str, str]) -> None:
    before = catalog_path(project).read_bytes()
    report = refresh_drafts(engine=None, raw_mt=True)  # the `none` engine
    assert catalog_path(project).read_bytes() == before
    assert report.refresh.refreshed == 0 and report.refresh.no_output > 0


def test_without_the_option_drafts_stay(project: Path, touched: dict[str, str]) -> None:
    before = catalog_path(project).read_bytes()
    report = translate_articles(engine=BetterEngine(), raw_mt=True)
    assert report.refresh is None and catalog_path(project).read_bytes() == before


class EchoEngine:
    """Gives back the French it is sent: whatever changes in the draft is the draft processing's doing."""

    name = "echo"

    @property
    def provenance(self) -> Provenance:
        return Provenance("echo", "same", "1")

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        return [Translation(s, self.provenance) for s in segments]


def test_draft_processing_reaches_untouched_drafts_through_refresh(project: Path, touched: dict[str, str]) -> None:
    """Drafts written before (raw engine output) get protected names, places and numbers on refresh;
    human work is left alone."""
    before = {e.msgid: e for e in read_po(catalog_path(project))}
    report = refresh_drafts(engine=EchoEngine())
    assert report.ok, report.errors
    after = {e.msgid: e for e in read_po(catalog_path(project))}
    for role in ("edited", "reviewed", "commented", "legacy"):
        assert after[touched[role]].msgstr == before[touched[role]].msgstr, role
    untouched = [m for m, e in before.items() if draft_state(e) is DraftState.UNTOUCHED]
    places = [m for m in untouched if "Royaume‑Uni" in m or "Royaume-Uni" in m]
    assert places, "the sample should name the United Kingdom in an untouched draft"
    for msgid in places:
        assert "United Kingdom" in after[msgid].msgstr and "Royaume" not in after[msgid].msgstr
        assert draft_state(after[msgid]) is DraftState.UNTOUCHED
    # French typography of the echoed French is made English: « » become curly quotes.
    assert not any("«" in after[m].msgstr for m in untouched)


def test_a_draft_edited_back_and_forth_is_still_a_draft(project: Path) -> None:
    """The fingerprint is of the text: restoring the machine output exactly makes it untouched again."""
    translate_articles(engine=RecordingEngine())
    catalog = read_po(catalog_path(project))
    entry = next(e for e in catalog if "fuzzy" in e.flags)
    original = entry.msgstr
    entry.msgstr = original + "!"
    assert draft_state(entry) is DraftState.EDITED
    entry.msgstr = original
    assert draft_state(entry) is DraftState.UNTOUCHED
    entry.flags = []
    assert draft_state(entry) is None


def test_cli_reports_counts_in_text_and_json(project: Path, touched: dict[str, str]) -> None:
    result = runner.invoke(app, ["translate", "--engine", "none", "--refresh-mt", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["refresh"]["kept_edited"] == 2 and report["refresh"]["kept_unknown"] == 1
    assert report["refresh"]["refreshed"] == 0 and report["refresh"]["no_output"] > 0
    result = runner.invoke(app, ["translate", "--engine", "none", "--refresh-mt"])
    assert "refresh: 0 machine draft(s) re-translated" in result.stdout
    assert "kept as they are: 2 edited or commented by a translator, 1 written before drafts were fingerprinted" in result.stdout
    assert json.loads(runner.invoke(app, ["translate", "--engine", "none", "--json"]).stdout)["refresh"] is None


@pytest.mark.skipif(not apertium_available(), reason="Apertium (apertium-fr-es, apertium-eng-spa) not installed")
def test_refresh_with_the_real_engine(project: Path, touched: dict[str, str]) -> None:
    result = runner.invoke(app, ["translate", "--engine", "apertium", "--refresh-mt", "--no-cache"])
    assert result.exit_code == 0, result.output
    after = {e.msgid: e for e in read_po(catalog_path(project))}
    refreshed = [e for e in after.values() if any(line.startswith("MT: apertium") for line in e.comment.splitlines())]
    assert refreshed and all(e.fuzzy and e.msgstr != e.msgid.upper() for e in refreshed)
    assert after[touched["edited"]].msgstr.endswith(" (edited)")
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(catalog_path(project))], check=True)
