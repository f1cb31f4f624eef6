"""Reference layers: imported termbases under the house glossary, and how their hints are chosen.

The house glossary (the `*.csv` files of glossary/) is curated: carried into MT, checked as
errors. Termbases imported with `workflow glossary import` sit below it as *reference* layers,
listed in `glossary/layers.toml` (name, file, priority, flags) and stored as glossary CSVs under
`glossary/termbases/`. A reference term is a hint in the PO file and a `check` warning; it is
carried into MT only where its layer (`enforce = true`) or the entry (`enforce` column) says so.

No flood: house terms win every overlap and override a reference entry for the same French;
then the longest match wins, then the higher priority; a single common French word (wordfreq
Zipf frequency, threshold in data/termbase.toml) is not hinted unless the layer has
`hint_common = true`; a PO entry shows at most `max_per_segment` hints (`glossary scan --json`
lists all). Homonyms of a layer (same French, different English) are one hint with alternatives.
"""

from __future__ import annotations

import tempfile
import tomllib
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path

from workflow.base.errors import GlossaryError
from workflow.source.article import read_utf8
from workflow.terms.entry import COLUMNS, FORBIDDEN, Alternative, Entry, TermMatch, is_acronym
from workflow.terms.fold import fold_key, folded
from workflow.terms.forms import FUNCTION_WORDS
from workflow.terms.french import Span, longest_first, verify
from workflow.terms.organisation import org_named_at
from workflow.terms.refindex import IndexedEntry, ReferenceIndex, build_index, content_key
from workflow.terms.rows import Problem, entry_from_row, read_csv_rows

LAYERS_FILE = "layers.toml"
TERMBASE_FOLDER = "termbases"
HOUSE = "house"
# A reference layer's CSV: the house columns, plus `enforce` (yes: carry this entry into MT).
LAYER_COLUMNS = (*COLUMNS, "enforce")
DEFAULT_CACHE = Path(".cache/workflow/glossary-index")
# The PO comment line of reference hints (a source note: rewritten on every run, kept in templates).
HINT_NOTE_PREFIX = "termbase: "


@dataclass(frozen=True)
class HintSettings:
    max_per_segment: int
    max_alternatives: int
    common_word_min_zipf: float
    default_priority: int


@cache
def hint_settings() -> HintSettings:
    data = tomllib.loads((files("workflow") / "data" / "termbase.toml").read_text("utf-8"))
    return HintSettings(int(data["hints"]["max_per_segment"]), int(data["hints"]["max_alternatives"]),
                        float(data["hints"]["common_word_min_zipf"]), int(data["layers"]["default_priority"]))


@dataclass(frozen=True)
class LayerSettings:
    """One `[[layer]]` of layers.toml."""

    name: str
    file: Path  # relative to the glossary folder
    priority: int = 50
    enforce: bool = False  # carry every entry of the layer into MT (else only entries marked so)
    hint_common: bool = False  # hint single common words too
    origin: str = ""  # the file it was imported from, for the record

    def to_toml(self) -> str:
        return "\n".join([
            "[[layer]]",
            f"name = {_toml_string(self.name)}",
            f"file = {_toml_string(self.file.as_posix())}",
            f"priority = {self.priority}",
            f"enforce = {str(self.enforce).lower()}",
            f"hint_common = {str(self.hint_common).lower()}",
            *([f"origin = {_toml_string(self.origin)}"] if self.origin else []),
        ]) + "\n"


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_layer_settings(folder: Path) -> list[LayerSettings]:
    """The layers of glossary/layers.toml, highest priority first (none if the file is absent)."""
    path = folder / LAYERS_FILE
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(read_utf8(path, GlossaryError))
    except tomllib.TOMLDecodeError as exc:
        raise GlossaryError(f"not valid TOML: {exc}", path=path) from exc
    layers = []
    for n, item in enumerate(data.get("layer", []), start=1):
        try:
            layers.append(LayerSettings(
                name=str(item["name"]), file=Path(item["file"]), priority=int(item.get("priority", 50)),
                enforce=bool(item.get("enforce", False)), hint_common=bool(item.get("hint_common", False)),
                origin=str(item.get("origin", ""))))
        except (KeyError, TypeError, ValueError) as exc:
            raise GlossaryError(f"layer {n}: needs a name, a file and an integer priority ({exc})", path=path) from exc
    names = [layer.name for layer in layers]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise GlossaryError(f"layer name used twice: {', '.join(duplicates)}", path=path)
    return sorted(layers, key=lambda layer: -layer.priority)


