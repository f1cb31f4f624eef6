"""The check registry: stable ids, families and default severities, read from `data/qa_checks.toml`.

Every finding names one id ("glossary.forbidden"). Severities are data, not code: the table gives
each family a default and each check may override it; a project's workflow.toml overrides both
(`QASettings`). Names used before ids existed ("numbers", "dates") still resolve, so old
`qa-ignore:` comments keep working.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from workflow.base.severity import ERROR, INFO, SEVERITIES, WARNING

OFF = "off"
LEVELS = (*SEVERITIES, OFF)
# Words a reviewer may write in `qa-ignore:` for every check.
EVERY_CHECK = ("*", "all")

__all__ = ["ERROR", "WARNING", "INFO", "OFF", "LEVELS", "CheckInfo", "Registry", "registry"]


@dataclass(frozen=True)
class CheckInfo:
    id: str
    family: str
    severity: str
    about: str
    legacy: tuple[str, ...] = ()


@dataclass(frozen=True)
class Registry:
    families: Mapping[str, str]  # family -> default severity
    family_about: Mapping[str, str]
    checks: Mapping[str, CheckInfo]

    def severity(self, check: str, fallback: str = WARNING) -> str:
        """The registered severity of an id; a family's default for an unregistered id of a known
        family; else `fallback` (what a plug-in said)."""
        info = self.checks.get(check)
        if info is not None:
            return info.severity
        return self.families.get(check.split(".", 1)[0], fallback) if "." in check else fallback

    def resolve(self, name: str) -> frozenset[str]:
        """The ids a name stands for: an id, a family ("glossary"), a legacy name ("numbers"), or "*"."""
        name = name.strip()
        if name in EVERY_CHECK:
            return frozenset(self.checks)
        if name in self.checks:
            return frozenset({name})
        found = {cid for cid, info in self.checks.items() if info.family == name or name in info.legacy}
        if found:
            return frozenset(found)
        # An id of a plug-in family that is not registered: matched as written.
        return frozenset({name}) if "." in name else frozenset()

    def is_known(self, name: str) -> bool:
        name = name.strip()
        return name in EVERY_CHECK or name in self.families or bool(self.resolve(name) & set(self.checks))

    def matches(self, names: Iterable[str], check: str) -> bool:
        """Whether a check id is among the ids these names stand for (families of plug-ins included)."""
        for name in names:
            name = name.strip()
            if name in EVERY_CHECK or name == check or check.split(".", 1)[0] == name or check in self.resolve(name):
                return True
        return False

    def with_overrides(self, overrides: Mapping[str, str]) -> Registry:
        """A copy with severities changed by id or by family (an id wins over its family)."""
        families = {name: overrides.get(name, level) for name, level in self.families.items()}
        checks = {
            cid: CheckInfo(cid, info.family, overrides.get(cid, overrides.get(info.family, info.severity)), info.about, info.legacy)
            for cid, info in self.checks.items()
        }
        return Registry(families, self.family_about, checks)


@cache
def _table() -> dict:
    return tomllib.loads((files("workflow") / "data" / "qa_checks.toml").read_text("utf-8"))


@cache
def registry() -> Registry:
    data = _table()
    families = {name: spec["severity"] for name, spec in data["families"].items()}
    about = {name: spec.get("about", "") for name, spec in data["families"].items()}
    checks: dict[str, CheckInfo] = {}
    for cid, spec in data["checks"].items():
        family = cid.split(".", 1)[0]
        if family not in families:
            raise ValueError(f"qa_checks.toml: check {cid!r} of unknown family {family!r}")
        severity = spec.get("severity", families[family])
        if severity not in LEVELS:
            raise ValueError(f"qa_checks.toml: check {cid!r} has severity {severity!r} (expected one of {LEVELS})")
        checks[cid] = CheckInfo(cid, family, severity, spec.get("about", ""), tuple(spec.get("legacy", ())))
    return Registry(families, about, checks)
