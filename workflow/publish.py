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

import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import polib

from .article import Article, Block, BlockKind, find_articles, read_article
from .catalog import EntryKey, FUZZY, entry_keys, language_info, source_digest
from .errors import WorkflowError
from .extract import SourceSegment, Treatment, extract_segments
from .fsutil import atomic_write_text
from .pofile import read_po
from .translate import DEFAULT_OUTPUT_DIR as DEFAULT_CATALOGS_DIR
from .translate import DEFAULT_SOURCE_DIR, catalog_path_for
from .typography import apply_typography, dateline

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

FORMATS = ("txt", "md", "html")
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
    """Adapter for `workflow.checks`: only error-severity findings block publishing."""
    return [
        Blocker(Path(f.path), f.line, Reason.CHECK, f"[{f.check}] {f.message}")
        for f in findings
        if getattr(f, "severity", "error") == "error"
    ]


# --- one article: catalog → target segments


class SegmentState(StrEnum):
    REVIEWED = "reviewed"
    FUZZY = "fuzzy"
    UNTRANSLATED = "untranslated"


@dataclass(frozen=True)
class TargetSegment:
    source: SourceSegment
    text: str  # what is published: the translation, or the French source when untranslated
    state: SegmentState

    @property
    def unreviewed(self) -> bool:
        return self.state is not SegmentState.REVIEWED


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


# --- rendering


def _pieces(block: Block, article: Article, targets: Sequence[TargetSegment]) -> Iterator[str | TargetSegment]:
    """A block as alternating source gaps (kept verbatim) and target segments."""
    position = block.start
    for target in targets:
        if target.source.start > position:
            yield article.text[position : target.source.start]
        yield target
        position = target.source.end
    if position < block.end:
        yield article.text[position : block.end]


def _by_block(article: Article, targets: Sequence[TargetSegment]) -> list[tuple[Block, list[TargetSegment]]]:
    grouped: dict[int, list[TargetSegment]] = {}
    for target in targets:
        grouped.setdefault(target.source.block.start, []).append(target)
    return [(block, grouped.get(block.start, [])) for block in article.blocks]


def _untranslated_label(target: TargetSegment) -> str:
    return "untranslated" if target.state is SegmentState.UNTRANSLATED else "fuzzy"


def render_txt(article: Article, targets: Sequence[TargetSegment], *, draft: bool = False) -> str:
    """The source's own layout: everything between segments is copied from the source."""
    out: list[str] = []
    position = 0
    for target in sorted(targets, key=lambda t: t.source.start):
        out.append(article.text[position : target.source.start])
        if draft and target.unreviewed:
            out.append(f"⟦{_untranslated_label(target)}: {target.text}⟧")
        else:
            out.append(target.text)
        position = target.source.end
    out.append(article.text[position:])
    return "".join(out)


_MD_INLINE = re.compile(r"([\\`*_\[\]<~])|&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^([ \t]*)(#|>|[-+](?=\s|$)|=+\s*$|-+\s*$|(\d+)([.)])(?=\s|$))", re.MULTILINE)


def _md_escape(text: str) -> str:
    return _MD_INLINE.sub(lambda m: "\\" + m.group(0), text)


def _md_line_starts(text: str) -> str:
    """Characters that only mean something at the start of a line (headings, lists, quotes)."""
    def fix(m: re.Match[str]) -> str:
        if m.group(3) is not None:
            return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"
        return f"{m.group(1)}\\{m.group(2)}"
    return _MD_LINE_START.sub(fix, text)


class _Markup:
    """How one output format writes text, line breaks and draft marks."""

    def escape(self, text: str) -> str:
        raise NotImplementedError

    def line_break(self) -> str:
        raise NotImplementedError

    def mark(self, target: TargetSegment, escaped: str) -> str:
        raise NotImplementedError

    def segment(self, target: TargetSegment, draft: bool) -> str:
        escaped = self.escape(target.text)
        return self.mark(target, escaped) if draft and target.unreviewed else escaped

    def block(self, block: Block, article: Article, targets: Sequence[TargetSegment], draft: bool) -> str:
        """Sentences joined as the source joins them; a line break inside a block stays one."""
        out = []
        for piece in _pieces(block, article, targets):
            if isinstance(piece, TargetSegment):
                out.append(self.segment(piece, draft))
            elif "\n" in piece:
                out.append(self.line_break())
            else:
                out.append(self.escape(piece))
        return "".join(out)

    def dateline_text(self, targets: Sequence[TargetSegment], lang: str, draft: bool) -> str:
        """Metadata lines without their bullets, as one line: `24 Sep. 2018 - … | Last updated: …`."""
        rules = dateline(lang)
        parts = []
        for target in targets:
            text = rules.strip_bullet(target.text) if rules else target.text.strip()
            if not text:
                continue
            shown = TargetSegment(target.source, text, target.state)
            parts.append(self.segment(shown, draft) if (draft and target.unreviewed) else self.dates(text, lang))
        return " ".join(parts)

    def dates(self, text: str, lang: str) -> str:
        return self.escape(text)


