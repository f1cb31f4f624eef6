"""Model packages from a colleague or a hostile index: nothing escapes the packages folder,
an installed model is never lost to a bad package, and downloads and archives are bounded."""

from __future__ import annotations

import http.server
import json
import logging
import os
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workflow.base.errors import ModelError
from workflow.cli import app
from workflow.mt import models

runner = CliRunner()

GOOD = {"package_version": "1.0", "argos_version": "1.9", "from_code": "fr", "to_code": "en", "type": "translate"}


def _package(path: Path, metadata: dict, *, top: str | None = "pkg", members: dict[str, bytes] | None = None) -> Path:
    """A small .argosmodel: metadata.json (under `top`, or at the root) and a stand-in model file."""
    prefix = f"{top}/" if top else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(prefix + "metadata.json", json.dumps(metadata))
        for name, data in (members or {"model/model.bin": b"weights"}).items():
            zf.writestr(prefix + name, data)
    return path


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture
def installed(tmp_path: Path) -> models.ModelInfo:
    """A model already installed, which no later bad package may remove."""
    return models.install_from_file(_package(tmp_path / "good.argosmodel", GOOD, top="translate-fr_en-1_0"))


# --- paths built from package metadata


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "/ABS/evil"),
        ("type", "../../evil"),
        ("type", "trans/../../../evil"),
        ("package_version", "../../../evil"),
        ("package_version", "1.0/../../evil"),
        ("from_code", "../evil"),
        ("to_code", "en/../../evil"),
        ("type", ".hidden"),
        ("type", "a" * 300),
    ],
)
def test_metadata_cannot_build_a_path_outside_the_packages_folder(
    tmp_path: Path, installed: models.ModelInfo, field: str, value: str
) -> None:
    value = value.replace("/ABS", str(tmp_path / "outside"))
    before = _tree(tmp_path)
    bad = _package(tmp_path / "bad.argosmodel", {**GOOD, field: value}, top=None)

    with pytest.raises(ModelError) as caught:
        models.install_from_file(bad)

    assert caught.value.path == bad
    assert f"metadata.json: {field}" in caught.value.message
    assert _tree(tmp_path) == before | {"bad.argosmodel"}  # nothing created or removed anywhere
    assert models.installed_packages() == [installed]


@pytest.mark.parametrize("top", [".hidden", "..", ".", "a" * 300, "con\\..\\x"])
def test_an_unsafe_top_folder_is_refused_and_the_installed_model_kept(
    tmp_path: Path, installed: models.ModelInfo, top: str
) -> None:
    bad = _package(tmp_path / "bad.argosmodel", {**GOOD, "package_version": "2.0"}, top=top)
    with pytest.raises(ModelError):
        models.install_from_file(bad)
    assert models.installed_packages() == [installed]
    assert (installed.path / "model" / "model.bin").read_bytes() == b"weights"
    assert [p.name for p in models.packages_dir().iterdir()] == [installed.path.name]


def test_the_installed_model_is_kept_until_the_new_one_is_in_place(
    tmp_path: Path, installed: models.ModelInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = _package(tmp_path / "newer.argosmodel", {**GOOD, "package_version": "2.0"}, top="translate-fr_en-2_0")
    real_rename = Path.rename

    def failing_rename(self: Path, target):
        if Path(target).name == "translate-fr_en-2_0":
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "rename", failing_rename)
        with pytest.raises(ModelError, match="No space left on device"):
            models.install_from_file(newer)
    assert models.installed_packages() == [installed]
    assert [p.name for p in models.packages_dir().iterdir()] == [installed.path.name]

    assert models.install_from_file(newer).package_version == "2.0"
    assert [p.name for p in models.packages_dir().iterdir()] == ["translate-fr_en-2_0"]


# --- archive limits


def test_a_zip_bomb_is_refused_before_anything_is_extracted(tmp_path: Path, installed: models.ModelInfo) -> None:
    bomb = _package(tmp_path / "bomb.argosmodel", {**GOOD, "package_version": "2.0"},
                    members={"model/model.bin": bytes(20_000_000)})
    assert bomb.stat().st_size < 100_000
    limits = models.InstallLimits(max_unpacked_bytes=10_000_000)

    with pytest.raises(ModelError, match=r"unpacks to 20\.0 MB, more than the 10\.0 MB limit") as caught:
        models.install_from_file(bomb, limits=limits)

    assert caught.value.path == bomb
    assert [p.name for p in models.packages_dir().iterdir()] == [installed.path.name]


def test_an_archive_with_too_many_members_is_refused(tmp_path: Path) -> None:
    many = _package(tmp_path / "many.argosmodel", GOOD, members={f"f{i}": b"" for i in range(50)})
    with pytest.raises(ModelError, match="holds 51 files, more than the 20 allowed"):
        models.install_from_file(many, limits=models.InstallLimits(max_members=20))
    assert models.installed_packages() == []


