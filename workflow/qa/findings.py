"""What a check reports: one issue per segment, findings with file and line, a report per run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import polib

from workflow.base.errors import CatalogError
from workflow.base.severity import ERROR, WARNING

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
    check: str
    severity: str
    message: str
    msgid: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: [{self.check}] {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "line": self.line,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "msgid": self.msgid,
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
        return sum(f.severity == ERROR for f in self.findings) + len(self.failures)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    def lines(self) -> list[str]:
        return [str(failure) for failure in self.failures] + [f.format() for f in self.findings]

    def to_json(self) -> dict[str, object]:
        return {
            "files": [str(p) for p in self.files],
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_dict() for f in self.findings],
            "failures": [
                {"path": str(e.path) if e.path else None, "line": e.line, "message": e.message}
                for e in self.failures
            ],
        }
