"""TBX-Basic (ISO 30042:2019, DCA style) export and import, so CAT tools and termbases can share the glossary.

Mapping (one conceptEntry per glossary entry, id = entry id):

- conceptEntry: <admin type="source">, <note> (the entry's note), <note>status: VERIFY</note>
- langSec fr: the fr term (preferredTerm-admn-sts), then fr_variants (admittedTerm-admn-sts)
- langSec en: the en term (preferredTerm-admn-sts, or deprecatedTerm-admn-sts for a 'forbidden'
  entry), en_variants (admittedTerm-admn-sts), en_forbidden (deprecatedTerm-admn-sts)
- every termSec: termNote partOfSpeech, administrativeStatus, termType (acronym/variant when so);
  the main fr and en termSecs carry the context condition as <descrip type="context">org=NATO</descrip>

TBX-Basic has no "do not translate" or "forbidden" data category, so the type is carried by the
terms themselves and read back the same way: a deprecated main English term means 'forbidden', an
English term identical to the French one means 'do-not-translate', anything else is a 'term'
(validate warns about CSV rows that would not survive this).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from workflow.base.errors import GlossaryError
from workflow.terms.entry import DO_NOT_TRANSLATE, FORBIDDEN, LIST_SEPARATOR, TERM
from workflow.terms.glossary import Glossary, entries_from_rows, load_glossary, raise_for_errors

TBX_NS = "urn:iso:std:iso:30042:ed-2"
# The LTAC TBX-Basic dialect files write this namespace for the same standard; accept it on import.
TBX_NAMESPACES = (TBX_NS, "urn:iso:std:iso:30042:ed:3.0")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED, ADMITTED, DEPRECATED = "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"
STATUS_NOTE_PREFIX = "status: "
TBX_SUFFIXES = (".tbx", ".xml")


def _q(tag: str, ns: str = TBX_NS) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), attrib)
    if text is not None:
        element.text = text
    return element


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _term_sec(lang_sec: etree._Element, term: str, pos: str, status: str, variant: bool, context: str) -> None:
    term_sec = _sub(lang_sec, "termSec")
    _sub(term_sec, "term", term)
    _sub(term_sec, "termNote", pos, type="partOfSpeech")
    _sub(term_sec, "termNote", status, type="administrativeStatus")
    if _is_acronym(term):
        _sub(term_sec, "termNote", "acronym", type="termType")
    elif variant:
        _sub(term_sec, "termNote", "variant", type="termType")
    if context:
        _sub(term_sec, "descrip", context, type="context")


def export_tbx(glossary: Glossary, title: str = "NATO/UN French-English glossary") -> bytes:
    """The glossary as a TBX-Basic document (UTF-8 bytes with XML declaration)."""
    root = etree.Element(_q("tbx"), {"type": "TBX-Basic", "style": "dca", XML_LANG: "fr"}, nsmap={None: TBX_NS})
    file_desc = _sub(_sub(root, "tbxHeader"), "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", title)
    sources = ", ".join(p.name for p in glossary.paths) or "workflow glossary"
    _sub(_sub(file_desc, "sourceDesc"), "p", f"Exported from {sources} by workflow.terms.tbx (TBX-Basic, DCA style).")
    body = _sub(_sub(root, "text"), "body")
    for entry in glossary:
        concept = _sub(body, "conceptEntry", id=entry.id)
        if entry.source:
            _sub(concept, "admin", entry.source, type="source")
        if entry.note:
            _sub(concept, "note", entry.note)
        if entry.status:
            _sub(concept, "note", STATUS_NOTE_PREFIX + entry.status)
        if entry.fr:
            fr = _sub(concept, "langSec", **{XML_LANG: "fr"})
            _term_sec(fr, entry.fr, entry.pos, PREFERRED, False, entry.context)
            for variant in entry.fr_variants:
                _term_sec(fr, variant, entry.pos, ADMITTED, True, "")
        en = _sub(concept, "langSec", **{XML_LANG: "en"})
        _term_sec(en, entry.en or entry.fr, entry.pos, DEPRECATED if entry.type == FORBIDDEN else PREFERRED, False, entry.context)
        for variant in entry.en_variants:
            _term_sec(en, variant, entry.pos, ADMITTED, True, "")
        for banned in entry.en_forbidden:
            _term_sec(en, banned, entry.pos, DEPRECATED, True, "")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def import_glossary(path: Path | str) -> Glossary:
    """A glossary from a TBX file, a CSV file or a folder of CSV files."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".csv":
        return load_glossary(path)
    if path.suffix.lower() in TBX_SUFFIXES:
        return import_tbx(path)
    raise GlossaryError(f"unknown glossary format {path.suffix or '(no suffix)'!r}: expected .csv, .tbx or a folder", path=path)


