"""Checking English against the reference layers: warnings, never errors.

A termbase is advice: where its term is found in the French and none of its English readings
(the entry's en and en_variants, or those of a homonym shown with it) is in the translation, or
where an English form it marks deprecated is used, `check` says so as a warning naming the layer
and entry. The house glossary's own check (english.check_translation) is unchanged and stays
an error.
"""

from __future__ import annotations

from workflow.terms.english import find_english
from workflow.terms.entry import TermIssue
from workflow.terms.glossary import Glossary

REFERENCE = "reference"


def check_references(source_fr: str, target_en: str, glossary: Glossary, default_org: str | None = None) -> list[TermIssue]:
    """Warnings for reference-layer terms of source_fr whose English target_en does not use."""
    issues: list[TermIssue] = []
    seen: set[str] = set()
    for match in glossary.hints(source_fr, default_org):
        if not match.layer or match.id in seen:
            continue
        seen.add(match.id)
        readings = [glossary.get(match.id)] + [glossary.get(a.id) for a in match.alternatives]
        entries = [e for e in readings if e is not None]
        forms = [form for entry in entries for form in entry.english_forms]
        if not any(find_english(form, target_en) for form in forms):
            others = [a.en for a in match.alternatives]
            also = f" (or {', '.join('“' + o + '”' for o in others)})" if others else ""
            issues.append(TermIssue(REFERENCE, match.id, match.fr, match.en, match.text,
                                    f"“{match.text}” is “{match.en}”{also} in termbase {match.layer} [{match.id}]",
                                    source_span=(match.start, match.end)))
        for entry in entries[:1]:
            for banned in entry.en_forbidden:
                for start, end in find_english(banned, target_en):
                    issues.append(TermIssue(REFERENCE, match.id, match.fr, match.en, target_en[start:end],
                                            f"“{target_en[start:end]}” is deprecated in termbase {match.layer} "
                                            f"[{match.id}]; use “{match.en}”", target_span=(start, end)))
    return issues
