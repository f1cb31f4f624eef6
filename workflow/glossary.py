"""Terminology glossary: load and validate the CSV, find French terms, check English renderings.

The CSV (glossary/README.md documents it) is the artefact terminologists edit; everything here
is derived from it. French matching is tolerant of what real newsroom French does to a term
(elision, curly or straight apostrophes, no-break spaces and hyphens, plural and feminine forms);
English matching is strict about what house style cares about (hyphens, capitals, spelling).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from workflow.article import read_utf8
from workflow.errors import GlossaryError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GLOSSARY = REPO_ROOT / "glossary" / "nato_un.csv"

COLUMNS = ("id", "fr", "en", "type", "context", "fr_variants", "en_variants", "en_forbidden",
           "pos", "status", "note", "source")
REQUIRED_COLUMNS = ("id", "fr", "en", "type")
LIST_SEPARATOR = "|"

TERM, DO_NOT_TRANSLATE, FORBIDDEN = "term", "do-not-translate", "forbidden"
TYPES = (TERM, DO_NOT_TRANSLATE, FORBIDDEN)
# TBX-Basic's partOfSpeech picklist, so that a CSV value always exports.
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "other")
CONTEXT_KEYS = ("org",)
# Ids become xml:id-like TBX conceptEntry ids, so they must be XML names.
ID_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")

# ---------------------------------------------------------------------------------------------
# Typography: what counts as "the same character" when matching.

APOSTROPHES = "'’ʼ‘´"
HYPHENS = "-\u2010\u2011"
HORIZONTAL_SPACES = " \t\u00a0\u202f\u2009"
_APOSTROPHE = "[" + re.escape(APOSTROPHES) + "]"
_HYPHEN = "[" + re.escape(HYPHENS) + "]"
# French terms never span a line break: a newline is a segment boundary in this project.
_FR_GAP = "[" + HORIZONTAL_SPACES + "]+"
_EN_GAP = r"\s+"
# French capitals often lose their accent ("Etats-Unis"): accept the bare letter for a capital.
ACCENTLESS_CAPITALS = {"É": "E", "È": "E", "Ê": "E", "À": "A", "Â": "A", "Î": "I", "Ô": "O", "Ç": "C", "Û": "U"}

# ---------------------------------------------------------------------------------------------
# French inflection, as data. Only the head of a term inflects: the words before the first
# function word, elided article, number or proper name ("secrétaire général adjoint | aux
# opérations de maintien de la paix"). Every term gets its plural; terms whose head noun names a
# person (PERSON_TITLES) also get the feminine forms, because titles agree with the holder.

# masculine singular ending -> (feminine singular, masculine plural, feminine plural); first match wins.
INFLECTION_RULES: tuple[tuple[str, str, str, str], ...] = (
    ("eau", "elle", "eaux", "elles"),    # nouveau -> nouvelle, nouveaux
    ("al", "ale", "aux", "ales"),        # général -> générale, généraux, générales
    ("teur", "trice", "teurs", "trices"),  # directeur -> directrice
    ("eur", "eure", "eurs", "eures"),    # supérieur -> supérieure
    ("er", "ère", "ers", "ères"),        # conseiller -> conseillère
    ("en", "enne", "ens", "ennes"),      # européen -> européenne
    ("on", "onne", "ons", "onnes"),
    ("if", "ive", "ifs", "ives"),        # exécutif -> exécutive
    ("e", "e", "es", "es"),              # secrétaire, ministre, adjointe
    ("s", "se", "s", "ses"),             # already plural, or français -> française
    ("x", "se", "x", "ses"),             # généraux, mondiaux: already plural
    ("z", "ze", "z", "zes"),
    ("", "e", "s", "es"),                # adjoint, délégué, représentant, permanent
)
IRREGULAR_INFLECTIONS: dict[str, tuple[str, str, str]] = {
    "ambassadeur": ("ambassadrice", "ambassadeurs", "ambassadrices"),
    "chef": ("cheffe", "chefs", "cheffes"),
}
PERSON_TITLES = frozenset({
    "secrétaire", "sous-secrétaire", "vice-secrétaire", "représentant", "ambassadeur", "conseiller",
    "directeur", "président", "vice-président", "commandant", "chef", "ministre", "commissaire",
    "porte-parole", "agent", "chargé", "dirigeant", "général", "délégué", "envoyé", "observateur",
    "coordonnateur", "haut-représentant",
})
# Words that end the inflecting head of a term.
FUNCTION_WORDS = frozenset({
    "de", "du", "des", "à", "au", "aux", "en", "pour", "sur", "contre", "auprès", "avec", "dans",
    "par", "et", "ou", "le", "la", "les", "sous", "entre", "chez", "vers",
})

# ---------------------------------------------------------------------------------------------
# Organisations: which one a context-conditioned entry ("secrétaire général [org=NATO]") means.

# Names that, right after a term ("secrétaire général adjoint de l'ONU"), say whose term it is;
# the same names counted over a whole article guess its house organisation.
ORG_CUES: dict[str, tuple[str, ...]] = {
    "NATO": ("OTAN", "Organisation du Traité de l'Atlantique Nord", "Alliance"),
    "UN": ("ONU", "Organisation des Nations Unies", "Nations Unies"),
}
# Page furniture that settles an article's organisation before any counting.
PAGE_MARKERS: tuple[tuple[str, str], ...] = (
    ("Mis à jour le", "NATO"),   # nato.int date line
    ("SG/SM/", "UN"),            # UN press-release symbol
    ("À l'intention des organes d'information", "UN"),  # UN press-release footer
)
# What may stand between a term and the organisation named right after it.
_ORG_LINK = (r"[" + HORIZONTAL_SPACES + r"]*(?:\([" + HORIZONTAL_SPACES + r"]*)?"
             r"(?:(?:de|du|des|auprès[" + HORIZONTAL_SPACES + r"]+de)[" + HORIZONTAL_SPACES + r"]+)?"
             r"(?:l" + _APOSTROPHE + r"|la[" + HORIZONTAL_SPACES + r"]+)?")


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Entry:
    """One glossary row. Lists are tuples so that entries can be compared and hashed."""

    id: str
    fr: str
    en: str
    type: str = TERM
    context: str = ""
    fr_variants: tuple[str, ...] = ()
    en_variants: tuple[str, ...] = ()
    en_forbidden: tuple[str, ...] = ()
    pos: str = "noun"
    status: str = ""
    note: str = ""
    source: str = ""
    path: Path | None = field(default=None, compare=False, repr=False)
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def org(self) -> str | None:
        return _parse_context(self.context).get("org")

    @property
    def french_forms(self) -> tuple[str, ...]:
        return tuple(f for f in (self.fr, *self.fr_variants) if f)

    @property
    def english_forms(self) -> tuple[str, ...]:
        """Renderings the English may use; for a forbidden entry, none."""
        if self.type == FORBIDDEN:
            return ()
        return tuple(dict.fromkeys(e for e in (self.en or self.fr, *self.en_variants) if e))

    @property
    def banned_english(self) -> tuple[str, ...]:
        head = (self.en,) if self.type == FORBIDDEN and self.en else ()
        return tuple(dict.fromkeys((*head, *self.en_forbidden)))

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.path and self.line else self.id

    def to_row(self) -> dict[str, str]:
        row = {name: getattr(self, name) for name in COLUMNS}
        for name in ("fr_variants", "en_variants", "en_forbidden"):
            row[name] = LIST_SEPARATOR.join(row[name])
        return row


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in French text; start/end are str offsets (text[start:end] == text)."""

    id: str
    start: int
    end: int
    text: str
    fr: str
    en: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Problem:
    """A validation finding, pointing at the CSV line a terminologist has to fix."""

    path: Path | None
    line: int | None
    code: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.line else (f"{self.path}: " if self.path else "")
        return f"{where}{self.severity}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class TermIssue:
    """A glossary violation in an English translation.

    kind "missing": a French term's English rendering is absent (source_span points into the French);
    kind "forbidden": a banned English form is used (target_span points into the English).
    """

    kind: str
    id: str
    fr: str
    en: str
    text: str
    message: str
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None