def import_tbx(path: Path | str) -> Glossary:
    """A glossary from a TBX(-Basic) file; problems are reported with the conceptEntry's line."""
    path = Path(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except OSError as exc:
        raise GlossaryError(f"cannot read: {exc}", path=path) from exc
    except etree.XMLSyntaxError as exc:
        raise GlossaryError(f"not well-formed XML: {exc.msg}", path=path, line=exc.lineno) from exc
    tag = etree.QName(root)
    if tag.localname != "tbx" or tag.namespace not in TBX_NAMESPACES:
        raise GlossaryError(f"not a TBX document (root element {root.tag!r})", path=path, line=root.sourceline)
    ns = tag.namespace
    rows = [(path, concept.sourceline or 0, _row_from_concept(concept, ns)) for concept in root.iter(_q("conceptEntry", ns))]
    entries, problems = entries_from_rows(rows)
    raise_for_errors(problems)
    return Glossary(tuple(entries), (path,))


def _terms(concept: etree._Element, ns: str, lang: str) -> list[tuple[str, str, str, str]]:
    """(term, administrativeStatus, partOfSpeech, context) in document order for one language."""
    out = []
    for lang_sec in concept.findall(_q("langSec", ns)):
        if (lang_sec.get(XML_LANG) or "").lower().split("-")[0] != lang:
            continue
        for term_sec in lang_sec.findall(_q("termSec", ns)):
            notes = {n.get("type"): (n.text or "").strip() for n in term_sec.findall(_q("termNote", ns))}
            context = term_sec.find(_q("descrip", ns) + "[@type='context']")
            out.append(((term_sec.findtext(_q("term", ns)) or "").strip(), notes.get("administrativeStatus", ""),
                        notes.get("partOfSpeech", ""), (context.text or "").strip() if context is not None else ""))
    return out


def _row_from_concept(concept: etree._Element, ns: str) -> dict[str, str]:
    fr_terms, en_terms = _terms(concept, ns, "fr"), _terms(concept, ns, "en")
    fr = fr_terms[0][0] if fr_terms else ""
    en, en_status = (en_terms[0][0], en_terms[0][1]) if en_terms else ("", "")
    kind = FORBIDDEN if en_status == DEPRECATED else DO_NOT_TRANSLATE if en and en == fr else TERM
    rest = en_terms[1:]
    notes = [(n.text or "").strip() for n in concept.findall(_q("note", ns))]
    status = [n[len(STATUS_NOTE_PREFIX):] for n in notes if n.startswith(STATUS_NOTE_PREFIX)]
    first = (fr_terms or en_terms or [("", "", "", "")])[0]
    return {
        "id": concept.get("id") or "",
        "fr": fr,
        "en": en,
        "type": kind,
        "context": first[3],
        "fr_variants": LIST_SEPARATOR.join(t for t, *_ in fr_terms[1:]),
        "en_variants": LIST_SEPARATOR.join(t for t, s, *_ in rest if s != DEPRECATED),
        "en_forbidden": LIST_SEPARATOR.join(t for t, s, *_ in rest if s == DEPRECATED),
        "pos": first[2] or "noun",
        "status": status[0] if status else "",
        "note": " ".join(n for n in notes if not n.startswith(STATUS_NOTE_PREFIX)),
        "source": " ".join((a.text or "").strip() for a in concept.findall(_q("admin", ns) + "[@type='source']")),
    }


def entry_ids(document: bytes) -> list[str]:
    """The conceptEntry ids of a TBX document, in order (handy for diffs and tests)."""
    root = etree.fromstring(document)
    ns = etree.QName(root).namespace
    return [c.get("id") for c in root.iter(_q("conceptEntry", ns or TBX_NS))]

