"""Argos model packages: list, install from a file, install from the package index.

Wraps `argostranslate.package` and `argostranslate.settings` so the package
folders, the index URL and the download cache are exactly the ones the
`argos-translate` tools use (ARGOS_PACKAGES_DIR, ARGOS_PACKAGE_INDEX,
XDG_DATA_HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME, HOME, settings.json).

Why not call argostranslate's own install/update functions directly:

* `argostranslate.settings` resolves every path and URL once, at import time, and
  creates the folders. We re-read it (importlib.reload) before each operation so
  that environment changes made after the first import (tests, a CLI flag that
  sets ARGOS_PACKAGES_DIR) are honoured.
* `package.install_from_path` imports `argostranslate.translate`, which imports
  stanza; stanza is deliberately not installed, so it fails *after* unzipping.
* `package.update_package_index` and `AvailablePackage.download` have no network
  timeout, retry three times and log-and-swallow errors; on an offline newsroom
  machine that means minutes of waiting and then a confusing failure. We fetch
  with a short deadline and fail with a message that says what to do instead.

argostranslate is imported lazily so `import workflow` stays cheap and never
touches the user's home folder.
"""

from __future__ import annotations

import importlib
import json
import shutil
import tempfile
import threading
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workflow.base.errors import ModelError

__all__ = [
    "DEFAULT_TIMEOUT",
    "ModelInfo",
    "available_packages",
    "find_package",
    "index_url",
    "install_from_file",
    "install_from_index",
    "installed_packages",
    "packages_dir",
    "read_package",
    "update_index",
]

# Seconds to wait for the index server to answer (and between bytes of a download).
DEFAULT_TIMEOUT = 5.0

INSTALL_HINT = (
    "On a machine without internet access, download the .argosmodel file elsewhere "
    "(download links are listed in the Argos package index, "
    "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json), "
    "copy it here and install it with `workflow models install --file PATH`."
)

_lock = threading.RLock()


@dataclass(frozen=True)
class ModelInfo:
    """One Argos translation package, installed (`path` set) or listed in the index."""

    from_code: str
    to_code: str
    package_version: str
    name: str  # argospm name, e.g. "translate-fr_en"; with the version it identifies the model
    path: Path | None = None
    from_name: str = ""
    to_name: str = ""
    argos_version: str = ""
    target_prefix: str = ""
    links: tuple[str, ...] = ()

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"

    def describe(self) -> str:
        where = f" ({self.path})" if self.path is not None else ""
        return f"{self.name} {self.package_version}{where}"


# ---------------------------------------------------------------- argostranslate glue


def _argos() -> tuple[Any, Any]:
    """Return (argostranslate.settings, argostranslate.package), re-reading the settings.

    Reloading re-runs argostranslate's own resolution of env vars and
    settings.json, so we never duplicate (and drift from) its rules.
    """
    try:
        import argostranslate.settings as settings
    except ImportError as exc:  # pragma: no cover - dependency of the project
        raise ModelError(f"argostranslate is not installed: {exc}") from exc
    except OSError as exc:
        raise ModelError(f"cannot create the Argos Translate folders: {exc}") from exc
    try:
        importlib.reload(settings)
        import argostranslate.package as package
    except OSError as exc:
        raise ModelError(f"cannot create the Argos Translate folders: {exc}") from exc
    return settings, package


def packages_dir() -> Path:
    """Folder where packages are installed (ARGOS_PACKAGES_DIR or the XDG data folder)."""
    with _lock:
        settings, _ = _argos()
        return Path(settings.package_data_dir)


def index_url() -> str:
    """URL of the package index JSON, from ARGOS_PACKAGE_INDEX (or settings.json).

    argostranslate appends "index.json" blindly, so a base URL without a trailing
    slash silently breaks there; accept both forms, and a full URL to a .json file.
    """
    with _lock:
        settings, _ = _argos()
        return _index_url(settings)


def _index_url(settings: Any) -> str:
    base = str(settings.package_index)
    if base.endswith(".json"):
        return base
    return base.rstrip("/") + "/index.json"


def _info_from_metadata(metadata: dict[str, Any], path: Path | None) -> ModelInfo:
    from_code = metadata.get("from_code")
    to_code = metadata.get("to_code")
    kind = metadata.get("type") or "translate"
    name = kind + (f"-{from_code}_{to_code}" if from_code and to_code else "")  # = argospm_package_name
    links = metadata.get("links") or ()
    return ModelInfo(
        from_code=str(from_code or ""),
        to_code=str(to_code or ""),
        package_version=str(metadata.get("package_version") or ""),
        name=name,
        path=path,
        from_name=str(metadata.get("from_name") or ""),
        to_name=str(metadata.get("to_name") or ""),
        argos_version=str(metadata.get("argos_version") or ""),
        target_prefix=str(metadata.get("target_prefix") or ""),
        links=tuple(str(link) for link in links) if isinstance(links, list) else (),
    )