@dataclass
class Glossary:
    entries: tuple[Entry, ...]
    paths: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        self.entries = tuple(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    @cached_property
    def _scan_cache(self) -> dict[tuple[str, str | None], tuple[TermMatch, ...]]:
        return {}

    @cached_property
    def _by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def _term_matchers(self) -> list[_Matcher]:
        return [_Matcher(i, e) for i, e in enumerate(self.entries) if e.type != FORBIDDEN and e.fr]

    @cached_property
    def _forbidden_matchers(self) -> list[_Matcher]:
        return [_Matcher(i, e) for i, e in enumerate(self.entries) if e.type == FORBIDDEN and e.fr]

    def scan(self, text: str, default_org: str | None = None) -> list[TermMatch]:
        """Glossary terms in French text: longest match first, non-overlapping, in text order.

        An entry conditioned on an organisation is chosen by the organisation named right after
        the term, else default_org, else the reading listed first in the glossary.
        """
        # Each segment is scanned several times (term carrying, checks, PO comments) and
        # every scan runs all patterns: remember results (TermMatch is immutable).
        key = (text, default_org)
        found = self._scan_cache.get(key)
        if found is None:
            found = self._scan_cache[key] = tuple(_scan(self._term_matchers, text, default_org))
        return list(found)

    def scan_forbidden(self, text: str, default_org: str | None = None) -> list[TermMatch]:
        """French triggers of 'forbidden' entries (kept apart so that they never hide a term)."""
        return _scan(self._forbidden_matchers, text, default_org)


# ---------------------------------------------------------------------------------------------
# Loading and validation


def load_glossary(path: Path | str | None = None) -> Glossary:
    """The glossary at path (a CSV file or a folder of them); the shipped one by default.

    Raises GlossaryError naming the file and line of the first error; warnings are tolerated.
    """
    files = _glossary_files(Path(path) if path is not None else DEFAULT_GLOSSARY)
    entries, problems = _load_files(files)
    raise_for_errors(problems)
    return Glossary(tuple(entries), tuple(files))


def validate(glossary_path: Path | str | None = None) -> list[Problem]:
    """Every problem in a glossary CSV (or folder), errors and warnings, in file and line order."""
    files = _glossary_files(Path(glossary_path) if glossary_path is not None else DEFAULT_GLOSSARY)
    _, problems = _load_files(files)
    return problems


def raise_for_errors(problems: Sequence[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise GlossaryError(first.message + more, path=first.path, line=first.line)


def entries_from_rows(rows: Iterable[tuple[Path, int, dict[str, str]]]) -> tuple[list[Entry], list[Problem]]:
    """Entries from CSV-shaped rows (path, line, {column: value}), with every problem found."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path, line, row in rows:
        entry, row_problems = _entry_from_row(row, path, line)
        problems += row_problems
        if entry is not None:
            entries.append(entry)
    problems += _cross_entry_problems(entries)
    problems.sort(key=lambda p: (str(p.path), p.line or 0))
    return entries, problems


def entries_to_csv(entries: Iterable[Entry]) -> str:
    """CSV text in the documented column order (used to write a TBX import back as CSV)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow(entry.to_row())
    return out.getvalue()


def _glossary_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.glob("*.csv") if p.is_file())
        if not files:
            raise GlossaryError("no *.csv glossary files in this folder", path=path)
        return files
    if not path.is_file():
        raise GlossaryError("glossary file not found", path=path)
    return [path]


def _load_files(files: Sequence[Path]) -> tuple[list[Entry], list[Problem]]:
    rows: list[tuple[Path, int, dict[str, str]]] = []
    file_problems: list[Problem] = []
    for path in files:
        file_rows, problems = _read_csv(path)
        rows += [(path, line, row) for line, row in file_rows]
        file_problems += problems
    entries, problems = entries_from_rows(rows)
    problems = sorted(file_problems + problems, key=lambda p: (str(p.path), p.line or 0))
    return entries, problems


def _read_csv(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    text = read_utf8(path, GlossaryError).removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], [Problem(path, 1, "empty-file", "the file is empty: expected a header row")]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [Problem(path, 1, "missing-column", f"header lacks required column(s): {', '.join(missing)}")]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        problems.append(Problem(path, 1, "unknown-column", f"unknown column(s) ignored: {', '.join(unknown)}", "warning"))
    rows = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(path, line, "bad-csv", f"malformed CSV: {exc}"))
            break
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            problems.append(Problem(path, line, "bad-csv", f"{len(cells)} fields for {len(header)} columns (an unquoted comma?)"))
            continue
        rows.append((line, {h: c for h, c in zip(header, cells, strict=False)}))
    return rows, problems


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()))


