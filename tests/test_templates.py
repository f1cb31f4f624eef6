"""gettext templates beside the catalogs, checked with the real readers (polib, msgmerge, msgfmt, msginit)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from workflow.review.pofile import read_po, write_po
from workflow.translate import translate_articles

from tests.test_translate_mt import RecordingEngine

SLUGS = ["otan-nations-unies-2012", "sg-assemblee-generale-onu-2018"]
CHANGED_OLD = "Ils ont également échangé des vues sur les Balkans occidentaux et sur la situation de sécurité en Afghanistan."
CHANGED_NEW = "Ils ont également échangé des vues sur les Balkans occidentaux et sur la situation sécuritaire en Afghanistan."
PROVENANCE = ("MT: ", "TM: ", "terms: ", "source changed: ", "MT draft: ",
              "repaired: ", "left in the source language", "lost in MT: ")  # the last three: drafts.py
needs_gettext = pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext (msgmerge) not installed")


def template_of(project: Path, slug: str) -> Path:
    return project / "translations/templates" / f"{slug}.pot"


def catalog_of(project: Path, slug: str) -> Path:
    return project / "translations/en" / f"{slug}.po"


@pytest.fixture
def worked(project: Path) -> Path:
    """Catalogs as a team leaves them: machine drafts, reviewed entries, a changed source
    (fuzzy suggestion with a previous msgid, an obsolete entry), translator comments."""
    translate_articles(engine=RecordingEngine())
    path = catalog_of(project, SLUGS[1])
    catalog = read_po(path)
    for number, entry in enumerate(catalog):
        if number % 2 and "filled by rule" not in entry.comment:
            entry.msgstr = f"Reviewed {number}."
            entry.flags = []
            entry.tcomment = "checked with the desk"
    write_po(catalog, path)
    source = project / "source_fr" / f"{SLUGS[1]}.txt"
    source.write_text(source.read_text("utf-8").replace(CHANGED_OLD, CHANGED_NEW), "utf-8")
    report = translate_articles(engine=RecordingEngine())
    assert report.ok, report.errors
    assert any(e.previous_msgid for e in read_po(path)), "the fixture should hold a source-changed suggestion"
    return project


@pytest.mark.parametrize("slug", SLUGS)
def test_template_has_the_catalogs_entries_with_empty_msgstr(worked: Path, slug: str) -> None:
    catalog = polib.pofile(str(catalog_of(worked, slug)), wrapwidth=0)
    template = polib.pofile(str(template_of(worked, slug)), wrapwidth=0)
    live = [e for e in catalog if not e.obsolete]
    assert [(e.msgctxt, e.msgid) for e in template] == [(e.msgctxt, e.msgid) for e in live]
    for entry, model in zip(template, live):
        assert entry.msgstr == "" and not entry.flags and not entry.tcomment
        assert entry.occurrences == model.occurrences
        # The source's notes (position, treatment, glossary), never one translation's provenance.
        assert entry.comment.splitlines() == [line for line in model.comment.splitlines() if not line.startswith(PROVENANCE)]
        assert entry.comment.splitlines()[0] == model.comment.splitlines()[0]  # position first
    assert not [e for e in template if e.obsolete]
    metadata = template.metadata
    assert metadata["Language"] == "" and metadata["Last-Translator"] == "FULL NAME <EMAIL@ADDRESS>"
    assert metadata["POT-Creation-Date"] == catalog.metadata["POT-Creation-Date"]
    assert metadata["X-Source-SHA256"] == catalog.metadata["X-Source-SHA256"]
    assert template.metadata_is_fuzzy


@needs_gettext
@pytest.mark.parametrize("slug", SLUGS)
def test_msgmerge_with_the_template_changes_no_translation(worked: Path, slug: str, tmp_path: Path) -> None:
    path = catalog_of(worked, slug)
    merged = tmp_path / f"{slug}.po"
    subprocess.run(
        ["msgmerge", "--quiet", "--no-wrap", "--previous", "-o", str(merged), str(path), str(template_of(worked, slug))],
        check=True,
    )
    before, after = polib.pofile(str(path), wrapwidth=0), polib.pofile(str(merged), wrapwidth=0)

    def state(catalog: polib.POFile) -> list[tuple]:
        return [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy, e.obsolete, e.tcomment, e.previous_msgid) for e in catalog]

    assert state(after) == state(before)
    assert after.metadata == before.metadata
    # The only lines msgmerge changes are our provenance notes, which a template cannot hold.
    kept = [line for line in path.read_text("utf-8").splitlines() if not line.startswith(tuple(f"#. {p}" for p in PROVENANCE))]
    assert merged.read_text("utf-8").splitlines() == kept


@needs_gettext
def test_templates_pass_msgfmt_and_start_a_new_language_with_msginit(worked: Path, tmp_path: Path) -> None:
    for slug in SLUGS:
        template = template_of(worked, slug)
        result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(template)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        german = tmp_path / f"{slug}.de.po"
        subprocess.run(["msginit", "--no-translator", "--locale=de", "-i", str(template), "-o", str(german)],
                       check=True, capture_output=True)
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(german)], check=True)
        assert len([e for e in polib.pofile(str(german)) if e.msgid]) == len(polib.pofile(str(template)))


def test_template_is_rewritten_only_when_the_source_changes(project: Path) -> None:
    first = translate_articles()
    assert all(o.template_written for o in first.outcomes)
    stamps = {slug: template_of(project, slug).stat().st_mtime_ns for slug in SLUGS}
    second = translate_articles(engine=RecordingEngine())  # new drafts in the catalogs, same source
    assert not any(o.template_written for o in second.outcomes)
    assert {slug: template_of(project, slug).stat().st_mtime_ns for slug in SLUGS} == stamps
    assert sorted(p.name for p in (project / "translations/en").iterdir()) == [f"{slug}.po" for slug in SLUGS]


@pytest.mark.parametrize("engine", ["recording", "apertium"])
def test_a_second_run_writes_nothing(project: Path, engine: str) -> None:
    """Every note a draft was written with (carried terms, repairs, leftovers, fingerprint) stays
    with it, and none of them reaches the template: the second run has nothing to write."""
    from workflow.mt.engines import create_engine
    from workflow.mt.engines.apertium import apertium_available
    from workflow.terms.glossary import load_glossary

    if engine == "apertium" and not apertium_available():
        pytest.skip("Apertium not installed")
    make = (lambda: create_engine("apertium")) if engine == "apertium" else RecordingEngine
    first = translate_articles(engine=make(), glossary=load_glossary())
    assert first.ok and all(o.written and o.template_written for o in first.outcomes)
    second = translate_articles(engine=make(), glossary=load_glossary())
    assert not any(o.written or o.template_written for o in second.outcomes)
    for slug in SLUGS:
        notes = [line for e in polib.pofile(str(template_of(project, slug))) for line in e.comment.splitlines()]
        assert notes and not [line for line in notes if line.startswith(PROVENANCE + ("repaired", "left in"))]
