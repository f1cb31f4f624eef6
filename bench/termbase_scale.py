"""Real termbases at scale (issue #13) and glossary cost on long paragraphs (issue #11).

    uv run python bench/termbase_scale.py              # everything (~10 min on 2 busy cores)
    uv run python bench/termbase_scale.py --skip-500k  # without the 500k synthetic termbase
    uv run python bench/termbase_scale.py --json       # machine-readable

Every timed figure runs the real CLI (`python -m workflow …`) in a fresh process, so it includes
interpreter start, imports and loading; it is the best of --repeats runs (the machine is shared:
CPU seconds and the other processes' load are printed too). Peak RSS comes from wait4.

Inputs: the shared termbase (`../shared/data/termbases/open_fr_en.csv`, 59,457 pairs); a
synthetic 500k termbase made from it (each real term, then real terms extended by a word of
another, deterministic); 1 MB of French (the shared pair sources and sample articles, repeated);
the shared articles as a project for `translate --engine none`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import REPO, isolate_home

SHARED = REPO.parent / "shared"
TERMBASE = SHARED / "data" / "termbases" / "open_fr_en.csv"
TARGETS = {
    "import_60k_s": 10, "scan_first_60k_s": 5, "scan_later_60k_s": 2, "translate_ratio": 1.3, "rss_60k_mib": 500,
    "import_500k_s": 60, "scan_500k_s": 10, "rss_500k_mib": 2048, "house_mb_per_s": 5,
}


def run(argv: list[str], cwd: Path) -> dict[str, float]:
    """One CLI run in a fresh process: wall seconds, CPU seconds, peak RSS (MiB)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "workflow", *argv], cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)})
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}): {stderr}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    fastest = min(runs, key=lambda r: r["wall"])
    return {**fastest, "rss_mib": max(r["rss_mib"] for r in runs), "median_wall": statistics.median(r["wall"] for r in runs),
            "runs": len(runs)}


def load_avg() -> float:
    return os.getloadavg()[0]


def french_megabyte(path: Path) -> Path:
    sources = sorted((SHARED / "data" / "pairs").glob("*/source_fr.txt")) + sorted((REPO / "source_fr").glob("*.txt"))
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sources)
    out = []
    while sum(len(t.encode()) for t in out) < 1_000_000:
        out.append(text)
    path.write_text("\n\n".join(out), encoding="utf-8")
    return path


def articles_project(root: Path) -> Path:
    (root / "source_fr").mkdir(parents=True)
    for pair in sorted((SHARED / "data" / "pairs").glob("*/source_fr.txt")):
        shutil.copy(pair, root / "source_fr" / f"{pair.parent.name}.txt")
    for sample in sorted((REPO / "source_fr").glob("*.txt")):
        shutil.copy(sample, root / "source_fr" / sample.name)
    (root / "glossary").mkdir()
    shutil.copy(REPO / "glossary" / "nato_un.csv", root / "glossary" / "nato_un.csv")
    return root


def synthetic_termbase(path: Path, size: int) -> Path:
    """`size` distinct pairs: the real ones, then real terms extended by a word of another term."""
    with TERMBASE.open(encoding="utf-8", newline="") as f:
        rows = [(r["fr"], r["en"]) for r in csv.DictReader(f)]
    rng = random.Random(500)
    words = [(fr.split()[-1], en.split()[-1]) for fr, en in rows if fr.split() and en.split()]
    seen = {fr for fr, _ in rows}
    out = list(rows)
    while len(out) < size:
        fr, en = rng.choice(rows)
        word_fr, word_en = rng.choice(words)
        new = f"{fr} {word_fr}"
        if new not in seen:
            seen.add(new)
            out.append((new, f"{en} {word_en}"))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["fr", "en", "source"])
        writer.writerows((fr, en, "synthetic") for fr, en in out)
    return path


def termbase_phase(name: str, termbase: Path, work: Path, megabyte: Path, repeats: int) -> dict[str, object]:
    imports = []
    for n in range(repeats):
        project = work / f"{name}-import-{n}"
        project.mkdir()
        shutil.copytree(REPO / "glossary", project / "glossary", ignore=shutil.ignore_patterns("README.md"))
        imports.append(run(["glossary", "import", str(termbase), "--name", name], project))
    project = work / f"{name}-import-0"
    first = run(["glossary", "scan", str(megabyte), "--json"], project)  # the index was compiled by the import
    later = best([run(["glossary", "scan", str(megabyte), "--json"], project) for _ in range(repeats)])
    in_process = layered_in_process(project, megabyte, repeats)
    shutil.rmtree(project / ".cache")
    cold = run(["glossary", "scan", str(megabyte), "--json"], project)  # no cache: the index is rebuilt first
    return {"import": best(imports), "scan_first": first, "scan_later": later, "scan_cold_cache": cold,
            "in_process": in_process, "project": str(project)}


