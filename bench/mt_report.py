"""Verdicts and the printed report of bench/mt_throughput.py."""

from __future__ import annotations

from typing import Any

from benchlib import CORES
from mt_decode import BEAM

TARGET_CEILING = 0.85
TARGET_ONE_BY_ONE = 3.0
TARGET_RERUN = 1.5
NOISY_OTHER_CORES = 0.25
# Verdicts that are correctness, not speed: the only ones a tiny-model smoke run can fail.
CHECKS = ("rerun_zero_engine_calls", "same_work")


def summarise(results: dict[str, Any]) -> dict[str, Any]:
    prep, ceiling, e2e = results["prepare"], results["ceiling"], results["e2e"]
    obo, rerun = results["one_by_one"], results["rerun"]
    argos_style = obo["runs"][0]
    best_obo = max(obo["runs"], key=lambda r: r["tokens_per_s"])
    same_work = (
        all(r["out_tokens"] == prep["expected_out_tokens"] for r in results["ceiling_rounds"] + results["e2e_rounds"])
        and ceiling["expected_out_tokens"] == prep["expected_out_tokens"]
        and all(r["out_tokens"] == obo["expected_out_tokens"] for r in obo["runs"])
        and all(r["out_tokens"] == results["search"]["expected_out_tokens"] for r in results["search"]["runs"])
        and e2e["segments"] == prep["segments"]
    )
    checks = {
        "e2e_vs_ceiling": (e2e["tokens_per_s"] / ceiling["tokens_per_s"], TARGET_CEILING, ">="),
        "e2e_vs_argos_style": (e2e["tokens_per_s"] / argos_style["tokens_per_s"], TARGET_ONE_BY_ONE, ">="),
        "e2e_vs_best_one_by_one": (e2e["tokens_per_s"] / best_obo["tokens_per_s"], TARGET_ONE_BY_ONE, ">="),
        "rerun_same_out_vs_none": (rerun["rerun_same_out"]["ratio_to_none"], TARGET_RERUN, "<="),
        "rerun_fresh_out_vs_none": (rerun["rerun_fresh_out"]["ratio_to_none"], TARGET_RERUN, "<="),
    }
    verdicts = {
        name: {
            "value": value,
            "target": target,
            "pass": value >= target if op == ">=" else value <= target,
        }
        for name, (value, target, op) in checks.items()
    }
    verdicts["rerun_zero_engine_calls"] = {
        "value": rerun["rerun_same_out"]["engine_calls"] + rerun["rerun_fresh_out"]["engine_calls"],
        "target": 0,
        "pass": rerun["rerun_same_out"]["engine_calls"] == 0 and rerun["rerun_fresh_out"]["engine_calls"] == 0,
    }
    verdicts["same_work"] = {"value": same_work, "target": True, "pass": same_work}
    return verdicts