def write_layer_settings(folder: Path, layers: Sequence[LayerSettings]) -> None:
    from workflow.base.fsutil import atomic_write_text

    head = ("# Reference layers under the house glossary (the *.csv files of this folder), highest priority\n"
            "# first. Written by `workflow glossary import`; priorities and flags may be edited here.\n"
            "# enforce: carry every term of the layer into MT; hint_common: also hint single common words.\n\n")
    body = "\n".join(layer.to_toml() for layer in sorted(layers, key=lambda layer: (-layer.priority, layer.name)))
    atomic_write_text(folder / LAYERS_FILE, head + body)


def read_layer_entries(path: Path, common_min_zipf: float) -> tuple[list[IndexedEntry], list[Problem]]:
    """A layer CSV, leniently: a bad row is skipped and reported, never the whole file."""
    rows, problems = read_csv_rows(path, LAYER_COLUMNS)
    if any(p.severity == "error" for p in problems) and not rows:
        return [], problems
    entries: list[IndexedEntry] = []
    seen: set[str] = set()
    for line, row in rows:
        entry, row_problems = entry_from_row(row, path, line)
        problems += [p for p in row_problems if p.severity == "error"]
        if entry is None or entry.type == FORBIDDEN:
            continue  # a reference layer bans English through its terms' en_forbidden, not alone
        if entry.id in seen:
            problems.append(Problem(path, line, "duplicate-id", f"duplicate id {entry.id!r}: row skipped"))
            continue
        seen.add(entry.id)
        enforce = (row.get("enforce") or "").strip().lower() in ("yes", "true", "1", "enforce")
        entries.append(IndexedEntry(entry, enforce, is_common_word(entry.fr, common_min_zipf)))
    return entries, problems


def is_common_word(fr: str, min_zipf: float) -> bool:
    """A single everyday French word ("tâche", "accord"), alone or between function words ("de
    sécurité", "en ligne"): too generic to be worth a hint."""
    from workflow.source.lexicon import zipf

    words = [w for w in fr.split() if w.lower() not in FUNCTION_WORDS]
    if not words:
        return True  # "par", "contre": function words are never worth a hint
    if len(words) != 1 or is_acronym(words[0]):
        return False
    word = words[0]
    for elided in ("l'", "l’", "d'", "d’"):
        word = word.removeprefix(elided)
    return zipf(word, "fr") >= min_zipf


class ReferenceLayer:
    """One reference layer: its settings and its compiled index (built on first use, cached on disk)."""

    def __init__(self, settings: LayerSettings, folder: Path, cache_dir: Path | None = None):
        self.settings = settings
        self.path = folder / settings.file
        self.cache_dir = cache_dir if cache_dir is not None else DEFAULT_CACHE
        self.problems: list[Problem] = []
        if not self.path.is_file():
            raise GlossaryError(f"reference layer {settings.name!r}: file not found", path=self.path)

    @property
    def name(self) -> str:
        return self.settings.name

    @cached_property
    def index_directory(self) -> Path:
        """Where this layer file's compiled index lives: named by its content hash."""
        min_zipf = hint_settings().common_word_min_zipf
        return self.cache_dir / f"{self.name}-{content_key(self.path.read_bytes(), str(min_zipf).encode())}"

    def compile(self, entries: Sequence[IndexedEntry] | None = None) -> None:
        """Build the index unless it exists (from `entries` already read from the file, if given)."""
        if (self.index_directory / "index.sqlite").is_file():
            return
        if entries is None:
            entries, self.problems = read_layer_entries(self.path, hint_settings().common_word_min_zipf)
        try:
            build_index(entries, self.index_directory)
        except OSError:  # a read-only project: build where this process may write, for this run
            self.index_directory = Path(tempfile.mkdtemp(prefix="workflow-index-")) / self.index_directory.name
            build_index(entries, self.index_directory)

    @cached_property
    def index(self) -> ReferenceIndex:
        self.compile()
        return ReferenceIndex(self.index_directory, layer=self.name, path=self.path)

    def __len__(self) -> int:
        return len(self.index)

    def candidates(self, text: str, *, for_mt: bool = False, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, int, int]]:
        """(entry number, rank, start, end) of this layer's terms in text, verified: for MT the
        enforced entries (all, if the layer is enforced), else those worth a hint."""
        if for_mt:
            hints = None if self.settings.enforce else False
        else:
            hints = None if self.settings.hint_common else True
        return verify(text, self.index.hits(folded(text), hints=hints, skip=skip))


