"""Importing what termbases export (NATOTerm, UNTERM, IATE, TERMIUM, CAT tools) as a reference layer.

Reads TBX v2/v3 (tbx.py) and CSV/TSV whose header names the French and English columns in any
of the usual ways (`fr,en`, `source,target`, `French,English`, `fr-FR,en-GB`, TERMIUM's
`TERME_FR,TERM_EN` with synonyms and subject fields, IATE's one-term-per-row `E_ID,L_CODE,T_TERM`
layout, our own glossary CSV). One bad row never fails the file: it is skipped and reported with
its line; rows that repeat a French/English pair are merged into the first (variants, subject
fields and sources joined); the same French with different English in different subject fields
stays as homonyms, which hints show as alternatives. The result is a glossary CSV under
glossary/termbases/ and a `[[layer]]` in glossary/layers.toml (layers.py).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workflow.base.errors import GlossaryError
from workflow.base.fsutil import atomic_write_text
from workflow.terms.entry import ID_PATTERN, LIST_SEPARATOR, Entry, french_key
from workflow.terms.layers import (
    LAYER_COLUMNS,
    TERMBASE_FOLDER,
    LayerSettings,
    ReferenceLayer,
    hint_settings,
    is_common_word,
    read_layer_settings,
    write_layer_settings,
)
from workflow.terms.refindex import IndexedEntry
from workflow.terms.rows import entry_from_row, numbered_rows
from workflow.terms.tbx import TBX_SUFFIXES, Concept, Term, is_deprecated, language_of, read_concepts

# Header names, after lower-casing and turning spaces/underscores into hyphens: (role, language).
HEADER_ROLES: dict[str, tuple[str, str]] = {
    **{name: ("term", "fr") for name in ("fr", "french", "français", "francais", "terme-fr", "term-fr", "fr-term",
                                         "french-term", "terme-français", "terme", "source-fr")},
    **{name: ("term", "en") for name in ("en", "english", "anglais", "term-en", "en-term", "english-term",
                                         "terme-en", "target-en")},
    **{name: ("synonyms", "fr") for name in ("synonymes-fr", "synonyms-fr", "fr-variants", "fr-synonyms", "variantes-fr")},
    **{name: ("synonyms", "en") for name in ("synonyms-en", "synonymes-en", "en-variants", "en-synonyms")},
    **{name: ("abbreviation", lang) for lang in ("fr", "en") for name in (f"abbreviation-{lang}", f"abreviation-{lang}")},
    **{name: ("status", "fr") for name in ("terme-fr-parametre", "term-fr-parameter", "status-fr")},
    **{name: ("status", "en") for name in ("term-en-parameter", "terme-en-parametre", "status-en", "status")},
    **{name: ("abbreviation-status", lang) for lang in ("fr", "en")
       for name in (f"abbreviation-{lang}-parameter", f"abbreviation-{lang}-parametre")},
    **{name: ("synonym-status", "fr") for name in ("synonymes-fr-parametre", "synonyms-fr-parameters")},
    **{name: ("synonym-status", "en") for name in ("synonyms-en-parameters", "synonymes-en-parametre")},
    **{name: ("forbidden", "en") for name in ("en-forbidden", "forbidden", "deprecated", "do-not-use")},
    **{name: ("domain", "") for name in ("domain", "domains", "domaine", "domaine-fr", "subject", "subject-en",
                                         "subject-field", "subjectfield", "field", "e-domains", "e-domain", "category")},
    **{name: ("note", "") for name in ("note", "notes", "comment", "comments", "usage-note", "translator-comments",
                                       "developer-comments")},
    **{name: ("id", "") for name in ("id", "entry-id", "concept-id", "e-id", "termentry-id", "key")},
    **{name: ("pos", "") for name in ("pos", "part-of-speech", "partofspeech")},
    **{name: ("language", "") for name in ("l-code", "lang", "language", "language-code", "langue")},
    **{name: ("long-term", "") for name in ("t-term", "term")},
    **{name: ("long-status", "") for name in ("t-evaluation", "evaluation", "administrative-status", "t-status")},
    **{name: ("provenance", "") for name in ("provenance", "origin", "reference")},
    **{name: (name, "") for name in ("type", "context")},
}
# Generic bilingual names, used only when no column names its language.
SOURCE_TARGET = {"source": "fr", "source-term": "fr", "original": "fr", "target": "en", "target-term": "en",
                 "translation": "en", "translated": "en"}
_LANG_CODE = re.compile(r"(fr|fra|fre|en|eng)(?:-[a-z0-9]{2,8})*")
SYNONYM_SEPARATORS = re.compile(r"\s*[;|]\s*")


@dataclass
class Record:
    """One concept as read from any format, before merging."""

    line: int
    id: str = ""
    fr: list[Term] = field(default_factory=list)
    en: list[Term] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    pos: str = ""
    type: str = ""
    context: str = ""


@dataclass
class ImportReport:
    source: Path
    layer: str
    target: Path | None = None
    rows: int = 0
    entries: int = 0
    merged: list[tuple[int, int]] = field(default_factory=list)  # (line, line of the entry it went into)
    homonyms: int = 0  # French terms kept with several English readings
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    forbidden: int = 0  # deprecated English terms kept as forbidden forms
    domains: int = 0

    def lines(self, examples: int = 5) -> list[str]:
        out = [f"read {self.rows} rows from {self.source}: {self.entries} entries in layer {self.layer!r}"
               + (f" ({self.target})" if self.target else "")]
        if self.merged:
            shown = ", ".join(f"line {a} into line {b}" for a, b in self.merged[:examples])
            out.append(f"merged {len(self.merged)} duplicate rows ({shown}{', …' if len(self.merged) > examples else ''})")
        if self.homonyms:
            out.append(f"kept {_count(self.homonyms, 'French term')} with several English readings (homonyms, by subject field)")
        if self.forbidden:
            out.append(f"kept {_count(self.forbidden, 'deprecated English term')} as forbidden forms")
        if self.domains:
            out.append(_count(self.domains, "subject field"))
        if self.skipped:
            out.append(f"skipped {_count(len(self.skipped), 'row')}:")
            out += [f"  {self.source}:{line}: {why}" for line, why in self.skipped[:examples]]
            if len(self.skipped) > examples:
                out.append(f"  … and {len(self.skipped) - examples} more (--json lists them all)")
        return out

    def to_json(self) -> dict[str, object]:
        return {"source": str(self.source), "layer": self.layer, "target": str(self.target) if self.target else None,
                "rows": self.rows, "entries": self.entries, "homonyms": self.homonyms, "forbidden": self.forbidden,
                "domains": self.domains,
                "merged": [{"line": a, "into": b} for a, b in self.merged],
                "skipped": [{"line": line, "reason": why} for line, why in self.skipped]}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# ---------------------------------------------------------------------------------------------
# Reading


def read_records(path: Path, report: ImportReport) -> Iterator[Record]:
    if path.suffix.lower() in TBX_SUFFIXES:
        for concept in read_concepts(path):
            report.rows += 1
            yield _record_from_concept(concept)
        return
    yield from _read_table(path, report)


def _record_from_concept(concept: Concept) -> Record:
    row = concept.row()
    return Record(concept.line, concept.id, concept.terms.get("fr", []), concept.terms.get("en", []), concept.domains,
                  [row["note"]] if row["note"] else [], concept.sources, row["pos"], "", row["context"])


def _decode(path: Path) -> str:
    data = path.read_bytes() if path.is_file() else None
    if data is None:
        raise GlossaryError("file not found", path=path)
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GlossaryError(f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start} "
                            "(save the file as UTF-8)", path=path, line=line) from None


def _normal_header(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower())


def _roles(header: list[str], path: Path) -> dict[int, tuple[str, str]]:
    roles: dict[int, tuple[str, str]] = {}
    names = [_normal_header(h) for h in header]
    for i, name in enumerate(names):
        if name in HEADER_ROLES:
            roles[i] = HEADER_ROLES[name]
        elif _LANG_CODE.fullmatch(name):
            roles[i] = ("term", language_of(name))
        elif name == "source" and "fr" not in names and "french" not in names:
            roles[i] = ("term", "fr")
    has = {role for role in roles.values()}
    if ("term", "fr") not in has or ("term", "en") not in has:
        for i, name in enumerate(names):
            if name in SOURCE_TARGET and i not in roles:
                roles[i] = ("term", SOURCE_TARGET[name])
    if "source" in names and names.index("source") not in roles:
        roles[names.index("source")] = ("provenance", "")
    has = {role for role in roles.values()}
    long_layout = {("language", ""), ("long-term", "")} <= has
    if not long_layout and not {("term", "fr"), ("term", "en")} <= has:
        raise GlossaryError(
            "header not recognised: name a French and an English column (fr,en / source,target / French,English / "
            f"fr-FR,en-GB / TERME_FR,TERM_EN / E_ID,L_CODE,T_TERM); found: {', '.join(header)}", path=path, line=1)
    return roles


def _delimiter(first_line: str, path: Path) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _read_table(path: Path, report: ImportReport) -> Iterator[Record]:
    text = _decode(path)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line, path))
    try:
        header = next(reader)
    except StopIteration:
        raise GlossaryError("the file is empty: expected a header row", path=path) from None
    roles = _roles(header, path)
    long_layout = ("language", "") in roles.values() and ("long-term", "") in roles.values()
    grouped: dict[str, Record] = {}
    for line, cells, error in numbered_rows(reader):
        report.rows += 1
        if error:
            report.skipped.append((line, error))
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            report.skipped.append((line, f"{len(cells)} fields for {len(header)} columns (an unquoted separator?)"))
            continue
        values = [(roles[i], cell.strip()) for i, cell in enumerate(cells) if i in roles and cell.strip()]
        if long_layout:
            record = _long_row(values, line, grouped)
            if record is not None:
                yield record
        else:
            yield _wide_row(values, line)
    yield from grouped.values()


def _terms(value: str, status: str = "", split: bool = False) -> list[Term]:
    texts = SYNONYM_SEPARATORS.split(value) if split else [value]
    statuses = status.split(";") if split else [status]
    return [Term(t, is_deprecated(statuses[i] if i < len(statuses) else "")) for i, t in enumerate(texts) if t]


def _wide_row(values: list[tuple[tuple[str, str], str]], line: int) -> Record:
    record = Record(line)
    cells: dict[tuple[str, str], str] = {}
    for role, value in values:
        cells[role] = value
    for lang in ("fr", "en"):
        main = cells.get(("term", lang), "")
        terms = _terms(main, cells.get(("status", lang), ""), split=False)
        for extra, status in (("abbreviation", "abbreviation-status"), ("synonyms", "synonym-status")):
            if (extra, lang) in cells:
                terms += _terms(cells[(extra, lang)], cells.get((status, lang), ""), split=True)
        if lang == "en" and ("forbidden", "en") in cells:
            terms += [Term(t, True) for t in SYNONYM_SEPARATORS.split(cells[("forbidden", "en")]) if t]
        setattr(record, lang, terms)
    record.id = cells.get(("id", ""), "")
    record.domains = [d for role, value in values if role == ("domain", "") for d in SYNONYM_SEPARATORS.split(value) if d]
    record.notes = [cells[("note", "")]] if ("note", "") in cells else []
    record.sources = [cells[("provenance", "")]] if ("provenance", "") in cells else []
    record.pos = cells.get(("pos", ""), "").lower()
    record.type = cells.get(("type", ""), "")
    record.context = cells.get(("context", ""), "")
    return record


def _long_row(values: list[tuple[tuple[str, str], str]], line: int, grouped: dict[str, Record]) -> Record | None:
    """IATE-style rows (one term per row, grouped by entry id): completed records are yielded at the end."""
    cells = {role: value for role, value in values}
    key = cells.get(("id", ""), f"line-{line}")
    record = grouped.setdefault(key, Record(line, key if ("id", "") in cells else ""))
    lang = language_of(cells.get(("language", ""), ""))
    term = cells.get(("long-term", ""), "")
    if lang in ("fr", "en") and term:
        getattr(record, lang).append(Term(term, is_deprecated(cells.get(("long-status", ""), ""))))
    for domain in SYNONYM_SEPARATORS.split(cells.get(("domain", ""), "")):
        if domain and domain not in record.domains:
            record.domains.append(domain)
    return None


# ---------------------------------------------------------------------------------------------
# Merging


def _entry_id(record: Record, fr: str, en: str, used: set[str]) -> str:
    candidate = record.id.strip()
    if candidate and not ID_PATTERN.fullmatch(candidate):
        candidate = "e-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", candidate)
    if not candidate:
        candidate = "t" + hashlib.sha1(f"{french_key(fr)}\t{en}".encode()).hexdigest()[:10]
    unique, n = candidate, 1
    while unique in used:
        n += 1
        unique = f"{candidate}-{n}"
    used.add(unique)
    return unique


def _english_key(term: str) -> str:
    return " ".join(term.replace("’", "'").split()).casefold()


def merge(records: Iterator[Record], report: ImportReport, path: Path) -> list[Entry]:
    """Entries from records: duplicates merged into the first, homonyms kept, bad rows skipped."""
    entries: list[Entry] = []
    by_pair: dict[tuple[str, str], int] = {}
    readings: dict[str, set[str]] = {}
    used_ids: set[str] = set()
    for record in records:
        fr_main = next((t for t in record.fr if not t.deprecated), record.fr[0] if record.fr else None)
        usable = [t for t in record.en if not t.deprecated]
        if fr_main is None:
            report.skipped.append((record.line, "no French term"))
            continue
        if not usable:
            report.skipped.append((record.line, "no English term" if not record.en else "only deprecated English terms"))
            continue
        en = usable[0].text
        key = (french_key(fr_main.text), _english_key(en))
        fr_variants = [t.text for t in record.fr if t is not fr_main]
        en_variants = [t.text for t in usable[1:]]
        forbidden = [t.text for t in record.en if t.deprecated and _english_key(t.text) != key[1]]
        if key in by_pair:
            i = by_pair[key]
            first = entries[i]
            entries[i] = _merged(first, fr_variants + [fr_main.text], en_variants + [en], forbidden, record)
            report.merged.append((record.line, first.line or 0))
            continue
        row = {
            "id": _entry_id(record, fr_main.text, en, used_ids), "fr": fr_main.text, "en": en,
            "type": record.type if record.type in ("term", "do-not-translate") else "term",
            "context": record.context, "fr_variants": LIST_SEPARATOR.join(fr_variants),
            "en_variants": LIST_SEPARATOR.join(en_variants), "en_forbidden": LIST_SEPARATOR.join(forbidden),
            "pos": record.pos if record.pos in ("noun", "verb", "adjective", "adverb", "other") else "noun",
            "note": " ".join(record.notes), "source": " ".join(dict.fromkeys(record.sources)),
            "domain": LIST_SEPARATOR.join(dict.fromkeys(d.replace(LIST_SEPARATOR, "/") for d in record.domains)),
        }
        for name in ("fr_variants", "en_variants", "en_forbidden"):
            row[name] = LIST_SEPARATOR.join(v for v in row[name].split(LIST_SEPARATOR) if v)
        entry, problems = entry_from_row(row, path, record.line)
        errors = [p.message for p in problems if p.severity == "error"]
        if entry is None or errors:
            report.skipped.append((record.line, "; ".join(errors) or "unusable row"))
            continue
        by_pair[key] = len(entries)
        entries.append(entry)
        readings.setdefault(key[0], set()).add(key[1])
    report.homonyms = sum(1 for english in readings.values() if len(english) > 1)
    report.forbidden = sum(len(e.en_forbidden) for e in entries)
    report.domains = len({d for e in entries for d in e.domain.split(LIST_SEPARATOR) if d})
    report.entries = len(entries)
    return entries


def _fields(entry: Entry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in (*LAYER_COLUMNS[:-1], "path", "line")}


def _merged(first: Entry, fr: list[str], en: list[str], forbidden: list[str], record: Record) -> Entry:
    known_fr = {french_key(f) for f in first.french_forms}
    known_en = {_english_key(e) for e in first.english_forms}
    add_fr = [f for f in dict.fromkeys(fr) if french_key(f) not in known_fr]
    add_en = [e for e in dict.fromkeys(en) if _english_key(e) not in known_en]
    fields = _fields(first)
    fields["fr_variants"] = first.fr_variants + tuple(add_fr)
    fields["en_variants"] = first.en_variants + tuple(add_en)
    fields["en_forbidden"] = tuple(dict.fromkeys(first.en_forbidden + tuple(forbidden)))
    domains = [d for d in first.domain.split(LIST_SEPARATOR) if d] + record.domains
    fields["domain"] = LIST_SEPARATOR.join(dict.fromkeys(d.replace(LIST_SEPARATOR, "/") for d in domains))
    fields["source"] = " ".join(dict.fromkeys(s for s in [first.source, *record.sources] if s))
    return Entry(**fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Writing the layer


def layer_csv(entries: list[Entry]) -> tuple[str, list[int]]:
    """The layer's CSV text, and the line of each entry in it (a row may span lines)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=LAYER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    placed = []
    line = 2
    for entry in entries:
        row = entry.to_row()
        writer.writerow({**row, "enforce": ""})
        placed.append(line)
        line += 1 + sum(value.count("\n") for value in row.values())
    return out.getvalue(), placed


