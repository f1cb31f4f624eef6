"""What a check reports: one issue per segment, findings with file and line, a report per run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import polib

from workflow.base.errors import CatalogError
from workflow.base.severity import ERROR, INFO, WARNING

# How a reviewer keeps a finding that is intended: a translator comment on the entry
# (Poedit "Comment", Lokalize "Add note"), which merges and re-runs keep.
IGNORE_PREFIX = "qa-ignore:"

class Issue(NamedTuple):
    """One problem in one segment. A plain `(check, severity, message)` tuple is
    accepted wherever an Issue is, so plug-ins need not import this module."""

    check: str
    severity: str
    message: str


# A plug-in (e.g. the glossary checks): issues for one entry, msgstr non-empty.
EntryChecker = Callable[[polib.POEntry], Iterable[tuple[str, str, str]]]


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    check: str  # a registry id, e.g. "glossary.forbidden"
    severity: str
    message: str
    msgid: str
    # Why it is not counted ("qa-ignore comment", "workflow.toml [[qa.ignore]] #2: …"); "" when it counts.
    suppressed: str = ""

    @property
    def counts(self) -> bool:
        """Counted (and shown by default): an error or a warning nobody suppressed."""
        return not self.suppressed and self.severity in (ERROR, WARNING)

    @property
    def way_out(self) -> str:
        return f"{IGNORE_PREFIX} {self.check}"

    def format(self) -> str:
        head = f"{self.path}:{self.line}: {self.severity} [{self.check}] {self.message}"
        if self.suppressed:
            return f"{head} (suppressed by {self.suppressed})"
        if self.severity == INFO:
            return head
        return f"{head} (if intended, add the translator comment “{self.way_out}”)"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "line": self.line,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "msgid": self.msgid,
            "suppressed": self.suppressed or None,
            "suppress_with": self.way_out,
        }


@dataclass
class CheckReport:
    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Files that could not be checked at all (unparseable, missing).
    failures: list[CatalogError] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Non-zero means: do not publish (exit status 1)."""
        return sum(f.counts and f.severity == ERROR for f in self.findings) + len(self.failures)

    @property
    def warnings(self) -> int:
        return sum(f.counts and f.severity == WARNING for f in self.findings)

    @property
    def suppressed(self) -> int:
        return sum(bool(f.suppressed) for f in self.findings)

    @property
    def infos(self) -> int:
        return sum(not f.suppressed and f.severity == INFO for f in self.findings)

    def shown(self, everything: bool = False) -> list[Finding]:
        """What `check` lists: counted findings; with everything, info and suppressed ones too."""
        return [f for f in self.findings if everything or f.counts]

    def exit_code(self, strict: bool = False) -> int:
        """1 on errors (or, strict, on warnings too), else 0."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def lines(self, everything: bool = False) -> list[str]:
        return [str(failure) for failure in self.failures] + [f.format() for f in self.shown(everything)]

    def summary(self) -> str:
        hidden = []
        if self.infos:
            hidden.append(f"{self.infos} info")
        if self.suppressed:
            hidden.append(f"{self.suppressed} suppressed")
        tail = f" ({', '.join(hidden)}: see --all)" if hidden else ""
        return f"{len(self.files)} file(s): {self.errors} error(s), {self.warnings} warning(s){tail}"

    def to_json(self, everything: bool = False) -> dict[str, object]:
        return {
            "files": [str(p) for p in self.files],
            "errors": self.errors,
            "warnings": self.warnings,
            "info": self.infos,
            "suppressed": self.suppressed,
            "findings": [f.to_dict() for f in self.shown(everything)],
            "failures": [
                {"path": str(e.path) if e.path else None, "line": e.line, "message": e.message}
                for e in self.failures
            ],
        }