def _version_key(version: str) -> tuple[int, Any]:
    import packaging.version  # a dependency of argostranslate

    try:
        return (1, packaging.version.parse(version))
    except packaging.version.InvalidVersion:
        return (0, version)


# ---------------------------------------------------------------- installed packages


def read_package(path: Path | str) -> ModelInfo:
    """Describe an installed (unzipped) package folder."""
    path = Path(path)
    metadata_path = path / "metadata.json"
    if not path.is_dir():
        raise ModelError("model package folder not found", path)
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError("not an Argos package: no metadata.json", path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"unreadable metadata.json: {exc}", path) from exc
    if not isinstance(metadata, dict):
        raise ModelError("metadata.json must hold a JSON object", path)
    return _info_from_metadata(metadata, path)


def installed_packages() -> list[ModelInfo]:
    """Installed translation packages, newest version first within each pair.

    Unlike `argostranslate.package.get_installed_packages`, a stray folder
    without metadata.json is skipped rather than breaking the whole listing.
    """
    with _lock:
        settings, package = _argos()
        with package.package_lock:
            found: list[ModelInfo] = []
            for directory in settings.package_dirs:
                directory = Path(directory)
                if not directory.is_dir():
                    continue
                for child in sorted(directory.iterdir()):
                    if not child.is_dir() or child.name.startswith("."):
                        continue
                    try:
                        info = read_package(child)
                    except ModelError:
                        continue
                    if info.name.startswith("translate") and info.from_code and info.to_code:
                        found.append(info)
    return _newest_first(found)


def _newest_first(infos: list[ModelInfo]) -> list[ModelInfo]:
    ordered = sorted(infos, key=lambda i: _version_key(i.package_version), reverse=True)
    return sorted(ordered, key=lambda i: (i.from_code, i.to_code))  # stable: keeps version order


def find_package(from_code: str, to_code: str) -> ModelInfo | None:
    """The installed package for a language pair (highest version if several)."""
    for info in installed_packages():
        if info.from_code == from_code and info.to_code == to_code:
            return info
    return None