def layered_in_process(project: Path, megabyte: Path, repeats: int) -> dict[str, float]:
    """The scan of `glossary scan` without the CLI around it: load, house + reference matches, and
    apart the article-organisation guess that `glossary scan` also makes (organisation.py)."""
    sys.path.insert(0, str(REPO))
    from workflow.terms.glossary import load_glossary
    from workflow.terms.organisation import default_org_for

    text = megabyte.read_text(encoding="utf-8")
    start = time.process_time()
    glossary = load_glossary(project / "glossary", cache_dir=project / ".cache" / "workflow" / "glossary-index")
    load = time.process_time() - start
    times = []
    for _ in range(repeats + 1):
        glossary._scan_cache.clear()
        glossary._reference_cache.clear()
        start = time.process_time()
        glossary.hints(text)
        times.append(time.process_time() - start)
    start = time.process_time()
    default_org_for(text)
    org = time.process_time() - start
    start = time.process_time()
    default_org_for(text[:100_000])
    org_100k = time.process_time() - start
    return {"load_cpu_s": load, "hints_cpu_s": min(times), "org_guess_cpu_s": org, "org_guess_100kB_cpu_s": org_100k}


def house_throughput(megabyte: Path, repeats: int) -> dict[str, float]:
    sys.path.insert(0, str(REPO))
    from workflow.terms.entry import FORBIDDEN
    from workflow.terms.french import BruteForce, scan_with
    from workflow.terms.glossary import load_glossary

    text = megabyte.read_text(encoding="utf-8")
    size = len(text.encode()) / 1e6
    start = time.perf_counter()
    glossary = load_glossary()
    glossary.scan(text)
    first = time.perf_counter() - start
    times = []
    for _ in range(repeats + 2):
        glossary._scan_cache.clear()
        start = time.perf_counter()
        glossary.scan(text)
        times.append(time.perf_counter() - start)
    sample = text[:50_000]
    brute = BruteForce([(i, e) for i, e in enumerate(glossary.entries) if e.type != FORBIDDEN and e.fr])
    start = time.perf_counter()
    scan_with(brute, sample, None)
    old = time.perf_counter() - start
    return {"mb": size, "first_s": first, "best_s": min(times), "mb_per_s": size / min(times),
            "first_mb_per_s": size / first, "per_entry_regex_mb_per_s": len(sample.encode()) / 1e6 / old}


def translate_phase(work: Path, layered_project: Path, repeats: int) -> dict[str, object]:
    house = articles_project(work / "articles-house")
    layered = articles_project(work / "articles-layered")
    shutil.copytree(Path(layered_project) / "glossary" / "termbases", layered / "glossary" / "termbases")
    shutil.copy(Path(layered_project) / "glossary" / "layers.toml", layered / "glossary" / "layers.toml")
    if (Path(layered_project) / ".cache").is_dir():
        shutil.copytree(Path(layered_project) / ".cache", layered / ".cache")
    argv = ["translate", "--engine", "none", "--no-memory", "--no-cache", "--quiet"]
    results = {}
    for name, project in (("house", house), ("house+termbase", layered)):
        runs = []
        for _ in range(repeats):
            shutil.rmtree(project / "translations", ignore_errors=True)
            runs.append(run(argv, project))
        results[name] = best(runs)
    results["ratio"] = results["house+termbase"]["wall"] / results["house"]["wall"]
    results["ratio_cpu"] = results["house+termbase"]["cpu"] / results["house"]["cpu"]
    results["hints"] = hint_flood(layered / "translations" / "en")
    return results


def hint_flood(folder: Path) -> dict[str, float]:
    import polib

    counts = []
    for po in sorted(folder.glob("*.po")):
        for entry in polib.pofile(str(po)):
            line = next((c for c in entry.comment.splitlines() if c.startswith("termbase: ")), "")
            counts.append(line.count(" → "))
    with_hints = [c for c in counts if c]
    return {"entries": len(counts), "with_hints": len(with_hints), "mean_per_entry": statistics.mean(counts) if counts else 0,
            "max_per_entry": max(counts, default=0)}


