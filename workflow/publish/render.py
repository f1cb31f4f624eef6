"""Rendering one article in English: plain text in the source's layout, Markdown, HTML.

Markup characters in a translation are escaped for the format, so a msgstr can never add
structure (a heading, a list, a tag, a code block, a table) that the source does not have:
a line break inside a msgstr (LF, CR, U+2028…) stays a line break inside its block, never
a blank line that would start a new one, and Markdown line starts (indentation, `#`, `>`,
list and table markers) are neutralised. HTML text replaces what XML cannot carry with
U+FFFD; `check` reports such characters before anything is published (qa/characters.py).
Plain text keeps the source's layout exactly; Markdown stays plain (no HTML in it); HTML is
a complete document with semantic markup (article, header, time, figure/figcaption) and a
small embedded stylesheet (data/article.css), so it reads well opened straight from disk
or printed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib.resources import files

from workflow.base.errors import WorkflowError
from workflow.publish.typography import dateline
from workflow.source.article import Article, Block, BlockKind
from workflow.source.extract import SourceSegment

FORMATS = ("txt", "md", "html")


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
# At a line start: headings, quotes, list items, setext underlines, thematic breaks, and
# the delimiter row of a (GFM) table. Indentation is dropped: Markdown ignores it inside
# a paragraph, and four spaces at a paragraph's start would open a code block.
_MD_LINE_START = re.compile(
    r"^[ \t]*(?:(#|>|[-+](?=\s|$)|=+\s*$|-+\s*$|[|:-](?=[|:\- \t]*$)(?=[^|]*\|))|(\d+)([.)])(?=\s|$))?",
    re.MULTILINE,
)
# Line breaks as Python and the segmenter see them (str.splitlines); CRLF counts once.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# What XML 1.0 (and so polyglot HTML) cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _md_escape(text: str) -> str:
    return _MD_INLINE.sub(lambda m: "\\" + m.group(0), text)


def _md_line_starts(text: str) -> str:
    """Characters that only mean something at the start of a line (headings, lists, quotes, tables)."""
    def fix(m: re.Match[str]) -> str:
        if m.group(2) is not None:
            return f"{m.group(2)}\\{m.group(3)}"
        if m.group(1) is not None:
            return f"\\{m.group(1)}"
        return ""
    return _MD_LINE_START.sub(fix, text)


class _Markup:
    """How one output format writes text, line breaks and draft marks."""

    def escape(self, text: str) -> str:
        raise NotImplementedError

    def line_break(self) -> str:
        raise NotImplementedError

    def mark(self, target: TargetSegment, escaped: str) -> str:
        raise NotImplementedError

    def inline(self, text: str) -> str:
        """Escaped text whose line breaks stay line breaks inside the block. Those before
        the first or after the last visible character become spaces: a break there would
        end the block in Markdown (or leave a stray backslash)."""
        pieces = [self.escape(piece) for piece in _LINE_BREAK.split(text)]
        visible = [i for i, piece in enumerate(pieces) if piece.strip()]
        first, last = (visible[0], visible[-1]) if visible else (len(pieces) - 1, len(pieces) - 1)
        out = " ".join(pieces[: first + 1])
        for piece in pieces[first + 1 : last + 1]:
            out += self.line_break() + piece
        for piece in pieces[last + 1 :]:
            out += " " + piece
        return out

    def segment(self, target: TargetSegment, draft: bool) -> str:
        escaped = self.inline(target.text)
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
        """Metadata lines rebuilt as one line, bullets and empty slots dropped:
        `24 Sep. 2018 - 26 Sep. 2018 | Last updated: …`, `25 Sep. 2012 | Last updated: …`.
        In a draft, a dateline with an unreviewed line is marked as a whole."""
        rules = dateline(lang)
        texts = [target.text for target in targets]
        line = rules.rebuild(texts) if rules else " ".join(t.strip() for t in texts if t.strip())
        shown = self.dates(line, lang)
        unreviewed = [t for t in targets if t.unreviewed] if draft else []
        if unreviewed:
            worst = min(unreviewed, key=lambda t: t.state is not SegmentState.UNTRANSLATED)
            shown = self.mark(TargetSegment(worst.source, line, worst.state), shown)
        return shown

    def dates(self, text: str, lang: str) -> str:
        return self.inline(text)


class _MarkdownMarkup(_Markup):
    def escape(self, text: str) -> str:
        return _md_escape(text)

    def line_break(self) -> str:
        return "\\\n"

    def mark(self, target: TargetSegment, escaped: str) -> str:
        return f"⟦{_untranslated_label(target)}: {escaped}⟧"


class _HtmlMarkup(_Markup):
    def escape(self, text: str) -> str:
        return html.escape(_NOT_XML.sub("\ufffd", text), quote=False)

    def line_break(self) -> str:
        return "<br/>\n"

    def mark(self, target: TargetSegment, escaped: str) -> str:
        if target.state is SegmentState.UNTRANSLATED:
            return f'<mark class="unreviewed untranslated" title="untranslated: French source" lang="fr">{escaped}</mark>'
        return f'<mark class="unreviewed fuzzy" title="fuzzy: not reviewed">{escaped}</mark>'

    def dates(self, text: str, lang: str) -> str:
        rules = dateline(lang)
        if rules is None:
            return self.inline(text)
        out, position = [], 0
        for match in rules.dates(text):
            out.append(self.inline(text[position : match.start]))
            out.append(f'<time datetime="{match.iso}">{self.inline(text[match.start : match.end])}</time>')
            position = match.end
        out.append(self.inline(text[position:]))
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
            parts.append("# " + re.sub(r"(?<!\\)#+(?=[ \t]*$)", lambda m: "\\" + m.group(0), text.replace("\\\n", " ")))
        elif block.kind is BlockKind.LEDE:
            parts.append(f"**{text}**")
        elif block.kind is BlockKind.CAPTION:
            parts.append(f"*{text}*")
        else:
            parts.append(text)
    return "\n\n".join(parts) + "\n"


@cache
def stylesheet() -> str:
    """data/article.css without its comments (they are for whoever edits it)."""
    css = (files("workflow") / "data" / "article.css").read_text("utf-8")
    return re.sub(r"/\*.*?\*/\n?", "", css, flags=re.DOTALL).strip()


_HEADER_KINDS = (BlockKind.TITLE, BlockKind.LEDE, BlockKind.METADATA)


def render_html(article: Article, targets: Sequence[TargetSegment], *, target: str = "en", draft: bool = False) -> str:
    """A complete, polyglot (HTML5 and well-formed XML) document: semantic elements, classes,
    one embedded stylesheet, no inline styles. The blocks before the first paragraph
    (title, lede, dateline) form the article's <header>."""
    markup = _HtmlMarkup()
    title_targets = [t for t in targets if t.source.block.kind is BlockKind.TITLE]
    title = " ".join(" ".join(t.text for t in title_targets).split()) or article.slug
    header: list[str] = []
    body: list[str] = []
    for block, block_targets in _by_block(article, targets):
        into = header if block.kind in _HEADER_KINDS and not body else body
        if block.kind is BlockKind.METADATA:
            into.append(f'<p class="dateline">{markup.dateline_text(block_targets, target, draft)}</p>')
            continue
        text = markup.block(block, article, block_targets, draft)
        if block.kind is BlockKind.TITLE:
            into.append(f"<h1>{text}</h1>")
        elif block.kind is BlockKind.LEDE:
            into.append(f'<p class="lede">{text}</p>')
        elif block.kind is BlockKind.CAPTION:
            into.append(f"<figure><figcaption>{text}</figcaption></figure>")
        else:
            into.append(f"<p>{text}</p>")
    head = ['<meta charset="utf-8"/>', '<meta name="viewport" content="width=device-width, initial-scale=1"/>']
    if draft:
        head.append('<meta name="robots" content="noindex"/>')
        title = f"Draft: {title}"
        unreviewed = sum(1 for t in targets if t.unreviewed)
        header.insert(0, (
            f'<p class="draft-notice">Draft for proofreading, not for publication: '
            f'{unreviewed} unreviewed segment{"" if unreviewed == 1 else "s"} marked — '
            '<mark class="unreviewed fuzzy">machine draft, not reviewed</mark>, '
            '<mark class="unreviewed untranslated">untranslated, French source shown</mark>.</p>'
        ))
    head.append(f"<title>{markup.escape(title)}</title>")
    head.append(f"<style>\n{stylesheet()}\n</style>")
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(target.replace("_", "-"))}">',
        "<head>",
        *head,
        "</head>",
        "<body>",
        "<article>",
        *(["<header>", *header, "</header>"] if header else []),
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
