"""HTML fragments in a source article, converted to text before anything reads it.

Text exports sometimes carry raw HTML where the site's editor let it through
(`<p>…&nbsp;…</p>`, `<br>`, a stray `<div style=…`): translated as is, the tags
would reach the engine, the translator and the published English. A block that
holds markup is read the way a browser shows it — with the standard library's
HTML parser, the element lists from lxml — so block elements (`<p>`, `<div>`,
`<li>`…) become paragraphs, `<br>` a line break, entities their characters
(`&nbsp;` a no-break space) and runs of HTML white space one space. Blocks
without markup are kept byte for byte, and every line of the result remembers
its line in the file, so messages still name the right line.
"""

from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from lxml.html import defs

_KNOWN_TAGS = frozenset(defs.tags) | frozenset(defs.html5_tags) | {"main", "template"}
# Elements that start and end a paragraph of their own (HTML4's block elements plus HTML5's sections).
_BLOCK_TAGS = frozenset(defs.block_tags) | frozenset(
    {"article", "aside", "details", "figcaption", "figure", "footer", "header", "hgroup", "main", "nav", "section", "summary"}
)
# Elements whose content is not text for a reader.
_SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript", "svg", "math"})

_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
_UNFINISHED_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\s[^<>]*$")
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass(frozen=True)
class ConvertedText:
    text: str
    line_map: tuple[int, ...]  # line in the file of each line of `text` (1-based)
    markup: tuple[str, ...]  # what was found, e.g. ("<p>", "&nbsp;")
    first_line: int  # first line in the file that held markup


def _markup_in(block: str) -> list[str]:
    found = [f"<{m.group(1).lower()}>" for m in _TAG.finditer(block) if m.group(1).lower() in _KNOWN_TAGS]
    unfinished = _UNFINISHED_TAG.search(block)
    if unfinished and unfinished.group(1).lower() in _KNOWN_TAGS:
        found.append(f"<{unfinished.group(1).lower()}… (unfinished, dropped)")
    for m in _ENTITY.finditer(block):
        name = m.group(1)
        if name.startswith("#") or f"{name};" in html.entities.html5:
            found.append(m.group(0))
    return found


class _Reader(HTMLParser):
    """One block of the file → paragraphs of (line in the file, text) lines."""

    def __init__(self, first_line: int):
        super().__init__(convert_charrefs=True)
        self._line_before = first_line - 1
        self.paragraphs: list[list[tuple[int, str]]] = []
        self._lines: list[tuple[int, str]] = []
        self._parts: list[str] = []
        self._origin: int | None = None
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "br":
            self._end_line()
        elif tag in _BLOCK_TAGS:
            self._end_paragraph()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._end_line()
        elif tag in _BLOCK_TAGS:
            self._end_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        if self._skipping or not data:
            return
        stripped = data.lstrip(" \t\n\r\f")
        if stripped and self._origin is None:
            line, _ = self.getpos()
            self._origin = self._line_before + line + data[: len(data) - len(stripped)].count("\n")
        self._parts.append(_HTML_SPACE.sub(" ", data))

    def _end_line(self) -> None:
        text = re.sub(" {2,}", " ", "".join(self._parts)).strip(" ")
        if text and self._origin is not None:
            self._lines.append((self._origin, text))
        self._parts, self._origin = [], None

    def _end_paragraph(self) -> None:
        self._end_line()
        if self._lines:
            self.paragraphs.append(self._lines)
        self._lines = []

    def read(self, block: str) -> list[list[tuple[int, str]]]:
        self.feed(block)
        if not _UNFINISHED_TAG.match(self.rawdata):
            self.close()  # hands over text held back; an unfinished tag is dropped instead
        self._end_paragraph()
        return self.paragraphs


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last + 1) line indexes of each run of non-blank lines."""
    runs, start = [], None
    for index, line in enumerate(lines):
        if line.strip() and start is None:
            start = index
        elif not line.strip() and start is not None:
            runs.append((start, index))
            start = None
    if start is not None:
        runs.append((start, len(lines)))
    return runs


def html_to_text(text: str) -> ConvertedText | None:
    """The text with every block that holds HTML markup converted; None when there is none."""
    lines = text.split("\n")
    runs = _blocks(lines)
    marked = {run: found for run in runs if (found := _markup_in("\n".join(lines[run[0] : run[1]])))}
    if not marked:
        return None
    out: list[tuple[int, str]] = []
    position = 0
    for start, end in runs:
        out.extend((number + 1, lines[number]) for number in range(position, start))  # blank lines between blocks
        position = end
        if (start, end) not in marked:
            out.extend((number + 1, lines[number]) for number in range(start, end))
            continue
        for index, paragraph in enumerate(_Reader(start + 1).read("\n".join(lines[start:end]))):
            if index:
                out.append((paragraph[0][0], ""))
            out.extend(paragraph)
    out.extend((number + 1, lines[number]) for number in range(position, len(lines)))
    markup = tuple(dict.fromkeys(item for found in marked.values() for item in found))
    first = min(run[0] for run in marked) + 1
    return ConvertedText("\n".join(line for _, line in out), tuple(number for number, _ in out), markup, first)
