"""QA checks for French→English catalogs, run before publishing.

Machine output fails in ways a reviewer skims past: a changed number or date, French or
Spanish words left behind, a translated name, American spelling, a dropped negation, a decoder
loop. Human English must pass quietly. Generic checkers were written for software strings and
misfire on news copy (French "3 000" read as two numbers, « » vs “ ”, OTAN vs NATO), so the
rules here know French conventions; translate-toolkit's StandardChecker is used for the tests
that hold for prose.

Every finding has a stable id from the registry (`data/qa_checks.toml`, registry.py) and a
severity a project may change (`[qa]` in workflow.toml, settings.py). A reviewer keeps an
intended deviation with the translator comment `# qa-ignore: <id>`; a project keeps one with
`[[qa.ignore]]`; suppressed findings are still listed with `--all`. bench/qa_false_alarms.py
measures the checks on official translations and planted errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import polib

from workflow.base.errors import CatalogError
from workflow.qa.characters import FAMILY as CHARACTERS, check_characters
from workflow.qa.findings import ERROR, IGNORE_PREFIX, INFO, WARNING, CheckReport, EntryChecker, Finding, Issue
from workflow.qa.french_left import check_untranslated
from workflow.qa.leftovers import check_leftover_words
from workflow.qa.marks import check_marks
from workflow.qa.meaning import check_negation, check_org_titles, check_title_style
from workflow.qa.mt_failures import check_dropped, check_length, check_repetition, check_truncated
from workflow.qa.names import check_acronyms, check_names, source_acronyms, source_names
from workflow.qa.numbers import check_numbers_and_dates
from workflow.qa.registry import OFF
from workflow.qa.rules import qa_rules, severity_of
from workflow.qa.settings import QASettings
from workflow.qa.spelling import check_spelling
from workflow.qa.toolkit import check_toolkit
from workflow.review.pofile import po_files, read_po
from workflow.source.metadata import translate_metadata
from workflow.terms.organisation import organisation_for_entry

__all__ = [
    "ERROR",
    "WARNING",
    "INFO",
    "Issue",
    "EntryChecker",
    "Finding",
    "CheckReport",
    "PairContext",
    "check_pair",
    "check_entry",
    "entry_checker",
    "check_catalog",
    "check_paths",
    "is_checked",
    "po_files",
    "severity_of",
    "ArchiveCheck",
]


class ArchiveCheck(Protocol):
    """A check family that needs every file at once (workflow/qa/consistency.py): it sees each
    entry of each checked file, then reports once, on entries of those files. It need not know
    about suppression: the runner marks what `qa-ignore:` comments and `[[qa.ignore]]` suppress
    (listed with `--all`, never counted), as it does for the per-entry checks."""

    def collect(self, path: Path, entry: polib.POEntry) -> None: ...

    def findings(self) -> list[Finding]: ...


@dataclass(frozen=True)
class PairContext:
    """What a pair check may know beyond the two strings."""

    organisation: str | None = None  # the article's: NATO, UN or None
    spelling: str | None = None  # "ise", "ize", "either"; None: the organisation's default
    introduced_names: frozenset[str] = frozenset()  # names of earlier segments of the article
    headline: bool = False  # a title or lede: rewritten rather than translated


PairCheck = Callable[[str, str, PairContext], list[Issue]]


def _plain(check: Callable[[str, str], list[Issue]]) -> PairCheck:
    return lambda source, target, context: check(source, target)


# (family, check): a family the entry skips is not run at all.
_PAIR_CHECKS: tuple[tuple[str, PairCheck], ...] = (
    ("numbers", _plain(check_numbers_and_dates)),
    ("marks", _plain(check_marks)),
    ("leftover", _plain(check_untranslated)),
    ("leftover", _plain(check_leftover_words)),
    ("names", lambda s, t, c: check_names(s, t, c.introduced_names)),
    ("names", lambda s, t, c: check_acronyms(s, t, c.introduced_names)),
    ("spelling", lambda s, t, c: check_spelling(s, t, c.organisation, c.spelling)),
    ("spelling", lambda s, t, c: check_title_style(s, t, c.organisation)),
    ("meaning", _plain(check_negation)),
    ("meaning", lambda s, t, c: check_org_titles(s, t, c.organisation)),
    ("mt", _plain(check_repetition)),
    ("mt", lambda s, t, c: check_length(s, t, c.headline)),
    ("mt", _plain(check_truncated)),
    ("mt", _plain(check_dropped)),
    ("format", _plain(check_toolkit)),
    (CHARACTERS, _plain(check_characters)),
)


def check_pair(source: str, target: str, *, skip: Iterable[str] = (), context: PairContext | None = None,
               settings: QASettings | None = None) -> list[Issue]:
    """Problems of one French source / English target pair.

    `skip` names ids, families or legacy names to leave out; checks switched "off" by the
    settings are left out too. Severities are the settings' (default: the registry's)."""
    if not target:
        return []
    settings = settings or _default_settings()
    context = context or PairContext()
    reg = settings.registry
    skipped = tuple(skip)
    issues: list[Issue] = []
    for family, check in _PAIR_CHECKS:
        if family in skipped or _family_off(reg, family):
            continue
        issues.extend(check(source, target, context))
    return [
        Issue(i.check, reg.severity(i.check, i.severity), i.message)
        for i in issues
        if not reg.matches(skipped, i.check) and reg.severity(i.check, i.severity) != OFF
    ]


def _family_off(reg, family: str) -> bool:
    return all(info.severity == OFF for info in reg.checks.values() if info.family == family)


_DEFAULT: list[QASettings] = []


def _default_settings() -> QASettings:
    if not _DEFAULT:
        _DEFAULT.append(QASettings())
    return _DEFAULT[0]


def _target(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return "\n".join(v for _, v in sorted(entry.msgstr_plural.items()))
    return entry.msgstr


def ignored_by_comment(entry: polib.POEntry) -> tuple[str, ...]:
    """Names in the entry's translator comments `qa-ignore: glossary.missing, numbers`."""
    names: list[str] = []
    for line in (entry.tcomment or "").splitlines():
        line = line.strip()
        if line.lower().startswith(IGNORE_PREFIX):
            rest = line[len(IGNORE_PREFIX):].split("#", 1)[0]
            names += [n for n in rest.replace(",", " ").split() if n]
    return tuple(names)


