"""TBX both ways: TBX-Basic v2 (`martif`, what OmegaT, Lokalize, translate-toolkit and Weblate read)
and TBX-Basic v3 (ISO 30042:2019, DCA style); import of both, `tig` and `ntig` term layouts,
regional language codes (fr-FR, en-GB), several terms per language.

Mapping (one concept per glossary entry, id = entry id; v2 element names in brackets):

- conceptEntry [termEntry]: <descrip type="subjectField"> (domain), <admin type="source">,
  <note> (the entry's note), <note>status: VERIFY</note>
- langSec [langSet] fr: the fr term (preferredTerm-admn-sts), then fr_variants (admittedTerm-admn-sts)
- langSec [langSet] en: the en term (preferredTerm-admn-sts, or deprecatedTerm-admn-sts for a
  'forbidden' entry), en_variants (admittedTerm-admn-sts), en_forbidden (deprecatedTerm-admn-sts)
- every termSec [tig]: termNote partOfSpeech, administrativeStatus, termType (acronym/variant when
  so); the main fr and en terms carry the context condition as <descrip type="context">org=NATO</descrip>

TBX-Basic has no "do not translate" or "forbidden" data category, so the type is carried by the
terms themselves and read back the same way: English terms that are all deprecated mean
'forbidden', an English term identical to the French one means 'do-not-translate', anything else
is a 'term' (validate warns about CSV rows that would not survive this). On import, a deprecated,
superseded, obsolete or forbidden status (administrativeStatus or normativeAuthorization, any
spelling the tools use) makes an English term forbidden; a French one stays a variant, since the
source may still use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from workflow.base.errors import GlossaryError
from workflow.terms.entry import DO_NOT_TRANSLATE, FORBIDDEN, LIST_SEPARATOR, TERM, Entry, parse_context
from workflow.terms.glossary import Glossary, entries_from_rows, load_glossary, raise_for_errors
from workflow.terms.organisation import ORG_CUES
from workflow.terms.rows import refused_character

TBX_NS = "urn:iso:std:iso:30042:ed-2"
# The LTAC TBX-Basic dialect files write this namespace for the same standard; accept it on import.
TBX_NAMESPACES = (TBX_NS, "urn:iso:std:iso:30042:ed:3.0")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED, ADMITTED, DEPRECATED = "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"
STATUS_NOTE_PREFIX = "status: "
TBX_SUFFIXES = (".tbx", ".xml")
VERSIONS = (2, 3)
DEFAULT_VERSION = 2
# TBX-Basic 2008 (v2) names: the public DTD and XCS that OmegaT, Lokalize and translate-toolkit expect.
V2_DOCTYPE = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'
V2_XCS = "TBXBasicXCSV02.xcs"
# Status words (lower case, without "-admn-sts"/"term") that mean "do not use this term".
DEPRECATED_WORDS = ("deprecated", "superseded", "obsolete", "forbidden", "avoid", "incorrect", "rejected")


@dataclass(frozen=True)
class _Names:
    concept: str
    language: str
    term_section: str


_V3 = _Names("conceptEntry", "langSec", "termSec")
_V2 = _Names("termEntry", "langSet", "tig")


# ---------------------------------------------------------------------------------------------
# Export


def export_tbx(glossary: Glossary, title: str = "NATO/UN French-English glossary", *, version: int = DEFAULT_VERSION) -> bytes:
    """The house glossary as a TBX-Basic document (UTF-8 bytes with XML declaration): v2 `martif`
    by default, v3 (`tbx`, ISO 30042:2019) with version=3.

    Raises GlossaryError naming the entry if a field holds a character XML cannot carry."""
    if version not in VERSIONS:
        raise GlossaryError(f"unknown TBX version {version!r} (expected 2 or 3)")
    for entry in glossary:
        _refuse_unwritable(entry)
    ns = TBX_NS if version == 3 else None
    names = _V3 if version == 3 else _V2
    sub = lambda parent, tag, text=None, **attrib: _sub(parent, tag, text, ns, **attrib)  # noqa: E731
    sources = ", ".join(p.name for p in glossary.paths) or "workflow glossary"
    if version == 3:
        root = etree.Element(_q("tbx", ns), {"type": "TBX-Basic", "style": "dca", XML_LANG: "fr"}, nsmap={None: TBX_NS})
        file_desc = sub(sub(root, "tbxHeader"), "fileDesc")
    else:
        root = etree.Element("martif", {"type": "TBX-Basic-V1", XML_LANG: "fr"})
        header = sub(root, "martifHeader")
        file_desc = sub(header, "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title", title)
    sub(sub(file_desc, "sourceDesc"), "p", f"Exported from {sources} by workflow.terms.tbx (TBX-Basic v{version}).")
    if version == 2:
        sub(sub(header, "encodingDesc"), "p", V2_XCS, type="XCSURI")
    body = sub(sub(root, "text"), "body")
    for entry in glossary:
        _concept(body, entry, names, sub)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    if version == 2:
        declaration, _, rest = document.partition(b"\n")
        document = declaration + b"\n" + V2_DOCTYPE.encode() + b"\n" + rest
    return document


def _q(tag: str, ns: str | None = TBX_NS) -> str:
    return f"{{{ns}}}{tag}" if ns else tag


def _sub(parent: etree._Element, tag: str, text: str | None, ns: str | None, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag, ns), attrib)
    if text is not None:
        element.text = text
    return element


def _refuse_unwritable(entry: Entry) -> None:
    for name, value in entry.to_row().items():
        refused = refused_character(value, multiline=name in ("note", "source"))
        if refused:
            raise GlossaryError(f"entry {entry.id!r}, {name}: {refused}", path=entry.path, line=entry.line)


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _concept(body: etree._Element, entry: Entry, names: _Names, sub) -> None:
    concept = sub(body, names.concept, id=entry.id)
    for domain in filter(None, entry.domain.split(LIST_SEPARATOR)):
        sub(concept, "descrip", domain, type="subjectField")
    if entry.source:
        sub(concept, "admin", entry.source, type="source")
    if entry.note:
        sub(concept, "note", entry.note)
    if entry.status:
        sub(concept, "note", STATUS_NOTE_PREFIX + entry.status)

    def term(lang_sec: etree._Element, text: str, status: str, variant: bool, context: str) -> None:
        term_sec = sub(lang_sec, names.term_section)
        sub(term_sec, "term", text)
        sub(term_sec, "termNote", entry.pos, type="partOfSpeech")
        sub(term_sec, "termNote", status, type="administrativeStatus")
        if _is_acronym(text):
            sub(term_sec, "termNote", "acronym", type="termType")
        elif variant:
            sub(term_sec, "termNote", "variant", type="termType")
        if context:
            sub(term_sec, "descrip", context, type="context")

    if entry.fr:
        fr = sub(concept, names.language, **{XML_LANG: "fr"})
        term(fr, entry.fr, PREFERRED, False, entry.context)
        for variant in entry.fr_variants:
            term(fr, variant, ADMITTED, True, "")
    en = sub(concept, names.language, **{XML_LANG: "en"})
    term(en, entry.en or entry.fr, DEPRECATED if entry.type == FORBIDDEN else PREFERRED, False, entry.context)
    for variant in entry.en_variants:
        term(en, variant, ADMITTED, True, "")
    for banned in entry.en_forbidden:
        term(en, banned, DEPRECATED, True, "")


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class Term:
    text: str
    deprecated: bool = False
    pos: str = ""
    context: str = ""


@dataclass
class Concept:
    """One TBX concept as read: terms by language ("fr", "en"), subject fields, notes."""

    id: str
    line: int
    terms: dict[str, list[Term]] = field(default_factory=dict)
    domains: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def row(self) -> dict[str, str]:
        """The concept as a glossary CSV row (the mapping in the module docstring, read back)."""
        fr_terms, en_terms = self.terms.get("fr", []), self.terms.get("en", [])
        fr_main = next((t for t in fr_terms if not t.deprecated), fr_terms[0] if fr_terms else None)
        usable = [t for t in en_terms if not t.deprecated]
        banned = [t for t in en_terms if t.deprecated]
        fr = fr_main.text if fr_main else ""
        if usable:
            en, variants, forbidden = usable[0], usable[1:], banned
            kind = DO_NOT_TRANSLATE if en.text == fr else TERM
        else:
            en, variants, forbidden = (banned[0] if banned else None), [], banned[1:]
            kind = FORBIDDEN
        first = fr_main or en or Term("")
        status = [n[len(STATUS_NOTE_PREFIX):] for n in self.notes if n.startswith(STATUS_NOTE_PREFIX)]
        return {
            "id": self.id,
            "fr": fr,
            "en": en.text if en else "",
            "type": kind,
            "context": first.context if _is_our_context(first.context) else "",
            "fr_variants": LIST_SEPARATOR.join(t.text for t in fr_terms if t is not fr_main),
            "en_variants": LIST_SEPARATOR.join(t.text for t in variants),
            "en_forbidden": LIST_SEPARATOR.join(t.text for t in forbidden),
            "pos": first.pos if first.pos in ("noun", "verb", "adjective", "adverb", "other") else "noun",
            "status": status[0] if status else "",
            "note": " ".join(n for n in self.notes if not n.startswith(STATUS_NOTE_PREFIX)),
            "source": " ".join(self.sources),
            "domain": LIST_SEPARATOR.join(dict.fromkeys(self.domains)),
        }


def _is_our_context(context: str) -> bool:
    """A TBX-Basic `context` is usually an example sentence; ours is a condition such as org=NATO."""
    pairs = parse_context(context)
    return bool(pairs) and set(pairs) == {"org"} and pairs["org"] in ORG_CUES


def language_of(code: str | None) -> str:
    """"fr" for fr, fr-FR, FR_fr, fra, fre; "en" for en, en-GB, eng; else the code's first part."""
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return {"fra": "fr", "fre": "fr", "eng": "en"}.get(base, base)


