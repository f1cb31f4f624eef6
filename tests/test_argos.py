"""ArgosEngine on a real (random-weight) Argos package: CTranslate2 and SentencePiece run for real.

The fake model never emits end-of-sentence, so every test sets decoding limits;
outputs are gibberish but deterministic, which is all these tests rely on.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.argos_fake import SAMPLE_TEXT
from workflow.mt import models
from workflow.mt.engines import Engine, Provenance, Translation
from workflow.mt.engines.argos import ArgosEngine, default_threads
from workflow.base.errors import EngineError, ModelError

SENTENCES = [line for line in SAMPLE_TEXT.splitlines() if line.strip()]
# Varied lengths (1 to ~25 words) so batches mix short and long inputs.
SEGMENTS = [" ".join(s.split()[: 1 + (i * 7) % 25]) for i, s in enumerate(SENTENCES * 2)] + [
    "Oui.",
    "Bonjour !",
    "« Nous ne lâcherons rien », a déclaré la porte-parole du syndicat, mercredi 12 mars 2025.",
]


@pytest.fixture(scope="module")
def engine(argos_package_dir: Path) -> ArgosEngine:
    """Loaded once for the module; output length follows source length."""
    return ArgosEngine(argos_package_dir, max_decoding_ratio=1.2, max_decoding_length=40)


def texts(results: list[Translation | None]) -> list[str | None]:
    return [r.text if r is not None else None for r in results]


def test_is_an_engine_with_provenance(engine: ArgosEngine) -> None:
    assert isinstance(engine, Engine)
    assert engine.name == "argos"
    prov = engine.provenance
    assert (prov.engine, prov.model, prov.version) == ("argos", "translate-fr_en", "1.9")
    assert prov.settings[:2] == (("beam", "4"), ("compute", "int8"))
    assert prov.describe().startswith("MT: argos translate-fr_en 1.9, beam 4, compute int8")


def test_settings_change_the_cache_identity(argos_package_dir: Path) -> None:
    base = ArgosEngine(argos_package_dir).provenance
    assert base == Provenance("argos", "translate-fr_en", "1.9", (("beam", "4"), ("compute", "int8")))
    for options in ({"beam_size": 2}, {"compute_type": "float32"}, {"max_decoding_ratio": 2.0}):
        assert ArgosEngine(argos_package_dir, **options).provenance.identity() != base.identity()
    # Threads and batch size change speed, not output.
    same = ArgosEngine(argos_package_dir, inter_threads=1, intra_threads=1, max_batch_tokens=64)
    assert same.provenance == base


def test_translates_every_segment(engine: ArgosEngine) -> None:
    results = engine.translate_batch(SEGMENTS)
    assert len(results) == len(SEGMENTS)
    assert all(isinstance(r, Translation) and r.text.strip() for r in results)
    assert all(r.provenance == engine.provenance for r in results)
    assert len(set(texts(results))) > len(SEGMENTS) // 2  # the output depends on the input


def test_order_is_preserved(engine: ArgosEngine) -> None:
    """Sorting by length inside the engine must not leak into the result order."""
    forward = texts(engine.translate_batch(SEGMENTS))
    backward = texts(engine.translate_batch(SEGMENTS[::-1]))
    assert backward == forward[::-1]
    doubled = texts(engine.translate_batch([SEGMENTS[3], SEGMENTS[0], SEGMENTS[3]]))
    assert doubled == [forward[3], forward[0], forward[3]]


@pytest.mark.parametrize("max_batch_tokens", [None, 48], ids=["default", "many-small-batches"])
def test_batching_does_not_change_results(argos_package_dir: Path, max_batch_tokens: int | None) -> None:
    """One-by-one output equals batched output exactly, also when CTranslate2 splits the
    call into many sub-batches (48 tokens) run by two translator replicas.

    Why exact, with no tolerance: beam search is deterministic on CPU, and with int8
    CTranslate2 quantizes activations with one scale per row and accumulates the GEMMs
    in int32 (exact, so blocking and batch size cannot reorder rounding); padding is
    masked. Measured exact on this CPU backend for int8 and float32, tiny and base
    size. On GPU (float16 kernels picked by batch shape) this may not hold exactly."""
    engine = ArgosEngine(
        argos_package_dir,
        max_decoding_ratio=1.2,
        max_decoding_length=40,
        max_batch_tokens=max_batch_tokens,
        inter_threads=2,
        intra_threads=1,
    )
    batched = texts(engine.translate_batch(SEGMENTS))
    one_by_one = [texts(engine.translate_batch([s]))[0] for s in SEGMENTS]
    assert batched == one_by_one


def test_empty_segments_skip_the_model(argos_package_dir: Path) -> None:
    engine = ArgosEngine(argos_package_dir, max_decoding_length=8)
    results = engine.translate_batch(["", "   ", "\n"])
    assert texts(results) == ["", "", ""]
    assert all(r.provenance == engine.provenance for r in results)
    assert engine._translator is None  # never loaded

    mixed = texts(engine.translate_batch(["", "Bonjour.", " \t"]))
    assert mixed[0] == "" and mixed[2] == ""
    assert mixed[1]
    assert engine.translate_batch([]) == []


def test_model_loaded_once(argos_package_dir: Path, monkeypatch) -> None:
    import ctranslate2

    created = []
    real = ctranslate2.Translator

    def counting(*args, **kwargs):
        created.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", counting)
    engine = ArgosEngine(argos_package_dir, max_decoding_length=6, inter_threads=1, intra_threads=1)
    assert created == []  # lazily
    engine.translate_batch(["Bonjour."])
    engine.translate_batch(["Merci.", "Au revoir."])
    assert len(created) == 1
    assert created[0]["compute_type"] == "int8"
    assert created[0]["device"] == "cpu"


def test_line_breaks_are_translated_per_line(engine: ArgosEngine) -> None:
    (joined,) = texts(engine.translate_batch(["Bonjour.\n\nLe conseil a voté."]))
    first, blank, second = joined.split("\n")
    assert blank == ""
    assert [first, second] == texts(engine.translate_batch(["Bonjour.", "Le conseil a voté."]))


def test_decoding_limits(argos_package_dir: Path) -> None:
    short = ArgosEngine(argos_package_dir, max_decoding_length=3)
    long = ArgosEngine(argos_package_dir, max_decoding_length=30)
    source = [SENTENCES[0]]
    assert len(texts(short.translate_batch(source))[0]) < len(texts(long.translate_batch(source))[0])


def test_overlong_segment_is_refused(argos_package_dir: Path) -> None:
    engine = ArgosEngine(argos_package_dir, max_decoding_length=4, max_input_length=10)
    results = engine.translate_batch(["Oui.", SENTENCES[0] * 3])
    assert results[0] is not None and results[0].text
    assert results[1] is None  # left for a human rather than silently truncated


def test_accepts_model_info(argos_package_file: Path) -> None:
    info = models.install_from_file(argos_package_file)
    engine = ArgosEngine(info, max_decoding_length=4)
    assert engine.translate_batch(["Bonjour."])[0].text
    assert ArgosEngine.from_installed("fr", "en").info == info


# ---------------------------------------------------------------- errors


def test_wrong_language_pair(argos_package_dir: Path) -> None:
    with pytest.raises(EngineError, match="translates fr→en, not en→fr"):
        ArgosEngine(argos_package_dir, from_code="en", to_code="fr")


def test_missing_model_dir(argos_package_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "translate-fr_en-1_9"
    shutil.copytree(argos_package_dir, broken)
    shutil.rmtree(broken / "model")
    with pytest.raises(EngineError, match="model.bin") as err:
        ArgosEngine(broken)
    assert err.value.path == broken


def test_corrupt_model_fails_at_load(argos_package_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "translate-fr_en-1_9"
    shutil.copytree(argos_package_dir, broken)
    (broken / "model" / "model.bin").write_bytes(b"garbage")
    engine = ArgosEngine(broken)
    with pytest.raises(EngineError, match="CTranslate2"):
        engine.translate_batch(["Bonjour."])


def test_missing_package(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="not found"):
        ArgosEngine(tmp_path / "nowhere")
    with pytest.raises(ModelError, match="workflow models install --file PATH"):
        ArgosEngine.from_installed("fr", "en")


def test_package_file_is_not_a_package_dir(argos_package_file: Path) -> None:
    with pytest.raises(EngineError, match="install it first"):
        ArgosEngine(argos_package_file)


def test_default_threads_fill_the_cores() -> None:
    assert default_threads("cpu", 1) == (1, 1)
    assert default_threads("cpu", 2) == (2, 1)
    assert default_threads("cpu", 8) == (2, 4)
    assert default_threads("cpu", 16) == (4, 4)
    assert default_threads("cuda", 16) == (1, 4)
