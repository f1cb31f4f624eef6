"""Translation memory inside `translate`: reviewed work reused across articles, archives imported."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from workflow.cli import app
from workflow.review.memory import ReusePolicy
from workflow.review.pofile import read_po
from workflow.translate import translate_articles

from tests.test_translate_mt import RecordingEngine

runner = CliRunner()
SHARED_SENTENCE = "Les deux organisations ont renforcé leur coopération."
SIMILAR_SENTENCE = "Les deux organisations ont encore renforcé leur coopération."


def write_article(project: Path, name: str, body: str) -> None:
    (project / "source_fr" / f"{name}.txt").write_text(f"Titre {name}\n\n{body}\n", encoding="utf-8")


def review(path: Path, translations: dict[str, str]) -> None:
    catalog = read_po(path)
    for entry in catalog:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
    catalog.save(str(path))


def test_reviewed_sentences_are_reused_in_another_article(project: Path) -> None:
    for sample in (project / "source_fr").glob("*.txt"):
        sample.unlink()
    memory = project / "memory.sqlite"
    write_article(project, "a", f"{SHARED_SENTENCE} Le sommet a eu lieu à Bruxelles.")
    translate_articles(engine=RecordingEngine(), memory_path=memory)
    review(project / "translations/en/a.po", {SHARED_SENTENCE: "The two organisations have strengthened their cooperation."})

    write_article(project, "b", f"{SHARED_SENTENCE} {SIMILAR_SENTENCE} Une phrase nouvelle.")
    engine = RecordingEngine()
    report = translate_articles(engine=engine, memory_path=memory)
    assert report.ok and report.memory_matches == 2
    assert sorted(s for call in engine.calls for s in call) == ["Titre b", "Une phrase nouvelle."]

    b = read_po(project / "translations/en/b.po")
    exact = b.find(SHARED_SENTENCE)
    assert (exact.msgstr, exact.fuzzy) == ("The two organisations have strengthened their cooperation.", False)
    assert "TM: exact match from translations/en/a.po:" in exact.comment
    similar = b.find(SIMILAR_SENTENCE)
    assert similar.fuzzy and similar.msgstr == exact.msgstr
    assert similar.previous_msgid == SHARED_SENTENCE
    assert any(line.startswith("TM: ") and "% match from translations/en/a.po:" in line for line in similar.comment.split("\n"))


def test_review_exact_policy_keeps_memory_matches_fuzzy(project: Path) -> None:
    memory = project / "memory.sqlite"
    write_article(project, "a", SHARED_SENTENCE)
    translate_articles(memory_path=memory)
    review(project / "translations/en/a.po", {SHARED_SENTENCE: "Reviewed."})
    write_article(project, "b", SHARED_SENTENCE)
    translate_articles(memory_path=memory, reuse_policy=ReusePolicy.REVIEW_EXACT)
    entry = read_po(project / "translations/en/b.po").find(SHARED_SENTENCE)
    assert (entry.msgstr, entry.fuzzy) == ("Reviewed.", True)


def test_unreviewed_machine_output_is_not_reused(project: Path) -> None:
    memory = project / "memory.sqlite"
    write_article(project, "a", SHARED_SENTENCE)
    translate_articles(engine=RecordingEngine(), memory_path=memory)  # fuzzy MT only
    write_article(project, "b", SHARED_SENTENCE)
    report = translate_articles(engine=RecordingEngine(), memory_path=memory)
    assert report.memory_matches == 0


def test_import_pair_then_translate_reuses_the_archive(project: Path, shared_dir: Path) -> None:
    pair = shared_dir / "data/pairs/news-113270-unga-2014"
    result = runner.invoke(app, ["tm", "import-pair", str(pair / "source_fr.txt"), str(pair / "reference_en.txt"), "--json"])
    assert result.exit_code == 0, result.stderr
    imported = json.loads(result.stdout)
    assert imported["imported"] == 9
    (project / "source_fr/unga.txt").write_text((pair / "source_fr.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["translate", "--engine", "none", "--json", "--no-glossary"])
    assert json.loads(result.stdout)["memory_matches"] >= 8
    entry = next(e for e in read_po(project / "translations/en/unga.po") if e.msgid.startswith("La veille"))
    assert entry.msgstr.startswith("The Secretary General on Tuesday discussed those threats") and entry.fuzzy
    assert "TM: exact match from tm import:" in entry.comment


def test_tm_export_tmx(project: Path, shared_dir: Path) -> None:
    pair = shared_dir / "data/pairs/news-155895-nato-au-staff-talks-2018"
    runner.invoke(app, ["tm", "import-pair", str(pair / "source_fr.txt"), str(pair / "reference_en.txt")])
    result = runner.invoke(app, ["tm", "export", "--format", "tmx", "-o", "memory.tmx"])
    assert result.exit_code == 0, result.stderr
    from lxml import etree

    tree = etree.parse(str(project / "memory.tmx"))
    assert tree.getroot().get("version") == "1.4"
    assert len(tree.findall(".//tu")) == 8


def test_import_pair_bad_input_names_the_file(project: Path) -> None:
    (project / "empty.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["tm", "import-pair", "empty.txt", "source_fr/otan-nations-unies-2012.txt"])
    assert result.exit_code == 2
    assert result.stderr == "error: empty.txt: empty article: no text to translate\n"