def layer_name(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", path.stem).strip("._-") or "termbase"


def import_termbase(path: Path, folder: Path, *, name: str | None = None, priority: int | None = None,
                    enforce: bool = False, hint_common: bool = False, replace_layer: bool = False,
                    cache_dir: Path | None | bool = None) -> ImportReport:
    """Import a termbase file as the reference layer `name` of the glossary folder, and compile its
    index into `cache_dir` (the default cache if None; not at all if False)."""
    name = name or layer_name(path)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name) or name == "house":
        raise GlossaryError(f"layer name {name!r}: use letters, digits, '.', '_', '-' (and not 'house')")
    layers = read_layer_settings(folder) if folder.is_dir() else []
    if any(layer.name == name for layer in layers) and not replace_layer:
        raise GlossaryError(f"layer {name!r} already exists (use --force to replace it, or --name)", path=folder / "layers.toml")
    report = ImportReport(path, name)
    entries = merge(read_records(path, report), report, path)
    if not entries:
        raise GlossaryError("no usable French/English pair in this file"
                            + (f" (first problem, line {report.skipped[0][0]}: {report.skipped[0][1]})" if report.skipped else ""),
                            path=path)
    relative = Path(TERMBASE_FOLDER) / f"{name}.csv"
    report.target = folder / relative
    text, lines = layer_csv(entries)
    atomic_write_text(report.target, text)
    settings = LayerSettings(name, relative, priority if priority is not None else hint_settings().default_priority,
                             enforce, hint_common, str(path))
    write_layer_settings(folder, [layer for layer in layers if layer.name != name] + [settings])
    if cache_dir is not False:  # compile now, from the entries in hand: the first scan finds it ready
        min_zipf = hint_settings().common_word_min_zipf
        ReferenceLayer(settings, folder, cache_dir or None).compile(
            [IndexedEntry(e, False, is_common_word(e.fr, min_zipf), line) for e, line in zip(entries, lines)])
    return report