def install_from_file(path: Path | str) -> ModelInfo:
    """Install a downloaded `.argosmodel` file; replaces an installed package of the same pair.

    The archive is validated and unpacked into a hidden temporary folder first,
    so a corrupt file never leaves a half-installed package behind.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError("model file not found", path)
    try:
        with zipfile.ZipFile(path) as zf:
            top, metadata = _read_archive_metadata(zf, path)
            with _lock:
                settings, package = _argos()
                target_root = Path(settings.package_data_dir)
                info = _info_from_metadata(metadata, None)
                folder = top or f"{info.name}-{info.package_version.replace('.', '_') or '0'}"
                with package.package_lock:
                    staging = Path(tempfile.mkdtemp(prefix=".workflow-install-", dir=target_root))
                    try:
                        zf.extractall(staging)  # zipfile drops absolute paths and ".." parts
                        unpacked = staging / top if top else staging
                        final = target_root / folder
                        for old in _same_pair(target_root, info):
                            shutil.rmtree(old)
                        if final.exists():
                            shutil.rmtree(final)
                        unpacked.rename(final)
                    finally:
                        shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ModelError(f"not a valid .argosmodel file (corrupt zip archive: {exc})", path) from exc
    except OSError as exc:
        raise ModelError(f"cannot install model package: {exc}", path) from exc
    return read_package(final)


def _read_archive_metadata(zf: zipfile.ZipFile, path: Path) -> tuple[str, dict[str, Any]]:
    """Find metadata.json at the root or in the single top folder, as Argos packages have it."""
    names = [n for n in zf.namelist() if n and not n.startswith("__MACOSX")]
    tops = {n.split("/", 1)[0] for n in names}
    only_top = next(iter(tops)) if len(tops) == 1 else ""
    if "metadata.json" in names:
        top, member = "", "metadata.json"
    elif only_top not in ("", ".", "..") and f"{only_top}/metadata.json" in names:
        top, member = only_top, f"{only_top}/metadata.json"
    else:
        raise ModelError("not an Argos package: no metadata.json in the archive", path)
    try:
        metadata = json.loads(zf.read(member).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"unreadable metadata.json in the archive: {exc}", path) from exc
    if not isinstance(metadata, dict):
        raise ModelError("metadata.json in the archive must hold a JSON object", path)
    missing = [key for key in ("from_code", "to_code") if not isinstance(metadata.get(key), str) or not metadata[key]]
    if missing:
        raise ModelError(f"metadata.json in the archive lacks {', '.join(missing)}", path)
    return top, metadata


def _same_pair(root: Path, info: ModelInfo) -> list[Path]:
    olds = []
    for child in root.iterdir():
        if child.is_dir() and not child.name.startswith("."):
            try:
                other = read_package(child)
            except ModelError:
                continue
            if (other.name, other.from_code, other.to_code) == (info.name, info.from_code, info.to_code):
                olds.append(child)
    return olds


# ---------------------------------------------------------------- package index


def update_index(*, timeout: float = DEFAULT_TIMEOUT) -> list[ModelInfo]:
    """Download the package index (ARGOS_PACKAGE_INDEX) into Argos's local copy."""
    with _lock:
        settings, package = _argos()
        url = _index_url(settings)
        data = _fetch(url, timeout, what="the Argos package index")
        try:
            entries = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"the package index at {url} is not valid JSON: {exc}") from exc
        if not isinstance(entries, list):
            raise ModelError(f"the package index at {url} is not a JSON list of packages")
        local = Path(settings.local_package_index)
        with package.package_lock:
            tmp = local.with_name(local.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(local)
        return _parse_index(entries)


def available_packages(*, refresh: bool = False, timeout: float = DEFAULT_TIMEOUT) -> list[ModelInfo]:
    """Translation packages listed in the index (downloaded first if there is no local copy)."""
    with _lock:
        settings, _ = _argos()
        local = Path(settings.local_package_index)
        if refresh or not local.exists():
            return update_index(timeout=timeout)
        try:
            entries = json.loads(local.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return update_index(timeout=timeout)
        return _parse_index(entries if isinstance(entries, list) else [])


def _parse_index(entries: list[Any]) -> list[ModelInfo]:
    infos = [_info_from_metadata(e, None) for e in entries if isinstance(e, dict)]
    infos = [i for i in infos if i.name.startswith("translate") and i.from_code and i.to_code]
    return _newest_first(infos)


def install_from_index(
    from_code: str, to_code: str, *, timeout: float = DEFAULT_TIMEOUT, refresh: bool = False
) -> ModelInfo:
    """Download and install the newest package for a pair from the package index."""
    with _lock:
        candidates = [
            i for i in available_packages(refresh=refresh, timeout=timeout)
            if i.from_code == from_code and i.to_code == to_code
        ]
        if not candidates and not refresh:  # the local copy of the index may be stale
            candidates = [
                i for i in update_index(timeout=timeout) if i.from_code == from_code and i.to_code == to_code
            ]
        if not candidates:
            raise ModelError(
                f"the Argos package index ({index_url()}) has no {from_code}→{to_code} translation package"
            )
        wanted = candidates[0]
        if not wanted.links:
            raise ModelError(f"the package index lists {wanted.describe()} without a download link")
        settings, _ = _argos()
        downloads = Path(settings.downloads_dir)
        downloads.mkdir(parents=True, exist_ok=True)
        filename = f"{wanted.name}-{wanted.package_version.replace('.', '_')}.argosmodel"
        target = downloads / filename
        errors = []
        for link in wanted.links:
            try:
                _download(link, target, timeout)
                break
            except ModelError as exc:
                errors.append(exc.message)
        else:
            raise ModelError(f"cannot download {wanted.describe()}: {'; '.join(errors)}")
    try:
        return install_from_file(target)
    finally:
        target.unlink(missing_ok=True)


# ---------------------------------------------------------------- networking


def _open(url: str, timeout: float, what: str):
    """Open a URL, giving up after `timeout` even where socket timeouts don't apply.

    urllib's timeout covers connect and reads but not DNS resolution, which on
    a machine with no network can hang for tens of seconds; so the open runs in
    a daemon thread and we stop waiting at the deadline.
    """
    request = urllib.request.Request(url, headers={"User-Agent": "ArgosTranslate"})  # as argostranslate.networking
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["response"] = urllib.request.urlopen(request, timeout=timeout)
        except BaseException as exc:  # noqa: BLE001 - reported to the caller below
            box["error"] = exc

    worker = threading.Thread(target=target, name="workflow-fetch", daemon=True)
    worker.start()
    worker.join(timeout + 1.0)
    if worker.is_alive():
        raise ModelError(f"cannot reach {what} at {url}: no answer within {timeout:g} s. {INSTALL_HINT}")
    if "error" in box:
        exc = box["error"]
        reason = exc if isinstance(exc, urllib.error.HTTPError) else getattr(exc, "reason", None) or exc
        raise ModelError(f"cannot reach {what} at {url}: {reason}. {INSTALL_HINT}") from exc
    return box["response"]


def _fetch(url: str, timeout: float, what: str) -> bytes:
    response = _open(url, timeout, what)
    try:
        with response:
            return response.read()
    except (OSError, urllib.error.URLError) as exc:
        raise ModelError(f"download of {what} from {url} failed: {exc}. {INSTALL_HINT}") from exc


def _download(url: str, target: Path, timeout: float) -> None:
    """Stream to a .part file so a broken download never looks like a package."""
    response = _open(url, timeout, what="the model download")
    tmp = target.with_name(target.name + ".part")
    try:
        with response, open(tmp, "wb") as out:
            shutil.copyfileobj(response, out, length=1 << 20)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ModelError(f"download from {url} failed: {exc}. {INSTALL_HINT}") from exc
