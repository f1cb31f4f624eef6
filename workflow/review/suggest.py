"""Glossary entries suggested from reviewed work (`workflow glossary suggest`).

The archive's recurring French terms and their usual English (term_mining.py) become glossary
CSV rows with `status=proposed`, best first, for a terminologist to accept, edit or delete and
merge with `workflow glossary import`. The rows use the glossary's own columns: the evidence
(pairs, renderings seen with counts, confidence) goes in `note`, two example references in
`source`. Terms the glossary already has are left out, unless the archive renders them
otherwise: those rows say `status=conflict` and name the entry, so that either the glossary or
the translations get fixed (they are not meant to be imported as they are: `glossary validate`
reports them as conflicting with the entry).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from workflow.review.archive import Progress, ReviewedPair
from workflow.review.term_mining import MinedArchive, TermRecord, mine_archive
from workflow.terms.entry import DO_NOT_TRANSLATE, TERM, Entry
from workflow.terms.glossary import Glossary, entries_to_csv
from workflow.terms.phrases import archive_settings, english_tokens

PROPOSED = "proposed"
CONFLICT = "conflict"


@dataclass(frozen=True)
class Suggestion:
    term: TermRecord
    status: str  # PROPOSED, or CONFLICT with a glossary entry
    examples: tuple[str, ...]
    glossary_entry: Entry | None = None

    @property
    def french(self) -> str:
        return self.term.french

    @property
    def english(self) -> str:
        return self.term.best.text

    def note(self) -> str:
        term = self.term
        seen = "; ".join(f"{r.text} ({r.count})" for r in term.renderings)
        note = (
            f"archive: {term.best.count} of {term.pairs} reviewed pairs render it so; renderings seen: {seen}; "
            f"confidence {term.confidence:.2f}"
        )
        others = [f for f in term.french_forms if f != term.french][:3]
        if others:
            note += "; French forms: " + ", ".join(others)
        if self.glossary_entry is not None:
            entry = self.glossary_entry
            note = f"glossary entry {entry.id} ({entry.where}) says {entry.en!r}; " + note
        return note

    def to_entry(self, entry_id: str) -> Entry:
        same = plain(self.french) == plain(self.english)
        return Entry(
            id=entry_id,
            fr=self.french,
            en=self.english,
            type=DO_NOT_TRANSLATE if same else TERM,
            status=self.status,
            note=self.note(),
            source="; ".join(self.examples),
        )


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ")


def _english_key(text: str) -> str:
    return " ".join(t.key for t in english_tokens(text))


def _glossary_entry(term: TermRecord, glossary: Glossary) -> Entry | None:
    """The glossary entry whose French is exactly this term (in any of the forms seen)."""
    for form in dict.fromkeys([term.french, *term.french_forms]):
        for match in glossary.scan(form):
            if match.start == 0 and match.end == len(form):
                return glossary.get(match.id)
    return None


def _agrees(term: TermRecord, entry: Entry) -> bool:
    accepted = {_english_key(form) for form in entry.english_forms} | {plain(f) for f in entry.english_forms}
    return term.best.key in accepted or plain(term.best.text) in accepted


def _examples(term: TermRecord, mined: MinedArchive, count: int = 2) -> tuple[str, ...]:
    """References of pairs rendering the term the usual way: reviewed PO entries first."""
    wheres: list[ReviewedPair] = []
    for doc, hit in term.occurrences:
        if hit == term.best.key:
            wheres.extend(mined.docs[doc])
    wheres.sort(key=lambda p: (p.in_memory_only, p.where))
    return tuple(dict.fromkeys(p.where for p in wheres))[:count]


def suggest_terms(
    pairs: Sequence[ReviewedPair],
    glossary: Glossary | None = None,
    *,
    limit: int | None = None,
    on_progress: Progress | None = None,
    mined: MinedArchive | None = None,
) -> list[Suggestion]:
    """Ranked suggestions (most confident first); conflicts with the glossary keep their rank."""
    settings = archive_settings()["suggest"]
    floor = float(settings["min_confidence"])
    mined = mined if mined is not None else mine_archive(pairs, on_progress)
    suggestions: list[Suggestion] = []
    for term in mined.terms:
        if term.confidence < floor:
            continue
        entry = _glossary_entry(term, glossary) if glossary is not None else None
        if entry is not None and _agrees(term, entry):
            continue
        status = PROPOSED if entry is None else CONFLICT
        suggestions.append(Suggestion(term, status, _examples(term, mined), entry))
        if limit is not None and len(suggestions) >= limit:
            break
    return suggestions


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return slug if slug[:1].isalpha() else f"t-{slug}"


def suggestion_entries(suggestions: Sequence[Suggestion], glossary: Glossary | None = None) -> list[Entry]:
    """Glossary entries with ids unique against each other and the glossary."""
    taken = {entry.id for entry in glossary} if glossary is not None else set()
    entries: list[Entry] = []
    for suggestion in suggestions:
        base = _slug(suggestion.french) or "term"
        entry_id, n = base, 2
        while entry_id in taken:
            entry_id, n = f"{base}-{n}", n + 1
        taken.add(entry_id)
        entries.append(suggestion.to_entry(entry_id))
    return entries


def suggestions_csv(suggestions: Sequence[Suggestion], glossary: Glossary | None = None) -> str:
    return entries_to_csv(suggestion_entries(suggestions, glossary))


def suggestions_json(suggestions: Sequence[Suggestion], glossary: Glossary | None = None) -> list[dict]:
    rows = []
    for suggestion, entry in zip(suggestions, suggestion_entries(suggestions, glossary), strict=True):
        term = suggestion.term
        rows.append({
            "id": entry.id, "fr": entry.fr, "en": entry.en, "type": entry.type, "status": entry.status,
            "confidence": term.confidence, "pairs": term.pairs, "evidence": term.best.count,
            "renderings": [{"en": r.text, "count": r.count} for r in term.renderings],
            "french_forms": term.french_forms, "examples": list(suggestion.examples),
            "glossary_entry": suggestion.glossary_entry.id if suggestion.glossary_entry else None,
        })
    return rows
