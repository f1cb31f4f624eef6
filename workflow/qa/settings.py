"""A project's QA settings from the `[qa]` section of workflow.toml, validated with file and line.

    [qa.severity]                      # change a family's or a check's severity
    "glossary.missing" = "error"
    spelling = "off"

    [[qa.ignore]]                      # project-level exceptions (a translator uses `# qa-ignore:`)
    checks = ["names.changed"]
    paths = ["translations/en/legacy-*.po"]   # optional: catalogs or source articles (globs)
    text = "Sergueï"                          # optional: only findings whose source, translation or message holds it
    reason = "transliterated in our house style"

    [qa.spelling]                      # -ise/-ize per organisation: "ise", "ize" or "either"
    UN = "ize"
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from workflow.base.config import ProjectConfig, load_config
from workflow.base.errors import ConfigError
from workflow.qa.registry import LEVELS, Registry, registry

SPELLING_CHOICES = ("ise", "ize", "either")


@dataclass(frozen=True)
class ProjectException:
    """One `[[qa.ignore]]` table: findings it covers are listed with --all but never counted."""

    number: int  # 1-based position among the [[qa.ignore]] tables
    checks: tuple[str, ...]
    paths: tuple[str, ...] = ()
    text: str = ""
    reason: str = ""

    def covers(self, registry_: Registry, check: str, paths: tuple[str, ...], texts: tuple[str, ...]) -> bool:
        if not registry_.matches(self.checks, check):
            return False
        if self.paths and not any(_glob_match(p, pattern) for p in paths for pattern in self.paths):
            return False
        return not self.text or any(self.text in t for t in texts)

    def describe(self) -> str:
        why = f": {self.reason}" if self.reason else ""
        return f"workflow.toml [[qa.ignore]] #{self.number}{why}"


def _glob_match(path: str, pattern: str) -> bool:
    posix = PurePosixPath(path.replace("\\", "/")).as_posix().removeprefix("./")
    pattern = pattern.removeprefix("./")
    return fnmatch.fnmatchcase(posix, pattern) or PurePosixPath(posix).match(pattern)


@dataclass(frozen=True)
class QASettings:
    registry: Registry = field(default_factory=registry)
    exceptions: tuple[ProjectException, ...] = ()
    # Organisation -> "ise" | "ize" | "either"; organisations not named use the data default.
    spelling: Mapping[str, str] = field(default_factory=dict)
    config_path: Path | None = None

    def exception_for(self, check: str, paths: tuple[str, ...], texts: tuple[str, ...]) -> ProjectException | None:
        for exception in self.exceptions:
            if exception.covers(self.registry, check, paths, texts):
                return exception
        return None


def qa_settings(config: ProjectConfig | None = None) -> QASettings:
    """Settings from a loaded project config (default: ./workflow.toml); ConfigError names the file."""
    config = config if config is not None else load_config()
    section = config.section("qa")
    path = config.path
    reg = registry()
    unknown = set(section) - {"severity", "ignore", "spelling"}
    if unknown:
        raise ConfigError(f"[qa]: unknown key(s) {', '.join(sorted(unknown))} (expected severity, ignore, spelling)", path)
    overrides = _table(section.get("severity", {}), "[qa.severity]", path)
    for name, level in overrides.items():
        if not reg.is_known(name):
            raise ConfigError(f"[qa.severity]: unknown check or family {name!r}", path)
        if level not in LEVELS:
            raise ConfigError(f"[qa.severity]: {name} = {level!r}: expected one of {', '.join(LEVELS)}", path)
    spelling = _table(section.get("spelling", {}), "[qa.spelling]", path)
    for org, choice in spelling.items():
        if choice not in SPELLING_CHOICES:
            raise ConfigError(f"[qa.spelling]: {org} = {choice!r}: expected one of {', '.join(SPELLING_CHOICES)}", path)
    return QASettings(reg.with_overrides(overrides), _exceptions(section.get("ignore", []), path, reg), spelling, path)


def _table(value: Any, name: str, path: Path | None) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{name} must be a table of strings", path)
    return dict(value)


def _strings(value: Any, what: str, path: Path | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{what} must be a string or a list of strings", path)
    return tuple(value)


def _exceptions(value: Any, path: Path | None, reg: Registry) -> tuple[ProjectException, ...]:
    if not isinstance(value, list):
        raise ConfigError("[qa] ignore must be an array of tables: [[qa.ignore]]", path)
    found = []
    for number, table in enumerate(value, start=1):
        where = f"[[qa.ignore]] #{number}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table", path)
        unknown = set(table) - {"checks", "check", "paths", "text", "reason"}
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}", path)
        checks = _strings(table.get("checks", table.get("check", [])), f"{where} checks", path)
        if not checks:
            raise ConfigError(f"{where}: say which checks it covers (checks = [\"glossary.missing\"])", path)
        for name in checks:
            if not reg.is_known(name):
                raise ConfigError(f"{where}: unknown check or family {name!r}", path)
        text = table.get("text", "")
        reason = table.get("reason", "")
        if not isinstance(text, str) or not isinstance(reason, str):
            raise ConfigError(f"{where}: text and reason must be strings", path)
        found.append(ProjectException(number, checks, _strings(table.get("paths", []), f"{where} paths", path), text, reason))
    return tuple(found)
