"""A PO editor saving while `translate` writes: how many saves are lost?

Run: ``uv run python bench/po_save_race.py [--tries 30]``

Issue #11 lost 5 of 30 editor saves made during translate's write phase. Each try here
builds a fresh project with the bundled samples, translates once, adds a sentence to one
source (so the next run rewrites that catalog), then runs `translate` again while an
"editor" process watches the catalog folder and saves the catalog (appending a
translator comment, written in place as most editors do) the moment translate's
temporary file for it appears, i.e. inside the write phase. Afterwards the save is either
still in the file (kept: translate noticed and left the file alone, reporting it, or the
save came after the rename) or gone (lost). A save the editor opened before translate's
rename but wrote only after translate had finished checking is counted apart: nothing in
translate can see it (the bytes go to the replaced file).
Timing depends on the machine (fsync, scheduling): the figures are counts, not rates to
compare across machines. Target: 0 lost.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SLUG = "otan-nations-unies-2012"
MARK = "# saved from the editor during the run\n"


def _editor(folder: str, catalog: str, ready, done) -> None:
    """Save the catalog as soon as translate's temporary file for it shows up."""
    ready.set()
    prefix = f".{SLUG}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            continue
        if any(name.startswith(prefix) and name.endswith(".tmp") for name in names):
            with open(catalog, "a", encoding="utf-8") as handle:
                handle.write(MARK)
            done.value = time.monotonic()
            return


def _one_try(root: Path) -> str:
    from workflow.translate import translate_articles

    shutil.copytree(REPO / "source_fr", root / "source_fr")
    os.chdir(root)
    assert translate_articles().ok
    source = root / "source_fr" / f"{SLUG}.txt"
    source.write_text(source.read_text("utf-8") + "\nUne phrase ajoutée pour forcer la réécriture.\n", "utf-8")
    catalog = root / "translations" / "en" / f"{SLUG}.po"

    context = multiprocessing.get_context("spawn")
    ready, saved_at = context.Event(), context.Value("d", 0.0)
    editor = context.Process(target=_editor, args=(str(catalog.parent), str(catalog), ready, saved_at))
    editor.start()
    ready.wait(10)
    report = translate_articles()
    finished = time.monotonic()
    editor.join(30)
    if not saved_at.value:
        return "no save (the write phase was not seen)"
    kept = catalog.read_text("utf-8").endswith(MARK)
    reported = any("changed on disk" in str(error) for error in report.errors)
    if kept:
        return "kept and reported" if reported else "kept"
    # An editor that opened the old file before translate's rename and wrote into it only
    # after translate's last look at it: no check in translate can see that write.
    return "lost (written after translate's last check)" if saved_at.value > finished else "lost"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tries", type=int, default=30)
    args = parser.parse_args(argv)
    outcomes: dict[str, int] = {}
    here = os.getcwd()
    for _ in range(args.tries):
        with tempfile.TemporaryDirectory() as folder:
            try:
                outcome = _one_try(Path(folder))
            finally:
                os.chdir(here)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    for outcome, count in sorted(outcomes.items()):
        print(f"{outcome:40} {count:>4} / {args.tries}")
    lost = outcomes.get("lost", 0)
    late = sum(count for outcome, count in outcomes.items() if outcome.startswith("lost ("))
    print(f"lost during the write phase: {lost} of {args.tries} (target 0); "
          f"written after translate's last check: {late}", file=sys.stderr)
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
