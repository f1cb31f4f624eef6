"""The shared pairs as reviewed PO catalogs: what `workflow check` meets when a translator has
entered the official English.

For every pair in ../shared/data/pairs: the French goes through `translate` (engine none: date
lines filled by rule, English captions passed through, every other msgstr empty), the official
English is aligned with the project's own aligner (workflow.review.align: blocks, then sentences,
1-1 / 1-2 / 2-1 beads) and written into the msgstr of its French segment, with no fuzzy flag. A
2-1 bead (two French sentences, one English) becomes one entry whose msgid joins the two
sentences, as if the segmenter had kept them together; French sentences with no English stay
untranslated (and unchecked).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polib

from workflow.review.align import align_files
from workflow.review.pofile import read_po, write_po
from workflow.source.segment import sentences as french_sentences
from workflow.translate import translate_articles

REPO = Path(__file__).resolve().parents[1]
PAIRS_DIR = REPO.parent / "shared" / "data" / "pairs"


@dataclass
class FilledCatalog:
    slug: str
    path: Path  # relative to the corpus folder (the current directory inside `corpus`)
    filled: int = 0  # entries given official English
    unmatched: int = 0  # aligned pairs whose French was not an entry
    english_words: int = 0  # words of the official English entered


@dataclass
class Corpus:
    root: Path
    catalogs: list[FilledCatalog] = field(default_factory=list)

    @property
    def english_words(self) -> int:
        return sum(c.english_words for c in self.catalogs)

    @property
    def paths(self) -> list[Path]:
        return [c.path for c in self.catalogs]


def _words(text: str) -> int:
    return len(text.split())


def _fill(catalog_path: Path, pairs) -> FilledCatalog:
    catalog = read_po(catalog_path)
    by_msgid: dict[str, polib.POEntry] = {}
    for entry in catalog:
        if not entry.obsolete and entry.msgid:
            by_msgid.setdefault(entry.msgid, entry)
    result = FilledCatalog(catalog_path.stem, catalog_path)
    for pair in pairs:
        parts = [pair.fr] if pair.fr in by_msgid else french_sentences(pair.fr)
        entries = [by_msgid.get(p) for p in parts]
        if not entries or any(e is None for e in entries) or any(e.msgstr for e in entries):
            result.unmatched += 1
            continue
        first = entries[0]
        if len(entries) > 1:
            first.msgid = " ".join(e.msgid for e in entries)
            for extra in entries[1:]:
                catalog.remove(extra)
        first.msgstr = pair.en
        if "fuzzy" in first.flags:
            first.flags.remove("fuzzy")
        result.filled += 1
        result.english_words += _words(pair.en)
    write_po(catalog, catalog_path)
    return result


@contextmanager
def corpus(pairs_dir: Path = PAIRS_DIR, keep: Path | None = None) -> Iterator[Corpus]:
    """A temporary project holding one filled catalog per pair, as the current directory."""
    folder = Path(tempfile.mkdtemp(prefix="qa-corpus-")) if keep is None else keep
    previous = Path.cwd()
    try:
        (folder / "source_fr").mkdir(parents=True, exist_ok=True)
        slugs = sorted(p.name for p in pairs_dir.iterdir() if (p / "source_fr.txt").is_file())
        for slug in slugs:
            shutil.copyfile(pairs_dir / slug / "source_fr.txt", folder / "source_fr" / f"{slug}.txt")
        os.chdir(folder)
        from workflow.terms.glossary import load_glossary

        report = translate_articles(glossary=load_glossary())
        if not report.ok:
            raise RuntimeError(f"translate failed: {report.errors}")
        result = Corpus(folder)
        for slug in slugs:
            pairs = align_files(pairs_dir / slug / "source_fr.txt", pairs_dir / slug / "reference_en.txt")
            result.catalogs.append(_fill(Path("translations/en") / f"{slug}.po", pairs))
        yield result
    finally:
        os.chdir(previous)
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)
