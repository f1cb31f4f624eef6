"""Build real Argos Translate packages (`.argosmodel`) with random weights.

No real model can be downloaded on the build machines, so tests and benchmarks
build their own: a genuine CTranslate2 Transformer (random weights, shared
vocabulary, optionally int8) plus a SentencePiece model trained on the fly,
zipped exactly like the packages on the Argos index. The output is gibberish,
but every code path (unzip, metadata, tokenisation, CTranslate2 decoding) is the
real one, and the cost per token of a base-size model matches a real one.

Kept dependency-light (numpy, ctranslate2, sentencepiece, stdlib) so `bench/`
can import it too. Tests use `from tests.argos_fake import ...` (pytest puts the
repository root first on sys.path). From a script, either put the repository
root FIRST on sys.path before importing `tests.argos_fake`, or put `tests/` on
sys.path and `import argos_fake`: argostranslate's wheel installs its own
top-level `tests` package into site-packages, which otherwise wins.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["BASE", "TINY", "SAMPLE_TEXT", "build_argos_package", "build_model_dir", "package_dirname"]

# Sizes of a real Argos model (OpenNMT-py "transformer base", shared 32k vocabulary).
BASE = dict(layers=(6, 6), d_model=512, heads=8, ffn=2048, vocab_size=32000)
# Small enough that building takes well under a second and decoding is instant.
TINY = dict(layers=(2, 2), d_model=64, heads=2, ffn=128, vocab_size=300)

SAMPLE_TEXT = """\
Le conseil municipal a adopté le budget de l'année prochaine lors de sa séance de mardi soir.
La maire a annoncé la construction d'une nouvelle bibliothèque dans le quartier nord de la ville.
Les habitants sont invités à donner leur avis sur le projet avant la fin du mois de mars.
Selon le rapport publié jeudi, le chômage a reculé de deux points au cours du dernier trimestre.
Le ministre de la Santé s'est rendu à l'hôpital régional pour rencontrer le personnel soignant.
Une grève des transports est prévue lundi ; les usagers sont priés de prévoir d'autres trajets.
Les élèves de l'école primaire ont planté quarante arbres dans la cour pendant la semaine verte.
La rédaction remercie nos lecteurs pour leurs nombreux messages et leurs questions pertinentes.
Le festival de musique accueillera plus de cent artistes venus de toute l'Europe cet été.
Des pluies abondantes ont provoqué des inondations dans plusieurs communes de la vallée.
The city council adopted next year's budget at its Tuesday evening meeting.
The mayor announced the construction of a new library in the northern district of the city.
Residents are invited to comment on the project before the end of March.
According to the report published on Thursday, unemployment fell by two points last quarter.
The health minister visited the regional hospital to meet the nursing staff.
A transport strike is planned for Monday; passengers are asked to plan other routes.
Primary school pupils planted forty trees in the playground during green week.
The newsroom thanks our readers for their many messages and relevant questions.
The music festival will welcome more than one hundred artists from all over Europe this summer.
Heavy rain caused flooding in several towns in the valley.
"""

_LANGUAGE_NAMES = {"fr": "French", "en": "English", "de": "German", "es": "Spanish", "it": "Italian"}


def package_dirname(from_code: str, to_code: str, package_version: str) -> str:
    """Top folder inside the zip, named like the packages on the Argos index."""
    return f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"


def build_argos_package(
    dest: Path,
    *,
    from_code: str = "fr",
    to_code: str = "en",
    layers: tuple[int, int] = (2, 2),
    d_model: int = 64,
    heads: int = 2,
    ffn: int = 128,
    vocab_size: int = 300,
    training_text: str | None = None,
    package_version: str = "1.9",
    argos_version: str = "1.9",
    quantization: str | None = "int8",
    seed: int = 0,
    never_eos: bool = True,
    target_prefix: str = "",
    sp_model_type: str = "unigram",
    weight_scale: float = 8.0,
) -> Path:
    """Write a `.argosmodel` zip and return its path.

    `dest` is either the file to write (ending in `.argosmodel`) or a directory
    that receives `translate-<from>_<to>-<version>.argosmodel`.

    With `never_eos` (the default) the output layer can never pick `</s>`, so
    every translation runs exactly to the engine's max decoding length: tests
    and benchmarks then terminate quickly and do a predictable amount of work.
    `weight_scale` multiplies the usual 1/sqrt(fan_in) init: at 1.0 a random
    model repeats one token forever; at 8 its output varies with the input,
    which makes order and batching tests meaningful.
    """
    dest = Path(dest)
    top = package_dirname(from_code, to_code, package_version)
    out = dest if dest.suffix == ".argosmodel" else dest / f"{top}.argosmodel"
    out.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="argos-fake-") as tmp:
        root = Path(tmp) / top
        root.mkdir()
        sp_proto = _train_sentencepiece(
            training_text if training_text is not None else SAMPLE_TEXT,
            vocab_size,
            seed=seed,
            model_type=sp_model_type,
        )
        (root / "sentencepiece.model").write_bytes(sp_proto)
        build_model_dir(
            root / "model",
            vocabulary=_pieces(sp_proto),
            layers=layers,
            d_model=d_model,
            heads=heads,
            ffn=ffn,
            quantization=quantization,
            seed=seed,
            never_eos=never_eos,
            weight_scale=weight_scale,
        )
        metadata = {
            "package_version": package_version,
            "argos_version": argos_version,
            "from_code": from_code,
            "from_name": _LANGUAGE_NAMES.get(from_code, from_code),
            "to_code": to_code,
            "to_name": _LANGUAGE_NAMES.get(to_code, to_code),
            "type": "translate",
            "target_prefix": target_prefix,
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=4), encoding="utf-8")
        (root / "README.md").write_text(
            f"# {top}\n\nTest package with RANDOM weights, built by tests/argos_fake.py.\n"
            f"layers={layers} d_model={d_model} heads={heads} ffn={ffn} "
            f"vocab={len(_pieces(sp_proto))} quantization={quantization} seed={seed}\n",
            encoding="utf-8",
        )
        tmp_out = out.with_name(out.name + ".part")
        with zipfile.ZipFile(tmp_out, "w") as zf:
            for path in sorted(root.rglob("*")):
                arcname = path.relative_to(root.parent).as_posix()
                if path.is_dir():
                    zf.write(path, arcname + "/")
                else:
                    # Weights are random bytes: deflating them only costs time.
                    compress = zipfile.ZIP_STORED if path.name == "model.bin" else zipfile.ZIP_DEFLATED
                    zf.write(path, arcname, compress_type=compress)
        tmp_out.replace(out)
    return out


def build_model_dir(
    model_dir: Path,
    *,
    vocabulary: list[str],
    layers: tuple[int, int] = (2, 2),
    d_model: int = 64,
    heads: int = 2,
    ffn: int = 128,
    quantization: str | None = "int8",
    seed: int = 0,
    never_eos: bool = True,
    weight_scale: float = 8.0,
) -> Path:
    """Save a CTranslate2 Transformer with random weights (pre-norm, like OpenNMT-py)."""
    from ctranslate2.specs import TransformerSpec

    if d_model % heads:
        raise ValueError(f"d_model={d_model} is not divisible by heads={heads}")
    rng = np.random.default_rng(seed)
    vocab = len(vocabulary)
    spec = TransformerSpec.from_config(tuple(layers), heads)

    def linear(spec_linear, out_dim: int, in_dim: int) -> None:
        spec_linear.weight = _normal(rng, (out_dim, in_dim), weight_scale * in_dim**-0.5)
        spec_linear.bias = np.zeros(out_dim, dtype=np.float32)

    def norm(spec_norm) -> None:
        spec_norm.gamma = np.ones(d_model, dtype=np.float32)
        spec_norm.beta = np.zeros(d_model, dtype=np.float32)

    def attention(spec_att, self_attention: bool) -> None:
        norm(spec_att.layer_norm)
        if self_attention:  # fused query/key/value, then output
            linear(spec_att.linear[0], 3 * d_model, d_model)
            linear(spec_att.linear[1], d_model, d_model)
        else:  # query, fused key/value over the encoder output, then output
            linear(spec_att.linear[0], d_model, d_model)
            linear(spec_att.linear[1], 2 * d_model, d_model)
            linear(spec_att.linear[2], d_model, d_model)

    def feed_forward(spec_ffn) -> None:
        norm(spec_ffn.layer_norm)
        linear(spec_ffn.linear_0, ffn, d_model)
        linear(spec_ffn.linear_1, d_model, ffn)

    # One matrix for source embeddings, target embeddings and the output layer,
    # as in Argos models (OpenNMT-py -share_embeddings -share_decoder_embeddings);
    # CTranslate2 stores it once (aliases), which keeps base-size packages small.
    embeddings = _normal(rng, (vocab, d_model), weight_scale * d_model**-0.5)
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    spec.decoder.projection.weight = embeddings
    bias = np.zeros(vocab, dtype=np.float32)
    if never_eos:
        for token in ("</s>", "<s>"):
            if token in vocabulary:
                bias[vocabulary.index(token)] = -1e4
    spec.decoder.projection.bias = bias
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    for layer in spec.encoder.layer:
        attention(layer.self_attention, True)
        feed_forward(layer.ffn)
    for layer in spec.decoder.layer:
        attention(layer.self_attention, True)
        attention(layer.attention, False)
        feed_forward(layer.ffn)

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=quantization)
    model_dir = Path(model_dir)
    if model_dir.exists():
        shutil.rmtree(model_dir)
    model_dir.mkdir(parents=True)
    spec.save(str(model_dir))
    return model_dir


def _normal(rng: np.random.Generator, shape: tuple[int, ...], scale: float) -> np.ndarray:
    return (rng.standard_normal(shape, dtype=np.float32) * np.float32(scale)).astype(np.float32)


def _pieces(sp_proto: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_proto)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _train_sentencepiece(text: str, vocab_size: int, *, seed: int, model_type: str) -> bytes:
    """Train in memory; pad the corpus with pseudo-words when the text is too small.

    A 32k vocabulary needs far more distinct material than a test paragraph, so
    a synthetic French-looking lexicon fills the gap: the real text still gets
    realistic pieces, the rest of the vocabulary is plausible filler.
    """
    import sentencepiece as spm

    lines = [line for line in text.splitlines() if line.strip()]
    if vocab_size > 1000:
        lines += _synthetic_lines(vocab_size, seed)
    buf = io.BytesIO()
    spm.set_random_generator_seed(seed + 1)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type=model_type,
        hard_vocab_limit=False,  # tiny texts cannot fill the vocabulary exactly
        character_coverage=1.0,
        input_sentence_size=0,
        num_threads=2,
        minloglevel=2,
        bos_id=1,
        eos_id=2,
        unk_id=0,
        pad_id=-1,
    )
    return buf.getvalue()


def _synthetic_lines(vocab_size: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    onsets = list("bcdfghjlmnprstvz") + ["ch", "tr", "pl", "gr", "br", "qu"]
    nuclei = ["a", "e", "i", "o", "u", "é", "è", "ou", "on", "an", "en", "ai", "eu", "oi", "in"]
    syllables = np.array([o + n for o in onsets for n in nuclei])
    n_words = 2 * vocab_size
    words: set[str] = set()
    while len(words) < n_words:
        lengths = rng.integers(1, 5, size=n_words)
        picks = rng.integers(0, len(syllables), size=(n_words, 4))
        for length, row in zip(lengths, picks):
            words.add("".join(syllables[row[:length]]))
    lexicon = np.array(sorted(words)[:n_words])
    # Zipf-like frequencies so BPE/unigram see a realistic long tail.
    probs = 1.0 / np.arange(1, n_words + 1)
    probs /= probs.sum()
    n_lines = max(2000, vocab_size)
    draws = rng.choice(n_words, size=(n_lines, 15), p=probs)
    lines = [" ".join(lexicon[row]) for row in draws]
    lines += [" ".join(lexicon[i : i + 12]) for i in range(0, n_words, 12)]  # every word at least once
    return lines