def test_default_limits_fit_real_models_and_stop_bombs() -> None:
    limits = models.InstallLimits()
    assert 1 << 30 <= limits.max_download_bytes <= 8 << 30  # Argos models are 50–500 MB
    assert limits.max_download_bytes <= limits.max_unpacked_bytes <= 16 << 30
    assert 1000 <= limits.max_members <= 100_000
    assert 60 <= limits.deadline_seconds <= 4 * 3600


# --- the package index


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[bytes, dict]] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body, options = self.routes.get(self.path, (b"", {"status": 404}))
        self.send_response(options.get("status", 200))
        if options.get("length", True):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if options.get("trickle"):
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(options["trickle"])
                return
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict]]:
    routes: dict[str, tuple[bytes, dict]] = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base + "/index.json")
    yield base, routes
    httpd.shutdown()
    httpd.server_close()


def _index(routes: dict, entries: list) -> None:
    routes["/index.json"] = (json.dumps(entries).encode(), {})


def test_bad_index_entries_are_skipped_with_a_warning(
    server: tuple[str, dict], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    base, routes = server
    routes["/good.argosmodel"] = (_package(tmp_path / "g.argosmodel", GOOD).read_bytes(), {})
    _index(routes, [
        "not an object",
        {**GOOD, "type": 5, "links": [base + "/x"]},
        {**GOOD, "from_code": ["fr"], "links": [base + "/x"]},
        {**GOOD, "package_version": "../../evil", "links": [base + "/x"]},
        {**GOOD, "links": base + "/a-string-not-a-list"},
        {**GOOD, "package_version": "1.0", "links": [base + "/good.argosmodel"]},
    ])
    with caplog.at_level(logging.WARNING, logger="workflow"):
        listed = models.available_packages(refresh=True)
    assert [(i.from_code, i.to_code, i.package_version) for i in listed] == [("fr", "en", "1.0")]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 5
    assert all(w.startswith("package index entry ") for w in warnings)
    # the local copy of the index (with its bad entries) does not poison later calls
    assert models.install_from_index("fr", "en").package_version == "1.0"
    assert models.available_packages()[0].package_version == "1.0"


@pytest.mark.parametrize("link", ["file:///etc/passwd", "ftp://127.0.0.1/x.argosmodel", "data:,PK"])
def test_only_http_links_are_followed(server: tuple[str, dict], link: str) -> None:
    _base, routes = server
    _index(routes, [{**GOOD, "links": [link]}])
    with pytest.raises(ModelError, match="only http and https"):
        models.install_from_index("fr", "en")
    assert models.installed_packages() == []


def test_a_file_url_index_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "index.json").write_text("[]", "utf-8")
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", (tmp_path / "index.json").as_uri())
    with pytest.raises(ModelError, match="only http and https"):
        models.update_index()


def test_a_download_larger_than_the_cap_is_stopped(server: tuple[str, dict], tmp_path: Path) -> None:
    base, routes = server
    data = _package(tmp_path / "big.argosmodel", GOOD, members={"model/model.bin": os.urandom(300_000)}).read_bytes()
    routes["/announced.argosmodel"] = (data, {})
    routes["/silent.argosmodel"] = (data, {"length": False})
    limits = models.InstallLimits(max_download_bytes=100_000)
    for name in ("announced", "silent"):
        _index(routes, [{**GOOD, "links": [f"{base}/{name}.argosmodel"]}])
        with pytest.raises(ModelError, match="more than the 0.1 MB download limit"):
            models.install_from_index("fr", "en", refresh=True, limits=limits)
    from argostranslate import settings

    assert list(Path(settings.downloads_dir).iterdir()) == []  # no .part file left
    assert models.installed_packages() == []


def test_an_oversized_index_is_refused(server: tuple[str, dict]) -> None:
    _base, routes = server
    routes["/index.json"] = (b"[" + b" " * 200_000 + b"]", {})
    with pytest.raises(ModelError, match="download limit"):
        models.update_index(limits=models.InstallLimits(max_index_bytes=100_000))


def test_a_slow_server_hits_the_total_deadline(server: tuple[str, dict], tmp_path: Path) -> None:
    """Each byte arrives well within the read timeout, but the whole would take minutes."""
    base, routes = server
    data = _package(tmp_path / "slow.argosmodel", GOOD).read_bytes()
    routes["/slow.argosmodel"] = (data, {"trickle": 0.05})
    _index(routes, [{**GOOD, "links": [base + "/slow.argosmodel"]}])
    start = time.monotonic()
    with pytest.raises(ModelError, match=r"took longer than 1 s"):
        models.install_from_index("fr", "en", limits=models.InstallLimits(deadline_seconds=1))
    assert time.monotonic() - start < 4
    assert models.installed_packages() == []


def test_cli_limits_are_options(tmp_path: Path) -> None:
    bomb = _package(tmp_path / "bomb.argosmodel", GOOD, members={"model/model.bin": bytes(3_000_000)})
    result = runner.invoke(app, ["models", "install", "--file", str(bomb), "--max-unpacked-mb", "1"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {bomb}: the archive unpacks to 3.0 MB, more than the 1.0 MB limit")
    assert runner.invoke(app, ["models", "install", "--file", str(bomb)]).exit_code == 0
