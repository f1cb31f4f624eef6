"""Model package management: install from a file and from a (loopback) package index."""

from __future__ import annotations

import functools
import http.server
import json
import os
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest

from tests.argos_fake import build_argos_package
from workflow.mt import models
from workflow.base.errors import ModelError


def _packages_root() -> Path:
    return models.packages_dir()


def test_install_from_file(argos_package_file: Path) -> None:
    assert models.installed_packages() == []
    assert models.find_package("fr", "en") is None

    info = models.install_from_file(argos_package_file)

    assert (info.from_code, info.to_code, info.package_version) == ("fr", "en", "1.9")
    assert info.name == "translate-fr_en"
    assert info.path == _packages_root() / "translate-fr_en-1_9"
    assert (info.path / "model" / "model.bin").is_file()
    assert models.installed_packages() == [info]
    assert models.find_package("fr", "en") == info
    assert models.find_package("en", "fr") is None
    # Everything lands under the test's ARGOS_PACKAGES_DIR (set in conftest), no staging left.
    assert _packages_root() == Path(os.environ["ARGOS_PACKAGES_DIR"])
    assert [p.name for p in _packages_root().iterdir()] == ["translate-fr_en-1_9"]


def test_install_replaces_same_pair(argos_package_file: Path, tmp_path: Path) -> None:
    models.install_from_file(argos_package_file)
    newer = build_argos_package(tmp_path, package_version="2.0", seed=1)

    info = models.install_from_file(newer)

    assert info.package_version == "2.0"
    assert [i.package_version for i in models.installed_packages()] == ["2.0"]
    assert [p.name for p in _packages_root().iterdir()] == ["translate-fr_en-2_0"]


def test_env_changes_after_import_are_honoured(argos_package_file: Path, tmp_path: Path, monkeypatch) -> None:
    """argostranslate.settings reads env at import time; we re-read it on every call."""
    models.install_from_file(argos_package_file)
    assert models.find_package("fr", "en") is not None

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "elsewhere"))

    assert models.packages_dir() == tmp_path / "elsewhere"
    assert models.installed_packages() == []


def test_folders_follow_xdg_and_home(argos_package_file: Path, tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "h"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))

    info = models.install_from_file(argos_package_file)

    assert info.path == tmp_path / "data" / "argos-translate" / "packages" / "translate-fr_en-1_9"
    assert (tmp_path / "cache" / "argos-translate" / "downloads").is_dir()
    assert (tmp_path / "config" / "argos-translate").is_dir()
    assert not home.exists()


def test_stray_folder_does_not_break_listing(argos_package_file: Path) -> None:
    models.install_from_file(argos_package_file)
    (_packages_root() / "not-a-package").mkdir()
    assert [i.name for i in models.installed_packages()] == ["translate-fr_en"]


