"""The review loop on a sample: translate → human review → source edited → translate again."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from workflow.review.pofile import read_po
from workflow.translate import translate_articles

from tests.test_translate_mt import RecordingEngine

SLUG = "sg-assemblee-generale-onu-2018"
CHANGED_OLD = "Ils ont également échangé des vues sur les Balkans occidentaux et sur la situation de sécurité en Afghanistan."
CHANGED_NEW = "Ils ont également échangé des vues sur les Balkans occidentaux et sur la situation sécuritaire en Afghanistan et en Iraq."
REMOVED_PARAGRAPH = "L'OTAN et l’ONU se renforcent mutuellement"  # paragraph 4 starts so
INSERTED = "Le secrétaire général a aussi rencontré des représentants de la société civile. La rencontre a duré une heure."
needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")


def review_everything(path: Path) -> dict[str, str]:
    """Simulated reviewer: every entry approved with a recognisable translation."""
    catalog = read_po(path)
    reviewed = {}
    for number, entry in enumerate(catalog):
        if "filled by rule" in entry.comment or "passed through" in entry.comment:
            continue
        entry.msgstr = f"Reviewed translation {number}."
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        reviewed[entry.msgid] = entry.msgstr
    catalog.find(CHANGED_OLD).tcomment = "checked with the desk"
    catalog.save(str(path))
    return reviewed


def edit_source(source: Path) -> None:
    paragraphs = source.read_text(encoding="utf-8").split("\n\n")
    paragraphs = [p.replace(CHANGED_OLD, CHANGED_NEW) for p in paragraphs]
    paragraphs = [p for p in paragraphs if not p.startswith(REMOVED_PARAGRAPH)]
    paragraphs.insert(3, INSERTED)  # after the first paragraph, before the caption
    source.write_text("\n\n".join(paragraphs), encoding="utf-8")


@pytest.fixture
def reviewed_then_edited(project: Path) -> tuple[Path, dict[str, str], RecordingEngine]:
    translate_articles(engine=RecordingEngine())
    path = project / "translations/en" / f"{SLUG}.po"
    reviewed = review_everything(path)
    edit_source(project / "source_fr" / f"{SLUG}.txt")
    engine = RecordingEngine()
    report = translate_articles(engine=engine)
    assert report.ok, report.errors
    return path, reviewed, engine


def test_every_reviewed_entry_still_present_is_intact(reviewed_then_edited) -> None:
    path, reviewed, _ = reviewed_then_edited
    catalog = read_po(path)
    live = {e.msgid: e for e in catalog if not e.obsolete}
    kept = [msgid for msgid in reviewed if msgid in live]
    assert len(kept) == len(reviewed) - 4  # 1 changed + 3 sentences of the removed paragraph
    for msgid in kept:
        entry = live[msgid]
        assert (entry.msgstr, entry.fuzzy) == (reviewed[msgid], False)


def test_changed_sentence_is_fuzzy_with_previous_msgid_and_old_translation(reviewed_then_edited) -> None:
    path, reviewed, _ = reviewed_then_edited
    entry = read_po(path).find(CHANGED_NEW)
    assert entry.fuzzy
    assert entry.msgstr == reviewed[CHANGED_OLD]
    assert entry.previous_msgid == CHANGED_OLD
    assert entry.tcomment == "checked with the desk"
    assert "source changed: previous translation kept as a suggestion" in entry.comment
    assert f'#| msgid "{CHANGED_OLD}"' in path.read_text(encoding="utf-8")


def test_removed_paragraph_is_obsolete_and_kept(reviewed_then_edited) -> None:
    path, reviewed, _ = reviewed_then_edited
    obsolete = {e.msgid: e.msgstr for e in read_po(path) if e.obsolete}
    assert len(obsolete) == 3
    assert all(msgid.startswith(("L'OTAN et l’ONU", "Ces dix", "En outre")) for msgid in obsolete)
    assert all(obsolete[m] == reviewed[m] for m in obsolete)


def test_only_the_inserted_sentences_go_to_the_engine(reviewed_then_edited) -> None:
    _, _, engine = reviewed_then_edited
    assert [sorted(call) for call in engine.calls] == [[
        "La rencontre a duré une heure.",
        "Le secrétaire général a aussi rencontré des représentants de la société civile.",
    ]]


def test_inserted_paragraph_does_not_disturb_its_neighbours(reviewed_then_edited) -> None:
    path, reviewed, _ = reviewed_then_edited
    entries = [e for e in read_po(path) if not e.obsolete]
    msgids = [e.msgid for e in entries]
    at = msgids.index("Le secrétaire général a aussi rencontré des représentants de la société civile.")
    assert entries[at - 1].msgstr == reviewed[entries[at - 1].msgid] and not entries[at - 1].fuzzy
    assert "passed through" in entries[at + 2].comment  # the caption follows the inserted paragraph
    assert entries[at].fuzzy and "MT: recording upper 1, beam 1" in entries[at].comment.split("\n")


@needs_gettext
def test_still_valid_for_gettext_and_stable_under_msgmerge(reviewed_then_edited, tmp_path: Path) -> None:
    path, _, _ = reviewed_then_edited
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
    merged = tmp_path / "merged.po"
    subprocess.run(["msgmerge", "--quiet", "--no-wrap", "--previous", "-o", str(merged), str(path), str(path)], check=True)
    assert merged.read_bytes() == path.read_bytes()


def test_a_third_run_changes_nothing(reviewed_then_edited) -> None:
    path, _, _ = reviewed_then_edited
    before = path.read_bytes()
    engine = RecordingEngine()
    report = translate_articles(engine=engine)
    assert engine.calls == [] and path.read_bytes() == before
    assert not any(o.written for o in report.outcomes)


def test_translator_edits_from_other_tools_are_respected(project: Path) -> None:
    """A msgstr typed in a text editor (no fuzzy flag change) and a cleared fuzzy survive."""
    translate_articles(engine=RecordingEngine())
    path = project / "translations/en" / f"{SLUG}.po"
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgstr "ILS ONT ÉGALEMENT', 'msgstr "They also discussed (edited by hand) ILS ONT ÉGALEMENT', 1)
    path.write_text(text, encoding="utf-8")
    translate_articles(engine=RecordingEngine())
    entry = read_po(path).find(CHANGED_OLD)
    assert entry.msgstr.startswith("They also discussed (edited by hand)") and entry.fuzzy
