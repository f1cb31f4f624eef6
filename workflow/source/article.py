"""Read nato.int text exports into typed blocks.

An export is blocks separated by blank lines: the title, an optional lede
(subtitle) before the date lines, the metadata (date) lines, then paragraphs with
photo captions among them — often English captions inside the French text.
Every block keeps its exact characters and knows where it stands in the file,
so messages can name a line and publishing can rebuild the source layout.
HTML fragments that slipped into an export are converted to text first, with a
warning (source/markup.py): they are never translated as markup.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from workflow.base.errors import SourceError, WorkflowError
from workflow.base.reserved import first_reserved
from workflow.source.language import detect_language
from workflow.source.markup import html_to_text
from workflow.source.metadata import is_metadata_block

log = logging.getLogger("workflow")

SOURCE_SUFFIX = ".txt"


class BlockKind(StrEnum):
    TITLE = "title"
    LEDE = "lede"
    METADATA = "metadata"
    PARAGRAPH = "paragraph"
    CAPTION = "caption"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str  # exact source characters, first line's indentation and trailing blanks excluded
    line: int  # 1-based line of the block's first character
    start: int  # offsets of `text` in Article.text
    end: int
    language: str  # "fr", or "en" for English captions passed through untouched
    number: int  # 1-based among blocks of the same kind
    lines: tuple[int, ...] = ()  # file line of each line of `text`, when converted from HTML

    def line_of(self, offset: int) -> int:
        """Source line of a character offset inside this block's text."""
        index = self.text.count("\n", 0, offset)
        return self.lines[index] if self.lines else self.line + index


@dataclass(frozen=True)
class Article:
    path: Path
    text: str
    blocks: tuple[Block, ...]

    @property
    def slug(self) -> str:
        return self.path.stem


def read_utf8(path: Path, error: type[WorkflowError] = SourceError) -> str:
    """Decode a file strictly: a wrong byte is reported with its offset and line, never replaced."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise error("is a directory, not a file", path) from None
    except FileNotFoundError:
        raise error("no such file", path) from None
    except OSError as problem:
        raise error(f"cannot read file: {problem.strerror or problem}", path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise error(
            f"not valid UTF-8: byte 0x{data[problem.start]:02x} at byte offset {problem.start}"
            " (save the file as UTF-8)",
            path,
            line,
        ) from None


def read_source_text(path: Path) -> str:
    """An article's text: strict UTF-8, BOM dropped, LF line ends (from LF, CRLF or old
    Mac CR-only files), not empty."""
    text = read_utf8(path).removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceError("empty article: no text to translate", path)
    reserved = first_reserved(text)
    if reserved is not None:
        # No PO or MO file can hold it; in an article it means a binary or damaged file.
        offset, why = reserved
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise SourceError(f"{why} (column {column}): is this a binary or damaged file?", path, line)
    return text


def _raw_blocks(text: str) -> list[tuple[int, int, int]]:
    """(start, end, line) of each run of non-blank lines."""
    blocks: list[tuple[int, int, int]] = []
    offset = 0
    current: list[int] | None = None  # [start, end, line]
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            content_end = offset + len(line.rstrip())
            if current is None:
                current = [offset + len(line) - len(line.lstrip()), content_end, number]
            else:
                current[1] = content_end
        elif current is not None:
            blocks.append((current[0], current[1], current[2]))
            current = None
        offset += len(line) + 1
    if current is not None:
        blocks.append((current[0], current[1], current[2]))
    return blocks


def _classify(texts: list[str]) -> list[tuple[BlockKind, str]]:
    """Kinds follow the export's layout: title first, lede until the date lines."""
    metadata = [is_metadata_block(t) for t in texts]
    first_metadata = next((i for i, is_meta in enumerate(metadata) if is_meta and i > 0), None)
    kinds: list[tuple[BlockKind, str]] = []
    for index, text in enumerate(texts):
        language = detect_language(text)
        if metadata[index] and index > 0:
            kind = BlockKind.METADATA
        elif index == 0:
            kind = BlockKind.TITLE
        elif language == "en":
            kind = BlockKind.CAPTION
        elif first_metadata is not None and index < first_metadata:
            kind = BlockKind.LEDE
        else:
            kind = BlockKind.PARAGRAPH
        kinds.append((kind, "fr" if kind is BlockKind.METADATA else language))
    return kinds


def parse_article(text: str, path: Path) -> Article:
    """Blocks of an export; `Article.text` is the text after any HTML conversion."""
    line_map: tuple[int, ...] = ()
    converted = html_to_text(text)
    if converted is not None:
        text, line_map = converted.text, converted.line_map
        log.warning(
            "%s:%d: HTML in the source (%s) converted to text, so it is not translated as markup; "
            "check the paragraphs", path, converted.first_line, ", ".join(converted.markup),
        )
    raw = _raw_blocks(text)
    texts = [text[start:end] for start, end, _ in raw]
    counters: dict[BlockKind, int] = {}
    blocks = []
    for (start, end, line), block_text, (kind, language) in zip(raw, texts, _classify(texts)):
        counters[kind] = counters.get(kind, 0) + 1
        lines = line_map[line - 1 : line + block_text.count("\n")] if line_map else ()
        blocks.append(Block(kind, block_text, lines[0] if lines else line, start, end, language, counters[kind], lines))
    return Article(path=path, text=text, blocks=tuple(blocks))


def read_article(path: Path) -> Article:
    return parse_article(read_source_text(path), path)


def find_articles(paths: list[Path]) -> tuple[list[Path], list[SourceError]]:
    """Expand directories into their article files; bad paths become errors, not exceptions,
    so one wrong argument does not stop a batch."""
    found: list[Path] = []
    errors: list[SourceError] = []
    for path in paths:
        if path.is_dir():
            articles = sorted(p for p in path.glob(f"*{SOURCE_SUFFIX}") if p.is_file())
            if not articles:
                errors.append(SourceError(f"no articles (*{SOURCE_SUFFIX}) in this directory", path))
            found.extend(articles)
        elif path.exists():
            found.append(path)
        else:
            errors.append(SourceError("no such file or directory", path))
    return found, errors
