"""Raw CTranslate2 decoding for bench/mt_throughput.py: the decoding lengths every
method shares, the segments as SentencePiece pieces, one call per length group (the
ceiling) or one call per segment (argostranslate), and samples of the segments."""

from __future__ import annotations

import json
import math
from itertools import groupby
from pathlib import Path
from typing import Any

# CTranslate2/Argos decoding defaults the engine also uses (workflow/mt/engines/argos.py).
BEAM = 4
LENGTH_PENALTY = 0.2
CT2_MIN_DECODING_LENGTH = 1
CT2_MAX_DECODING_LENGTH = 256

# argostranslate 1.11 settings.py: ARGOS_INTER_THREADS=1, ARGOS_INTRA_THREADS=0
# (CTranslate2 picks), ARGOS_BATCH_SIZE=32 tokens.
ARGOS_THREADS = (1, 0)
ARGOS_BATCH_TOKENS = 32


def limits(n_tokens: int, ratio: float) -> tuple[int, int]:
    """ArgosEngine._limits with min_decoding_ratio == max_decoding_ratio == ratio."""
    max_len = min(CT2_MAX_DECODING_LENGTH, max(1, math.ceil(ratio * n_tokens)))
    min_len = max(CT2_MIN_DECODING_LENGTH, math.floor(ratio * n_tokens))
    return min(min_len, max_len), max_len


def load_state(workdir: Path) -> dict[str, Any]:
    return json.loads((workdir / "state.json").read_text("utf-8"))


def tokenized_segments(state: dict[str, Any]) -> list[list[str]]:
    """SentencePiece pieces of every segment, longest last (done before any timing)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(Path(state["package_dir"]) / "sentencepiece.model"))
    return sorted((sp.encode(s, out_type=str) for s in state["segments"]), key=len)


def new_translator(state: dict[str, Any], inter: int, intra: int) -> Any:
    import ctranslate2

    return ctranslate2.Translator(
        str(Path(state["package_dir"]) / "model"),
        device="cpu",
        compute_type="int8",
        inter_threads=inter,
        intra_threads=intra,
    )


def decode_grouped(translator: Any, jobs: list[list[str]], ratio: float, batch_tokens: int) -> int:
    """The ceiling: as few raw calls as the workload allows. CTranslate2 takes one
    decoding length per call, so segments are grouped by length (as ArgosEngine does)
    and all groups are submitted asynchronously to keep every replica busy."""
    pending = []
    for (min_len, max_len), group in groupby(jobs, key=lambda tokens: limits(len(tokens), ratio)):
        group = list(group)
        pending.append(
            translator.translate_batch(
                group,
                max_batch_size=batch_tokens,
                batch_type="tokens",
                asynchronous=True,
                beam_size=BEAM,
                num_hypotheses=1,
                length_penalty=LENGTH_PENALTY,
                replace_unknowns=True,
                max_input_length=0,
                min_decoding_length=min_len,
                max_decoding_length=max_len,
            )
        )
    return sum(len(r.result().hypotheses[0]) for results in pending for r in results)


def decode_one_by_one(translator: Any, jobs: list[list[str]], ratio: float) -> int:
    """argostranslate's apply_packaged_translation: one sentence per translate_batch."""
    produced = 0
    for tokens in jobs:
        min_len, max_len = limits(len(tokens), ratio)
        result = translator.translate_batch(
            [tokens],
            max_batch_size=ARGOS_BATCH_TOKENS,
            batch_type="tokens",
            beam_size=BEAM,
            num_hypotheses=1,
            length_penalty=LENGTH_PENALTY,
            replace_unknowns=True,
            min_decoding_length=min_len,
            max_decoding_length=max_len,
        )
        produced += len(result[0].hypotheses[0])
    return produced


def every_kth_group(jobs: list[list[str]], ratio: float, k: int) -> list[list[str]]:
    """A sample that keeps whole length groups, so batches stay as big as in the full run."""
    groups = [list(g) for _, g in groupby(jobs, key=lambda tokens: limits(len(tokens), ratio))]
    return [tokens for i, group in enumerate(groups) if i % k == k // 2 for tokens in group]


def every_kth(jobs: list[list[str]], count: int) -> list[list[str]]:
    """Evenly spread over the length-sorted list: same length mix as the full set."""
    if count >= len(jobs):
        return list(jobs)
    step = len(jobs) / count
    return [jobs[int(i * step + step / 2)] for i in range(count)]


def expected_tokens(jobs: list[list[str]], ratio: float) -> int:
    return sum(limits(len(tokens), ratio)[1] for tokens in jobs)
