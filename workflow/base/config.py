"""Project settings from `workflow.toml` at the project root.

One file a newsroom edits to adapt the workflow (QA severities and exceptions, the
organisation of a folder, the target language); each stage reads and validates its own
section, so this module only finds, parses and hands out tables. No file means defaults.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workflow.base.errors import ConfigError

CONFIG_NAME = "workflow.toml"


@dataclass(frozen=True)
class ProjectConfig:
    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        """A top-level table (empty when absent); a non-table value is a ConfigError."""
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"[{name}] must be a table", self.path)
        return value


def load_config(root: Path | None = None, path: Path | None = None) -> ProjectConfig:
    """`path`, else `root/workflow.toml` (root: the current folder), else defaults."""
    config_path = path if path is not None else (root or Path(".")) / CONFIG_NAME
    if path is None and not config_path.is_file():
        return ProjectConfig()
    try:
        text = config_path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError("configuration file not found", config_path) from None
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", config_path) from None
    except UnicodeDecodeError as error:
        line = config_path.read_bytes()[: error.start].count(b"\n") + 1
        raise ConfigError(f"not UTF-8 (byte {error.start})", config_path, line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.11's tomllib puts the position only in the message: "… (at line 3, column 10)".
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(found.group(1)) if found else None
        message = str(error).split(" (at line")[0]
        raise ConfigError(f"invalid TOML: {message}", config_path, line) from None
    return ProjectConfig(config_path, data)