def _parse_context(context: str) -> dict[str, str]:
    pairs = {}
    for part in context.split(";"):
        if "=" in part:
            key, _, value = part.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def _entry_from_row(row: dict[str, str], path: Path, line: int) -> tuple[Entry | None, list[Problem]]:
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731
    problems: list[Problem] = []

    def problem(code: str, message: str, severity: str = "error") -> None:
        problems.append(Problem(path, line, code, message, severity))

    entry_id, kind = get("id"), get("type")
    if not entry_id:
        problem("empty-field", "empty id")
    elif not ID_PATTERN.fullmatch(entry_id):
        problem("bad-id", f"id {entry_id!r} must start with a letter and use only letters, digits, '-', '_', '.'")
    if not kind:
        problem("empty-field", "empty type (term, do-not-translate or forbidden)")
    elif kind not in TYPES:
        problem("unknown-type", f"unknown type {kind!r} (expected one of: {', '.join(TYPES)})")
    if not get("fr") and kind != FORBIDDEN:
        problem("empty-field", "empty fr")
    if not get("en") and kind != DO_NOT_TRANSLATE:
        problem("empty-field", "empty en")
    context = get("context")
    for part in filter(None, (p.strip() for p in context.split(";"))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in CONTEXT_KEYS:
            problem("bad-context", f"context {part!r}: expected {' or '.join(k + '=…' for k in CONTEXT_KEYS)}")
        elif key.strip() == "org" and value.strip() not in ORG_CUES:
            problem("bad-context", f"unknown organisation {value.strip()!r} (known: {', '.join(ORG_CUES)})")
    pos = get("pos") or "noun"
    if pos not in PARTS_OF_SPEECH:
        problem("bad-pos", f"pos {pos!r} is not one of: {', '.join(PARTS_OF_SPEECH)}")
    en = get("en") or (get("fr") if kind == DO_NOT_TRANSLATE else "")
    forbidden = _split_list(get("en_forbidden"))
    if kind != FORBIDDEN and en in forbidden:
        problem("self-forbidden", f"en {en!r} is also listed in en_forbidden")
    if kind == TERM and get("en") and get("en") == get("fr"):
        problem("same-as-fr", "en equals fr: use type do-not-translate", "warning")
    if kind == DO_NOT_TRANSLATE and get("en") and get("en") != get("fr"):
        problem("dnt-differs", "do-not-translate entry with an en different from fr", "warning")
    if not get("source"):
        problem("no-source", "no source: say where both sides were seen", "warning")
    if any(p.severity == "error" for p in problems):
        return None, problems
    entry = Entry(
        id=entry_id, fr=get("fr"), en=en, type=kind, context=context,
        fr_variants=_split_list(get("fr_variants")), en_variants=_split_list(get("en_variants")),
        en_forbidden=forbidden, pos=pos, status=get("status"), note=get("note"), source=get("source"),
        path=path, line=line,
    )
    return entry, problems


def french_key(term: str) -> str:
    """How two French forms compare: the scanner's own equivalences (case, apostrophes, spaces, hyphens)."""
    term = unicodedata.normalize("NFC", term)
    term = re.sub("[" + re.escape(APOSTROPHES) + "]", "'", term)
    term = re.sub("[" + re.escape(HYPHENS) + "]", "-", term)
    return " ".join(term.split()).casefold()


def _cross_entry_problems(entries: Sequence[Entry]) -> list[Problem]:
    problems: list[Problem] = []
    first_by_id: dict[str, Entry] = {}
    for entry in entries:
        earlier = first_by_id.setdefault(entry.id, entry)
        if earlier is not entry:
            problems.append(Problem(entry.path, entry.line, "duplicate-id",
                                    f"duplicate id {entry.id!r} (first at {earlier.where})"))
    seen: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.type == FORBIDDEN:
            continue
        for form in dict.fromkeys(french_key(f) for f in entry.french_forms):
            for other in seen.get(form, []):
                if other.id == entry.id:
                    continue
                if entry.org and other.org and entry.org != other.org:
                    continue  # the same French, split by organisation: that is the point of context
                label = f"French term {form!r}" + (f" ({entry.context})" if entry.context else "")
                if other.en == entry.en:
                    problems.append(Problem(entry.path, entry.line, "duplicate-fr",
                                            f"{label} duplicates entry {other.id!r} at {other.where}"))
                else:
                    problems.append(Problem(entry.path, entry.line, "conflicting-fr",
                                            f"{label} conflicts with entry {other.id!r} at {other.where}: "
                                            f"{entry.en!r} vs {other.en!r}"))
                break
            seen.setdefault(form, []).append(entry)
    return problems


# ---------------------------------------------------------------------------------------------
# French matching


def _is_acronym(segment: str) -> bool:
    return any(c.isupper() for c in segment) and not any(c.islower() for c in segment)


def _caseless(ch: str) -> str:
    variants = {ch, ch.lower(), ch.upper()}
    variants = {v for v in variants if len(v) == 1}
    if ch.upper() in ACCENTLESS_CAPITALS:
        variants.add(ACCENTLESS_CAPITALS[ch.upper()])
    return "[" + "".join(re.escape(v) for v in sorted(variants)) + "]" if len(variants) > 1 else re.escape(ch)


def _french_word_pattern(word: str, keep_initial_capital: bool) -> str:
    """Acronyms (OTAN, UA, M.) match exactly; other words ignore case, except a one-word name's capital."""
    out = []
    segments = re.split("([" + re.escape(APOSTROPHES + HYPHENS) + "])", word)
    for n, segment in enumerate(segments):
        if segment and segment in APOSTROPHES:
            out.append(_APOSTROPHE)
        elif segment and segment in HYPHENS:
            out.append(_HYPHEN)
        else:
            exact = _is_acronym(segment)
            for i, ch in enumerate(segment):
                if exact or not ch.isalpha():
                    out.append(re.escape(ch))
                elif n == 0 and i == 0 and keep_initial_capital and ch.isupper():
                    out.append("[" + re.escape(ch) + ACCENTLESS_CAPITALS.get(ch, "") + "]")
                else:
                    out.append(_caseless(ch))
    return "".join(out)


def french_pattern(form: str) -> str:
    """Regex source for one French form (no boundaries)."""
    words = form.split()
    # "Alliance", "Alliés": a capitalised single word is a name (l'Alliance = NATO, une alliance = any).
    keep_capital = len(words) == 1 and not _is_acronym(words[0])
    return _FR_GAP.join(_french_word_pattern(w, keep_capital) for w in words)


def _inflect_word(word: str, slot: int) -> str:
    """slot: 0 feminine singular, 1 masculine plural, 2 feminine plural."""
    lower = word.lower()
    if lower in IRREGULAR_INFLECTIONS:
        return _same_case(word, IRREGULAR_INFLECTIONS[lower][slot])
    for ending, *forms in INFLECTION_RULES:
        if lower.endswith(ending):
            return word[: len(word) - len(ending)] + forms[slot]
    return word


def _same_case(model: str, word: str) -> str:
    return word[0].upper() + word[1:] if model[:1].isupper() else word


def _inflectable(word: str) -> bool:
    return word.replace("-", "").isalpha()


def _head_length(words: Sequence[str]) -> int:
    """How many leading words inflect: up to a function word, elision, number, name or punctuation."""
    n = 0
    for i, word in enumerate(words):
        if not _inflectable(word) or word.lower() in FUNCTION_WORDS:
            break
        if i > 0 and word[0].isupper() and not _is_acronym(word):
            break  # "division Sécurité coopérative", "opération Active Endeavour": a name follows
        n = i + 1
    return n


def inflected_forms(form: str) -> list[str]:
    """The plural (and, for person titles, feminine) forms of a French term, by INFLECTION_RULES."""
    words = form.split()
    head = _head_length(words)
    if head == 0:
        return []
    slots = (0, 1, 2) if words[0].lower() in PERSON_TITLES else (1,)
    forms = []
    for slot in slots:
        inflected = [w if _is_acronym(w) else _inflect_word(w, slot) for w in words[:head]]
        forms.append(" ".join(inflected + list(words[head:])))
    return [f for f in dict.fromkeys(forms) if f != form]


class _Matcher:
    """Compiled French forms of one entry: explicit forms (fr, fr_variants) before generated ones."""

    def __init__(self, index: int, entry: Entry):
        self.index = index
        self.entry = entry
        explicit = list(entry.french_forms)
        generated: list[str] = []
        if entry.pos == "noun":
            for form in explicit:
                generated += inflected_forms(form)
        explicit_keys = {french_key(f) for f in explicit}
        generated = [g for g in dict.fromkeys(generated) if french_key(g) not in explicit_keys]
        self.explicit = _compile_alternation(explicit)
        self.generated = _compile_alternation(generated) if generated else None

    def finditer(self, text: str):
        """(start, end, rank) for each occurrence; rank 0 for an explicit form, 1 for a generated one."""
        for rank, pattern in enumerate((self.explicit, self.generated)):
            if pattern is not None:
                for m in pattern.finditer(text):
                    yield m.start(), m.end(), rank


def _compile_alternation(forms: Sequence[str]) -> re.Pattern[str]:
    # Longest forms first, so that the alternation itself prefers them.
    ordered = sorted(dict.fromkeys(forms), key=len, reverse=True)
    body = "|".join(french_pattern(f) for f in ordered)
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    rank: int
    index: int
    entry: Entry


def _scan(matchers: Sequence[_Matcher], text: str, default_org: str | None) -> list[TermMatch]:
    by_span: dict[tuple[int, int], list[_Candidate]] = {}
    for matcher in matchers:
        for start, end, rank in matcher.finditer(text):
            by_span.setdefault((start, end), []).append(_Candidate(start, end, rank, matcher.index, matcher.entry))
    chosen: list[_Candidate] = []
    for (start, end), candidates in by_span.items():
        pick = _resolve_context(candidates, text, end, default_org)
        if pick is not None:
            chosen.append(pick)
    chosen.sort(key=lambda c: (-(c.end - c.start), c.start, c.rank, c.index))
    taken: list[tuple[int, int]] = []
    accepted: list[_Candidate] = []
    for cand in chosen:
        if all(cand.end <= s or cand.start >= e for s, e in taken):
            taken.append((cand.start, cand.end))
            accepted.append(cand)
    accepted.sort(key=lambda c: c.start)
    return [TermMatch(c.entry.id, c.start, c.end, text[c.start:c.end], c.entry.fr, c.entry.en) for c in accepted]


def _resolve_context(candidates: list[_Candidate], text: str, end: int, default_org: str | None) -> _Candidate | None:
    candidates = sorted(candidates, key=lambda c: (c.rank, c.index))
    if all(c.entry.org is None for c in candidates):
        return candidates[0]
    org = org_named_at(text, end) or default_org
    if org is not None:
        for pool in ([c for c in candidates if c.entry.org == org], [c for c in candidates if c.entry.org is None]):
            if pool:
                return pool[0]
        return None
    unconditioned = [c for c in candidates if c.entry.org is None]
    return (unconditioned or candidates)[0]


@dataclass(frozen=True)
class _OrgPatterns:
    next_to: re.Pattern[str]
    mentions: dict[str, re.Pattern[str]]
    markers: tuple[tuple[re.Pattern[str], str], ...]


def _org_patterns() -> _OrgPatterns:
    groups = []
    mentions = {}
    for org, names in ORG_CUES.items():
        alternation = "|".join(french_pattern(n) for n in sorted(names, key=len, reverse=True))
        groups.append(f"(?P<{org}>{alternation})")
        mentions[org] = re.compile(r"(?<!\w)(?:" + alternation + r")(?!\w)")
    next_to = re.compile(_ORG_LINK + "(?:" + "|".join(groups) + r")(?!\w)")
    markers = tuple((re.compile(french_pattern(m)), org) for m, org in PAGE_MARKERS)
    return _OrgPatterns(next_to, mentions, markers)


_ORG = _org_patterns()


def org_named_at(text: str, pos: int) -> str | None:
    """The organisation named right at pos ("… de l'ONU", "… des Nations Unies", "… (OTAN)"), if any."""
    m = _ORG.next_to.match(text, pos)
    return m.lastgroup if m else None


def default_org_for(text: str) -> str | None:
    """Whose article this is, for bare titles: page furniture first, then the organisation named more often.

    1. A nato.int date line ("Mis à jour le:") means NATO; a UN press-release symbol ("SG/SM/") or
       footer means UN.
    2. Otherwise count mentions of each organisation (OTAN, Alliance, Organisation du Traité de
       l'Atlantique Nord vs ONU, Nations Unies, Organisation des Nations Unies): more mentions wins.
    3. A tie (including none at all) gives None.
    """
    for pattern, org in _ORG.markers:
        if pattern.search(text):
            return org
    counts = {org: len(p.findall(text)) for org, p in _ORG.mentions.items()}
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    if ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def scan_file(path: Path | str, glossary: Glossary | None = None) -> list[dict]:
    """The JSON contract of `workflow glossary scan FILE --json`: [{id, start, end, text, fr, en}].

    Offsets are str offsets into the file's decoded text (line endings kept as they are);
    the article's organisation is guessed with default_org_for.
    """
    path = Path(path)
    text = read_utf8(path)  # line endings kept: offsets index the file as it is
    glossary = glossary if glossary is not None else load_glossary()
    return [m.as_dict() for m in glossary.scan(text, default_org=default_org_for(text))]


def term_comment(matches: Iterable[TermMatch]) -> str:
    """One-line PO extracted comment, e.g. "glossary: secrétaire général de l'OTAN → NATO Secretary General; OTAN → NATO"."""
    pairs = dict.fromkeys((m.fr, m.en) for m in matches)
    return "glossary: " + "; ".join(f"{fr} → {en}" for fr, en in pairs) if pairs else ""


# ---------------------------------------------------------------------------------------------
# English checking


@lru_cache(maxsize=4096)
def english_pattern(form: str) -> re.Pattern[str]:
    """A house-style English form, tolerating only plural, possessive and typographic variants.

    Hyphen characters (-, U+2010, U+2011) are interchangeable, as are spaces and apostrophes;
    a hyphen never matches a space: "Secretary General" and "Secretary-General" are different terms.
    """
    words = form.split()
    parts = []
    for word in words:
        parts.append("".join(_APOSTROPHE if c in APOSTROPHES else _HYPHEN if c in HYPHENS else re.escape(c) for c in word))
    last = words[-1]
    if last[-1:].isalpha() and not _is_acronym(last.rstrip(".")):
        if last.endswith("y") and len(last) > 1 and last[-2].lower() not in "aeiou":
            parts[-1] = parts[-1][:-1] + "(?:y|ies)"
        else:
            parts[-1] += "(?:s|es)?"
    elif _is_acronym(last):
        parts[-1] += "s?"  # IEDs, NGOs
    if form[:1].islower():
        parts[0] = "[" + form[0] + form[0].upper() + "]" + parts[0][len(re.escape(form[0])):]
    possessive = "(?:" + _APOSTROPHE + "s|(?<=s)" + _APOSTROPHE + ")?"
    return re.compile(r"(?<!\w)" + _EN_GAP.join(parts) + possessive + r"(?!\w)")


def _sentence_start(text: str, pos: int) -> bool:
    return re.search(r"(?:\A|[.!?:…\n])[\s\"“‘'«(\[—–-]*\Z", text[:pos]) is not None


def find_english(form: str, text: str) -> list[tuple[int, int]]:
    """Spans of an English form in text; a capital for a lower-case initial only at a sentence start."""
    spans = []
    for m in english_pattern(form).finditer(text):
        if form[:1].islower() and m.group()[:1].isupper() and not _sentence_start(text, m.start()):
            continue
        spans.append((m.start(), m.end()))
    return spans


def _quoted(text: str) -> str:
    """Quote a term for a message as a reader sees it: no-break spaces stay spaces, not \\xa0."""
    return "“" + text + "”"


def check_translation(source_fr: str, target_en: str, glossary: Glossary,
                      default_org: str | None = None) -> list[TermIssue]:
    """Glossary issues in an English translation of source_fr.

    - missing: a term found in the French whose English (en or an en_variant) appears nowhere in
      the target. Presence, not counts: a repeated term may fairly become "he" or "the Alliance".
    - forbidden: an en_forbidden form of a term found in the French, or the en of a 'forbidden'
      entry (always for one with no fr; when its fr occurs for one with), used in the target,
      unless it lies inside an accepted rendering of a term found in the same source
      ("Secretary General" inside "NATO Secretary General").
    """
    matches = glossary.scan(source_fr, default_org=default_org)
    triggers = glossary.scan_forbidden(source_fr, default_org=default_org)
    issues: list[TermIssue] = []
    accepted_spans: list[tuple[int, int]] = []
    first_match: dict[str, TermMatch] = {}
    for m in matches:
        first_match.setdefault(m.id, m)
    for entry_id, m in first_match.items():
        entry = glossary.get(entry_id)
        assert entry is not None
        spans = [s for form in entry.english_forms for s in find_english(form, target_en)]
        accepted_spans += spans
        if not spans:
            alternatives = entry.english_forms[1:]
            also = f" (or {', '.join(_quoted(a) for a in alternatives)})" if alternatives else ""
            issues.append(TermIssue("missing", entry.id, entry.fr, entry.en, m.text,
                                    f"{_quoted(m.text)} should be rendered {_quoted(entry.en)}{also}",
                                    source_span=(m.start, m.end)))
    banned: list[Entry] = [glossary.get(i) for i in first_match]  # type: ignore[misc]
    banned += [e for e in glossary if e.type == FORBIDDEN and not e.fr and (e.org is None or e.org == default_org)]
    banned += [glossary.get(m.id) for m in triggers]  # type: ignore[misc]
    seen: set[tuple[int, int]] = set()
    for entry in dict.fromkeys(banned):
        for form in entry.banned_english:
            for start, end in find_english(form, target_en):
                if (start, end) in seen or any(s <= start and end <= e for s, e in accepted_spans):
                    continue
                seen.add((start, end))
                use = f"; use {_quoted(entry.en)}" if entry.type != FORBIDDEN else (f"; {entry.note}" if entry.note else "")
                issues.append(TermIssue("forbidden", entry.id, entry.fr, entry.en, target_en[start:end],
                                        f"{_quoted(target_en[start:end])} is forbidden by glossary entry {entry.id}{use}",
                                        target_span=(start, end)))
    # A forbidden variant already says what is wrong with that term: one finding, not two.
    forbidden_ids = {issue.id for issue in issues if issue.kind == "forbidden"}
    return [issue for issue in issues if not (issue.kind == "missing" and issue.id in forbidden_ids)]


# ---------------------------------------------------------------------------------------------
# As a `workflow check` plug-in


def glossary_checker(glossary: Glossary):
    """An entry checker for workflow.checks: each PO entry's msgstr against its msgid's terms.

    The organisation that decides ambiguous terms is guessed from the entry's source article
    (its `#:` reference), read once per file; without a readable source, context decides alone."""
    orgs: dict[str, str | None] = {}

    def default_org(entry) -> str | None:
        if not entry.occurrences:
            return None
        source = entry.occurrences[0][0]
        if source not in orgs:
            try:
                orgs[source] = default_org_for(Path(source).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                orgs[source] = None
        return orgs[source]

    def check(entry):
        return [
            ("glossary", "error", issue.message)
            for issue in check_translation(entry.msgid, entry.msgstr, glossary, default_org(entry))
        ]

    return check