def is_deprecated(status: str) -> bool:
    word = status.strip().lower()
    return any(w in word for w in DEPRECATED_WORDS)


def read_concepts(path: Path) -> Iterator[Concept]:
    """The concepts of a TBX v2 (martif) or v3 file, streamed (a 2 GB IATE export stays small).

    Raises GlossaryError for a file that is not well-formed XML or not TBX (with its line)."""
    parser_options = dict(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=True, load_dtd=False)
    try:
        events = etree.iterparse(str(path), events=("start", "end"), **parser_options)
        root_checked = False
        for event, element in events:
            if not root_checked:
                _check_root(element, path)
                root_checked = True
                continue
            if event != "end":
                continue
            local = etree.QName(element).localname
            if local in ("conceptEntry", "termEntry"):
                yield _concept_from(element)
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except OSError as exc:
        raise GlossaryError(f"cannot read: {exc}", path=path) from exc
    except etree.XMLSyntaxError as exc:
        raise GlossaryError(f"not well-formed XML: {exc.msg}", path=path, line=exc.lineno) from exc


def _check_root(root: etree._Element, path: Path) -> None:
    tag = etree.QName(root)
    if tag.localname == "martif" or (tag.localname == "tbx" and tag.namespace in (*TBX_NAMESPACES, None)):
        return
    raise GlossaryError(f"not a TBX document (root element {root.tag!r}; expected martif or tbx)", path=path,
                        line=root.sourceline)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def _concept_from(element: etree._Element) -> Concept:
    concept = Concept(id=element.get("id") or "", line=element.sourceline or 0)
    _collect(element, concept, concept_level=True)
    for child in element:
        if _local(child) in ("langSec", "langSet"):
            lang = language_of(child.get(XML_LANG) or child.get("lang"))
            _collect(child, concept, concept_level=False)
            for section in child:
                if _local(section) in ("termSec", "tig", "ntig"):
                    term = _term_from(section)
                    if term.text:
                        concept.terms.setdefault(lang, []).append(term)
    return concept


