"""`workflow translate`: source articles → one PO catalog per article and language.

Every article is read and checked first, then all segments that need MT across
the whole run go to the engine in one batch (engines batch and sort far better
than per-article calls), then each catalog is merged and written atomically.
A bad article is reported and skipped; the others are still written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polib

from workflow.source.article import Article, BlockKind, find_articles, read_article
from workflow.review.catalog import MergePlan, Suggestion, article_title, build_catalog, entry_keys, plan_merge, reference_path, source_digest, translatable_keys
from workflow.review.drafts import DraftState, draft_state
from workflow.review.locale import target_language
from workflow.review.template import build_template
from workflow.mt.cache import CachedEngine, TranslationCache
from workflow.mt.engines import Engine, NoneEngine, Translation
from workflow.base.project import DEFAULT_CATALOGS_DIR, DEFAULT_SOURCE_DIR, catalog_path_for, template_path_for
from workflow.base.errors import WorkflowError
from workflow.base.epoch import source_date_epoch
from workflow.base.fsutil import CHANGED_ON_DISK, ChangedOnDiskError, atomic_write_bytes, exclusive_lock, read_bytes_or_none, write_if_changed
from workflow.source.extract import SourceSegment, Treatment, extract_segments
from workflow.terms.organisation import article_organisation
from workflow.terms.glossary import Glossary
from workflow.review.memory import DEFAULT_POLICY, ReusePolicy, TranslationMemory, apply_policy
from workflow.terms.drafts import DraftMaker
from workflow.terms.acronyms import article_acronyms, merge as merge_acronyms
from workflow.terms.places import era
from workflow.terms.protect import article_names, find_dates
from workflow.publish.typography import apply_typography
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
_DATE_LINE = re.compile(r"(?<!\d)(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})")


@dataclass
class ArticleOutcome:
    source: Path
    catalog_path: Path | None = None
    error: WorkflowError | None = None
    segments: int = 0
    machine_translated: int = 0
    written: bool = False  # False when the file already had exactly this content
    template_path: Path | None = None
    template_written: bool = False


@dataclass
class RefreshCounts:
    """What `--refresh-mt` did with the machine drafts it found."""

    refreshed: int = 0  # untouched drafts whose msgstr the current engine (or reviewed memory) replaced
    same: int = 0  # untouched drafts the current engine translates exactly as before
    no_output: int = 0  # untouched drafts kept because nothing newer came for them
    edited: int = 0  # drafts a human changed or commented on: never touched
    unknown: int = 0  # drafts written before fingerprints: cannot be told from edited ones, kept

    def add_state(self, state: DraftState) -> None:
        if state is DraftState.EDITED:
            self.edited += 1
        elif state is DraftState.UNKNOWN:
            self.unknown += 1

    def to_json(self) -> dict[str, int]:
        return {
            "refreshed": self.refreshed, "same": self.same, "no_output": self.no_output,
            "kept_edited": self.edited, "kept_unknown": self.unknown,
        }


@dataclass
class TranslateReport:
    outcomes: list[ArticleOutcome] = field(default_factory=list)
    path_errors: list[WorkflowError] = field(default_factory=list)
    engine_segments: int = 0  # distinct segments that needed MT in this run
    engine_calls: int = 0  # translate_batch calls that reached the real engine (cache misses)
    cache_hits: int = 0
    memory_matches: int = 0  # segments filled from the translation memory instead of MT
    refresh: RefreshCounts | None = None  # set when untouched machine drafts were re-translated

    @property
    def errors(self) -> list[WorkflowError]:
        return self.path_errors + [o.error for o in self.outcomes if o.error is not None]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        """`workflow translate --json`."""
        return {
            "catalogs": [
                {
                    "source": str(o.source),
                    "catalog": str(o.catalog_path) if o.catalog_path else None,
                    "template": str(o.template_path) if o.template_path else None,
                    "segments": o.segments,
                    "written": o.written,
                    "error": str(o.error) if o.error else None,
                }
                for o in self.outcomes
            ],
            "errors": [str(e) for e in self.errors],
            "engine_segments": self.engine_segments,
            "engine_calls": self.engine_calls,
            "cache_hits": self.cache_hits,
            "memory_matches": self.memory_matches,
            "refresh": self.refresh.to_json() if self.refresh is not None else None,
        }

    def lines(self, engine_name: str) -> list[str]:
        """What `workflow translate` prints (errors go to stderr separately)."""
        out = []
        for o in self.outcomes:
            if o.error is None:
                fuzzy = f", {o.machine_translated} fuzzy" if o.machine_translated else ""
                out.append(f"{o.catalog_path}: {o.segments} segments{fuzzy}, {'written' if o.written else 'unchanged'}")
        templates = sorted({str(o.template_path.parent) for o in self.outcomes if o.template_written and o.template_path})
        if templates:
            written = sum(1 for o in self.outcomes if o.template_written)
            out.append(f"{written} template(s) written to {', '.join(templates)}")
        done = sum(1 for o in self.outcomes if o.error is None)
        out.append(
            f"{done} catalog(s) up to date, {len(self.errors)} error(s); "
            f"engine {engine_name}: {self.engine_segments} segment(s) needed MT, {self.cache_hits} from cache; "
            f"{self.memory_matches} from the translation memory"
        )
        if self.refresh is not None:
            r = self.refresh
            out.append(
                f"refresh: {r.refreshed} machine draft(s) re-translated, {r.same} came out the same, "
                f"{r.no_output} had no new output; kept as they are: {r.edited} edited or commented by a translator, "
                f"{r.unknown} written before drafts were fingerprinted"
            )
        return out


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
    published: date | None = None  # the article's own date: place names changed over time (Türkiye)


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


def _prepare(
    source: Path, target: str, out_dir: Path, glossary: Glossary | None, refresh: RefreshCounts | None = None
) -> _Prepared | ArticleOutcome:
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
    translatable = translatable_keys(keys, segments)
    plan = plan_merge(keys, existing, translatable)
    if refresh is not None:
        plan.refresh = _untouched_drafts(plan, translatable, refresh)
    outcome.segments = len(segments)
    outcome.catalog_path = catalog_path
    organisation = article_organisation(article.path, article.text) if glossary is not None else None
    return _Prepared(outcome, article, segments, existing, catalog_path, plan, original, organisation,
                     published=published_date(article))


def published_date(article: Article) -> date | None:
    """The article's date: its first date line ("• 25 Sep. 2012 -"), else the first dated French
    date near the top ("24 mai 2018"), else the source file's modification time (as for the
    catalogue header: an archived statement keeps its date on disk)."""
    for block in article.blocks:
        if block.kind is BlockKind.METADATA:
            match = _DATE_LINE.search(block.text)
            if match and match.group(2)[:3].lower() in _MONTHS:
                return date(int(match.group(3)), _MONTHS[match.group(2)[:3].lower()], int(match.group(1)))
    for found in find_dates(article.text[:1500]):
        if found.year is not None:
            return date(found.year, found.month, found.day)
    try:
        return datetime.fromtimestamp(article.path.stat().st_mtime, UTC).date()
    except OSError:
        return None


def _untouched_drafts(plan: MergePlan, translatable: set, counts: RefreshCounts) -> set:
    """Keys whose entry is still exactly a machine draft (see workflow.review.drafts)."""
    untouched = set()
    for key, old in plan.exact.items():
        state = draft_state(old) if key in translatable else None
        if state is DraftState.UNTOUCHED:
            untouched.add(key)
        elif state is not None:
            counts.add_state(state)
    return untouched


def _count_refresh(prepared: _Prepared, catalog: polib.POFile, machine: dict[str, Translation | None], counts: RefreshCounts) -> None:
    """Sort each refreshed draft: replaced, translated the same again, or kept for want of output."""
    written = {(e.msgctxt, e.msgid): e.msgstr for e in catalog if not e.obsolete}
    for key in prepared.plan.refresh:
        suggestion, translation = prepared.memory.get(key.msgid), machine.get(key.msgid)
        if suggestion is None and (translation is None or not translation.text):
            counts.no_output += 1
        elif written.get((key.msgctxt, key.msgid)) != prepared.plan.exact[key].msgstr:
            counts.refreshed += 1
        else:
            counts.same += 1


def _write_template(prepared: _Prepared, catalog: polib.POFile, out_dir: Path, reference: str) -> None:
    """translations/templates/<slug>.pot, rewritten only when its content changes."""
    article = prepared.article
    template = build_template(
        catalog, slug=article.slug, title=article_title(article), reference=reference,
        digest=source_digest(article.text), created=catalog.metadata["POT-Creation-Date"],
    )
    path = template_path_for(article.path, out_dir)
    content = serialize_po(template)
    prepared.outcome.template_path = path
    if write_if_changed(path, content.encode("utf-8")):
        prepared.outcome.template_written = True


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
    refresh_mt: bool = False,
    on_article: Callable[[ArticleOutcome], None] | None = None,
    on_progress: Callable[[list[str], int], None] | None = None,
    raw_mt: bool = False,
) -> TranslateReport:
    """Translate `paths` (files or directories; default: every article in source_fr/).

    `target` is a language code, regional or not (`en`, `en_GB`). `cache_path` keeps
    machine translations in SQLite, so re-running on unchanged sources makes no engine
    call. `memory_path` is the translation memory: refreshed from the reviewed catalogs
    first, then consulted before MT. `refresh_mt` also re-translates untouched machine
    drafts (see `refresh_drafts`). `on_progress`, if given, is called with each chunk of
    source segments once it is translated, and the total to translate. `raw_mt` keeps the
    engine's output as it comes (no protected spans, post-editing or repair: for comparing
    engines); by default every draft is made worth editing (terms/drafts.py), with or without a
    glossary."""
    engine = engine or NoneEngine()
    root = root or Path.cwd()
    target = target_language(target).code  # an unknown language or a bad SOURCE_DATE_EPOCH
    source_date_epoch()  # is a usage error, said once before anything runs
    if out_dir.exists() and not out_dir.is_dir():
        raise WorkflowError("is a file: the output must be a folder (for <lang>/<slug>.po)", out_dir)
    with exclusive_lock(out_dir / LOCK_NAME, "workflow translate"):
        memory = TranslationMemory(memory_path, root=root) if memory_path is not None else None
        try:
            if memory is not None:
                memory.refresh_from_catalogs(sorted((out_dir / target).glob("*.po")))
            return _translate_locked(
                paths, target, engine, out_dir, root, cache_path, glossary, memory, reuse_policy, on_article, on_progress,
                refresh=RefreshCounts() if refresh_mt else None, raw_mt=raw_mt,
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
    refresh: RefreshCounts | None = None,
    raw_mt: bool = False,
) -> TranslateReport:
    report = TranslateReport(refresh=refresh)
    sources, report.path_errors = find_articles(list(paths) or [DEFAULT_SOURCE_DIR])

    prepared: list[_Prepared] = []
    for source in sources:
        item = _prepare(source, target, out_dir, glossary, refresh)
        if isinstance(item, ArticleOutcome):
            report.outcomes.append(item)
            if on_article:
                on_article(item)
        else:
            if memory is not None:
                item.memory = _memory_suggestions(item, memory, reuse_policy)
                report.memory_matches += len(item.memory)
            prepared.append(item)

    # The same sentence can need different terms in a NATO and a UN article, and different place
    # names before and after a name changed (an article's era: places.era).
    when = {era(item.published): item.published for item in reversed(prepared)}
    pending = list(dict.fromkeys((text, item.organisation, era(item.published))
                                 for item in prepared for text in _needing_mt(item)))
    report.engine_segments = len({(text, org) for text, org, _ in pending})
    names = sorted({name for item in prepared for name in article_names(item.article.text)})
    acronyms = merge_acronyms(article_acronyms(item.article.text, glossary, item.organisation) for item in prepared)
    machine = _machine_translate([(text, org, when[key]) for text, org, key in pending], engine, cache_path,
                                 glossary, report, on_progress, names, raw_mt, acronyms)
    by_context: dict[tuple[str | None, tuple[bool, ...] | None], dict[str, Translation | None]] = {}
    for (text, organisation, key), result in zip(pending, machine):
        by_context.setdefault((organisation, key), {})[text] = result

    for item in prepared:
        outcome = item.outcome
        reference = reference_path(item.article.path, root)
        try:
            catalog = build_catalog(
                item.article,
                item.segments,
                target=target,
                reference=reference,
                date=catalog_date(item.article),
                translations=by_context.get((item.organisation, era(item.published)), {}),
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
            if refresh is not None:
                _count_refresh(item, catalog, by_context.get((item.organisation, era(item.published)), {}), refresh)
            _write_template(item, catalog, out_dir, reference)
        except WorkflowError as error:
            outcome.error = error
        report.outcomes.append(outcome)
        if on_article:
            on_article(outcome)
    report.outcomes.sort(key=lambda o: str(o.source))
    return report


def refresh_drafts(paths: Sequence[Path] = (), *, engine: Engine, **options: Any) -> TranslateReport:
    """Re-translate the machine drafts nobody has touched with `engine` (and the reviewed
    memory), and bring every catalog up to date as `translate_articles` does. A draft
    is untouched while it is fuzzy, exactly the machine output that was written, and
    without a translator comment; anything a human edited or reviewed stays as it is.
    Counts are in the report's `refresh`."""
    return translate_articles(paths, engine=engine, refresh_mt=True, **options)


