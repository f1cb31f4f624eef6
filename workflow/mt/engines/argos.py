"""Argos Translate neural MT, run through CTranslate2 directly.

We use Argos *packages* (model, SentencePiece model, metadata) but not
`argostranslate.translate`: that module imports stanza/spacy for sentence
splitting (deliberately not installed; our segments are already sentences) and
translates one sentence per CTranslate2 call with a 32-token batch limit. Here a
whole batch of segments goes to the model in one call, sorted by length.

Decoding mirrors argostranslate 1.11 (`translate.apply_packaged_translation` and
the Translator construction in `PackageTranslation.hypotheses`):
beam_size 4 (settings.beam_size), num_hypotheses 1, length_penalty 0.2,
replace_unknowns True, batch_type "tokens", the package's target_prefix, and its
SentencePiece detokenisation (`tokenizer.SentencePieceTokenizer.decode`: "▁" and
"_" become spaces, one leading space dropped). Like Argos, a segment holding line
breaks is translated line by line and re-joined with "\\n".
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from workflow.mt.engines import Provenance, Translation
from workflow.base.errors import EngineError, ModelError
from workflow.mt.models import ModelInfo, find_package, read_package

log = logging.getLogger(__name__)

# argostranslate/translate.py, apply_packaged_translation(): translator.translate_batch(...)
ARGOS_BEAM_SIZE = 4  # settings.beam_size default ("ARGOS_BEAM_SIZE", "4")
ARGOS_LENGTH_PENALTY = 0.2
ARGOS_REPLACE_UNKNOWNS = True
# CTranslate2 defaults, which Argos does not override.
CT2_MAX_DECODING_LENGTH = 256
CT2_MIN_DECODING_LENGTH = 1
CT2_MAX_INPUT_LENGTH = 1024


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def default_threads(device: str, cores: int | None = None) -> tuple[int, int]:
    """(inter_threads, intra_threads) that use every core without oversubscribing.

    On small CPUs one OpenMP thread per translator replica wins: with 2 cores,
    intra_threads=2 made a 40-sentence base-size batch 4x slower (27 s vs 7 s) while
    anything else ran on the machine (OpenMP threads spinning against each other),
    and inter_threads=2 still uses both cores for a batch split into chunks.
    Bigger CPUs get up to 4 OpenMP threads per replica. On GPU one replica per
    device is what CTranslate2 recommends; its CPU threads only feed the GPU.
    """
    cores = cores or available_cores()
    if device == "cuda":
        return 1, min(4, cores)
    intra = 1 if cores <= 2 else min(4, cores // 2)
    return max(1, cores // intra), intra


class ArgosEngine:
    """Translates with one installed Argos package (default French→English)."""

    name = "argos"

    def __init__(
        self,
        model: ModelInfo | Path | str,
        *,
        from_code: str = "fr",
        to_code: str = "en",
        device: str = "cpu",
        device_index: int = 0,
        beam_size: int = ARGOS_BEAM_SIZE,
        length_penalty: float = ARGOS_LENGTH_PENALTY,
        compute_type: str | None = None,
        max_batch_tokens: int | None = None,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        max_input_length: int = CT2_MAX_INPUT_LENGTH,
        min_decoding_length: int = CT2_MIN_DECODING_LENGTH,
        max_decoding_length: int = CT2_MAX_DECODING_LENGTH,
        min_decoding_ratio: float | None = None,
        max_decoding_ratio: float | None = None,
    ):
        """Check the package now (cheap); load the model on first use.

        Length limits apply per segment (per line, for a multi-line segment): with a ratio, the limit is
        ratio × source tokens (rounded up for the maximum, down for the minimum),
        capped by the absolute `min/max_decoding_length`. Segments that share
        limits share a CTranslate2 call, so a segment's result never depends on
        the other segments of the batch. Segments longer than `max_input_length`
        tokens are refused (None) rather than silently truncated.
        """
        self.info = self._resolve(model)
        if (self.info.from_code, self.info.to_code) != (from_code, to_code):
            raise EngineError(
                f"model package {self.info.describe()} translates {self.info.pair}, "
                f"not {from_code}→{to_code}",
                self.info.path,
            )
        self.package_dir = Path(self.info.path)  # set by _resolve
        self.model_dir = self.package_dir / "model"
        self.sp_model = self.package_dir / "sentencepiece.model"
        if not (self.model_dir / "model.bin").is_file():
            raise EngineError(
                "model package has no CTranslate2 model (model/model.bin); reinstall it", self.package_dir
            )
        if not self.sp_model.is_file():
            hint = " (BPE packages are not supported)" if (self.package_dir / "bpe.model").exists() else ""
            raise EngineError(f"model package has no sentencepiece.model{hint}", self.package_dir)

        if device == "auto":
            device = "cuda" if _cuda_devices() > 0 else "cpu"
        if device not in ("cpu", "cuda"):
            raise EngineError(f"unknown device {device!r}: use cpu, cuda or auto")
        if beam_size < 1:
            raise EngineError("beam size must be at least 1")
        if max_decoding_length < 1 or min_decoding_length < 0 or min_decoding_length > max_decoding_length:
            raise EngineError("need 0 <= min_decoding_length <= max_decoding_length and max >= 1")
        for ratio in (min_decoding_ratio, max_decoding_ratio):
            if ratio is not None and ratio <= 0:
                raise EngineError("decoding length ratios must be positive")
        self.device = device
        self.device_index = device_index
        self.beam_size = beam_size
        self.length_penalty = length_penalty
        self.compute_type = compute_type or ("int8" if device == "cpu" else "auto")
        self.max_batch_tokens = max_batch_tokens or (1024 if device == "cpu" else 4096)
        default_inter, default_intra = default_threads(device)
        self.inter_threads = inter_threads or default_inter
        self.intra_threads = intra_threads if intra_threads is not None else default_intra
        self.max_input_length = max_input_length
        self.min_decoding_length = min_decoding_length
        self.max_decoding_length = max_decoding_length
        self.min_decoding_ratio = min_decoding_ratio
        self.max_decoding_ratio = max_decoding_ratio
        self._translator: Any = None
        self._sp: Any = None
        self._prefix_tokens: list[str] = []
        self._load_lock = threading.Lock()
        self._provenance = Provenance(
            engine="argos",
            model=self.info.name,
            version=self.info.package_version,
            settings=self._settings(),
        )

    @classmethod
    def from_installed(cls, from_code: str = "fr", to_code: str = "en", **options: Any) -> ArgosEngine:
        """Engine for the installed package of a pair, with install instructions if there is none."""
        info = find_package(from_code, to_code)
        if info is None:
            raise ModelError(
                f"no Argos {from_code}→{to_code} model package is installed. Install a downloaded "
                f".argosmodel file with `workflow models install --file PATH`."
            )
        return cls(info, from_code=from_code, to_code=to_code, **options)

    @staticmethod
    def _resolve(model: ModelInfo | Path | str) -> ModelInfo:
        if isinstance(model, ModelInfo):
            if model.path is None:
                raise EngineError(f"model package {model.describe()} is not installed")
            return read_package(model.path)  # re-read: the folder may have gone since listing
        path = Path(model)
        if path.is_file() and path.suffix == ".argosmodel":
            raise EngineError("this is a package file, not an installed package: install it first", path)
        return read_package(path)

    def _settings(self) -> tuple[tuple[str, str], ...]:
        """Everything that can change the output, so a change misses the translation cache."""
        settings = [("beam", str(self.beam_size))]
        if self.length_penalty != ARGOS_LENGTH_PENALTY:
            settings.append(("length_penalty", f"{self.length_penalty:g}"))
        settings.append(("compute", self.compute_type))
        if self.device != "cpu":
            settings.append(("device", self.device))
        if self.max_decoding_ratio is not None:
            settings.append(("max_len", f"{self.max_decoding_ratio:g}x"))
        if self.max_decoding_length != CT2_MAX_DECODING_LENGTH:
            settings.append(("max_len_cap", str(self.max_decoding_length)))
        if self.min_decoding_ratio is not None:
            settings.append(("min_len", f"{self.min_decoding_ratio:g}x"))
        if self.min_decoding_length != CT2_MIN_DECODING_LENGTH:
            settings.append(("min_len_floor", str(self.min_decoding_length)))
        if self.max_input_length != CT2_MAX_INPUT_LENGTH:
            settings.append(("max_input", str(self.max_input_length)))
        return tuple(settings)

    @property
    def provenance(self) -> Provenance:
        return self._provenance

    # ------------------------------------------------------------------ loading

    def _load(self) -> tuple[Any, Any]:
        """Load SentencePiece and the CTranslate2 translator once per engine."""
        if self._translator is not None:
            return self._translator, self._sp
        with self._load_lock:
            if self._translator is None:
                import ctranslate2
                import sentencepiece as spm

                try:
                    sp = spm.SentencePieceProcessor(model_file=str(self.sp_model))
                except (OSError, RuntimeError) as exc:
                    raise EngineError(f"cannot load sentencepiece.model: {exc}", self.sp_model) from exc
                if self.info.target_prefix:
                    self._prefix_tokens = [self.info.target_prefix]
                try:
                    translator = ctranslate2.Translator(
                        str(self.model_dir),
                        device=self.device,
                        device_index=self.device_index,
                        compute_type=self.compute_type,
                        inter_threads=self.inter_threads,
                        intra_threads=self.intra_threads,
                    )
                except (RuntimeError, ValueError, OSError) as exc:
                    raise EngineError(f"cannot load the CTranslate2 model: {exc}", self.model_dir) from exc
                self._sp = sp
                self._translator = translator
        return self._translator, self._sp

    def close(self) -> None:
        """Free the model memory now rather than at garbage collection."""
        with self._load_lock:
            self._translator = None
            self._sp = None

    # ------------------------------------------------------------------ translation

    def _limits(self, n_tokens: int) -> tuple[int, int]:
        max_len = self.max_decoding_length
        if self.max_decoding_ratio is not None:
            max_len = min(max_len, max(1, math.ceil(self.max_decoding_ratio * n_tokens)))
        min_len = self.min_decoding_length
        if self.min_decoding_ratio is not None:
            min_len = max(min_len, math.floor(self.min_decoding_ratio * n_tokens))
        extra = len(self._prefix_tokens)  # the target prefix counts towards the decoded length
        return min(min_len, max_len) + extra, max_len + extra

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        if not any(segment.strip() for segment in segments):  # nothing for the model: don't load it
            return [Translation(text="", provenance=self._provenance) for _ in segments]
        translator, sp = self._load()
        # Each segment is split into lines (as Argos does with paragraphs); every
        # non-blank line is one model input.
        line_lists = [segment.split("\n") for segment in segments]
        jobs: list[tuple[int, int, list[str]]] = []  # (segment index, line index, tokens)
        refused: set[int] = set()
        for s, lines in enumerate(line_lists):
            for l, line in enumerate(lines):
                if not line.strip():
                    continue
                tokens = sp.encode(line, out_type=str)
                if not tokens:
                    continue
                if self.max_input_length and len(tokens) > self.max_input_length:
                    log.warning(
                        "segment %d has %d tokens (limit %d): left untranslated",
                        s, len(tokens), self.max_input_length,
                    )
                    refused.add(s)
                    continue
                jobs.append((s, l, tokens))
        jobs = [job for job in jobs if job[0] not in refused]
        jobs.sort(key=lambda job: len(job[2]))

        outputs: dict[tuple[int, int], str] = {}
        pending = []
        # Limits depend only on a line's own length, so lines sharing limits are
        # contiguous once sorted; each group is one asynchronous call, so all
        # groups keep every translator replica busy.
        for (min_len, max_len), group in groupby(jobs, key=lambda job: self._limits(len(job[2]))):
            group = list(group)
            try:
                results = translator.translate_batch(
                    [tokens for _, _, tokens in group],
                    target_prefix=[list(self._prefix_tokens)] * len(group) if self._prefix_tokens else None,
                    max_batch_size=self.max_batch_tokens,
                    batch_type="tokens",
                    asynchronous=True,
                    beam_size=self.beam_size,
                    num_hypotheses=1,
                    length_penalty=self.length_penalty,
                    replace_unknowns=ARGOS_REPLACE_UNKNOWNS,
                    max_input_length=0,  # over-long inputs were refused above
                    min_decoding_length=min_len,
                    max_decoding_length=max_len,
                )
            except (RuntimeError, ValueError) as exc:
                raise EngineError(f"CTranslate2 translation failed: {exc}", self.model_dir) from exc
            pending.append((group, results))
        for group, results in pending:
            for (s, l, _), result in zip(group, results):
                try:
                    hypothesis = result.result().hypotheses[0]
                except (RuntimeError, ValueError) as exc:
                    raise EngineError(f"CTranslate2 translation failed: {exc}", self.model_dir) from exc
                outputs[(s, l)] = self._detokenize(sp, hypothesis)

        translated: list[Translation | None] = []
        for s, lines in enumerate(line_lists):
            if s in refused:
                translated.append(None)
                continue
            text = "\n".join(outputs.get((s, l), "") for l in range(len(lines)))
            translated.append(Translation(text=text if text.strip() else "", provenance=self._provenance))
        return translated

    def _detokenize(self, sp: Any, tokens: Sequence[str]) -> str:
        """Argos's SentencePieceTokenizer.decode, minus the target prefix token."""
        tokens = list(tokens)
        if self._prefix_tokens and tokens[: len(self._prefix_tokens)] == self._prefix_tokens:
            tokens = tokens[len(self._prefix_tokens) :]
        # Argos also turns "_" into spaces, which breaks URLs and handles; only ▁ marks a space.
        text = sp.decode_pieces(tokens).replace("▁", " ")
        return text[1:] if text.startswith(" ") else text


def _cuda_devices() -> int:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count()
    except Exception:  # noqa: BLE001 - no CUDA runtime means no GPU
        return 0