def long_paragraphs(repeats: int) -> dict[str, float]:
    """translate --engine none, in process (CPU seconds, best of runs: a CLI run is mostly start-up):
    one 30 kB paragraph vs ten 3 kB paragraphs of the same text, with and without the glossary."""
    sys.path.insert(0, str(REPO))
    from workflow.terms.glossary import load_glossary
    from workflow.translate import translate_articles

    sample = " ".join((REPO / "source_fr" / "sg-assemblee-generale-onu-2018.txt").read_text(encoding="utf-8").split())
    chunk = sample[:3000]
    results: dict[str, float] = {}
    for label, with_glossary in (("glossary", True), ("no_glossary", False)):
        for name, body in (("ten_3kB", "\n\n".join([chunk] * 10)), ("one_30kB", " ".join([chunk] * 10))):
            times = []
            for _ in range(repeats + 4):
                with tempfile.TemporaryDirectory() as tmp:
                    root = Path(tmp)
                    (root / "source_fr").mkdir()
                    (root / "source_fr" / "a.txt").write_text("Titre\n\n" + body + "\n", encoding="utf-8")
                    glossary = load_glossary() if with_glossary else None  # fresh: no scan cache carried over
                    start = time.process_time()
                    translate_articles([root / "source_fr"], out_dir=root / "translations", root=root, glossary=glossary)
                    times.append(time.process_time() - start)
            results[f"{label}_{name}"] = min(times)
        results[f"{label}_ratio"] = results[f"{label}_one_30kB"] / results[f"{label}_ten_3kB"]
    return results


def automata(megabyte: Path, termbases: list[Path]) -> list[dict[str, object]]:
    """pyahocorasick (in memory, rebuilt per process) vs marisa-trie (built once, memory-mapped)."""
    import ahocorasick
    import marisa_trie

    sys.path.insert(0, str(REPO))
    from workflow.terms.fold import fold_key, folded
    from workflow.terms.refindex import _START

    text = folded(megabyte.read_text(encoding="utf-8")).text
    out = []
    for termbase in termbases:
        with termbase.open(encoding="utf-8", newline="") as f:
            keys = list(dict.fromkeys(fold_key(r["fr"]) for r in csv.DictReader(f) if r["fr"].strip()))
        start = time.perf_counter()
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for n, key in enumerate(keys):
            automaton.add_word(key, n)
        automaton.make_automaton()
        ac_build = time.perf_counter() - start
        start = time.perf_counter()
        ac_hits = sum(1 for _ in automaton.iter(text))
        ac_scan = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            marisa_trie.Trie(keys).save(f"{tmp}/k.marisa")
            trie_build = time.perf_counter() - start
            start = time.perf_counter()
            trie = marisa_trie.Trie()
            trie.mmap(f"{tmp}/k.marisa")
            trie_open = time.perf_counter() - start
            longest = max(map(len, keys))
            start = time.perf_counter()
            trie_hits = sum(len(trie.prefixes(text[m.start():m.start() + longest])) for m in _START.finditer(text))
            trie_scan = time.perf_counter() - start
        out.append({"keys": len(keys), "pyahocorasick_build_s": ac_build, "pyahocorasick_scan_s": ac_scan,
                    "pyahocorasick_hits_any_position": ac_hits, "marisa_build_s": trie_build, "marisa_open_s": trie_open,
                    "marisa_scan_s": trie_scan, "marisa_hits_word_starts": trie_hits})
    return out


