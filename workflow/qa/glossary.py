"""The glossary check family: each PO entry's msgstr against the terms of its msgid."""

from __future__ import annotations

from pathlib import Path

from workflow.terms.english import check_translation
from workflow.terms.organisation import default_org_for
from workflow.terms.glossary import Glossary
from workflow.terms.reference import check_references


def glossary_checker(glossary: Glossary):
    """An entry checker for workflow.qa.checks: each PO entry's msgstr against its msgid's terms.

    The organisation that decides ambiguous terms is guessed from the entry's source article
    (its `#:` reference), read once per file; without a readable source, context decides alone."""
    orgs: dict[str, str | None] = {}

    def default_org(entry) -> str | None:
        if not entry.occurrences:
            return None
        source = entry.occurrences[0][0]
        if source not in orgs:
            try:
                orgs[source] = default_org_for(Path(source).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                orgs[source] = None
        return orgs[source]

    def check(entry):
        org = default_org(entry)
        issues = [("glossary", "error", issue.message) for issue in check_translation(entry.msgid, entry.msgstr, glossary, org)]
        if glossary.references:  # imported termbases: advice, so warnings
            issues += [("termbase", "warning", i.message) for i in check_references(entry.msgid, entry.msgstr, glossary, org)]
        return issues

    return check
