"""QA checks for French→English catalogs, run before publishing.

Machine output fails in ways a reviewer skims past: a changed number or date, a
sentence left in French, a decoder loop, a dropped sentence, a lost bracket.
Generic checkers were written for software strings and misfire on news copy
(French "3 000" read as two numbers, « » vs “ ”, OTAN vs NATO), so the rules
here know French conventions; translate-toolkit's StandardChecker is used for
the tests that hold for prose. Rules, thresholds and severities live in
`data/checks_fr_en.toml`; bench/qa_false_alarms.py measures them on official
translations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import polib

from workflow.base.errors import CatalogError
from workflow.qa.characters import CHECKS as CHARACTER_CHECKS, check_characters
from workflow.qa.findings import ERROR, WARNING, CheckReport, EntryChecker, Finding, Issue
from workflow.qa.french_left import check_untranslated
from workflow.qa.marks import check_marks
from workflow.qa.mt_failures import check_dropped, check_length, check_repetition
from workflow.qa.numbers import check_numbers_and_dates
from workflow.qa.rules import qa_rules, severity_of
from workflow.qa.toolkit import check_toolkit
from workflow.review.pofile import po_files, read_po

__all__ = [
    "ERROR",
    "WARNING",
    "Issue",
    "EntryChecker",
    "Finding",
    "CheckReport",
    "check_pair",
    "check_entry",
    "entry_checker",
    "check_catalog",
    "check_paths",
    "is_checked",
    "po_files",
    "severity_of",
]


_PAIR_CHECKS: tuple[tuple[frozenset[str], Callable[[str, str], list[Issue]]], ...] = (
    (frozenset({"numbers", "dates", "number-format"}), check_numbers_and_dates),
    (frozenset({"quote-style", "unbalanced-quotes", "unbalanced-brackets", "end-punctuation"}), check_marks),
    (frozenset({"untranslated", "french-left"}), check_untranslated),
    (frozenset({"repetition"}), check_repetition),
    (frozenset({"length-ratio"}), check_length),
    (frozenset({"dropped-sentence"}), check_dropped),
    (CHARACTER_CHECKS, check_characters),
)


def check_pair(source: str, target: str, *, skip: Iterable[str] = ()) -> list[Issue]:
    """Problems of one French source / English target pair; `skip` names checks to leave out."""
    if not target:
        return []
    skipped = frozenset(skip)
    issues: list[Issue] = []
    for names, check in _PAIR_CHECKS:
        if not names <= skipped:
            issues.extend(check(source, target))
    issues.extend(check_toolkit(source, target))
    return [issue for issue in issues if issue.check not in skipped]


def _target(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return "\n".join(v for _, v in sorted(entry.msgstr_plural.items()))
    return entry.msgstr


def _skipped_checks(entry: polib.POEntry) -> frozenset[str]:
    """Checks switched off by the entry's own comments (rule-filled, passed through, qa-ignore)."""
    rules = qa_rules()
    skipped: set[str] = set()
    comment = entry.comment or ""
    for marker, checks in rules.skip_by_comment.items():
        if marker in comment:
            skipped |= checks
    for line in (entry.tcomment or "").splitlines():
        line = line.strip()
        if line.lower().startswith(rules.ignore_prefix):
            skipped |= {name.strip() for name in line[len(rules.ignore_prefix) :].split(",") if name.strip()}
    return frozenset(skipped)


def is_checked(entry: polib.POEntry) -> bool:
    """Translated entries, fuzzy or not: machine output needs checking most."""
    return not entry.obsolete and bool(entry.msgid) and bool(_target(entry).strip("\n"))


def check_entry(entry: polib.POEntry, extra_checkers: Sequence[EntryChecker] = ()) -> list[Issue]:
    skipped = _skipped_checks(entry)
    issues = list(check_pair(entry.msgid, _target(entry), skip=skipped))
    for checker in extra_checkers:
        for check, severity, message in checker(entry):
            if check not in skipped:
                issues.append(Issue(check, severity, message))
    return issues


def entry_checker(extra_checkers: Sequence[EntryChecker] = ()) -> Callable[[polib.POEntry], list[Issue]]:
    """Every issue of one entry, or none for an entry that is not checked (for the status report)."""

    def check(entry: polib.POEntry) -> list[Issue]:
        return check_entry(entry, extra_checkers) if is_checked(entry) else []

    return check


def check_catalog(path: Path, extra_checkers: Sequence[EntryChecker] = ()) -> list[Finding]:
    """Findings of one PO file, in file order. Raises CatalogError if it cannot be read."""
    catalog = read_po(path)
    findings: list[Finding] = []
    for entry in catalog:
        if not is_checked(entry):
            continue
        for check, severity, message in check_entry(entry, extra_checkers):
            findings.append(Finding(path, entry.linenum, check, severity, message, entry.msgid))
    return findings


def check_paths(paths: Sequence[Path] = (), extra_checkers: Sequence[EntryChecker] = ()) -> CheckReport:
    """Check every PO file; one unreadable file is reported and the others still checked."""
    files_, failures = po_files(paths)
    report = CheckReport(files=files_, failures=failures)
    for path in files_:
        try:
            report.findings.extend(check_catalog(path, extra_checkers))
        except CatalogError as error:
            report.failures.append(error)
    return report
