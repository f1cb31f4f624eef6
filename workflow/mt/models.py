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

Packages come from colleagues' USB sticks and from servers we do not control, so:

* every path built from package metadata (type, language codes, version) or from the
  archive's top folder is one safe folder name inside the packages folder, or the
  package is refused (`ModelError` naming the field);
* an installed model is moved aside only once the new one is completely unpacked,
  and put back if the new one cannot take its place;
* downloads and archives are bounded (`InstallLimits`: download size, unpacked size,
  member count, a total deadline; `workflow models install --max-…` overrides them);
* only http(s) URLs are fetched, redirects included; an index entry that cannot be
  used is skipped with a warning instead of breaking every later listing or install.

argostranslate is imported lazily so `import workflow` stays cheap and never
touches the user's home folder.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workflow.base.errors import ModelError
from workflow.mt.download import MB, download, fetch

__all__ = [
    "DEFAULT_TIMEOUT",
    "InstallLimits",
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


_lock = threading.RLock()
log = logging.getLogger("workflow")

@dataclass(frozen=True)
class InstallLimits:
    """Bounds on what one install may fetch and unpack. Argos models are 50–500 MB zipped
    and a little more unpacked, in about ten files; the defaults leave room for far larger
    ones while stopping a zip bomb or an endless download."""

    max_download_bytes: int = 4_000 * MB
    max_unpacked_bytes: int = 8_000 * MB
    max_members: int = 10_000
    deadline_seconds: float = 3600.0  # the whole download, however the bytes trickle in
    max_index_bytes: int = 50 * MB  # the index JSON (today about 100 kB)
    index_deadline_seconds: float = 60.0


DEFAULT_LIMITS = InstallLimits()

# Package metadata that goes into folder and file names: one plain name each.
_NAME_FIELDS = {
    "type": re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}"),
    "from_code": re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}"),
    "to_code": re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}"),
    "package_version": re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,31}"),
}
_SAFE_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")
_TEXT_FIELDS = ("from_name", "to_name", "argos_version", "target_prefix")


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


def _metadata_problem(metadata: Any) -> str | None:
    """Why this metadata cannot describe a package we may install or list, or None."""
    if not isinstance(metadata, dict):
        return "not a JSON object"
    for field, pattern in _NAME_FIELDS.items():
        value = metadata.get(field)
        if value is None or (field == "type" and value == ""):
            continue
        if not isinstance(value, str) or not pattern.fullmatch(value):
            return (
                f"{field} {value!r} cannot be part of a folder name "
                "(letters, digits and . _ + - only, at most 32)"
            )
    for field in _TEXT_FIELDS:
        if metadata.get(field) is not None and not isinstance(metadata[field], (str, int, float)):
            return f"{field} must be text, not {type(metadata[field]).__name__}"
    links = metadata.get("links")
    if links is not None and not (isinstance(links, list) and all(isinstance(link, str) for link in links)):
        return "links must be a list of URLs"
    return None


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
    problem = _metadata_problem(metadata)
    if problem:
        raise ModelError(f"metadata.json: {problem}", path)
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


