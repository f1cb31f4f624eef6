"""workflow.toml: found at the project root, parsed, bad files named with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflow.base.config import load_config
from workflow.base.errors import ConfigError


def test_no_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.path is None and config.section("qa") == {}


def test_sections_are_tables(tmp_path: Path) -> None:
    (tmp_path / "workflow.toml").write_text('flat = "x"\n[qa]\nstrict = true\n[project]\nname = 1\n', "utf-8")
    config = load_config(tmp_path)
    assert config.section("qa") == {"strict": True}
    assert config.section("missing") == {}
    with pytest.raises(ConfigError, match=r"\[flat\] must be a table"):
        config.section("flat")


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "workflow.toml"
    path.write_text('[qa]\nstrict = true\nbroken = \n', "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.path == path and caught.value.line == 3
    assert str(caught.value).startswith(f"{path}:3: invalid TOML")


def test_not_utf8_and_explicit_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "workflow.toml"
    path.write_bytes(b'[qa]\nname = "\xe9"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match="not found"):
        load_config(path=tmp_path / "other.toml")