@pytest.mark.parametrize(
    "content",
    [b"this is not a zip file", b"PK\x03\x04 truncated"],
    ids=["not-zip", "truncated"],
)
def test_corrupt_file_is_a_model_error(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(content)
    with pytest.raises(ModelError) as err:
        models.install_from_file(bad)
    assert err.value.path == bad
    assert "zip" in err.value.message
    assert models.installed_packages() == []


def test_corrupted_member_leaves_nothing_installed(argos_package_file: Path, tmp_path: Path) -> None:
    data = bytearray(argos_package_file.read_bytes())
    with zipfile.ZipFile(argos_package_file) as zf:
        info = zf.getinfo(next(n for n in zf.namelist() if n.endswith("model.bin")))
    middle = info.header_offset + 200 + info.compress_size // 2  # inside the stored model.bin
    data[middle : middle + 16] = bytes(16)
    bad = tmp_path / "flipped.argosmodel"
    bad.write_bytes(bytes(data))

    with pytest.raises(ModelError) as err:
        models.install_from_file(bad)

    assert err.value.path == bad
    assert list(_packages_root().iterdir()) == []


def test_archive_without_metadata(tmp_path: Path) -> None:
    bad = tmp_path / "nometa.argosmodel"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("translate-fr_en-1_9/model/model.bin", b"x")
    with pytest.raises(ModelError, match="metadata.json") as err:
        models.install_from_file(bad)
    assert err.value.path == bad


def test_metadata_without_language_codes(tmp_path: Path) -> None:
    bad = tmp_path / "nocodes.argosmodel"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("pkg/metadata.json", json.dumps({"package_version": "1.0"}))
    with pytest.raises(ModelError, match="from_code, to_code"):
        models.install_from_file(bad)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        models.install_from_file(tmp_path / "absent.argosmodel")


# ---------------------------------------------------------------- package index


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - keep test output clean
        pass


@pytest.fixture
def index_server(tmp_path: Path, argos_package_file: Path):
    """Serve an Argos-format index.json and the package over http://127.0.0.1."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "translate-fr_en-1_9.argosmodel").write_bytes(argos_package_file.read_bytes())
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    index = [
        {  # as in argospm-index/index.json
            "package_version": "1.9",
            "argos_version": "1.9",
            "from_code": "fr",
            "from_name": "French",
            "to_code": "en",
            "to_name": "English",
            "type": "translate",
            "links": [base + "translate-fr_en-1_9.argosmodel"],
        },
        {
            "package_version": "1.0",
            "argos_version": "1.0",
            "from_code": "fr",
            "to_code": "en",
            "type": "translate",
            "links": [base + "old.argosmodel"],
        },
        {"type": "sbd", "from_code": "fr", "package_version": "1.0", "links": [base + "sbd.argosmodel"]},
        {
            "package_version": "1.0",
            "from_code": "fr",
            "to_code": "de",
            "type": "translate",
            "links": [base + "missing.argosmodel"],
        },
    ]
    (root / "index.json").write_text(json.dumps(index))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("trailing_slash", [True, False])
def test_install_from_index(index_server: str, monkeypatch, trailing_slash: bool) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index_server if trailing_slash else index_server.rstrip("/"))

    info = models.install_from_index("fr", "en")

    assert (info.from_code, info.to_code, info.package_version) == ("fr", "en", "1.9")
    assert models.find_package("fr", "en") == info
    available = models.available_packages()
    assert [(i.from_code, i.to_code, i.package_version) for i in available] == [
        ("fr", "de", "1.0"),
        ("fr", "en", "1.9"),
        ("fr", "en", "1.0"),
    ]
    from argostranslate import settings

    assert Path(settings.local_package_index).is_file()  # argos's own cached copy of the index
    assert list(Path(settings.downloads_dir).iterdir()) == []  # download removed after install


def test_index_without_the_pair(index_server: str, monkeypatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index_server)
    with pytest.raises(ModelError, match="no en→fr translation package"):
        models.install_from_index("en", "fr")


def test_broken_download_link(index_server: str, monkeypatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index_server)
    with pytest.raises(ModelError, match="--file") as err:
        models.install_from_index("fr", "de")
    assert "404" in err.value.message
    assert models.installed_packages() == []


def test_unreachable_index_fails_fast() -> None:
    """conftest points ARGOS_PACKAGE_INDEX at a closed port on 127.0.0.1."""
    start = time.monotonic()
    with pytest.raises(ModelError) as err:
        models.install_from_index("fr", "en")
    assert time.monotonic() - start < 3
    assert "workflow models install --file PATH" in err.value.message
    assert "127.0.0.1:9" in err.value.message


def test_silent_index_server_times_out(monkeypatch) -> None:
    """A server that accepts connections but never answers (captive portal, firewall)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{listener.getsockname()[1]}/")
        start = time.monotonic()
        with pytest.raises(ModelError, match="--file"):
            models.update_index(timeout=0.5)
        assert time.monotonic() - start < 3
