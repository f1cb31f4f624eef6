"""`workflow publish`: reviewed PO catalogs → English articles (txt, Markdown, HTML).

Each article is rebuilt from its source, not from the catalog: the source text
is kept as it is and only each segment's span is replaced by its translation, so
block structure, sentence joins, indentation and the final newline all come out
as the source has them. The catalog only supplies the words.

Publishing is gated. An article is written only when its catalog is current
(same source digest as at the last `translate`), every entry is translated and
not fuzzy, and the `check` hook reports no errors. Otherwise nothing is written
for it and each blocker is reported as `file:line: reason: detail`, so an editor
can jump to it. A file published earlier for a now-blocked article is left
where it is (taking published copy down is an editorial act, not a side effect)
and the report says so. Drafts (`draft=True`) skip the review gate, go to a
separate folder, mark every unreviewed segment, and never count as published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import polib

from workflow.source.article import Article, find_articles, read_article
from workflow.review.catalog import EntryKey, FUZZY, entry_keys, language_info, source_digest
from workflow.base.errors import WorkflowError
from workflow.source.extract import Treatment, extract_segments
from workflow.base.fsutil import write_if_changed
from workflow.review.pofile import read_po
from workflow.base.project import DEFAULT_CATALOGS_DIR, DEFAULT_SOURCE_DIR, catalog_path_for
from workflow.publish.render import FORMATS, SegmentState, TargetSegment, render
from workflow.publish.typography import apply_typography

__all__ = [
    "FORMATS",
    "Blocker",
    "Reason",
    "SegmentState",
    "Status",
    "TargetSegment",
    "PublishOutcome",
    "PublishReport",
    "publish_articles",
    "resolve_segments",
    "render",
    "blockers_from_findings",
    "format_report",
]

DEFAULT_PUBLISH_DIR = Path("published")
DEFAULT_DRAFT_DIR = Path("published-drafts")
DIGEST_HEADER = "X-Source-SHA256"
RUN_TRANSLATE = "run `workflow translate` first"
_EXCERPT = 60


class Reason(StrEnum):
    UNTRANSLATED = "untranslated"
    FUZZY = "fuzzy"
    MISSING_ENTRY = "missing entry"
    CHECK = "check error"
    STALE = "stale catalog"
    MISSING_CATALOG = "missing catalog"


# Reasons a draft cannot get past either: without a current catalog there is
# nothing that lines up with the source to proofread.
_REFUSED_EVEN_AS_DRAFT = {Reason.STALE, Reason.MISSING_CATALOG}


@dataclass(frozen=True)
class Blocker:
    path: Path
    line: int | None
    reason: str
    detail: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.reason}: {self.detail}" if self.detail else f"{where}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "line": self.line, "reason": str(self.reason), "detail": self.detail, "message": self.format()}


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return f'"{text[:_EXCERPT].rstrip()}…"' if len(text) > _EXCERPT else f'"{text}"'


def blockers_from_findings(findings: Iterable[Any]) -> list[Blocker]:
    """Adapter for `workflow.qa.checks`: only error-severity findings block publishing."""
    return [
        Blocker(Path(f.path), f.line, Reason.CHECK, f"[{f.check}] {f.message}")
        for f in findings
        if getattr(f, "severity", "error") == "error"
    ]


# --- one article: catalog → target segments


def _msgid_lines(path: Path, catalog: polib.POFile) -> dict[EntryKey, int]:
    """The `msgid` line of each entry: the line an editor should jump to."""
    lines = path.read_text("utf-8").split("\n")
    found: dict[EntryKey, int] = {}
    for entry in catalog:
        if entry.obsolete:
            continue
        number = entry.linenum or 1
        while number <= len(lines) and not lines[number - 1].startswith("msgid "):
            number += 1
        found[EntryKey(entry.msgctxt, entry.msgid)] = number if number <= len(lines) else entry.linenum
    return found


def _header_line(path: Path, name: str) -> int | None:
    for number, line in enumerate(path.read_text("utf-8").split("\n"), start=1):
        if line.startswith(f'"{name}:'):
            return number
    return None


def stale_blocker(article: Article, catalog: polib.POFile, catalog_path: Path) -> Blocker | None:
    """A catalog is current only if it records the digest of exactly this source."""
    recorded = catalog.metadata.get(DIGEST_HEADER, "").strip()
    if not recorded:
        return Blocker(catalog_path, None, Reason.STALE, f"no {DIGEST_HEADER} header (catalog predates source tracking): {RUN_TRANSLATE}")
    if recorded != source_digest(article.text):
        return Blocker(catalog_path, _header_line(catalog_path, DIGEST_HEADER), Reason.STALE,
                       f"source changed since the last translate: {RUN_TRANSLATE}")
    return None


def resolve_segments(
    article: Article,
    catalog: polib.POFile,
    catalog_path: Path,
    *,
    target: str = "en",
    typography: bool = True,
) -> tuple[list[TargetSegment], list[Blocker]]:
    """Each source segment with its published text, and what keeps the article from publishing.

    `typography=False` publishes msgstr exactly as written (the fidelity test
    relies on it: msgstr := msgid must give the source back byte for byte)."""
    segments = extract_segments(article)
    entries = {EntryKey(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
    lines = _msgid_lines(catalog_path, catalog)
    blockers: dict[tuple[str, EntryKey], Blocker] = {}

    # Every live entry counts, even one no segment uses any more.
    for key, entry in entries.items():
        if not entry.msgstr:
            blockers[("entry", key)] = Blocker(catalog_path, lines.get(key), Reason.UNTRANSLATED, _excerpt(key.msgid))
        elif FUZZY in entry.flags:
            blockers[("entry", key)] = Blocker(catalog_path, lines.get(key), Reason.FUZZY, _excerpt(key.msgid))

    targets: list[TargetSegment] = []
    for key, seg in zip(entry_keys(segments), segments):
        entry = entries.get(key)
        if entry is None:
            blockers.setdefault(("missing", key), Blocker(
                catalog_path, None, Reason.MISSING_ENTRY,
                f"{_excerpt(seg.text)} ({article.path}:{seg.line}): {RUN_TRANSLATE}"))
            targets.append(TargetSegment(seg, seg.text, SegmentState.UNTRANSLATED))
            continue
        if not entry.msgstr:
            targets.append(TargetSegment(seg, seg.text, SegmentState.UNTRANSLATED))
            continue
        text = entry.msgstr
        if typography and seg.treatment is not Treatment.RULE:
            text = apply_typography(text, target)
        state = SegmentState.FUZZY if FUZZY in entry.flags else SegmentState.REVIEWED
        targets.append(TargetSegment(seg, text, state))
    ordered = sorted(blockers.values(), key=lambda b: (b.line is None, b.line or 0))
    return targets, ordered


# --- the job


class Status(StrEnum):
    PUBLISHED = "published"
    DRAFTED = "drafted"
    BLOCKED = "blocked"
    FAILED = "failed"  # the source or catalog could not be read, or a write failed


@dataclass
class PublishOutcome:
    source: Path
    status: Status = Status.FAILED
    catalog_path: Path | None = None
    blockers: list[Blocker] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # every output of this article (written or already identical)
    written: list[Path] = field(default_factory=list)  # those whose content changed
    left_in_place: list[Path] = field(default_factory=list)  # earlier published files of a now-blocked article
    segments: int = 0
    unreviewed: int = 0
    error: WorkflowError | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": str(self.source),
            "catalog": str(self.catalog_path) if self.catalog_path else None,
            "status": str(self.status),
            "files": [str(p) for p in self.files],
            "written": [str(p) for p in self.written],
            "left_in_place": [str(p) for p in self.left_in_place],
            "segments": self.segments,
            "unreviewed": self.unreviewed,
            "blockers": [b.to_json() for b in self.blockers],
            "error": str(self.error) if self.error else None,
        }


@dataclass
class PublishReport:
    outcomes: list[PublishOutcome] = field(default_factory=list)
    path_errors: list[WorkflowError] = field(default_factory=list)
    out_dir: Path | None = None
    draft: bool = False

    def _count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def published(self) -> int:
        return self._count(Status.PUBLISHED)

    @property
    def drafted(self) -> int:
        return self._count(Status.DRAFTED)

    @property
    def blocked(self) -> int:
        return self._count(Status.BLOCKED)

    @property
    def failed(self) -> int:
        return self._count(Status.FAILED) + len(self.path_errors)

    @property
    def errors(self) -> list[WorkflowError]:
        return self.path_errors + [o.error for o in self.outcomes if o.error is not None]

    @property
    def ok(self) -> bool:
        return not self.blocked and not self.failed

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def to_json(self) -> dict[str, Any]:
        return {
            "draft": self.draft,
            "out_dir": str(self.out_dir) if self.out_dir else None,
            "published": self.published,
            "drafted": self.drafted,
            "blocked": self.blocked,
            "failed": self.failed,
            "articles": [o.to_json() for o in self.outcomes],
            "errors": [str(e) for e in self.path_errors],
        }


def _output_path(out_dir: Path, article: Article, fmt: str) -> Path:
    return out_dir / f"{article.slug}.{fmt}"


def _publish_one(
    source: Path,
    *,
    target: str,
    catalogs_dir: Path,
    out_dir: Path,
    formats: Sequence[str],
    draft: bool,
    typography: bool,
    check: Callable[[Path], list[Blocker]] | None,
) -> PublishOutcome:
    outcome = PublishOutcome(source=source)
    targets: list[TargetSegment] = []
    try:
        article = read_article(source)
        catalog_path = catalog_path_for(source, target, catalogs_dir)
        outcome.catalog_path = catalog_path
        if not catalog_path.is_file():
            outcome.blockers = [Blocker(catalog_path, None, Reason.MISSING_CATALOG, f"no catalog for {source}: {RUN_TRANSLATE}")]
        else:
            catalog = read_po(catalog_path)
            stale = stale_blocker(article, catalog, catalog_path)
            if stale is not None:
                outcome.blockers = [stale]  # entries of another source version say nothing useful
            else:
                targets, outcome.blockers = resolve_segments(article, catalog, catalog_path, target=target, typography=typography)
                if check is not None:
                    outcome.blockers += check(catalog_path)
                outcome.segments = len(targets)
                outcome.unreviewed = sum(1 for t in targets if t.unreviewed)
    except WorkflowError as error:
        outcome.error = error
        return outcome

    refused = any(b.reason in _REFUSED_EVEN_AS_DRAFT for b in outcome.blockers)
    if refused or (outcome.blockers and not draft):
        outcome.status = Status.BLOCKED
        if not draft:
            outcome.left_in_place = [p for fmt in FORMATS if (p := _output_path(out_dir, article, fmt)).exists()]
        return outcome

    try:
        for fmt in formats:
            path = _output_path(out_dir, article, fmt)
            content = render(article, targets, fmt, target=target, draft=draft)
            outcome.files.append(path)
            if write_if_changed(path, content.encode("utf-8")):
                outcome.written.append(path)
    except WorkflowError as error:
        outcome.error = error
        return outcome
    outcome.status = Status.DRAFTED if draft else Status.PUBLISHED
    return outcome


def normalize_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """`["txt,md", "html"]` → `("txt", "md", "html")`: the CLI may pass repeats or comma lists."""
    chosen: list[str] = []
    for item in formats:
        for name in item.split(","):
            name = name.strip().lower()
            if name == "markdown":
                name = "md"
            if not name:
                continue
            if name not in FORMATS:
                raise WorkflowError(f"unknown output format {name!r} (choose from {', '.join(FORMATS)})")
            if name not in chosen:
                chosen.append(name)
    if not chosen:
        raise WorkflowError(f"no output format given (choose from {', '.join(FORMATS)})")
    return tuple(chosen)


def publish_articles(
    sources: Sequence[Path] = (),
    *,
    target: str = "en",
    catalogs_dir: Path = DEFAULT_CATALOGS_DIR,
    out_dir: Path | None = None,
    formats: Sequence[str] = ("txt",),
    draft: bool = False,
    check: Callable[[Path], list[Blocker]] | None = None,
    typography: bool = True,
    on_article: Callable[[PublishOutcome], None] | None = None,
) -> PublishReport:
    """Publish `sources` (files or directories; default: every article in source_fr/).

    Every article is processed even when others are blocked or fail. `check`
    returns blockers for a catalog path (see `blockers_from_findings`).
    `out_dir` defaults to published/<lang>, or published-drafts/<lang> for drafts."""
    language_info(target)  # an unknown language is a usage error, before anything runs
    chosen = normalize_formats(formats)
    if out_dir is None:
        out_dir = (DEFAULT_DRAFT_DIR if draft else DEFAULT_PUBLISH_DIR) / target
    report = PublishReport(out_dir=out_dir, draft=draft)
    paths, report.path_errors = find_articles(list(sources) or [DEFAULT_SOURCE_DIR])
    for source in paths:
        outcome = _publish_one(
            source, target=target, catalogs_dir=catalogs_dir, out_dir=out_dir,
            formats=chosen, draft=draft, typography=typography, check=check,
        )
        report.outcomes.append(outcome)
        if on_article is not None:
            on_article(outcome)
    return report


def format_report(report: PublishReport) -> list[str]:
    """The lines the CLI prints to stdout (path errors go to stderr as `error: …`)."""
    lines: list[str] = []
    for outcome in report.outcomes:
        if outcome.status in (Status.PUBLISHED, Status.DRAFTED):
            verb = "published" if outcome.status is Status.PUBLISHED else "draft"
            extra = f", {outcome.unreviewed} unreviewed marked" if outcome.status is Status.DRAFTED else ""
            unchanged = "" if outcome.written else " (unchanged)"
            files = ", ".join(str(p) for p in outcome.files)
            lines.append(f"{verb} {outcome.source} → {files}{unchanged}{extra}")
        elif outcome.status is Status.BLOCKED:
            count = len(outcome.blockers)
            kept = ""
            if outcome.left_in_place:
                kept = "; earlier " + ", ".join(str(p) for p in outcome.left_in_place) + " left as it was"
            lines.append(f"blocked {outcome.source}: {count} blocker{'' if count == 1 else 's'}, nothing written{kept}")
            lines.extend(b.format() for b in outcome.blockers)
        else:
            lines.append(f"failed {outcome.source}: {outcome.error}")
        if outcome.status is Status.DRAFTED:
            lines.extend(b.format() for b in outcome.blockers if b.reason == Reason.CHECK)
    total = len(report.outcomes)
    counts = [f"{report.drafted} drafted" if report.draft else f"{report.published} published", f"{report.blocked} blocked"]
    if report.failed:
        counts.append(f"{report.failed} failed")
    lines.append(f"{total} article{'' if total == 1 else 's'}: " + ", ".join(counts))
    return lines
