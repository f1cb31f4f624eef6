"""Apertium rule-based MT, French→English by pivoting through Spanish.

Debian ships no direct fr→en Apertium pair, but `apertium-fr-es` and
`apertium-eng-spa` are both packaged, run fully offline and are fast enough to
translate a whole article in well under a second. Quality is rough (it is a
rule-based pivot), so this engine is a fallback and a baseline, not a
replacement for a neural model.

A batch is sent through ONE shell pipeline, `apertium -u fr-es | apertium -u
spa-eng`, with segments separated by a blank line ("\\n\\n"). Why a blank line:
Apertium's txt deformatter turns it into a superblank preceded by an inserted
sentence end, so no transfer rule or multiword can span two segments, and the
reformatter gives the blank line back unchanged. With a single "\\n" the
tagger/transfer context leaks across segments (a word moved between two
segments in our checks); with `-z` the wrapper drops the NUL separators
altogether. On all French sentences of the sample corpus the blank-line batch
output was identical, segment for segment, to translating each sentence alone.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import signal
import subprocess
from collections.abc import Sequence

from workflow.mt.engines import Provenance, Translation
from workflow.base.errors import EngineError

INSTALL_HINT = "apt-get install apertium apertium-fr-es apertium-eng-spa"

# Mode names differ between packagings: Debian's eng-spa installs `spa-eng`,
# newer data uses ISO 639-3 names, older data the two-letter ones.
FR_ES_MODES = ("fr-es", "fra-spa")
ES_EN_MODES = ("spa-eng", "es-en", "spa-eng_US")
DEBIAN_PACKAGES = ("apertium-fr-es", "apertium-eng-spa")
# Other pivots, used only to repair what the Spanish route leaves untranslated (a word its
# dictionaries lack), in this order: French→Catalan→English (apt-get install apertium-fra-cat
# apertium-eng-cat), then French→Esperanto→English (apertium-eo-fr apertium-eo-en), whose
# dictionaries know words the other two lack ("patrouiller", "prochainement", "réfléchir",
# "équitable"). As main routes they score no better (issue #16: chrF 51.2 and 48.4 vs 51.6 on
# 68 aligned blocks).
PIVOTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "es": (FR_ES_MODES, ES_EN_MODES, DEBIAN_PACKAGES),
    "ca": (("fra-cat", "fr-ca"), ("cat-eng", "ca-en"), ("apertium-fra-cat", "apertium-eng-cat")),
    "eo": (("fr-eo", "fra-epo"), ("eo-en", "epo-eng"), ("apertium-eo-fr", "apertium-eo-en")),
}

SEPARATOR = "\n\n"

# Line and paragraph breaks inside a segment would be read as our separator
# (or as a sentence break that changes the translation); NUL is Apertium's
# flush marker.
_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_NUL = re.compile(r"\x00")
_SPACES = re.compile(r" {2,}")
# Apertium lowercases or "translates" the inside of URLs and e-mail addresses;
# we put the source spelling back when the output still holds it (ignoring case).
_LINKS = re.compile(r"(?:https?://|www\.)[^\s«»\"<>]+[^\s«»\"<>.,;:!?)\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Unknown-word marks that `-u` should already suppress: `*` (unknown to the
# analyser), `#` (no generation), `@` (not in the bilingual dictionary).
_MARK = re.compile(r"(?<![\w*#@])([*#@])(?=\w)")


@functools.lru_cache(maxsize=1)
def _installed_modes() -> frozenset[str]:
    """Asks `apertium -l` once: the data directory varies (APERTIUM_DATADIR, /usr/local)."""
    if shutil.which("apertium") is None:
        return frozenset()
    try:
        done = subprocess.run(
            ["apertium", "-l"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in done.stdout.splitlines() if line.strip())


def _pick_modes(pivot: str = "es") -> tuple[str, str] | None:
    modes = _installed_modes()
    first, second, _ = PIVOTS[pivot]
    fr_es = next((mode for mode in first if mode in modes), None)
    es_en = next((mode for mode in second if mode in modes), None)
    if fr_es is None or es_en is None:
        return None
    return fr_es, es_en


def apertium_available(pivot: str = "es") -> bool:
    """True when the binary is on PATH and both pivot modes are installed."""
    return _pick_modes(pivot) is not None


@functools.lru_cache(maxsize=None)
def _package_version(package: str) -> str:
    """Reads the Debian version so a data upgrade changes the cache key."""
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    version = done.stdout.strip()
    return version if done.returncode == 0 and version else "unknown"


def _prepare(segment: str) -> str:
    """Flattens a segment onto one line so the blank-line separator stays unambiguous."""
    return _BREAKS.sub(" ", _NUL.sub("", segment)).strip()


def _clean(output: str, source: str) -> str:
    text = output.strip()
    if not any(mark in source for mark in "*#@"):
        text = _MARK.sub("", text)
    for link in _LINKS.findall(source):
        if link not in text:
            text = re.sub(re.escape(link), lambda _match, link=link: link, text, flags=re.IGNORECASE)
    return _SPACES.sub(" ", text)


class ApertiumEngine:
    """French→English through Apertium's fr-es and es-en pairs, one pipeline per batch."""

    name = "apertium"
    # An unknown capitalised word (a placeholder) passes through in place: no need to probe.
    keeps_placeholders = True

    def __init__(self, timeout: float | None = None, per_segment_timeout: float = 0.1, pivot: str = "es"):
        modes = _pick_modes(pivot)
        if modes is None:
            if shutil.which("apertium") is None:
                problem = "the `apertium` program is not installed"
            else:
                problem = (
                    "Apertium is installed but lacks the fr-es and/or es-en (spa-eng) modes"
                )
            raise EngineError(f"{problem}; install it with `{INSTALL_HINT}`")
        self.fr_es, self.es_en = modes
        self.pivot = pivot
        # A fixed floor for the two process start-ups, plus time proportional to
        # the batch (measured ~7 ms per sentence on 2 cores; 0.1 s leaves room).
        self.timeout = timeout
        self.per_segment_timeout = per_segment_timeout
        versions = "/".join(
            f"{package.removeprefix('apertium-')} {_package_version(package)}"
            for package in PIVOTS[pivot][2]
        )
        self._provenance = Provenance(
            engine="apertium",
            model=f"{self.fr_es}+{self.es_en}",
            version=versions,
            settings=(("pivot", pivot),),
        )

    def alternatives(self) -> list[ApertiumEngine]:
        """The other installed pivots, for repairing words this route leaves in French or Spanish."""
        return [ApertiumEngine(self.timeout, self.per_segment_timeout, pivot=p)
                for p in PIVOTS if p != self.pivot and apertium_available(p)]

    @property
    def provenance(self) -> Provenance:
        return self._provenance

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        prepared = [_prepare(segment) for segment in segments]
        todo = [index for index, text in enumerate(prepared) if text]
        results: list[Translation | None] = [
            Translation(text="", provenance=self._provenance) for _ in segments
        ]
        if not todo:
            return results
        outputs = self._run([prepared[index] for index in todo])
        for index, output in zip(todo, outputs, strict=True):
            results[index] = Translation(
                text=_clean(output, prepared[index]), provenance=self._provenance
            )
        return results

    def _run(self, texts: Sequence[str]) -> list[str]:
        """Runs the whole batch through one pipeline and splits it back, or fails loudly."""
        command = (
            "set -o pipefail; "
            f"apertium -u {shlex.quote(self.fr_es)} | apertium -u {shlex.quote(self.es_en)}"
        )
        timeout = self.timeout
        if timeout is None:
            timeout = 60.0 + self.per_segment_timeout * len(texts)
        payload = (SEPARATOR.join(texts) + "\n").encode("utf-8")
        try:
            process = subprocess.Popen(
                ["bash", "-c", command],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                # Its own process group, so a timeout kills the whole chain, not just bash.
                start_new_session=True,
            )
        except OSError as error:
            raise EngineError(f"cannot start Apertium: {error}") from error
        try:
            stdout, stderr = process.communicate(payload, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise EngineError(
                f"Apertium did not finish {len(texts)} segments within {timeout:.0f} s"
            ) from None
        if process.returncode != 0:
            detail = stderr.decode("utf-8", "replace").strip() or "no error output"
            raise EngineError(f"Apertium failed (exit {process.returncode}): {detail}")
        text = stdout.decode("utf-8", "replace")
        parts = text.rstrip("\n").split(SEPARATOR)
        if len(parts) != len(texts):
            raise EngineError(
                f"Apertium returned {len(parts)} segments for {len(texts)} sent; "
                "refusing to guess the alignment"
            )
        return parts


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
