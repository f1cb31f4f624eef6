"""Checking English renderings of glossary terms, strict where house style is strict.

Hyphens, capitals and spelling are what house style cares about; only plural, possessive and
typographic variants are tolerated. Used to verify terms carried through MT and by the QA check.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workflow.terms.entry import APOSTROPHE_CLASS, APOSTROPHES, EN_GAP, FORBIDDEN, HYPHEN_CLASS, HYPHENS, Entry, TermIssue, TermMatch, is_acronym
from workflow.terms.glossary import Glossary


@lru_cache(maxsize=4096)
def english_pattern(form: str) -> re.Pattern[str]:
    """A house-style English form, tolerating only plural, possessive and typographic variants.

    Hyphen characters (-, U+2010, U+2011) are interchangeable, as are spaces and apostrophes;
    a hyphen never matches a space: "Secretary General" and "Secretary-General" are different terms.
    """
    words = form.split()
    parts = []
    for word in words:
        parts.append("".join(APOSTROPHE_CLASS if c in APOSTROPHES else HYPHEN_CLASS if c in HYPHENS else re.escape(c) for c in word))
    last = words[-1]
    if last[-1:].isalpha() and not is_acronym(last.rstrip(".")):
        if last.endswith("y") and len(last) > 1 and last[-2].lower() not in "aeiou":
            parts[-1] = parts[-1][:-1] + "(?:y|ies)"
        else:
            parts[-1] += "(?:s|es)?"
    elif is_acronym(last):
        parts[-1] += "s?"  # IEDs, NGOs
    if form[:1].islower():
        parts[0] = "[" + form[0] + form[0].upper() + "]" + parts[0][len(re.escape(form[0])):]
    possessive = "(?:" + APOSTROPHE_CLASS + "s|(?<=s)" + APOSTROPHE_CLASS + ")?"
    return re.compile(r"(?<!\w)" + EN_GAP.join(parts) + possessive + r"(?!\w)")


def _sentence_start(text: str, pos: int) -> bool:
    return re.search(r"(?:\A|[.!?:…\n])[\s\"“‘'«(\[—–-]*\Z", text[:pos]) is not None


def find_english(form: str, text: str) -> list[tuple[int, int]]:
    """Spans of an English form in text; a capital for a lower-case initial only at a sentence start."""
    spans = []
    for m in english_pattern(form).finditer(text):
        if form[:1].islower() and m.group()[:1].isupper() and not _sentence_start(text, m.start()):
            continue
        spans.append((m.start(), m.end()))
    return spans


def _quoted(text: str) -> str:
    """Quote a term for a message as a reader sees it: no-break spaces stay spaces, not \\xa0."""
    return "“" + text + "”"


def check_translation(source_fr: str, target_en: str, glossary: Glossary,
                      default_org: str | None = None) -> list[TermIssue]:
    """Glossary issues in an English translation of source_fr.

    - missing: a term found in the French whose English (en or an en_variant) appears nowhere in
      the target. Presence, not counts: a repeated term may fairly become "he" or "the Alliance".
    - forbidden: an en_forbidden form of a term found in the French, or the en of a 'forbidden'
      entry (always for one with no fr; when its fr occurs for one with), used in the target,
      unless it lies inside an accepted rendering of a term found in the same source
      ("Secretary General" inside "NATO Secretary General").
    """
    matches = glossary.scan(source_fr, default_org=default_org)
    triggers = glossary.scan_forbidden(source_fr, default_org=default_org)
    issues: list[TermIssue] = []
    accepted_spans: list[tuple[int, int]] = []
    first_match: dict[str, TermMatch] = {}
    for m in matches:
        first_match.setdefault(m.id, m)
    for entry_id, m in first_match.items():
        entry = glossary.get(entry_id)
        assert entry is not None
        spans = [s for form in entry.english_forms for s in find_english(form, target_en)]
        accepted_spans += spans
        if not spans:
            alternatives = entry.english_forms[1:]
            also = f" (or {', '.join(_quoted(a) for a in alternatives)})" if alternatives else ""
            issues.append(TermIssue("missing", entry.id, entry.fr, entry.en, m.text,
                                    f"{_quoted(m.text)} should be rendered {_quoted(entry.en)}{also}",
                                    source_span=(m.start, m.end)))
    banned: list[Entry] = [glossary.get(i) for i in first_match]  # type: ignore[misc]
    banned += [e for e in glossary if e.type == FORBIDDEN and not e.fr and (e.org is None or e.org == default_org)]
    banned += [glossary.get(m.id) for m in triggers]  # type: ignore[misc]
    seen: set[tuple[int, int]] = set()
    for entry in dict.fromkeys(banned):
        for form in entry.banned_english:
            for start, end in find_english(form, target_en):
                if (start, end) in seen or any(s <= start and end <= e for s, e in accepted_spans):
                    continue
                seen.add((start, end))
                use = f"; use {_quoted(entry.en)}" if entry.type != FORBIDDEN else (f"; {entry.note}" if entry.note else "")
                issues.append(TermIssue("forbidden", entry.id, entry.fr, entry.en, target_en[start:end],
                                        f"{_quoted(target_en[start:end])} is forbidden by glossary entry {entry.id}{use}",
                                        target_span=(start, end)))
    # A forbidden variant already says what is wrong with that term: one finding, not two.
    forbidden_ids = {issue.id for issue in issues if issue.kind == "forbidden"}
    return [issue for issue in issues if not (issue.kind == "missing" and issue.id in forbidden_ids)]
