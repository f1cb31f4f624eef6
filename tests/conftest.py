"""Shared fixtures. Tests never touch ~ or the network: Argos and XDG homes point into tmp."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property-based tests run the same bounded examples on every machine (derandomize: the
# seed comes from the test itself, so CI is reproducible and quick), keep no database in
# the checkout, and have no per-example deadline (shared CI machines are noisy). Each
# test sizes its example count to its cost with `examples(n)`; HYPOTHESIS_PROFILE=thorough
# runs 50 times as many, from fresh random seeds, for a local hunt.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", settings.get_profile("ci"), derandomize=False)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """Examples for one property test: `count` in CI, 50× that in the thorough profile."""
    return count * (50 if PROFILE == "thorough" else 1)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = sorted((REPO / "source_fr").glob("*.txt"))


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home / "argos-packages"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def write_catalog(path: Path, entries: list) -> Path:
    """A minimal English PO file holding `entries` (polib.POEntry), for check/status tests."""
    import polib

    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    for entry in entries:
        catalog.append(entry)
    catalog.save(str(path))
    return path


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED}")
    return SHARED


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh project folder with the bundled samples, as the current directory."""
    shutil.copytree(REPO / "source_fr", tmp_path / "source_fr")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- Argos model packages (tests/argos_fake.py builds real packages with random weights)


@pytest.fixture(autouse=True)
def _no_argos_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point argostranslate's package index at a closed local port, never at the internet."""
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")


@pytest.fixture(scope="session")
def argos_package_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny fr→en `.argosmodel` (2+2 layers, d_model 64), built once per session."""
    from tests.argos_fake import build_argos_package

    return build_argos_package(tmp_path_factory.mktemp("argos-build"))


@pytest.fixture(scope="session")
def argos_package_dir(argos_package_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same package unzipped, as an installed package folder (shared: don't modify)."""
    import zipfile

    root = tmp_path_factory.mktemp("argos-unzipped")
    with zipfile.ZipFile(argos_package_file) as zf:
        zf.extractall(root)
    (package_dir,) = [p for p in root.iterdir() if p.is_dir()]
    return package_dir
