"""Invisible characters in a translation that would reach published copy.

A control character (BEL, ESC, a C1 code, a stray CR) or a line separator (U+2028,
U+2029) pasted from a word processor or left by an engine breaks feeds and XML and
prints as garbage; a bidirectional control (RLO, LRI, RLM…) is invisible in a PO
editor yet reorders the text that follows when published ("Trojan Source"). Neither
has a place in English news copy, so both are reported with their code point, name and
position. Categories come from Unicode (unicodedata), not from a typed-in list.

Self-contained: `check_characters(source, target)` is registered in qa/checks.py as the
family below; its ids and severities are in data/qa_checks.toml ([families.characters]).
"""

from __future__ import annotations

import unicodedata

from workflow.qa.findings import Issue
from workflow.qa.rules import issue

FAMILY = "characters"
CONTROL = "characters.control"
BIDI = "characters.bidi"

_ALLOWED_CONTROLS = frozenset("\t\n")  # tabs and newlines have their own (whitespace) checks
# Embeddings, overrides and isolates by their Unicode bidirectional class; the three marks
# (LRM, RLM, ALM) are ordinary L/R/AL characters to unicodedata, so they are named here.
_BIDI_CLASSES = frozenset({"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"})
_BIDI_MARKS = frozenset("\u200e\u200f\u061c")


def _kind(char: str) -> str | None:
    if char in _BIDI_MARKS or unicodedata.bidirectional(char) in _BIDI_CLASSES:
        return BIDI
    if char in _ALLOWED_CONTROLS:
        return None
    if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
        return CONTROL
    return None


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def check_characters(source: str, target: str) -> list[Issue]:
    """One issue per kind, naming every offending character once with its first position."""
    found: dict[str, dict[str, int]] = {}
    for position, char in enumerate(target, start=1):
        kind = _kind(char)
        if kind is not None:
            found.setdefault(kind, {}).setdefault(char, position)
    issues = []
    for kind, what in ((CONTROL, "control character"), (BIDI, "bidirectional control")):
        chars = found.get(kind)
        if not chars:
            continue
        listed = ", ".join(f"{_describe(char)} at character {position}" for char, position in chars.items())
        effect = ("reorders the text around it when published" if kind == BIDI
                  else "breaks published text and feeds")
        plural = "s" if len(chars) > 1 else ""
        issues.append(issue(kind, f"invisible {what}{plural} in the translation ({listed}): {effect}; remove it"))
    return issues
