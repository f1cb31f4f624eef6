"""Helpers any benchmark script can use: peak RSS, wall time with the CPU other
processes took meanwhile, a private HOME for Argos, and phases run in child processes.

Import it before `tests` or `workflow`: it puts the repository first on sys.path.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Self

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path[:1]:
    # argostranslate's wheel ships a top-level `tests` package that would shadow ours.
    sys.path.insert(0, str(REPO))

# Cores this process may run on.
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def peak_rss_mib() -> float:
    """VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec, so every phase
    would report at least the parent's peak (the model build)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _busy_jiffies() -> int | None:
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return sum(fields[:8]) - fields[3] - fields[4]  # minus idle and iowait


class Meter:
    """Wall time plus the CPU other processes took meanwhile: this machine is shared,
    and a phase that ran next to someone's test suite is not comparable."""

    def __enter__(self) -> Self:
        self.busy0, self.cpu0, self.t0 = _busy_jiffies(), _cpu_seconds(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.t0
        cpu = _cpu_seconds() - self.cpu0
        busy1 = _busy_jiffies()
        self.cpu_cores = cpu / self.seconds if self.seconds else 0.0
        self.other_cores = None
        if self.busy0 is not None and busy1 is not None and self.seconds > 0:
            others = (busy1 - self.busy0) / os.sysconf("SC_CLK_TCK") - cpu
            self.other_cores = max(0.0, others / self.seconds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "cpu_cores": self.cpu_cores,
            "other_cores": self.other_cores,
        }


def isolate_home(workdir: Path) -> None:
    """Argos and XDG folders inside the temp dir: nothing is installed into ~."""
    home = workdir / "home"
    os.environ["HOME"] = str(home)
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        os.environ[name] = str(home / name.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "argos-packages")
    os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"  # never the internet
    os.environ.pop("SOURCE_DATE_EPOCH", None)


def run_child_phase(script: str | Path, name: str, workdir: Path, argv: list[str]) -> dict[str, Any]:
    """Run ``script --_phase NAME --_workdir WORKDIR ARGV...`` in a fresh interpreter
    and return the JSON it left in ``WORKDIR/NAME.json`` (see write_phase_result)."""
    out = workdir / f"{name}.json"
    command = [sys.executable, str(script), "--_phase", name, "--_workdir", str(workdir), *argv]
    subprocess.run(command, check=True, env=os.environ.copy())
    return json.loads(out.read_text("utf-8"))


def write_phase_result(workdir: Path, name: str, result: dict[str, Any]) -> None:
    """The child side of run_child_phase."""
    (workdir / f"{name}.json").write_text(json.dumps(result), "utf-8")