@dataclass
class _Reading:
    """One layer's entry at a span; sorted by _reading_order (priority first, then rank)."""

    priority: int  # negated layer priority: lower sorts first
    rank: int
    layer: int
    number: int
    item: IndexedEntry


def reference_matches(layers: Sequence[ReferenceLayer], house: Sequence[TermMatch], house_keys: frozenset[str],
                      text: str, default_org: str | None, *, for_mt: bool) -> list[TermMatch]:
    """Reference-layer matches around the house matches of `text`.

    for_mt: only entries carried into MT (layer or entry `enforce`), and only where the layers
    agree on one English; else hints (common single words only where the layer allows them)."""
    taken = sorted((m.start, m.end) for m in house)
    by_span: dict[tuple[int, int], list[_Reading]] = {}
    for position, layer in enumerate(layers):
        found = layer.candidates(text, for_mt=for_mt, skip=house_keys)
        if not found:
            continue
        items = layer.index.entries({number for number, *_ in found})
        for number, rank, start, end in found:
            item = items[number]
            if _overlaps(taken, start, end):
                continue
            by_span.setdefault((start, end), []).append(
                _Reading(-layer.settings.priority, rank, position, number, item))
    chosen: list[Span] = []
    readings_at: dict[tuple[int, int], list[_Reading]] = {}
    for (start, end), readings in by_span.items():
        readings = _in_context(sorted(readings, key=_reading_order), text, end, default_org)
        if not readings:
            continue
        if for_mt and len({r.item.entry.en for r in readings}) > 1:
            continue  # homonyms: which English is a translator's call, not the engine's
        readings_at[start, end] = readings
        best = readings[0]
        chosen.append(Span(start, end, best.priority, best.layer))
    matches = []
    for span in longest_first(chosen):
        best, *others = readings_at[span.start, span.end]
        entry = best.item.entry
        alternatives = tuple(dict.fromkeys(Alternative(o.item.entry.id, o.item.entry.en, o.item.entry.domain)
                                           for o in others if o.item.entry.en != entry.en))
        matches.append(TermMatch(entry.id, span.start, span.end, text[span.start:span.end], entry.fr, entry.en,
                                 layers[best.layer].name, entry.domain, alternatives))
    return matches


def _reading_order(reading: _Reading) -> tuple[int, int, int, int]:
    return reading.priority, reading.rank, reading.layer, reading.number


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint spans in taken."""
    i = bisect_left(taken, (end, end))
    return i > 0 and taken[i - 1][1] > start


def _in_context(readings: list[_Reading], text: str, end: int, default_org: str | None) -> list[_Reading]:
    if all(r.item.entry.org is None for r in readings):
        return readings
    org = org_named_at(text, end) or default_org
    return [r for r in readings if r.item.entry.org in (None, org)]


def house_keys(entries: Sequence[Entry]) -> frozenset[str]:
    """The French the house glossary owns: a reference entry for the same French is never used."""
    return frozenset(fold_key(form) for entry in entries if entry.type != FORBIDDEN for form in entry.french_forms)


def hint_comment(matches: Sequence[TermMatch]) -> str:
    """The PO comment line of reference hints: "termbase: fr → en (domain) [layer:id]; …", capped."""
    settings = hint_settings()
    hints = [m for m in matches if m.layer]
    if not hints:
        return ""
    parts = []
    for m in list({m.id: m for m in hints}.values())[: settings.max_per_segment]:
        readings = [(m.en, m.domain, m.id)] + [(a.en, a.domain, a.id) for a in m.alternatives]
        shown = readings[: settings.max_alternatives]
        rendered = " / ".join(f"{en}{f' ({domain})' if domain else ''} [{entry_id}]" for en, domain, entry_id in shown)
        more = f" / +{len(readings) - len(shown)}" if len(readings) > len(shown) else ""
        parts.append(f"{m.fr} → {rendered}{more}")
    rest = len({m.id for m in hints}) - settings.max_per_segment
    tail = f"; +{rest} more (workflow glossary scan --json)" if rest > 0 else ""
    return HINT_NOTE_PREFIX + "; ".join(dict.fromkeys(parts)) + tail
