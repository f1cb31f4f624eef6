"""Where the translation memory's units came from: list them, forget one import.

Two kinds of origin fill the memory: reviewed PO catalogs, re-read at every
refresh (so forgetting one is pointless: edit the PO file), and imported
bilingual pairs, which stay until they are re-imported or forgotten. An
import's origin names both files (`fr.txt + en.txt`, relative to the folder
the import ran in), so either file names it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from workflow.review.memory import OriginKind, TranslationMemory, TranslationMemoryError, display_path

PAIR_JOIN = " + "  # as written by memory.import_origin


@dataclass(frozen=True)
class OriginCount:
    origin: str
    kind: OriginKind
    units: int

    def to_json(self) -> dict[str, object]:
        return {"origin": self.origin, "kind": self.kind.value, "units": self.units}


def memory_origins(memory: TranslationMemory) -> list[OriginCount]:
    """Every origin with its unit count: reviewed catalogs first, then imports, by name."""
    counts = Counter((unit.origin, unit.kind) for unit in memory.export_units())
    found = [OriginCount(origin, kind, units) for (origin, kind), units in counts.items()]
    return sorted(found, key=lambda o: (o.kind is not OriginKind.CATALOG, o.origin))


def forget_import(memory: TranslationMemory, name: Path | str) -> list[OriginCount]:
    """Remove what the import(s) of one file added. `name` is either file of a pair, as
    given to `import-pair` (relative to the current folder), or an origin exactly as
    `memory_origins` lists it. Returns what was removed; raises TranslationMemoryError
    when nothing matches or when `name` is a catalog."""
    key = str(name) if PAIR_JOIN in str(name) else display_path(name)
    every = memory_origins(memory)
    matches = [
        o for o in every
        if o.kind is OriginKind.IMPORT and (o.origin == key or key in o.origin.split(PAIR_JOIN))
    ]
    if not matches:
        if any(o.kind is OriginKind.CATALOG and o.origin == key for o in every):
            raise TranslationMemoryError(
                "is a reviewed catalog, not an import: its entries are re-read from the PO file at every "
                "refresh (edit or delete the PO file instead)", key)
        raise TranslationMemoryError("no import of this file in the translation memory (see `workflow tm list`)", key)
    for origin in matches:
        memory.remove_origin(origin.origin)
    return matches
