"""Atomic file writes (a reader, or a crash, never sees half a file) and run locks.

Every failure to write becomes a WriteError naming the file, so callers report one
message instead of a traceback, and a batch can go on with its other files.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workflow.base.errors import WorkflowError

# A temporary file sits beside its target (same file system, so the final rename is
# atomic); its name keeps only the start of the target's, so that a target whose own
# name is near the 255-byte limit can still be written.
_TEMP_NAME_KEEP = 40


class WriteError(WorkflowError):
    """A file could not be written (permissions, a file where a folder should be, a full disk…)."""


class ChangedOnDiskError(WorkflowError):
    """The file changed since it was read: someone else saved it, so it is left alone."""


_ANY = object()

CHANGED_ON_DISK = (
    "changed on disk during this run (saved from a PO editor?): left as it is; "
    "run `workflow translate` again to merge it"
)


def _parent_problem(path: Path) -> str | None:
    """The first ancestor that exists but is not a folder, said in words."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return f"{parent} is a file, not a folder"
    return None


def _write_error(error: OSError, path: Path) -> WriteError:
    if error.errno in (errno.ENOTDIR, errno.EEXIST) and (problem := _parent_problem(path)):
        return WriteError(f"cannot write: {problem}", path)
    return WriteError(f"cannot write: {error.strerror or error}", path)


def atomic_write_bytes(path: Path, data: bytes, *, expected: bytes | None | object = _ANY) -> None:
    """Write `data` to `path` through a temporary file and one rename.

    With `expected` (the bytes read earlier, None for "did not exist"), the file on disk is
    compared with it immediately before the rename, and ChangedOnDiskError is raised (the
    file left as it is) if it differs: an editor's save during our write is never lost
    (see _replace_if_unchanged)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name[:_TEMP_NAME_KEEP]}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise _write_error(error, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o644)
        if expected is _ANY:
            os.replace(temporary, path)
        else:
            _replace_if_unchanged(temporary, path, expected)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise _write_error(error, path) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _replace_if_unchanged(temporary: str, path: Path, expected: bytes | None) -> None:
    """Rename `temporary` over `path` only if `path` still holds `expected`.

    The comparison runs on an open handle immediately before the rename. An editor that
    writes in place could still have opened the old file just before the rename and write
    into it just after: the held handle sees that (size or mtime moved), and the editor's
    bytes are put back in place instead of ours. What no check can see is such a write
    landing only after this function returns: its bytes go to the replaced file
    (bench/po_save_race.py provokes and counts that case)."""
    try:
        held = open(path, "rb")
    except FileNotFoundError:
        held = None
    if held is None:
        if expected is not None:
            raise ChangedOnDiskError(CHANGED_ON_DISK, path)
        os.replace(temporary, path)
        return
    with held:
        before = os.fstat(held.fileno())
        if held.read() != expected:
            raise ChangedOnDiskError(CHANGED_ON_DISK, path)
        os.replace(temporary, path)
        after = os.fstat(held.fileno())
        if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
            held.seek(0)
            atomic_write_bytes(path, held.read())  # the editor's save wins over ours
            raise ChangedOnDiskError(CHANGED_ON_DISK, path)


def atomic_write_text(path: Path, text: str, *, expected: bytes | None | object = _ANY) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), expected=expected)


def read_bytes_or_none(path: Path) -> bytes | None:
    """The file's bytes, or None if there is no such file."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically unless the file already holds exactly `data`; True if it was written.

    Compares bytes, so whatever is there (not UTF-8, a folder's leftovers) never stops the write."""
    try:
        if read_bytes_or_none(path) == data:
            return False
    except OSError:
        pass  # unreadable (a folder, no permission): the write below reports what is wrong
    atomic_write_bytes(path, data)
    return True


class LockedError(WorkflowError):
    """Another run holds the lock: refusing beats two runs merging the same PO file."""


@contextmanager
def exclusive_lock(path: Path, what: str) -> Iterator[None]:
    """Hold an advisory lock for the duration of a run; refuse at once if it is taken.

    The kernel drops the lock when the process dies, so a killed run never leaves a stale lock."""
    import fcntl

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")
    except OSError as error:
        problem = _parent_problem(path) if error.errno in (errno.ENOTDIR, errno.EEXIST) else None
        raise WorkflowError(f"cannot create the lock file: {problem or error.strerror or error}", path) from None
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LockedError(f"{what} is already running here ({holder}); wait for it to finish", path) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()