def _fmt_other(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def print_report(results: dict[str, Any]) -> None:
    prep, search, ceiling, e2e = results["prepare"], results["search"], results["ceiling"], results["e2e"]
    obo, rerun, verdicts = results["one_by_one"], results["rerun"], results["verdicts"]
    size = prep["model_size"]
    print(
        f"\nmodel: {prep['model']} fake Argos package, layers {size['layers']}, d_model {size['d_model']}, "
        f"heads {size['heads']}, FFN {size['ffn']}, vocab {size['vocab_size']}, int8 (built in {prep['build_seconds']:.1f} s)"
    )
    low, mean, high = prep["src_tokens_min_mean_max"]
    print(
        f"input: {prep['articles']} articles ({prep['base_articles']} distinct, copies tagged), "
        f"{prep['segments']} distinct segments, {prep['src_tokens']} source tokens "
        f"({low}/{mean:.1f}/{high} min/mean/max, {prep['pieces_per_word']:.2f} pieces/word)"
    )
    print(
        f"decoding: beam {BEAM}, min = max decoding length = {prep['decoding_ratio']:g} x source tokens "
        f"→ {prep['expected_out_tokens']} output tokens, {prep['length_groups']} length groups"
    )
    print(f"machine: {CORES} cores; 'others' = cores used by other processes during the timing\n")

    print("ceiling search (raw CTranslate2, sample of whole length groups: "
          f"{search['segments']} segments, {search['expected_out_tokens']} output tokens)")
    for run in search["runs"]:
        print(
            f"  inter {run['inter']} x intra {run['intra']}, max_batch_size {run['batch_tokens']:>4} tokens: "
            f"{run['tokens_per_s']:7.1f} tok/s  ({run['seconds']:.1f} s, others {_fmt_other(run['other_cores'])})"
        )
    print()
    header = f"{'method':44} {'segments':>8} {'out tok':>8} {'seconds':>8} {'out tok/s':>9} {'src tok/s':>9} {'RSS MiB':>8} {'others':>6}"
    print(header)
    print("-" * len(header))

    def row(name: str, segments: int, src: int, out: int, r: dict[str, Any], rss: float) -> None:
        print(
            f"{name:44} {segments:>8} {out:>8} {r['seconds']:>8.1f} {out / r['seconds']:>9.1f} "
            f"{src / r['seconds']:>9.1f} {rss:>8.0f} {_fmt_other(r['other_cores']):>6}"
        )

    row(
        f"1 ceiling raw CT2 ({ceiling['inter']}x{ceiling['intra']}, {ceiling['batch_tokens']} tok)",
        ceiling["segments"], ceiling["src_tokens"], ceiling["out_tokens"], ceiling, ceiling["rss_mib"],
    )
    row(
        f"2 workflow translate e2e ({e2e['inter']}x{e2e['intra']}, {e2e['batch_tokens']} tok)",
        e2e["segments"], prep["src_tokens"], e2e["out_tokens"], e2e, e2e["rss_mib"],
    )
    for i, run in enumerate(obo["runs"]):
        label = "argostranslate threads" if i == 0 else "single thread"
        row(
            f"3 one per call ({run['inter']}x{run['intra']}, {label})",
            obo["segments"], obo["src_tokens"], run["out_tokens"], run, obo["rss_mib"],
        )
    print("\nrounds (alternating; the best of each is used above):")
    for c, e in zip(results["ceiling_rounds"], results["e2e_rounds"]):
        print(
            f"  round {c['round'] + 1}: ceiling {c['tokens_per_s']:6.1f} tok/s (others {_fmt_other(c['other_cores'])}), "
            f"e2e {e['tokens_per_s']:6.1f} tok/s (others {_fmt_other(e['other_cores'])})"
        )
    noisy = [
        name
        for name, r in (("ceiling", ceiling), ("e2e", e2e), *((f"one-per-call {x['inter']}x{x['intra']}", x) for x in obo["runs"]))
        if (r["other_cores"] or 0) > NOISY_OTHER_CORES
    ]
    if noisy:
        print(f"  WARNING: other processes used > {NOISY_OTHER_CORES} core during: {', '.join(noisy)}; ratios are noisy")
    rest = e2e["seconds"] - e2e["engine_seconds"]
    print(
        f"\ne2e split: engine {e2e['engine_seconds']:.1f} s (model load {e2e['load_seconds']:.2f} s, "
        f"engine construction {e2e['construct_seconds']:.3f} s), everything else {rest:.1f} s "
        f"(read, segment, cache, write {e2e['articles']} PO files); {e2e['engine_calls']} engine call(s). "
        f"Ceiling excludes its model load ({ceiling['load_seconds']:.2f} s) and tokenisation."
    )
    print(
        f"\nre-runs ({len(rerun['none']['all_seconds'])} interleaved repeats; best, all, and the median of "
        f"per-repeat ratios to none; {rerun['rss_mib']:.0f} MiB peak):"
    )
    for kind, label in (
        ("none", "--engine none, fresh folders"),
        ("rerun_same_out", "argos re-run, same out dir + cache"),
        ("rerun_fresh_out", "argos re-run, fresh out dir, warm cache"),
    ):
        r = rerun[kind]
        ratio = f"x{r['ratio_to_none']:.2f}" if "ratio_to_none" in r else ""
        print(
            f"  {label:42} {r['seconds']:6.2f} s {ratio:>6}  (all: {', '.join(f'{s:.2f}' for s in r['all_seconds'])}; "
            f"engine calls {r['engine_calls']}, cache hits {r['cache_hits']}, PO written {r['written']})"
        )
    pipe = results["pipeline"]
    extra = pipe["glossary_memory"] - pipe["plain"]
    estimate = e2e["out_tokens"] / (e2e["seconds"] + extra) / ceiling["tokens_per_s"]
    print(
        f"\nCLI defaults, MT apart (echo engine, best of {len(rerun['none']['all_seconds'])}): plain {pipe['plain']:.2f} s, "
        f"with glossary ({pipe['glossary']}) + translation memory {pipe['glossary_memory']:.2f} s.\n"
        f"(2) runs without them (= `workflow translate --no-glossary --no-memory`); with them it would take "
        f"about {extra:.1f} s more: (2)/(1) ≈ {estimate:.3f}"
    )
    print(f"\npeak RSS of the preparing process: {prep['rss_mib']:.0f} MiB")
    print("\ntargets:")
    labels = {
        "e2e_vs_ceiling": "(2)/(1) tokens/s",
        "e2e_vs_argos_style": "(2)/(3) tokens/s, argostranslate threads",
        "e2e_vs_best_one_by_one": "(2)/(3) tokens/s, best one-per-call",
        "rerun_same_out_vs_none": "re-run same out / none (median ratio)",
        "rerun_fresh_out_vs_none": "re-run fresh out / none (median ratio)",
        "rerun_zero_engine_calls": "engine calls in re-runs",
        "same_work": "same output tokens everywhere",
    }
    if prep["model"] == "tiny":
        print("  (tiny model: MT costs next to nothing, so the speed ratios mean nothing; only the checks count)")
    for name, verdict in verdicts.items():
        value = verdict["value"]
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        op = "<=" if name.startswith("rerun_") and name.endswith("none") else (">=" if isinstance(value, float) else "==")
        print(f"  {labels[name]:44} {shown:>8}  {op} {verdict['target']!s:<5} {'PASS' if verdict['pass'] else 'FAIL'}")
