"""Build one article's PO catalog (the catalog half of Babel's catalog/pofile split).

One entry per distinct segment in reading order, with references, positions and
how each msgstr was obtained. Merging keeps every human decision: a non-empty
msgstr already in the file is never replaced, and entries whose source vanished
are kept as obsolete (`#~`) instead of being dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polib

from workflow.source.article import Article
from workflow.mt.engines import Translation
from workflow.source.extract import SourceSegment, Treatment
from workflow.terms.organisation import article_organisation
from workflow.terms.glossary import Glossary, term_comment
from workflow.terms.layers import HINT_NOTE_PREFIX
from workflow.review.pofile import NO_WRAP
from workflow.review.drafts import fingerprint_note
from workflow.review.header import catalog_comment, catalog_metadata
from workflow.review.locale import target_language

FUZZY = "fuzzy"

# The extracted comment lines that describe the source — the segment's position, how it is
# treated, the glossary terms it holds — are written afresh on every run and are what a
# template carries. Every other line says where one msgstr came from (MT, memory, carried
# terms, repairs, the MT-draft fingerprint…) and stays with that msgstr while it is kept.
_POSITION = re.compile(
    r"^(?:metadata, line \d+|(?:title|lede)(?:, sentence \d+)?|(?:paragraph|caption|title|lede) \d+, sentence \d+)$"
)
GLOSSARY_NOTE_PREFIX = "glossary: "

_TREATMENT_NOTES = {
    Treatment.RULE: "filled by rule (metadata line), not machine-translated",
    Treatment.PASSTHROUGH: "English in the source: passed through untranslated",
}


def is_source_note(line: str) -> bool:
    """True for a comment line about the source (see above), False for a provenance note."""
    return (bool(_POSITION.match(line)) or line in _TREATMENT_NOTES.values()
            or line.startswith((GLOSSARY_NOTE_PREFIX, HINT_NOTE_PREFIX)))


def language_info(code: str) -> dict[str, str]:
    """Name and plural rule of a target language (`en`, `en_GB`); unknown → CatalogError."""
    language = target_language(code)
    return {"name": language.name, "plural_forms": language.plural_forms, "code": language.code}


def source_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_title(article: Article) -> str:
    """On one line: it is quoted in a header comment line."""
    return " ".join(next((b.text for b in article.blocks), article.slug).split())


def is_translated(entry: polib.POEntry) -> bool:
    """A msgstr, or any plural form (`msgstr[n]`): either is a translator's work to keep."""
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


@dataclass(frozen=True)
class EntryKey:
    msgctxt: str | None
    msgid: str


def entry_keys(segments: Sequence[SourceSegment]) -> list[EntryKey]:
    """Key of each segment. Identical text gets a msgctxt only when it appears in
    blocks of different kinds (a title repeated as a sentence may need other wording)."""
    kinds_by_text: dict[str, set[str]] = {}
    for seg in segments:
        kinds_by_text.setdefault(seg.text, set()).add(seg.block.kind.value)
    return [
        EntryKey(seg.block.kind.value if len(kinds_by_text[seg.text]) > 1 else None, seg.text)
        for seg in segments
    ]


# Below this similarity (rapidfuzz ratio, 0–100) an old translation is not offered for a
# changed sentence: unrelated news sentences sharing function words score 40–60,
# a sentence with a few words edited scores 85+. msgmerge's own cut-off is 60.
SIMILARITY_THRESHOLD = 70.0


@dataclass(frozen=True)
class Suggestion:
    """A translation offered for an entry from earlier human work (old entry or memory)."""

    msgstr: str
    note: str  # `#.` line saying where it came from
    fuzzy: bool = True
    previous_msgid: str | None = None  # shown as `#|` so editors display the source diff
    previous_msgctxt: str | None = None
    tcomment: str = ""


@dataclass
class MergePlan:
    """How the previous catalog maps onto the new segments (msgmerge's matching step)."""

    exact: dict[EntryKey, polib.POEntry]
    suggestions: dict[EntryKey, Suggestion]
    consumed: set[int]  # id() of old entries reused as suggestions (not kept as obsolete)
    # Untouched machine drafts to translate again (`--refresh-mt`): they give way to
    # reviewed memory or the current engine, and stay as they are if neither has output.
    refresh: set[EntryKey] = field(default_factory=set)

    def has_translation(self, key: EntryKey) -> bool:
        if key in self.refresh:
            return False
        old = self.exact.get(key)
        return (old is not None and is_translated(old)) or key in self.suggestions


def plan_merge(
    keys: Sequence[EntryKey],
    existing: polib.POFile | None,
    translatable: set[EntryKey] | None = None,
    threshold: float = SIMILARITY_THRESHOLD,
) -> MergePlan:
    """Exact matches keep their entry; each changed segment gets the most similar
    vanished translation (one-to-one, best pairs first) as a fuzzy suggestion."""
    from rapidfuzz import fuzz

    old_entries = list(existing or [])
    live = {EntryKey(e.msgctxt, e.msgid): e for e in old_entries if not e.obsolete}
    wanted = set(keys)
    exact = {key: live[key] for key in wanted if key in live}
    candidates = [
        e for e in old_entries
        if e.msgstr and (e.obsolete or EntryKey(e.msgctxt, e.msgid) not in wanted)
    ]
    open_keys = [
        key for key in dict.fromkeys(keys)
        if not (key in exact and is_translated(exact[key])) and (translatable is None or key in translatable)
    ]
    scored = []
    for key in open_keys:
        for index, old in enumerate(candidates):
            score = fuzz.ratio(key.msgid, old.msgid, score_cutoff=threshold)
            if score:
                scored.append((-score, keys.index(key), index, key, old))
    scored.sort(key=lambda item: item[:3])
    suggestions: dict[EntryKey, Suggestion] = {}
    consumed: set[int] = set()
    for negative_score, _, _, key, old in scored:
        if key in suggestions or id(old) in consumed:
            continue
        consumed.add(id(old))
        suggestions[key] = Suggestion(
            msgstr=old.msgstr,
            note=f"source changed: previous translation kept as a suggestion ({-negative_score:.0f}% similar)",
            previous_msgid=old.msgid,
            previous_msgctxt=old.msgctxt,
            tcomment=old.tcomment,
        )
    return MergePlan(exact, suggestions, consumed)


