"""The input of bench/mt_throughput.py: the fake Argos package, distinct copies of
the base articles, and the segments translate_articles will send, checked."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from benchlib import REPO, peak_rss_mib
from mt_decode import limits

SAMPLES = sorted((REPO / "source_fr").glob("*.txt"))
SHARED_PAIRS = sorted((REPO.parent / "shared" / "data" / "pairs").glob("*/source_fr.txt"))


def base_articles() -> list[Path]:
    articles = SAMPLES + SHARED_PAIRS
    if not articles:
        raise SystemExit("no source articles found (source_fr/*.txt, ../shared/data/pairs/*/source_fr.txt)")
    return articles


def write_copies(dest: Path, count: int) -> list[str]:
    """`count` article files cycling over the base articles, each copy made distinct.

    translate_articles sends each distinct segment to MT once per run, so plain
    copies would collapse. "(n° K)" goes after the first word of every segment to
    translate (K = file number), which leaves segmentation alone; the caller
    checks that by re-extracting. Returns the segments the engine should get.
    """
    from workflow.source.article import read_article
    from workflow.source.extract import Treatment, extract_segments

    dest.mkdir(parents=True)
    bases = base_articles()
    expected: list[str] = []
    for k in range(1, count + 1):
        source = bases[(k - 1) % len(bases)]
        article = read_article(source)
        # Offsets index the article's text: the file's own unless the reader converted it (HTML
        # that slipped into an export). The copy holds that text, so it reads back the same.
        text = article.text
        segments = [s for s in extract_segments(article) if s.treatment is Treatment.TRANSLATE]
        for segment in reversed(segments):  # from the end, so earlier offsets stay valid
            space = segment.text.find(" ")
            at = segment.start + space + 1 if space > 0 else segment.end
            tag = f"(n° {k}) " if space > 0 else f" (n° {k})"
            text = text[:at] + tag + text[at:]
        name = source.parent.name if source.name == "source_fr.txt" else source.stem
        (dest / f"{k:04d}-{name}.txt").write_text(text, "utf-8")
        expected.extend(_tagged(s.text, k) for s in segments)
    return expected


def _tagged(segment: str, k: int) -> str:
    space = segment.find(" ")
    return segment[: space + 1] + f"(n° {k}) " + segment[space + 1 :] if space > 0 else segment + f" (n° {k})"


def check_segments(source_dir: Path, expected: list[str]) -> list[str]:
    """The segments translate_articles will send, proven unique and as predicted."""
    from workflow.source.article import find_articles, read_article
    from workflow.source.extract import Treatment, extract_segments

    paths, errors = find_articles([source_dir])
    if errors:
        raise SystemExit(f"bad generated sources: {errors[0]}")
    found = [
        s.text
        for path in paths
        for s in extract_segments(read_article(path))
        if s.treatment is Treatment.TRANSLATE
    ]
    if found != expected:
        raise SystemExit(
            f"the copy tags changed segmentation: {len(found)} segments, expected {len(expected)}"
        )
    if len(set(found)) != len(found):
        raise SystemExit(f"only {len(set(found))} of {len(found)} segments are distinct")
    return found


def prepare(workdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    import sentencepiece as spm

    from tests.argos_fake import BASE, SAMPLE_TEXT, TINY, build_argos_package
    from workflow.mt.models import install_from_file

    size = BASE if args.model == "base" else TINY
    # The default SentencePiece corpus is one paragraph plus filler words, which cuts
    # real French into near-characters; repeating the articles themselves gets
    # pieces closer to a real model's (fewer tokens per word).
    corpus = (SAMPLE_TEXT + "\n".join(p.read_text("utf-8") for p in base_articles()) + "\n") * 20
    t0 = time.perf_counter()
    package_file = build_argos_package(workdir / "build", training_text=corpus, **size)
    build_seconds = time.perf_counter() - t0
    info = install_from_file(package_file)
    sources = workdir / "source_fr"
    expected = write_copies(sources, args.articles)
    segments = check_segments(sources, expected)
    sp = spm.SentencePieceProcessor(model_file=str(Path(info.path) / "sentencepiece.model"))
    lengths = [len(sp.encode(s, out_type=str)) for s in segments]
    words = sum(len(s.split()) for s in segments)
    state = {
        "package_dir": str(info.path),
        "segments": segments,
        "src_tokens": sum(lengths),
        "out_tokens": sum(limits(n, args.ratio)[1] for n in lengths),
        "pieces_per_word": sum(lengths) / words,
        "length_groups": len({limits(n, args.ratio) for n in lengths}),
    }
    (workdir / "state.json").write_text(json.dumps(state), "utf-8")
    return {
        "model": args.model,
        "model_size": size,
        "build_seconds": build_seconds,
        "articles": args.articles,
        "base_articles": len(base_articles()),
        "segments": len(segments),
        "src_tokens": state["src_tokens"],
        "expected_out_tokens": state["out_tokens"],
        "pieces_per_word": state["pieces_per_word"],
        "src_tokens_min_mean_max": [min(lengths), statistics.mean(lengths), max(lengths)],
        "length_groups": state["length_groups"],
        "decoding_ratio": args.ratio,
        "rss_mib": peak_rss_mib(),
    }
