"""French acronyms in English drafts: "l'Union africaine (UA)" → "the African Union (AU)".

NATO and UN French localise many acronyms (UA, CUA, FAA, EIIL, EMI…) and every engine leaves them
in French. The glossary (and the termbase layers loaded into it) resolves those it lists. For the
others, French copy defines an acronym where it first uses it: a term followed by its acronym in
brackets. When the glossary knows that term, the English acronym is derived from the English term
("Force africaine en attente (FAA)" + glossary "African Standby Force" → "ASF") and used for every
later use of the acronym in the run's articles, alone too. A derivation is accepted only when the
French acronym really is the initials of the French term and the English initials have as many
letters: anything less certain leaves the acronym as written for the reviewer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Protocol

from workflow.terms.entry import FORBIDDEN, Entry, TermMatch

# Words that do not give a letter to an acronym.
FRENCH_SKIPPED = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "pour", "en", "au", "aux",
                            "à", "sur", "dans", "par", "contre"})
ENGLISH_SKIPPED = frozenset({"of", "the", "and", "for", "in", "on", "to", "at", "a", "an", "against", "by"})
_BRACKETED = re.compile(r"\s*\(\s*(?P<acronym>[A-Z][A-Z0-9-]*[A-Z0-9])\s*\)")
_WORD = re.compile(r"[^\W\d_]+")


class TermSource(Protocol):
    def scan(self, text: str, default_org: str | None = None) -> list[TermMatch]: ...

    def get(self, entry_id: str) -> Entry | None: ...


def initials(term: str, skipped: frozenset[str]) -> str:
    """"Force africaine en attente" → "FAA" (accents dropped, each part of a hyphenated word
    counts: "État-major" gives "EM")."""
    letters = []
    for word in _WORD.findall(term.replace("’", "'")):
        if word.lower() in skipped:
            continue
        letters.append(unicodedata.normalize("NFD", word[0].upper())[0])
    return "".join(letters)


def _defined(text: str, match: TermMatch) -> str | None:
    """The acronym in brackets right after a glossary term, if it is that term's French initials."""
    found = _BRACKETED.match(text, match.end)
    if found is None:
        return None
    acronym = found.group("acronym").replace("-", "")
    term = re.sub(r"(?i)\b[ld][’']", "", match.text)
    return found.group("acronym") if initials(term, FRENCH_SKIPPED) == acronym else None


def article_acronyms(text: str, terms: TermSource | None, default_org: str | None = None) -> dict[str, str]:
    """French acronym → English acronym for the acronyms this text defines after a term the glossary
    knows, where the glossary does not list the acronym itself."""
    if terms is None:
        return {}
    found: dict[str, str] = {}
    for paragraph in text.split("\n"):
        matches = terms.scan(paragraph, default_org)
        listed = {m.text for m in matches}
        for match in matches:
            acronym = _defined(paragraph, match)
            entry = terms.get(match.id)
            if acronym is None or acronym in listed or entry is None or entry.type == FORBIDDEN or not entry.en:
                continue
            english = initials(entry.en, ENGLISH_SKIPPED)
            if len(english) == len(acronym.replace("-", "")) and english != acronym:
                found.setdefault(acronym, english)
    return found


def merge(maps: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """One map for a run; an acronym two articles resolve differently is left out."""
    merged: dict[str, str] = {}
    clashing: set[str] = set()
    for one in maps:
        for acronym, english in one.items():
            if merged.setdefault(acronym, english) != english:
                clashing.add(acronym)
    return {a: e for a, e in merged.items() if a not in clashing}
