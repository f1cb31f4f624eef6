"""Article blocks → positioned source segments, each with how it must be treated.

The equivalent of xgettext's extraction step: it decides what a translator (or
an engine) sees, where it came from, and what never goes to MT.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from workflow.source.article import Article, Block, BlockKind
from workflow.source.metadata import translate_metadata
from workflow.source.segment import segment


class Treatment(StrEnum):
    TRANSLATE = "translate"  # French text: engine or human
    PASSTHROUGH = "passthrough"  # already English (captions): copied, never translated
    RULE = "rule"  # metadata lines: filled by rule


@dataclass(frozen=True)
class SourceSegment:
    text: str
    block: Block
    number: int  # 1-based sentence (or line) number inside the block
    count: int  # sentences in the block
    start: int  # offsets in Article.text
    end: int
    line: int

    @property
    def treatment(self) -> Treatment:
        if self.block.kind is BlockKind.METADATA:
            return Treatment.RULE
        if self.block.language != "fr":
            return Treatment.PASSTHROUGH
        return Treatment.TRANSLATE

    @property
    def position(self) -> str:
        """Where a translator finds it in the article, e.g. `paragraph 3, sentence 2`."""
        kind = self.block.kind
        if kind is BlockKind.METADATA:
            return f"metadata, line {self.number}"
        label = kind.value if kind in (BlockKind.TITLE, BlockKind.LEDE) else f"{kind.value} {self.block.number}"
        if kind in (BlockKind.TITLE, BlockKind.LEDE) and self.count == 1:
            return label
        return f"{label}, sentence {self.number}"

    def rule_translation(self) -> str | None:
        """The target text when it is fixed without MT (metadata and English captions)."""
        if self.treatment is Treatment.RULE:
            return translate_metadata(self.text)
        if self.treatment is Treatment.PASSTHROUGH:
            return self.text
        return None


def extract_segments(article: Article) -> list[SourceSegment]:
    segments: list[SourceSegment] = []
    for block in article.blocks:
        spans = segment(block.text)
        for number, span in enumerate(spans, start=1):
            segments.append(
                SourceSegment(
                    text=span.text,
                    block=block,
                    number=number,
                    count=len(spans),
                    start=block.start + span.start,
                    end=block.start + span.end,
                    line=block.line_of(span.start),
                )
            )
    return segments
