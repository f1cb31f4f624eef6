"""Translation engines behind one small interface.

Every engine turns a batch of source segments (already sentences) into a list of
results in the same order. `None` in the result means "this engine gives no
translation" (the `none` engine, or a segment an engine refused), so the catalog
leaves msgstr empty rather than inventing text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Provenance:
    """Where a machine translation came from, written into the PO file and the cache key."""

    engine: str
    model: str = ""
    version: str = ""
    settings: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def describe(self) -> str:
        """Human-readable form for a `#.` comment, e.g. `MT: argos translate-fr_en 1.9, beam 4`."""
        parts = [self.engine]
        if self.model:
            parts.append(self.model)
        if self.version:
            parts.append(self.version)
        text = "MT: " + " ".join(parts)
        if self.settings:
            text += ", " + ", ".join(f"{key} {value}" for key, value in self.settings)
        return text

    def identity(self) -> str:
        """Stable key for caching: a change of model or settings must miss the cache."""
        settings = ";".join(f"{key}={value}" for key, value in self.settings)
        return f"{self.engine}|{self.model}|{self.version}|{settings}"


@dataclass(frozen=True)
class Translation:
    text: str
    provenance: Provenance
    note: str = ""  # extra `#.` line, e.g. how glossary terms were carried into this output


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from an engine."""

    name: str

    @property
    def provenance(self) -> Provenance: ...

    def translate_batch(self, segments: list[str]) -> list[Translation | None]: ...


class NoneEngine:
    """Translates nothing: PO files are written with empty msgstr for human translators."""

    name = "none"

    @property
    def provenance(self) -> Provenance:
        return Provenance(engine="none")

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        return [None] * len(segments)



ENGINE_NAMES = ("auto", "argos", "apertium", "none")
SOURCE_LANGUAGE = "fr"
NO_ENGINE_HINT = (
    "no French→English MT engine is installed, so msgstr stays empty. To get one: "
    "install an Argos model with `workflow models install --file PATH.argosmodel` "
    "(or `workflow models install fr en` where the Argos index is reachable), "
    "or install Apertium: `apt-get install apertium apertium-fr-es apertium-eng-spa`"
)


def create_engine(name: str = "auto", *, target: str = "en", device: str = "cpu") -> Engine:
    """Engine by its command-line name. `auto` prefers Argos (neural), then Apertium
    (rule-based), then none — with a warning saying how to get a model."""
    import logging

    from workflow.base.errors import EngineError

    if name not in ENGINE_NAMES:
        raise EngineError(f"unknown engine {name!r} (choose from: {', '.join(ENGINE_NAMES)})")
    if name == "none":
        return NoneEngine()
    if name == "argos":
        from workflow.mt.engines.argos import ArgosEngine

        return ArgosEngine.from_installed(SOURCE_LANGUAGE, target, device=device)
    if name == "apertium":
        if target != "en":
            raise EngineError(f"the Apertium engine translates French→English only, not to {target!r}")
        from workflow.mt.engines.apertium import ApertiumEngine

        return ApertiumEngine()

    from workflow.mt.models import find_package

    if find_package(SOURCE_LANGUAGE, target) is not None:
        from workflow.mt.engines.argos import ArgosEngine

        return ArgosEngine.from_installed(SOURCE_LANGUAGE, target, device=device)
    if target == "en":
        from workflow.mt.engines.apertium import ApertiumEngine, apertium_available

        if apertium_available():
            return ApertiumEngine()
    logging.getLogger("workflow").warning(NO_ENGINE_HINT)
    return NoneEngine()