def _collect(element: etree._Element, concept: Concept, concept_level: bool) -> None:
    """Subject fields, notes and sources of a concept or language section (also inside *Grp)."""
    for child in element:
        local = _local(child)
        if local in ("descripGrp", "adminGrp", "noteGrp"):
            _collect(child, concept, concept_level)
        elif local == "descrip" and child.get("type") == "subjectField":
            concept.domains += [d.strip() for d in _text(child).split(LIST_SEPARATOR) if d.strip()]
        elif local == "note" and _text(child):
            concept.notes.append(_text(child))
        elif local == "admin" and child.get("type") == "source" and concept_level:
            concept.sources.append(_text(child))


def _term_from(section: etree._Element) -> Term:
    """A termSec, tig or ntig (term and notes possibly inside termGrp / termNoteGrp)."""
    term = Term("")
    for node in section.iter():
        local = _local(node)
        if local == "term" and not term.text:
            term.text = _text(node)
        elif local == "termNote" and node.get("type") in ("administrativeStatus", "normativeAuthorization"):
            term.deprecated = term.deprecated or is_deprecated(_text(node))
        elif local == "termNote" and node.get("type") == "partOfSpeech":
            term.pos = _text(node).lower()
        elif local == "descrip" and node.get("type") == "context":
            term.context = _text(node)
    return term


def import_glossary(path: Path | str) -> Glossary:
    """A house glossary from a TBX file, a CSV file or a folder of CSV files (strict: any error stops)."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".csv":
        return load_glossary(path)
    if path.suffix.lower() in TBX_SUFFIXES:
        return import_tbx(path)
    raise GlossaryError(f"unknown glossary format {path.suffix or '(no suffix)'!r}: expected .csv, .tbx or a folder", path=path)


def import_tbx(path: Path | str) -> Glossary:
    """A house glossary from a TBX (v2 or v3) file; problems are reported with the concept's line."""
    path = Path(path)
    rows = [(path, concept.line, concept.row()) for concept in read_concepts(path)]
    entries, problems = entries_from_rows(rows)
    raise_for_errors(problems)
    return Glossary(tuple(entries), (path,))


def entry_ids(document: bytes) -> list[str]:
    """The concept ids of a TBX document (v2 or v3), in order (handy for diffs and tests)."""
    root = etree.fromstring(document)
    return [c.get("id") for c in root.iter() if _local(c) in ("conceptEntry", "termEntry")]
