"""`workflow translate`: source articles → one PO catalog per article and language.

Every article is read and checked first, then all segments that need MT across
the whole run go to the engine in one batch (engines batch and sort far better
than per-article calls), then each catalog is merged and written atomically.
A bad article is reported and skipped; the others are still written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib

from .article import Article, BlockKind, find_articles, read_article
from .catalog import build_catalog, reference_path
from .engines import Engine, NoneEngine, Translation
from .errors import SourceError, WorkflowError
from .extract import SourceSegment, Treatment, extract_segments
from .metadata import translate_metadata
from .pofile import read_po, serialize_po, write_po

DEFAULT_SOURCE_DIR = Path("source_fr")
DEFAULT_OUTPUT_DIR = Path("translations")

_STAMP = re.compile(r"Last updated:\s*(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2}))?")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


@dataclass
class ArticleOutcome:
    source: Path
    catalog_path: Path | None = None
    error: WorkflowError | None = None
    segments: int = 0
    machine_translated: int = 0
    written: bool = False  # False when the file already had exactly this content


@dataclass
class TranslateReport:
    outcomes: list[ArticleOutcome] = field(default_factory=list)
    path_errors: list[WorkflowError] = field(default_factory=list)
    engine_segments: int = 0  # segments sent to the engine in this run

    @property
    def errors(self) -> list[WorkflowError]:
        return self.path_errors + [o.error for o in self.outcomes if o.error is not None]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Prepared:
    outcome: ArticleOutcome
    article: Article
    segments: list[SourceSegment]
    existing: polib.POFile | None
    catalog_path: Path


def catalog_path_for(source: Path, target: str, out_dir: Path) -> Path:
    return out_dir / target / f"{source.stem}.po"


def catalog_date(article: Article, environ: dict[str, str] | None = None) -> datetime:
    """Header date, deterministic for the same inputs: SOURCE_DATE_EPOCH if set, else the
    article's own "last updated" stamp, else the source file's modification time."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except ValueError:
            raise WorkflowError(f"SOURCE_DATE_EPOCH must be an integer, not {epoch!r}") from None
    for block in article.blocks:
        if block.kind is BlockKind.METADATA:
            match = _STAMP.search(translate_metadata(block.text))
            if match and match.group(2).lower() in _MONTHS:
                day, month, year, hour, minute = match.groups()
                return datetime(int(year), _MONTHS[month.lower()], int(day), int(hour or 0), int(minute or 0), tzinfo=UTC)
    return datetime.fromtimestamp(int(article.path.stat().st_mtime), UTC)


def _prepare(source: Path, target: str, out_dir: Path) -> _Prepared | ArticleOutcome:
    outcome = ArticleOutcome(source=source)
    try:
        article = read_article(source)
        catalog_path = catalog_path_for(source, target, out_dir)
        existing = read_po(catalog_path) if catalog_path.exists() else None
    except WorkflowError as error:
        outcome.error = error
        return outcome
    segments = extract_segments(article)
    outcome.segments = len(segments)
    outcome.catalog_path = catalog_path
    return _Prepared(outcome, article, segments, existing, catalog_path)


def _needing_mt(prepared: _Prepared) -> list[str]:
    done = {e.msgid for e in prepared.existing or [] if not e.obsolete and e.msgstr}
    return [s.text for s in prepared.segments if s.treatment is Treatment.TRANSLATE and s.text not in done]


def translate_articles(
    paths: Sequence[Path] = (),
    *,
    target: str = "en",
    engine: Engine | None = None,
    out_dir: Path = DEFAULT_OUTPUT_DIR,
    root: Path | None = None,
    on_article: Callable[[ArticleOutcome], None] | None = None,
) -> TranslateReport:
    """Translate `paths` (files or directories; default: every article in source_fr/)."""
    engine = engine or NoneEngine()
    root = root or Path.cwd()
    report = TranslateReport()
    sources, report.path_errors = find_articles(list(paths) or [DEFAULT_SOURCE_DIR])

    prepared: list[_Prepared] = []
    for source in sources:
        item = _prepare(source, target, out_dir)
        if isinstance(item, ArticleOutcome):
            report.outcomes.append(item)
            if on_article:
                on_article(item)
        else:
            prepared.append(item)

    pending = list(dict.fromkeys(text for item in prepared for text in _needing_mt(item)))
    results = engine.translate_batch(pending) if pending else []
    report.engine_segments = len(pending)
    machine: dict[str, Translation | None] = dict(zip(pending, results))

    for item in prepared:
        outcome = item.outcome
        try:
            catalog = build_catalog(
                item.article,
                item.segments,
                target=target,
                reference=reference_path(item.article.path, root),
                date=catalog_date(item.article),
                translations=machine,
                existing=item.existing,
            )
            content = serialize_po(catalog)
            old = item.catalog_path.read_text("utf-8") if item.catalog_path.exists() else None
            if content != old:
                write_po(catalog, item.catalog_path)
                outcome.written = True
            outcome.machine_translated = sum(1 for e in catalog if "fuzzy" in e.flags and not e.obsolete)
        except WorkflowError as error:
            outcome.error = error
        except OSError as error:
            outcome.error = SourceError(f"cannot write catalog: {error.strerror or error}", item.catalog_path)
        report.outcomes.append(outcome)
        if on_article:
            on_article(outcome)
    report.outcomes.sort(key=lambda o: str(o.source))
    return report
