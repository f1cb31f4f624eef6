"""`workflow translate`: source articles → one PO catalog per article and language.

Every article is read and checked first, then all segments that need MT across
the whole run go to the engine in one batch (engines batch and sort far better
than per-article calls), then each catalog is merged and written atomically.
A bad article is reported and skipped; the others are still written.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib

from workflow.source.article import Article, BlockKind, find_articles, read_article
from workflow.review.catalog import MergePlan, Suggestion, build_catalog, entry_keys, language_info, plan_merge, reference_path, translatable_keys
from workflow.mt.cache import CachedEngine, TranslationCache
from workflow.mt.engines import Engine, NoneEngine, Translation
from workflow.base.project import DEFAULT_CATALOGS_DIR, DEFAULT_SOURCE_DIR, catalog_path_for
from workflow.base.errors import WorkflowError
from workflow.base.epoch import source_date_epoch
from workflow.base.fsutil import CHANGED_ON_DISK, ChangedOnDiskError, atomic_write_bytes, exclusive_lock, read_bytes_or_none
from workflow.source.extract import SourceSegment, Treatment, extract_segments
from workflow.terms.organisation import default_org_for
from workflow.terms.glossary import Glossary
from workflow.review.memory import DEFAULT_POLICY, ReusePolicy, TranslationMemory, apply_policy
from workflow.terms.carry import TermCarrier
from workflow.source.metadata import translate_metadata
from workflow.review.pofile import read_po, serialize_po

DEFAULT_OUTPUT_DIR = DEFAULT_CATALOGS_DIR
DEFAULT_CACHE = Path(".cache/workflow/mt-cache.sqlite")
# MT runs in chunks of this many length-sorted segments, each one batched engine
# call whose results reach the cache at once: an interrupted run loses at most one
# chunk of MT, and the progress display advances per chunk.
MT_CHUNK = 512
LOCK_NAME = ".workflow.lock"

log = logging.getLogger("workflow")

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
    engine_segments: int = 0  # distinct segments that needed MT in this run
    engine_calls: int = 0  # translate_batch calls that reached the real engine (cache misses)
    cache_hits: int = 0
    memory_matches: int = 0  # segments filled from the translation memory instead of MT

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
    plan: MergePlan
    original: bytes | None  # the PO file as read, to detect edits made during the run
    organisation: str | None  # whose terms a bare "secrétaire général" means (glossary context)
    memory: dict[str, Suggestion] = field(default_factory=dict)  # translation-memory matches by msgid


def catalog_date(article: Article, environ: dict[str, str] | None = None) -> datetime:
    """Header date, deterministic for the same inputs: SOURCE_DATE_EPOCH if set, else the
    article's own "last updated" stamp, else the source file's modification time.

    A stamp that names no real moment ("24:00", "31 Feb.") is reported as a `file:line:`
    warning and the next rule applies: one typo never stops the batch."""
    epoch = source_date_epoch(environ)
    if epoch is not None:
        return epoch
    for block in article.blocks:
        if block.kind is not BlockKind.METADATA:
            continue
        for number, line in enumerate(block.text.split("\n"), start=block.line):
            match = _STAMP.search(translate_metadata(line))
            if not match or match.group(2).lower() not in _MONTHS:
                continue
            day, month, year, hour, minute = match.groups()
            try:
                return datetime(int(year), _MONTHS[month.lower()], int(day), int(hour or 0), int(minute or 0), tzinfo=UTC)
            except ValueError as error:
                log.warning(
                    "%s:%d: date %r is not a real moment (%s): the catalog header uses the file's modification time",
                    article.path, number, line.strip(), error,
                )
    return datetime.fromtimestamp(int(article.path.stat().st_mtime), UTC)


def _prepare(source: Path, target: str, out_dir: Path, glossary: Glossary | None) -> _Prepared | ArticleOutcome:
    outcome = ArticleOutcome(source=source)
    try:
        article = read_article(source)
        catalog_path = catalog_path_for(source, target, out_dir)
        original = catalog_path.read_bytes() if catalog_path.exists() else None
        existing = read_po(catalog_path, original) if original is not None else None
    except WorkflowError as error:
        outcome.error = error
        return outcome
    segments = extract_segments(article)
    keys = entry_keys(segments)
    plan = plan_merge(keys, existing, translatable_keys(keys, segments))
    outcome.segments = len(segments)
    outcome.catalog_path = catalog_path
    organisation = default_org_for(article.text) if glossary is not None else None
    return _Prepared(outcome, article, segments, existing, catalog_path, plan, original, organisation)


def _untranslated(prepared: _Prepared) -> list[str]:
    """French segments with neither a kept translation nor the previous one as a suggestion."""
    keys = entry_keys(prepared.segments)
    return [
        seg.text
        for key, seg in zip(keys, prepared.segments)
        if seg.treatment is Treatment.TRANSLATE and not prepared.plan.has_translation(key)
    ]


def _needing_mt(prepared: _Prepared) -> list[str]:
    return [text for text in _untranslated(prepared) if text not in prepared.memory]


def _memory_suggestions(prepared: _Prepared, memory: TranslationMemory, policy: ReusePolicy) -> dict[str, Suggestion]:
    """Reviewed work from other articles (and imported archives) before any MT."""
    matches = memory.lookup(_untranslated(prepared), exclude_origin=prepared.catalog_path)
    suggestions = {}
    for text, match in matches.items():
        msgstr, fuzzy, note = apply_policy(match, policy)
        suggestions[text] = Suggestion(
            msgstr=msgstr, note=note, fuzzy=fuzzy, previous_msgid=None if match.exact else match.source
        )
    return suggestions


def translate_articles(
    paths: Sequence[Path] = (),
    *,
    target: str = "en",
    engine: Engine | None = None,
    out_dir: Path = DEFAULT_OUTPUT_DIR,
    root: Path | None = None,
    cache_path: Path | None = None,
    glossary: Glossary | None = None,
    memory_path: Path | None = None,
    reuse_policy: ReusePolicy = DEFAULT_POLICY,
    on_article: Callable[[ArticleOutcome], None] | None = None,
    on_progress: Callable[[list[str], int], None] | None = None,
) -> TranslateReport:
    """Translate `paths` (files or directories; default: every article in source_fr/).

    `cache_path` keeps machine translations in SQLite, so re-running on unchanged
    sources makes no engine call. `memory_path` is the translation memory: refreshed
    from the reviewed catalogs first, then consulted before MT. `on_progress`, if given, is called with each
    chunk of source segments once it is translated, and the total to translate."""
    engine = engine or NoneEngine()
    root = root or Path.cwd()
    language_info(target)  # an unknown language or a bad SOURCE_DATE_EPOCH is a usage error,
    source_date_epoch()  # said once, before anything runs
    if out_dir.exists() and not out_dir.is_dir():
        raise WorkflowError("is a file: the output must be a folder (for <lang>/<slug>.po)", out_dir)
    with exclusive_lock(out_dir / LOCK_NAME, "workflow translate"):
        memory = TranslationMemory(memory_path, root=root) if memory_path is not None else None
        try:
            if memory is not None:
                memory.refresh_from_catalogs(sorted((out_dir / target).glob("*.po")))
            return _translate_locked(
                paths, target, engine, out_dir, root, cache_path, glossary, memory, reuse_policy, on_article, on_progress
            )
        finally:
            if memory is not None:
                memory.close()


def _translate_locked(
    paths: Sequence[Path],
    target: str,
    engine: Engine,
    out_dir: Path,
    root: Path,
    cache_path: Path | None,
    glossary: Glossary | None,
    memory: TranslationMemory | None,
    reuse_policy: ReusePolicy,
    on_article: Callable[[ArticleOutcome], None] | None,
    on_progress: Callable[[list[str], int], None] | None,
) -> TranslateReport:
    report = TranslateReport()
    sources, report.path_errors = find_articles(list(paths) or [DEFAULT_SOURCE_DIR])

    prepared: list[_Prepared] = []
    for source in sources:
        item = _prepare(source, target, out_dir, glossary)
        if isinstance(item, ArticleOutcome):
            report.outcomes.append(item)
            if on_article:
                on_article(item)
        else:
            if memory is not None:
                item.memory = _memory_suggestions(item, memory, reuse_policy)
                report.memory_matches += len(item.memory)
            prepared.append(item)

    # The same sentence can need different terms in a NATO and a UN article.
    pending = list(dict.fromkeys((text, item.organisation) for item in prepared for text in _needing_mt(item)))
    report.engine_segments = len(pending)
    machine = _machine_translate(pending, engine, cache_path, glossary, report, on_progress)
    by_organisation: dict[str | None, dict[str, Translation | None]] = {}
    for (text, organisation), result in machine.items():
        by_organisation.setdefault(organisation, {})[text] = result

    for item in prepared:
        outcome = item.outcome
        try:
            catalog = build_catalog(
                item.article,
                item.segments,
                target=target,
                reference=reference_path(item.article.path, root),
                date=catalog_date(item.article),
                translations=by_organisation.get(item.organisation, {}),
                existing=item.existing,
                plan=item.plan,
                memory=item.memory,
                glossary=glossary,
            )
            content = serialize_po(catalog).encode("utf-8")
            if content != item.original:
                # Compared with what was read once more just before the rename: a file
                # saved from an editor meanwhile is left alone and reported.
                atomic_write_bytes(item.catalog_path, content, expected=item.original)
                outcome.written = True
            elif read_bytes_or_none(item.catalog_path) != item.original:
                raise ChangedOnDiskError(CHANGED_ON_DISK, item.catalog_path)
            outcome.machine_translated = sum(1 for e in catalog if "fuzzy" in e.flags and not e.obsolete)
        except WorkflowError as error:
            outcome.error = error
        report.outcomes.append(outcome)
        if on_article:
            on_article(outcome)
    report.outcomes.sort(key=lambda o: str(o.source))
    return report


def _machine_translate(
    pending: list[tuple[str, str | None]],
    engine: Engine,
    cache_path: Path | None,
    glossary: Glossary | None,
    report: TranslateReport,
    on_progress: Callable[[list[str], int], None] | None,
) -> dict[tuple[str, str | None], Translation | None]:
    """All segments of the run in as few engine calls as possible, through the cache,
    with glossary terms carried into the output (placeholders, then verified)."""
    if not pending or isinstance(engine, NoneEngine):
        return {}
    cache = TranslationCache(cache_path) if cache_path is not None else None
    runner: Engine = CachedEngine(engine, cache) if cache is not None else engine
    carrier = TermCarrier(glossary) if glossary is not None else None
    machine: dict[tuple[str, str | None], Translation | None] = {}
    by_length = sorted(pending, key=lambda item: len(item[0]))
    chunks = [by_length[i : i + MT_CHUNK] for i in range(0, len(by_length), MT_CHUNK)]
    calls_before = 0
    try:
        for chunk in chunks:
            texts = [text for text, _ in chunk]
            if carrier is None:
                results = runner.translate_batch(texts)
            else:
                prepared = carrier.prepare(texts, [org for _, org in chunk])
                outputs = runner.translate_batch(prepared.engine_inputs)
                results = [
                    replace(done.translation, note=done.comment) if done.translation is not None else None
                    for done in carrier.finish(prepared, outputs, retry=runner.translate_batch)
                ]
            machine.update(zip(chunk, results))
            calls_before += 1
            if on_progress is not None:
                on_progress(texts, len(pending))
    finally:
        if isinstance(runner, CachedEngine):
            report.engine_calls = runner.engine_calls
            report.cache_hits = runner.hits
        else:
            report.engine_calls = calls_before
        if cache is not None:
            cache.close()
    return machine
