"""Glossary run vs no-glossary run with an engine that drops every placeholder (issue #13, last target).

Run: ``uv run python bench/repair_batching.py [--model tiny|base] [--repeats N]`` (reads ../shared).

Engine: ArgosEngine on the test model (tests/argos_fake.py, random weights: it never reproduces
a placeholder). Input: the two samples and every pair's French in a scratch project. Each run is
`translate_articles` into a fresh folder with no cache and no memory:

  none        --no-glossary: the engine's own output
  glossary    the house glossary, default behaviour: a probe of 8 short segments finds that the
              engine drops placeholders, so the run sends the plain French plus every term alone
              in one call (repair mode)
  old         the house glossary with the probe off (the behaviour before): every segment goes
              protected, is lost, and goes again plain with its terms (two passes)

Printed: wall time (best of --repeats), engine calls, segments sent, ratio to `none`, and term
accuracy of the drafts (bench/term_accuracy.term_hits) for glossary vs old. Target: glossary ≤ 2×
none; term accuracy unchanged. Timings are noisy on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import benchlib  # noqa: F401  (puts the repository first on sys.path)

from tests.argos_fake import BASE, TINY, build_argos_package
from bench.term_accuracy import term_hits
from workflow.mt.engines import Translation
from workflow.mt.engines.argos import ArgosEngine
from workflow.review.pofile import read_po
from workflow.terms.glossary import load_glossary
from workflow.terms.organisation import default_org_for
import workflow.translate as translate_module

REPO = Path(__file__).resolve().parents[1]
PAIRS = REPO.parent / "shared" / "data" / "pairs"
COMMAND = "uv run python bench/repair_batching.py"


class Counting:
    """The engine, counting calls and segments."""

    def __init__(self, engine: ArgosEngine):
        self.engine = engine
        self.name = engine.name
        self.calls = 0
        self.segments = 0

    @property
    def provenance(self):
        return self.engine.provenance

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        self.calls += 1
        self.segments += len(segments)
        return self.engine.translate_batch(segments)


def run(work: Path, engine: ArgosEngine, glossary, tag: str, probe: bool) -> dict:
    counting = Counting(engine)
    out = work / tag
    shutil.rmtree(out, ignore_errors=True)
    original = translate_module.DraftMaker.probe
    if not probe:
        translate_module.DraftMaker.probe = lambda self, *a, **k: 1.0  # type: ignore[method-assign]
    try:
        started = time.perf_counter()
        report = translate_module.translate_articles([work / "source_fr"], engine=counting, out_dir=out,
                                                     root=work, glossary=glossary)
        seconds = time.perf_counter() - started
    finally:
        translate_module.DraftMaker.probe = original  # type: ignore[method-assign]
    assert report.ok, report.errors
    drafts = {}
    for po in (out / "en").glob("*.po"):
        text = (work / "source_fr" / f"{po.stem}.txt").read_text("utf-8")
        for entry in read_po(po):
            if entry.fuzzy and entry.msgstr:
                drafts[(entry.msgid, default_org_for(text))] = entry.msgstr
    return {"seconds": seconds, "calls": counting.calls, "segments": counting.segments, "drafts": drafts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=("tiny", "base"), default="tiny")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="repair-batching-") as tmp:
        work = Path(tmp)
        benchlib.isolate_home(work)
        (work / "source_fr").mkdir()
        texts = []
        for path in sorted((REPO / "source_fr").glob("*.txt")):
            shutil.copy(path, work / "source_fr" / path.name)
            texts.append(path.read_text("utf-8"))
        for folder in sorted(p for p in PAIRS.iterdir() if (p / "source_fr.txt").is_file()):
            shutil.copy(folder / "source_fr.txt", work / "source_fr" / f"{folder.name}.txt")
            texts.append((folder / "source_fr.txt").read_text("utf-8"))
        size = TINY if args.model == "tiny" else BASE
        package = build_argos_package(work / "pkg", training_text="\n".join(texts), **size)
        import zipfile

        with zipfile.ZipFile(package) as zf:
            zf.extractall(work / "unzipped")
        (package_dir,) = [p for p in (work / "unzipped").iterdir() if p.is_dir()]
        engine = ArgosEngine(package_dir, max_decoding_ratio=1.2, max_decoding_length=64)
        glossary = load_glossary()
        best: dict[str, dict] = {}
        for _ in range(args.repeats):
            for tag, gl, probe in (("none", None, True), ("glossary", glossary, True), ("old", glossary, False)):
                result = run(work, engine, gl, tag, probe)
                if tag not in best or result["seconds"] < best[tag]["seconds"]:
                    best[tag] = result
    print(f"$ {COMMAND} --model {args.model} --repeats {args.repeats}")
    print(f"engine: ArgosEngine, fake {args.model} model (drops every placeholder); "
          f"{len(texts)} articles; best of {args.repeats}; shared machine, noisy")
    base = best["none"]["seconds"]
    print(f"{'run':10} {'seconds':>8} {'× none':>7} {'calls':>6} {'segments sent':>14}")
    for tag in ("none", "glossary", "old"):
        r = best[tag]
        print(f"{tag:10} {r['seconds']:8.2f} {r['seconds'] / base:7.2f} {r['calls']:>6} {r['segments']:>14}")
    for tag in ("glossary", "old"):
        hits = total = 0
        for (source, org), draft in best[tag]["drafts"].items():
            h, t = term_hits(glossary, source, draft, org)
            hits, total = hits + h, total + t
        print(f"term accuracy, {tag:8}: {hits}/{total} = {100 * hits / max(total, 1):.1f} %")
    ratio = best["glossary"]["seconds"] / base
    print(f"{'PASS' if ratio <= 2.0 else 'FAIL'}  glossary run ≤ 2× no-glossary run: {ratio:.2f}×")
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