def _machine_translate(
    pending: list[tuple[str, str | None, date | None]],
    engine: Engine,
    cache_path: Path | None,
    glossary: Glossary | None,
    report: TranslateReport,
    on_progress: Callable[[list[str], int], None] | None,
    known_names: Sequence[str] = (),
    raw_mt: bool = False,
    acronyms: dict[str, str] | None = None,
) -> list[Translation | None]:
    """All segments of the run in as few engine calls as possible, through the cache, made into
    drafts (terms/drafts.py): glossary terms, names, numbers… carried through the engine and
    verified, post-edited, source-language leftovers repaired by the engine's alternatives.
    `pending`: (French, organisation, article date); the results come back in the same order."""
    if not pending or isinstance(engine, NoneEngine):
        return [None] * len(pending)
    cache = TranslationCache(cache_path) if cache_path is not None else None
    runner: Engine = CachedEngine(engine, cache) if cache is not None else engine
    alternatives = [CachedEngine(alt, cache) if cache is not None else alt
                    for alt in getattr(engine, "alternatives", lambda: [])()]
    # Names, numbers, post-editing and repair apply with or without a glossary (--no-glossary);
    # only raw_mt (--raw-mt) keeps the engine's own output as it comes.
    drafts = None if raw_mt else DraftMaker(glossary, alternatives=alternatives, finishing=apply_typography)
    machine: dict[int, Translation | None] = {}
    by_length = sorted(range(len(pending)), key=lambda i: len(pending[i][0]))
    chunks = [[(i, *pending[i]) for i in by_length[n : n + MT_CHUNK]] for n in range(0, len(by_length), MT_CHUNK)]
    calls_before = 0
    try:
        if drafts is not None and chunks and not getattr(engine, "keeps_placeholders", False):
            # An engine that drops placeholders gets the plain French and each term alone instead.
            drafts.probe(runner.translate_batch, [t for t, _, _ in pending], [o for _, o, _ in pending], known_names,
                         [w for _, _, w in pending], acronyms)
        for chunk in chunks:
            texts = [text for _, text, _, _ in chunk]
            if drafts is None:
                results = runner.translate_batch(texts)
            else:
                prepared = drafts.prepare(texts, [org for _, _, org, _ in chunk], known_names, [w for *_, w in chunk],
                                          acronyms)
                outputs = runner.translate_batch(prepared.engine_inputs)
                results = [done.translation for done in drafts.finish(prepared, outputs, retry=runner.translate_batch)]
            machine.update(zip((i for i, *_ in chunk), results))
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
    return [machine.get(i) for i in range(len(pending))]