def _not_a_translation(entry: polib.POEntry) -> tuple[bool, tuple[str, ...]]:
    """(skip every check, checks to skip) for entries the product filled (captions, date lines):
    as the product left them they are not the translator's work; edited, they are checked."""
    comment = entry.comment or ""
    for marker, checks in qa_rules().skip_by_comment.items():
        if marker in comment:
            target = _target(entry)
            return target in (entry.msgid, translate_metadata(entry.msgid)), checks
    return False, ()


# (catalog, line) -> the names of the entry's `qa-ignore:` comment, for archive findings.
IgnoredAt = dict[tuple[Path, int], tuple[str, ...]]


def _suppressed_why(reg, ignored: tuple[str, ...], check: str) -> str:
    return f"the translator comment “{IGNORE_PREFIX} {', '.join(ignored)}”" if reg.matches(ignored, check) else ""


def _with_settings(finding: Finding, settings: QASettings, ignored_at: IgnoredAt | None = None) -> Finding:
    """An archive finding with the project's severity, the entry's `qa-ignore:` comment and the
    project's exceptions applied."""
    severity = settings.registry.severity(finding.check, finding.severity)
    why = finding.suppressed or _suppressed_why(settings.registry, (ignored_at or {}).get((finding.path, finding.line), ()),
                                                finding.check)
    if not why:
        exception = settings.exception_for(finding.check, (str(finding.path),), (finding.msgid, finding.message))
        why = exception.describe() if exception else ""
    return replace(finding, severity=severity, suppressed=why)


def is_checked(entry: polib.POEntry) -> bool:
    """Translated entries, fuzzy or not: machine output needs checking most."""
    return not entry.obsolete and bool(entry.msgid) and bool(_target(entry).strip("\n"))


@dataclass(frozen=True)
class _Checked:
    issue: Issue
    suppressed: str


