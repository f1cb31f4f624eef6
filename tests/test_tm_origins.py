"""`tm import-pair` refuses wrong or swapped languages; `tm list` and `tm forget --origin`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workflow.base.errors import PairLanguageError
from workflow.cli import app
from workflow.review.align import check_pair_languages, page_language
from workflow.review.memory import TranslationMemory
from workflow.review.pofile import read_po, write_po
from workflow.translate import translate_articles

from tests.test_translate_mt import RecordingEngine

runner = CliRunner()
PAIRS = ["news-113270-unga-2014", "news-155895-nato-au-staff-talks-2018"]
GERMAN = (
    "Der NATO-Generalsekretär traf am Dienstag in New York die Staats- und Regierungschefs der Welt. "
    "Die beiden Organisationen arbeiten seit Anfang der neunziger Jahre zusammen, um den Frieden und die "
    "internationale Sicherheit zu wahren. Sie haben ihre praktische Zusammenarbeit vor Ort verstärkt."
)
RUSSIAN = (
    "Генеральный секретарь НАТО присоединился к мировым лидерам на Генеральной Ассамблее Организации "
    "Объединенных Наций в Нью-Йорке. Обе организации сотрудничают с начала девяностых годов, чтобы "
    "поддерживать международный мир и безопасность, и укрепили практическое сотрудничество на местах."
)


def pair_files(shared_dir: Path, slug: str) -> tuple[Path, Path]:
    folder = shared_dir / "data/pairs" / slug
    return folder / "source_fr.txt", folder / "reference_en.txt"


def test_every_shared_pair_is_accepted(shared_dir: Path) -> None:
    folders = sorted(p for p in (shared_dir / "data/pairs").iterdir() if p.is_dir())
    assert len(folders) >= 19
    for folder in folders:
        fr, en = folder / "source_fr.txt", folder / "reference_en.txt"
        check_pair_languages(fr.read_text("utf-8"), en.read_text("utf-8"), fr, en)
        assert page_language(fr.read_text("utf-8")).language == "fr"
        assert page_language(en.read_text("utf-8")).language == "en"


def test_wrong_and_swapped_pairs_are_refused(shared_dir: Path) -> None:
    fr, en = pair_files(shared_dir, PAIRS[0])
    fr_text, en_text = fr.read_text("utf-8"), en.read_text("utf-8")
    with pytest.raises(PairLanguageError, match="look swapped") as swapped:
        check_pair_languages(en_text, fr_text, en, fr)
    assert swapped.value.path == en
    with pytest.raises(PairLanguageError, match=r"expected the English article, but this reads as French \(\d+% of \d+") as french:
        check_pair_languages(fr_text, fr_text, fr, fr)
    assert str(french.value).startswith(f"{fr}: ")
    with pytest.raises(PairLanguageError, match="expected the French article, but this reads as English"):
        check_pair_languages(en_text, en_text, en, en)
    with pytest.raises(PairLanguageError, match="expected the English article, but this reads as German"):
        check_pair_languages(fr_text, GERMAN, fr, Path("de.txt"))
    with pytest.raises(PairLanguageError, match="expected the French article, but this reads as neither French nor English"):
        check_pair_languages(RUSSIAN, en_text, Path("ru.txt"), en)
    check_pair_languages("OTAN", "NATO", fr, en)  # too short to judge: not refused


def test_cli_refuses_a_swapped_pair_and_stores_nothing(project: Path, shared_dir: Path) -> None:
    fr, en = pair_files(shared_dir, PAIRS[0])
    result = runner.invoke(app, ["tm", "import-pair", str(en), str(fr)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {en}: the two files look swapped: ")
    assert "give the French article first" in result.stderr
    with TranslationMemory(project / ".cache/workflow/memory-en.sqlite") as memory:
        assert len(memory) == 0
    # A judgement can be overruled: --force imports whatever the files read as.
    result = runner.invoke(app, ["tm", "import-pair", "--force", "--json", str(fr), str(fr)])
    assert result.exit_code == 0, result.output


@pytest.fixture
def filled(project: Path, shared_dir: Path) -> Path:
    """A memory with one reviewed catalog and two imported pairs."""
    translate_articles(engine=RecordingEngine())
    path = project / "translations/en/otan-nations-unies-2012.po"
    catalog = read_po(path)
    for entry in catalog:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    write_po(catalog, path)
    assert runner.invoke(app, ["tm", "refresh"]).exit_code == 0
    for slug in PAIRS:
        folder = project / slug
        folder.mkdir()
        for name in pair_files(shared_dir, slug):
            (folder / name.name).write_text(name.read_text("utf-8"), "utf-8")
        result = runner.invoke(app, ["tm", "import-pair", f"{slug}/source_fr.txt", f"{slug}/reference_en.txt"])
        assert result.exit_code == 0, result.output
    return project


def listed() -> list[dict]:
    result = runner.invoke(app, ["tm", "list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_list_shows_origins_with_counts(filled: Path) -> None:
    origins = listed()
    assert [(o["kind"], o["origin"]) for o in origins] == [
        ("po", "translations/en/otan-nations-unies-2012.po"),
        ("import", f"{PAIRS[0]}/source_fr.txt + {PAIRS[0]}/reference_en.txt"),
        ("import", f"{PAIRS[1]}/source_fr.txt + {PAIRS[1]}/reference_en.txt"),
    ]
    assert [o["units"] for o in origins[1:]] == [9, 8]
    assert origins[0]["units"] == 11  # the French entries reviewed; metadata and captions are no translation work
    text = runner.invoke(app, ["tm", "list"]).stdout.splitlines()
    assert text[1].split() == ["9", "import", f"{PAIRS[0]}/source_fr.txt", "+", f"{PAIRS[0]}/reference_en.txt"]
    assert text[-1] == f"3 origin(s), {sum(o['units'] for o in origins)} unit(s)"


@pytest.mark.parametrize("how", ["french", "english", "origin"])
def test_forget_removes_exactly_one_import(filled: Path, how: str) -> None:
    before = listed()
    name = {
        "french": f"{PAIRS[0]}/source_fr.txt",
        "english": str(filled / PAIRS[0] / "reference_en.txt"),  # absolute paths name the same file
        "origin": before[1]["origin"],
    }[how]
    result = runner.invoke(app, ["tm", "forget", "--origin", name])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"forgot 9 unit(s) imported from {before[1]['origin']}\n"
    assert listed() == [before[0], before[2]]


def test_forget_explains_what_it_cannot_do(filled: Path) -> None:
    result = runner.invoke(app, ["tm", "forget", "--origin", "nothing.txt"])
    assert result.exit_code == 2
    assert result.stderr == "error: nothing.txt: no import of this file in the translation memory (see `workflow tm list`)\n"
    result = runner.invoke(app, ["tm", "forget", "--origin", "translations/en/otan-nations-unies-2012.po"])
    assert result.exit_code == 2
    assert "is a reviewed catalog, not an import" in result.stderr
    assert len(listed()) == 3