def report(results: dict[str, object]) -> list[str]:
    lines = [f"load average at start: {results['load']:.1f} on {os.cpu_count()} cores (timings are best of "
             f"{results['repeats']} runs; CPU seconds beside them)"]

    def fig(label: str, value: float, target: float, unit: str = "s", more_is_better: bool = False, extra: str = "") -> None:
        ok = value >= target if more_is_better else value <= target
        sign = "≥" if more_is_better else "≤"
        lines.append(f"  {'PASS' if ok else 'MISS'}  {label}: {value:.2f} {unit} (target {sign} {target} {unit}){extra}")

    house = results["house"]
    lines.append("house glossary alone, in process, 1 MB of French")
    fig("scan throughput (warm)", house["mb_per_s"], TARGETS["house_mb_per_s"], "MB/s", True,
        f"; first scan incl. building the automaton {house['first_mb_per_s']:.1f} MB/s; "
        f"the per-entry regexes it replaces: {house['per_entry_regex_mb_per_s']:.2f} MB/s")
    for label, key, size in (("60k real termbase", "t60k", "60k"), ("500k synthetic termbase", "t500k", "500k")):
        phase = results.get(key)
        if not phase:
            continue
        lines.append(label)
        cpu = lambda r: f" [cpu {r['cpu']:.2f} s, {r['rss_mib']:.0f} MiB]"  # noqa: E731
        fig("import", phase["import"]["wall"], TARGETS[f"import_{size}_s"], extra=cpu(phase["import"]))
        first, later = (TARGETS["scan_first_60k_s"], TARGETS["scan_later_60k_s"]) if size == "60k" else (TARGETS["scan_500k_s"],) * 2
        fig("first glossary scan of 1 MB (incl. load)", phase["scan_first"]["wall"], first, extra=cpu(phase["scan_first"]))
        fig("later scans", phase["scan_later"]["wall"], later, extra=cpu(phase["scan_later"]))
        fig("scan with no cached index (rebuilt first)", phase["scan_cold_cache"]["wall"], first, extra=cpu(phase["scan_cold_cache"]))
        rss = max(phase[k]["rss_mib"] for k in ("import", "scan_first", "scan_later", "scan_cold_cache"))
        fig("peak RSS", rss, TARGETS[f"rss_{size}_mib"], "MiB")
        inside = phase["in_process"]
        lines.append(f"  in process (CPU): load {inside['load_cpu_s'] * 1000:.0f} ms, house + reference matches of 1 MB "
                     f"{inside['hints_cpu_s']:.2f} s; the article-organisation guess `glossary scan` also makes: "
                     f"{inside['org_guess_cpu_s']:.2f} s (100 kB: {inside['org_guess_100kB_cpu_s']:.3f} s)")
    translate = results.get("translate")
    if translate:
        lines.append(f"translate --engine none, {translate['hints']['entries']} PO entries of the shared articles")
        fig("house+termbase / house-only", translate["ratio"], TARGETS["translate_ratio"], "×",
            extra=f" ({translate['house+termbase']['wall']:.2f} s vs {translate['house']['wall']:.2f} s; CPU ratio "
                  f"{translate['ratio_cpu']:.2f}; peak RSS {translate['house+termbase']['rss_mib']:.0f} MiB)")
        hints = translate["hints"]
        lines.append(f"  hints: {hints['with_hints']} of {hints['entries']} entries have termbase hints, "
                     f"mean {hints['mean_per_entry']:.2f}, max {hints['max_per_entry']} per entry")
    long = results["long"]
    lines.append("translate --engine none in process (CPU): one 30 kB paragraph vs ten 3 kB paragraphs")
    lines.append(f"  with the glossary: ratio {long['glossary_ratio']:.2f} ({long['glossary_one_30kB']:.3f} s vs "
                 f"{long['glossary_ten_3kB']:.3f} s; issue #11 measured ~5 before); without: {long['no_glossary_ratio']:.2f}")
    for row in results.get("automata", []):
        lines.append(f"automata on {row['keys']} folded keys: pyahocorasick build {row['pyahocorasick_build_s']:.2f} s "
                     f"(every process), scan {row['pyahocorasick_scan_s']:.2f} s; marisa-trie build "
                     f"{row['marisa_build_s']:.2f} s (once), open {row['marisa_open_s'] * 1000:.2f} ms, "
                     f"scan from word starts {row['marisa_scan_s']:.2f} s")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-500k", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not TERMBASE.is_file():
        print(f"shared termbase not found at {TERMBASE}", file=sys.stderr)
        return 2
    results: dict[str, object] = {"load": load_avg(), "repeats": args.repeats}
    with tempfile.TemporaryDirectory(prefix="termbase-bench-") as tmp:
        work = Path(tmp)
        isolate_home(work)
        megabyte = french_megabyte(work / "fr-1mb.txt")
        results["house"] = house_throughput(megabyte, args.repeats)
        results["t60k"] = termbase_phase("open_fr_en", TERMBASE, work, megabyte, args.repeats)
        results["translate"] = translate_phase(work, Path(results["t60k"]["project"]), args.repeats)
        results["long"] = long_paragraphs(args.repeats)
        termbases = [TERMBASE]
        if not args.skip_500k:
            big = synthetic_termbase(work / "synthetic_500k.csv", 500_000)
            results["t500k"] = termbase_phase("synthetic_500k", big, work, megabyte, max(1, args.repeats - 1))
            termbases.append(big)
        results["automata"] = automata(megabyte, termbases)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    else:
        print("\n".join(report(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