class EntryRunner:
    """Runs the pair checks and the plug-ins on entries of one run, with one project's settings."""

    def __init__(self, extra_checkers: Sequence[EntryChecker] = (), settings: QASettings | None = None):
        self.extra_checkers = tuple(extra_checkers)
        self.settings = settings or _default_settings()
        self._organisations: dict = {}
        self._names: dict[str, set[str]] = {}  # article -> names met so far, in file order

    def context(self, entry: polib.POEntry, catalog_path: Path | None) -> PairContext:
        organisation = organisation_for_entry(entry, catalog_path, self._organisations)
        spelling = self.settings.spelling.get(organisation or "", None)
        article = entry.occurrences[0][0] if entry.occurrences else str(catalog_path)
        names = self._names.setdefault(article, set())
        position = (entry.comment or "").split("\n", 1)[0]
        # Second mentions are spared in reviewed work; a machine draft must keep every name.
        introduced = frozenset(names) if not entry.fuzzy else frozenset()
        context = PairContext(organisation, spelling, introduced, position.startswith(("title", "lede")))
        names.update(source_names(entry.msgid))
        names.update(source_acronyms(entry.msgid))
        return context

    def run(self, entry: polib.POEntry, catalog_path: Path | None = None) -> list[_Checked]:
        unchanged_copy, product_skips = _not_a_translation(entry)
        if unchanged_copy:
            return []
        reg = self.settings.registry
        ignored = ignored_by_comment(entry)
        target = _target(entry)
        issues = check_pair(entry.msgid, target, skip=product_skips, context=self.context(entry, catalog_path),
                            settings=self.settings)
        for checker in self.extra_checkers:
            for check, severity, message in checker(entry):
                level = reg.severity(check, severity)
                if level != OFF and not reg.matches(product_skips, check):
                    issues.append(Issue(check, level, message))
        paths = tuple(str(p) for p in (catalog_path, *(o[0] for o in entry.occurrences)) if p)
        texts = (entry.msgid, target)
        checked = []
        for issue in issues:
            why = _suppressed_why(reg, ignored, issue.check)
            if not why:
                exception = self.settings.exception_for(issue.check, paths, (*texts, issue.message))
                if exception is not None:
                    why = exception.describe()
            checked.append(_Checked(issue, why))
        return checked


def check_entry(entry: polib.POEntry, extra_checkers: Sequence[EntryChecker] = (),
                settings: QASettings | None = None) -> list[Issue]:
    """Counted issues of one entry (suppressed and info ones left out)."""
    return [c.issue for c in EntryRunner(extra_checkers, settings).run(entry)
            if not c.suppressed and c.issue.severity in (ERROR, WARNING)]


def entry_checker(extra_checkers: Sequence[EntryChecker] = (), settings: QASettings | None = None
                  ) -> Callable[[polib.POEntry], list[Issue]]:
    """Every counted issue of one entry, or none for an entry that is not checked (for the status report)."""
    runner = EntryRunner(extra_checkers, settings)

    def check(entry: polib.POEntry) -> list[Issue]:
        if not is_checked(entry):
            return []
        return [c.issue for c in runner.run(entry) if not c.suppressed and c.issue.severity in (ERROR, WARNING)]

    return check


def check_catalog(path: Path, extra_checkers: Sequence[EntryChecker] = (), settings: QASettings | None = None,
                  archive_checks: Sequence[ArchiveCheck] = (), ignored_at: IgnoredAt | None = None) -> list[Finding]:
    """Findings of one PO file in file order, suppressed and info ones included (see Finding.counts).
    Entries go to the archive checks too; `ignored_at` gets their `qa-ignore:` comments, for
    check_paths to mark the archive findings. Raises CatalogError if it cannot be read."""
    catalog = read_po(path)
    runner = EntryRunner(extra_checkers, settings)
    findings: list[Finding] = []
    for entry in catalog:
        for archive_check in archive_checks:
            archive_check.collect(path, entry)
        if ignored_at is not None and ignored_by_comment(entry):
            ignored_at[(path, entry.linenum)] = ignored_by_comment(entry)
        if not is_checked(entry):
            continue
        for checked in runner.run(entry, path):
            issue = checked.issue
            findings.append(Finding(path, entry.linenum, issue.check, issue.severity, issue.message, entry.msgid,
                                    checked.suppressed))
    return findings


def check_paths(paths: Sequence[Path] = (), extra_checkers: Sequence[EntryChecker] = (),
                archive_checks: Sequence[ArchiveCheck] = (), settings: QASettings | None = None) -> CheckReport:
    """Check every PO file; one unreadable file is reported and the others still checked.
    Archive checks report after all files are read (with the settings' severities and
    exceptions); findings come out in file and line order."""
    files_, failures = po_files(paths)
    report = CheckReport(files=files_, failures=failures)
    ignored_at: IgnoredAt = {}
    for path in files_:
        try:
            report.findings.extend(check_catalog(path, extra_checkers, settings, archive_checks, ignored_at))
        except CatalogError as error:
            report.failures.append(error)
    if archive_checks:
        settings = settings or _default_settings()
        for archive_check in archive_checks:
            report.findings.extend(_with_settings(f, settings, ignored_at) for f in archive_check.findings()
                                   if settings.registry.severity(f.check, f.severity) != OFF)
        order = {path: n for n, path in enumerate(files_)}
        report.findings.sort(key=lambda f: (order.get(f.path, len(order)), f.line))
    return report
