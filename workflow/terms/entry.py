"""The glossary's data model: one entry per CSV row, the matches and violations found with it.

Also what counts as "the same character" in a term (apostrophes, hyphens, spaces), which both the
French finder and the English checker rely on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

COLUMNS = ("id", "fr", "en", "type", "context", "fr_variants", "en_variants", "en_forbidden",
           "pos", "status", "note", "source", "domain")
REQUIRED_COLUMNS = ("id", "fr", "en", "type")
LIST_SEPARATOR = "|"

TERM, DO_NOT_TRANSLATE, FORBIDDEN = "term", "do-not-translate", "forbidden"
TYPES = (TERM, DO_NOT_TRANSLATE, FORBIDDEN)
# TBX-Basic's partOfSpeech picklist, so that a CSV value always exports.
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "other")
CONTEXT_KEYS = ("org",)
# Ids become xml:id-like TBX conceptEntry ids, so they must be XML names.
ID_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")

# ---------------------------------------------------------------------------------------------
# Typography: what counts as "the same character" when matching.

APOSTROPHES = "'’ʼ‘´"
HYPHENS = "-\u2010\u2011"
HORIZONTAL_SPACES = " \t\u00a0\u202f\u2009"
APOSTROPHE_CLASS = "[" + re.escape(APOSTROPHES) + "]"
HYPHEN_CLASS = "[" + re.escape(HYPHENS) + "]"
# French terms never span a line break: a newline is a segment boundary in this project.
FR_GAP = "[" + HORIZONTAL_SPACES + "]+"
EN_GAP = r"\s+"
# French capitals often lose their accent ("Etats-Unis"): accept the bare letter for a capital.
ACCENTLESS_CAPITALS = {"É": "E", "È": "E", "Ê": "E", "À": "A", "Â": "A", "Î": "I", "Ô": "O", "Ç": "C", "Û": "U"}



@dataclass(frozen=True)
class Entry:
    """One glossary row. Lists are tuples so that entries can be compared and hashed."""

    id: str
    fr: str
    en: str
    type: str = TERM
    context: str = ""
    fr_variants: tuple[str, ...] = ()
    en_variants: tuple[str, ...] = ()
    en_forbidden: tuple[str, ...] = ()
    pos: str = "noun"
    status: str = ""
    note: str = ""
    source: str = ""
    domain: str = ""  # subject field(s), "|"-separated: which homonym a reference hint is
    path: Path | None = field(default=None, compare=False, repr=False)
    line: int | None = field(default=None, compare=False, repr=False)

    @cached_property
    def org(self) -> str | None:
        return parse_context(self.context).get("org")

    @property
    def french_forms(self) -> tuple[str, ...]:
        return tuple(f for f in (self.fr, *self.fr_variants) if f)

    @property
    def english_forms(self) -> tuple[str, ...]:
        """Renderings the English may use; for a forbidden entry, none."""
        if self.type == FORBIDDEN:
            return ()
        return tuple(dict.fromkeys(e for e in (self.en or self.fr, *self.en_variants) if e))

    @property
    def banned_english(self) -> tuple[str, ...]:
        head = (self.en,) if self.type == FORBIDDEN and self.en else ()
        return tuple(dict.fromkeys((*head, *self.en_forbidden)))

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.path and self.line else self.id

    def to_row(self) -> dict[str, str]:
        row = {name: getattr(self, name) for name in COLUMNS}
        for name in ("fr_variants", "en_variants", "en_forbidden"):
            row[name] = LIST_SEPARATOR.join(row[name])
        return row


@dataclass(frozen=True)
class Alternative:
    """Another reading of the same French in a reference layer (a homonym from another subject field)."""

    id: str
    en: str
    domain: str = ""


class TermMatch(NamedTuple):
    """A glossary term found in French text; start/end are str offsets (text[start:end] == text).

    `layer` is empty for the house glossary; a reference-layer match names its layer, its id is
    "layer:entry-id", and `alternatives` holds the layer's other readings of the same French.
    (A named tuple: a megabyte of French holds tens of thousands of them.)
    """

    id: str
    start: int
    end: int
    text: str
    fr: str
    en: str
    layer: str = ""
    domain: str = ""
    alternatives: tuple[Alternative, ...] = ()

    def as_dict(self) -> dict:
        """The JSON contract: {id, start, end, text, fr, en}, plus layer, domain and alternatives for
        reference-layer matches."""
        data = self._asdict()
        if not self.layer:
            for name in ("layer", "domain", "alternatives"):
                del data[name]
        else:
            data["alternatives"] = [asdict(a) for a in self.alternatives]
        return data



@dataclass(frozen=True)
class TermIssue:
    """A glossary violation in an English translation.

    kind "missing": a French term's English rendering is absent (source_span points into the French);
    kind "forbidden": a banned English form is used (target_span points into the English).
    """

    kind: str
    id: str
    fr: str
    en: str
    text: str
    message: str
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None



def parse_context(context: str) -> dict[str, str]:
    pairs = {}
    for part in context.split(";"):
        if "=" in part:
            key, _, value = part.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


_APOSTROPHE = re.compile("[" + re.escape(APOSTROPHES) + "]")
_HYPHEN = re.compile("[" + re.escape(HYPHENS) + "]")


def french_key(term: str) -> str:
    """How two French forms compare: the scanner's own equivalences (case, apostrophes, spaces, hyphens)."""
    term = unicodedata.normalize("NFC", term)
    term = _APOSTROPHE.sub("'", term)
    term = _HYPHEN.sub("-", term)
    return " ".join(term.split()).casefold()


def is_acronym(segment: str) -> bool:
    """Some capital and no lower-case letter (OTAN, M., 11-S)."""
    if segment.isupper():
        return True
    if segment.islower() or not segment:
        return False
    return any(c.isupper() for c in segment) and not any(c.islower() for c in segment)


