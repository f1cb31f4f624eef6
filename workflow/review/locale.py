"""Target language codes: `en`, or a regional variant such as `en_GB`.

gettext writes regional codes with an underscore (`Language: en_GB`, folder
`translations/en_GB/`), HTML with a hyphen (`lang="en-GB"`); users type either. A
regional variant shares its base language's plural rule, engines, glossary and
typography. The code comes from `--to`, else from `[project] target` in the
project's workflow.toml, else `en`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from workflow.base.config import load_config
from workflow.base.errors import CatalogError, ConfigError

DEFAULT_TARGET = "en"
CONFIG_SECTION = "project"
CONFIG_KEY = "target"

# language, then an optional region: two letters (GB) or a UN M.49 number (419).
_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[_-]([A-Za-z]{2}|\d{3}))?$")


@cache
def _languages() -> dict[str, dict[str, str]]:
    return tomllib.loads((files("workflow") / "data" / "languages.toml").read_text("utf-8"))


@dataclass(frozen=True)
class TargetLanguage:
    code: str  # gettext form: "en", "en_GB"
    base: str  # "en": what engines, the glossary and typography rules are chosen by
    name: str  # default Language-Team
    plural_forms: str

    @property
    def bcp47(self) -> str:
        """For HTML `lang` attributes: `en-GB`."""
        return self.code.replace("_", "-")


def target_language(code: str) -> TargetLanguage:
    """Parse and check a target language code (`en`, `en_GB`, `en-gb`); unknown → CatalogError."""
    match = _CODE.match(code.strip())
    known = ", ".join(sorted(_languages()))
    if match is None:
        raise CatalogError(f"unknown target language {code!r} (a code like en or en_GB; known: {known})")
    base = match.group(1).lower()
    region = match.group(2)
    info = _languages().get(base)
    if info is None:
        raise CatalogError(f"unknown target language {code!r} (known: {known}, with or without a region)")
    gettext_code = f"{base}_{region.upper()}" if region else base
    return TargetLanguage(gettext_code, base, info["name"], info["plural_forms"])


def project_target(explicit: str | None = None, root: Path | None = None) -> str:
    """The target language's gettext code: `explicit` (from --to), else workflow.toml's
    `[project] target`, else `en`. A bad value in the file names the file."""
    if explicit:
        return target_language(explicit).code
    config = load_config(root)
    value = config.section(CONFIG_SECTION).get(CONFIG_KEY)
    if value is None:
        return DEFAULT_TARGET
    if not isinstance(value, str):
        raise ConfigError(f"[{CONFIG_SECTION}] {CONFIG_KEY} must be a language code string such as \"en_GB\"", config.path)
    try:
        return target_language(value).code
    except CatalogError as error:
        raise ConfigError(f"[{CONFIG_SECTION}] {CONFIG_KEY}: {error.message}", config.path) from None