def build_catalog(
    article: Article,
    segments: Sequence[SourceSegment],
    *,
    target: str,
    reference: str,
    date: datetime,
    translations: Mapping[str, Translation | None] | None = None,
    memory: Mapping[str, Suggestion] | None = None,
    existing: polib.POFile | None = None,
    plan: MergePlan | None = None,
    glossary: Glossary | None = None,
) -> polib.POFile:
    """`reference` is the source path as written in `#:` lines. Each entry is filled by
    the first that applies: the existing msgstr, a rule, the previous translation of a
    changed sentence, the translation memory (`memory`, by msgid), machine output
    (`translations`, by msgid). With a glossary, each entry lists the terms it holds."""
    translations = translations or {}
    default_org = article_organisation(article.path, article.text) if glossary is not None else None
    memory = memory or {}
    keys = entry_keys(segments)
    if plan is None:
        plan = plan_merge(keys, existing, translatable_keys(keys, segments))
    catalog = polib.POFile(wrapwidth=NO_WRAP, encoding="utf-8", check_for_duplicates=False)
    language = target_language(target)
    catalog.header = catalog_comment(language, article_title(article), reference, existing)
    catalog.metadata = catalog_metadata(
        slug=article.slug, reference=reference, digest=source_digest(article.text),
        language=language, date=date, previous=existing,
    )

    entries: dict[EntryKey, polib.POEntry] = {}
    for key, seg in zip(keys, segments):
        entry = entries.get(key)
        if entry is None:
            entry = polib.POEntry(msgctxt=key.msgctxt, msgid=key.msgid, msgstr="")
            entries[key] = entry
            suggestion = plan.suggestions.get(key) or memory.get(seg.text)
            machine = translations.get(seg.text)
            terms = ""
            if glossary is not None and seg.treatment is Treatment.TRANSLATE:
                terms = term_comment(glossary.hints(seg.text, default_org))
            old = plan.exact.get(key)
            if key in plan.refresh and (suggestion is not None or (machine is not None and machine.text)):
                old = None  # an untouched machine draft gives way to newer output
            _fill(entry, seg, old, suggestion, machine, terms)
        else:
            entry.comment += "\n" + seg.position
        entry.occurrences.append((reference, str(seg.line)))
    for entry in entries.values():
        catalog.append(entry)

    # Nothing a translator wrote is dropped: vanished entries become obsolete (unless
    # reused as a suggestion above), and entries that were already obsolete stay.
    for old in existing or []:
        key = EntryKey(old.msgctxt, old.msgid)
        if key in entries or id(old) in plan.consumed:
            continue
        if old.obsolete or is_translated(old):
            old.obsolete = True
            old.occurrences = []
            catalog.append(old)
    return catalog


def translatable_keys(keys: Sequence[EntryKey], segments: Sequence[SourceSegment]) -> set[EntryKey]:
    return {key for key, seg in zip(keys, segments) if seg.treatment is Treatment.TRANSLATE}


def _fill(
    entry: polib.POEntry,
    seg: SourceSegment,
    old: polib.POEntry | None,
    suggestion: Suggestion | None,
    machine: Translation | None,
    terms: str = "",
) -> None:
    notes = [seg.position]
    if seg.treatment in _TREATMENT_NOTES:
        notes.append(_TREATMENT_NOTES[seg.treatment])
    if terms:
        notes.append(terms)
    if old is not None and is_translated(old):
        # A human (or an earlier run) already decided: keep text, plural forms, flags and notes.
        entry.msgstr = old.msgstr
        entry.msgid_plural = old.msgid_plural
        entry.msgstr_plural = dict(old.msgstr_plural)
        entry.flags = list(old.flags)
        entry.tcomment = old.tcomment
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgctxt = old.previous_msgctxt
        notes.extend(line for line in old.comment.splitlines() if line.strip() and not is_source_note(line))
        entry.comment = "\n".join(notes)
        return
    if old is not None:
        entry.tcomment = old.tcomment
    ruled = seg.rule_translation()
    if ruled is not None:
        entry.msgstr = ruled
    elif suggestion is not None:
        entry.msgstr = suggestion.msgstr
        entry.flags = [FUZZY] if suggestion.fuzzy else []
        entry.previous_msgid = suggestion.previous_msgid
        entry.previous_msgctxt = suggestion.previous_msgctxt
        entry.tcomment = entry.tcomment or suggestion.tcomment
        notes.append(suggestion.note)
    elif machine is not None and machine.text:
        entry.msgstr = machine.text
        entry.flags = [FUZZY]
        notes.append(machine.provenance.describe())
        if machine.note:
            notes.append(machine.note)
        notes.append(fingerprint_note(entry.msgid, entry.msgstr))
    entry.comment = "\n".join(notes)


def reference_path(path: Path, root: Path) -> str:
    """Source path as written in `#:` references: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