class _MarkdownMarkup(_Markup):
    def escape(self, text: str) -> str:
        return _md_escape(text)

    def line_break(self) -> str:
        return "\\\n"

    def mark(self, target: TargetSegment, escaped: str) -> str:
        return f"⟦{_untranslated_label(target)}: {escaped}⟧"


class _HtmlMarkup(_Markup):
    def escape(self, text: str) -> str:
        return html.escape(text, quote=False)

    def line_break(self) -> str:
        return "<br/>\n"

    def mark(self, target: TargetSegment, escaped: str) -> str:
        if target.state is SegmentState.UNTRANSLATED:
            return f'<mark class="unreviewed untranslated" title="untranslated: French source" lang="fr">{escaped}</mark>'
        return f'<mark class="unreviewed fuzzy" title="fuzzy: not reviewed">{escaped}</mark>'

    def dates(self, text: str, lang: str) -> str:
        rules = dateline(lang)
        if rules is None:
            return self.escape(text)
        out, position = [], 0
        for match in rules.dates(text):
            out.append(self.escape(text[position : match.start]))
            out.append(f'<time datetime="{match.iso}">{self.escape(text[match.start : match.end])}</time>')
            position = match.end
        out.append(self.escape(text[position:]))
        return "".join(out)


def render_markdown(article: Article, targets: Sequence[TargetSegment], *, target: str = "en", draft: bool = False) -> str:
    markup = _MarkdownMarkup()
    parts = []
    for block, block_targets in _by_block(article, targets):
        if block.kind is BlockKind.METADATA:
            parts.append(_md_line_starts(markup.dateline_text(block_targets, target, draft)))
            continue
        text = _md_line_starts(markup.block(block, article, block_targets, draft))
        if block.kind is BlockKind.TITLE:
            parts.append("# " + re.sub(r"#+$", lambda m: "\\" + m.group(0), text.replace("\\\n", " ")))
        elif block.kind is BlockKind.LEDE:
            parts.append(f"**{text}**")
        elif block.kind is BlockKind.CAPTION:
            parts.append(f"*{text}*")
        else:
            parts.append(text)
    return "\n\n".join(parts) + "\n"


def render_html(article: Article, targets: Sequence[TargetSegment], *, target: str = "en", draft: bool = False) -> str:
    """A complete, polyglot (HTML5 and well-formed XML) document: no inline styles, classes only."""
    markup = _HtmlMarkup()
    title_targets = [t for t in targets if t.source.block.kind is BlockKind.TITLE]
    title = " ".join(" ".join(t.text for t in title_targets).split()) or article.slug
    body = []
    for block, block_targets in _by_block(article, targets):
        if block.kind is BlockKind.METADATA:
            body.append(f'<p class="dateline">{markup.dateline_text(block_targets, target, draft)}</p>')
            continue
        text = markup.block(block, article, block_targets, draft)
        if block.kind is BlockKind.TITLE:
            body.append(f"<h1>{text}</h1>")
        elif block.kind is BlockKind.LEDE:
            body.append(f'<p class="lede">{text}</p>')
        elif block.kind is BlockKind.CAPTION:
            body.append(f"<figure><figcaption>{text}</figcaption></figure>")
        else:
            body.append(f"<p>{text}</p>")
    head = ['<meta charset="utf-8"/>']
    if draft:
        head.append('<meta name="robots" content="noindex"/>')
        title = f"Draft: {title}"
        unreviewed = sum(1 for t in targets if t.unreviewed)
        notice = (f'<p class="draft-notice">Draft for proofreading, not for publication: '
                  f'{unreviewed} unreviewed segment{"" if unreviewed == 1 else "s"} marked.</p>')
        body.insert(0, notice)
    head.append(f"<title>{html.escape(title, quote=False)}</title>")
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(target)}">',
        "<head>",
        *head,
        "</head>",
        "<body>",
        "<article>",
        *body,
        "</article>",
        "</body>",
        "</html>",
        "",
    ])


def render(article: Article, targets: Sequence[TargetSegment], fmt: str, *, target: str = "en", draft: bool = False) -> str:
    if fmt == "txt":
        return render_txt(article, targets, draft=draft)
    if fmt == "md":
        return render_markdown(article, targets, target=target, draft=draft)
    if fmt == "html":
        return render_html(article, targets, target=target, draft=draft)
    raise WorkflowError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")


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
            if not path.is_file() or path.read_text("utf-8") != content:
                atomic_write_text(path, content)
                outcome.written.append(path)
    except OSError as error:
        outcome.error = WorkflowError(f"cannot write: {error.strerror or error}", getattr(error, "filename", None) or out_dir)
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