def install_from_file(path: Path | str, *, limits: InstallLimits = DEFAULT_LIMITS) -> ModelInfo:
    """Install a downloaded `.argosmodel` file; replaces an installed package of the same pair.

    The archive is checked (metadata, folder names, size, member count) and unpacked into
    a hidden staging folder first; an installed package of the same pair is moved aside
    only then, and moved back if the new one cannot take its place. A corrupt or hostile
    file therefore never leaves a half-installed package, nor removes a working one."""
    path = Path(path)
    if not path.is_file():
        raise ModelError("model file not found", path)
    try:
        with zipfile.ZipFile(path) as zf:
            top, metadata = _read_archive_metadata(zf, path)
            _check_archive_size(zf, path, limits)
            info = _info_from_metadata(metadata, None)
            folder = top or f"{info.name}-{info.package_version.replace('.', '_') or '0'}"
            if not _SAFE_FOLDER.fullmatch(folder):
                raise ModelError(f"package folder name {folder!r} is not one plain folder name", path)
            with _lock:
                settings, package = _argos()
                target_root = Path(settings.package_data_dir)
                with package.package_lock:
                    final = _install_unpacked(zf, top, info, target_root / folder, path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ModelError(f"not a valid .argosmodel file (corrupt zip archive: {exc})", path) from exc
    except OSError as exc:
        raise ModelError(f"cannot install model package: {exc.strerror or exc}", path) from exc
    return read_package(final)


def _check_archive_size(zf: zipfile.ZipFile, path: Path, limits: InstallLimits) -> None:
    """A zip bomb is refused from its directory, before a byte is unpacked. zipfile never
    unpacks more than a member's declared size (and fails its CRC check), so the sum of
    the declared sizes bounds what extraction can write."""
    members = zf.infolist()
    if len(members) > limits.max_members:
        raise ModelError(f"the archive holds {len(members)} files, more than the {limits.max_members} allowed", path)
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise ModelError(
            f"the archive unpacks to {unpacked / MB:.1f} MB, more than the "
            f"{limits.max_unpacked_bytes / MB:.1f} MB limit (raise it with --max-unpacked-mb if the model is really that big)",
            path,
        )


def _install_unpacked(zf: zipfile.ZipFile, top: str, info: ModelInfo, final: Path, path: Path) -> Path:
    target_root = final.parent
    staging = Path(tempfile.mkdtemp(prefix=".workflow-install-", dir=target_root))
    try:
        zf.extractall(staging / "new")  # zipfile drops absolute paths and ".." parts
        unpacked = staging / "new" / top if top else staging / "new"
        fresh = read_package(unpacked)
        if (fresh.from_code, fresh.to_code) != (info.from_code, info.to_code):
            raise ModelError("metadata.json changed while unpacking", path)
        olds = _same_pair(target_root, info)
        if final.exists() and final not in olds:
            olds.append(final)
        retired: list[tuple[Path, Path]] = []
        try:
            for number, old in enumerate(olds):
                aside = staging / f"old-{number}"
                old.rename(aside)
                retired.append((old, aside))
            unpacked.rename(final)
        except OSError:
            for old, aside in reversed(retired):  # the working model goes back where it was
                aside.rename(old)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


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
    problem = _metadata_problem(metadata)
    if problem:
        raise ModelError(f"metadata.json: {problem}", path)
    if top and not _SAFE_FOLDER.fullmatch(top):
        raise ModelError(
            f"the archive's top folder {top!r} cannot be a package folder "
            "(a plain name of letters, digits and . _ + -, not starting with a dot)",
            path,
        )
    return top, metadata


def _same_pair(root: Path, info: ModelInfo) -> list[Path]:
    """Installed folders of the same package (a link to a folder elsewhere is left alone)."""
    olds = []
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink() and not child.name.startswith("."):
            try:
                other = read_package(child)
            except ModelError:
                continue
            if (other.name, other.from_code, other.to_code) == (info.name, info.from_code, info.to_code):
                olds.append(child)
    return olds


# ---------------------------------------------------------------- package index


def update_index(*, timeout: float = DEFAULT_TIMEOUT, limits: InstallLimits = DEFAULT_LIMITS) -> list[ModelInfo]:
    """Download the package index (ARGOS_PACKAGE_INDEX) into Argos's local copy."""
    with _lock:
        settings, package = _argos()
        url = _index_url(settings)
        data = fetch(url, timeout, "the Argos package index", limits.max_index_bytes, limits.index_deadline_seconds)
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


def available_packages(
    *, refresh: bool = False, timeout: float = DEFAULT_TIMEOUT, limits: InstallLimits = DEFAULT_LIMITS
) -> list[ModelInfo]:
    """Translation packages listed in the index (downloaded first if there is no local copy)."""
    with _lock:
        settings, _ = _argos()
        local = Path(settings.local_package_index)
        if refresh or not local.exists():
            return update_index(timeout=timeout, limits=limits)
        try:
            entries = json.loads(local.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return update_index(timeout=timeout, limits=limits)
        return _parse_index(entries if isinstance(entries, list) else [])


def _parse_index(entries: list[Any]) -> list[ModelInfo]:
    """Usable translation packages; an entry that cannot be used is skipped with a warning,
    so one bad entry never breaks the listing or the install of the others."""
    infos = []
    for number, entry in enumerate(entries, start=1):
        problem = _metadata_problem(entry)
        if problem:
            log.warning("package index entry %d skipped: %s", number, problem)
            continue
        infos.append(_info_from_metadata(entry, None))
    infos = [i for i in infos if i.name.startswith("translate") and i.from_code and i.to_code]
    return _newest_first(infos)


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    refresh: bool = False,
    limits: InstallLimits = DEFAULT_LIMITS,
) -> ModelInfo:
    """Download and install the newest package for a pair from the package index."""
    with _lock:
        candidates = [
            i for i in available_packages(refresh=refresh, timeout=timeout, limits=limits)
            if i.from_code == from_code and i.to_code == to_code
        ]
        if not candidates and not refresh:  # the local copy of the index may be stale
            candidates = [
                i for i in update_index(timeout=timeout, limits=limits)
                if i.from_code == from_code and i.to_code == to_code
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
                download(link, target, timeout, limits.max_download_bytes, limits.deadline_seconds)
                break
            except ModelError as exc:
                errors.append(exc.message)
        else:
            raise ModelError(f"cannot download {wanted.describe()}: {'; '.join(errors)}")
    try:
        return install_from_file(target, limits=limits)
    finally:
        target.unlink(missing_ok=True)
