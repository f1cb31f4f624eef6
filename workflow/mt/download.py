"""Fetching over http(s) for the model index and packages: bounded in size and time.

urllib's own timeout covers connecting and each read, not DNS resolution nor a server
that trickles bytes; and its default opener also follows file:, ftp: and data: URLs. Here
only http(s) is opened (redirects included), the open itself has a deadline, and a
response is read in the chunks the network delivers, stopping at a size cap (announced
or counted) and at a total deadline.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workflow.base.errors import ModelError

MB = 1_000_000

INSTALL_HINT = (
    "On a machine without internet access, download the .argosmodel file elsewhere "
    "(download links are listed in the Argos package index, "
    "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json), "
    "copy it here and install it with `workflow models install --file PATH`."
)


def is_http_url(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme.lower() in ("http", "https")


def _opener() -> urllib.request.OpenerDirector:
    """urllib's handlers for http(s) only: no file:, ftp: or data: URL, not even by redirect."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _open(url: str, timeout: float, what: str):
    """Open a URL, giving up after `timeout` even where socket timeouts don't apply.

    urllib's timeout covers connect and reads but not DNS resolution, which on
    a machine with no network can hang for tens of seconds; so the open runs in
    a daemon thread and we stop waiting at the deadline.
    """
    if not is_http_url(url):
        raise ModelError(
            f"cannot fetch {what} from {url}: only http and https URLs are fetched. "
            "For a file on this machine use `workflow models install --file PATH`."
        )
    request = urllib.request.Request(url, headers={"User-Agent": "ArgosTranslate"})  # as argostranslate.networking
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["response"] = _opener().open(request, timeout=timeout)
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


def stream(url: str, timeout: float, what: str, max_bytes: int, deadline_seconds: float, sink: Callable[[bytes], Any]) -> None:
    """Copy a response to `sink` in the chunks the network delivers, stopping at the size cap
    or the total deadline: a server that trickles bytes can no longer hold us for ever."""
    deadline = time.monotonic() + deadline_seconds
    response = _open(url, timeout, what)
    limit = f"the {max_bytes / MB:.1f} MB download limit"
    with response:
        announced = response.headers.get("Content-Length")
        if announced and announced.isdigit() and int(announced) > max_bytes:
            raise ModelError(f"{what} at {url} is {int(announced) / MB:.1f} MB, more than {limit}")
        received = 0
        while True:
            try:
                chunk = response.read1(1 << 16)
            except (OSError, urllib.error.URLError) as exc:
                raise ModelError(f"download of {what} from {url} failed: {exc}. {INSTALL_HINT}") from exc
            if not chunk:
                return
            received += len(chunk)
            if received > max_bytes:
                raise ModelError(f"{what} at {url} is more than {limit}")
            if time.monotonic() > deadline:
                raise ModelError(
                    f"download of {what} from {url} took longer than {deadline_seconds:g} s "
                    f"({received / MB:.1f} MB received). {INSTALL_HINT}"
                )
            sink(chunk)


def fetch(url: str, timeout: float, what: str, max_bytes: int, deadline_seconds: float) -> bytes:
    parts: list[bytes] = []
    stream(url, timeout, what, max_bytes, deadline_seconds, parts.append)
    return b"".join(parts)


def download(url: str, target: Path, timeout: float, max_bytes: int, deadline_seconds: float) -> None:
    """Stream to a .part file so a broken download never looks like a package."""
    tmp = target.with_name(target.name + ".part")
    try:
        with open(tmp, "wb") as out:
            stream(url, timeout, "the model download", max_bytes, deadline_seconds, out.write)
        tmp.replace(target)
    except OSError as exc:
        raise ModelError(f"download from {url} failed: {exc}. {INSTALL_HINT}") from exc
    finally:
        tmp.unlink(missing_ok=True)
