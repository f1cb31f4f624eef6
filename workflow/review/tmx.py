"""TMX 1.4 export of the translation memory, for CAT tools and other newsrooms.

The output is deterministic (units sorted, no wall-clock date) so exporting an
unchanged memory twice gives the same bytes and commits of it diff cleanly:
`creationdate` is written only when SOURCE_DATE_EPOCH is set.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from lxml import etree

from workflow import __version__
from workflow.base.epoch import source_date_epoch
from workflow.base.errors import WorkflowError
from workflow.review.memory import TMUnit

log = logging.getLogger("workflow")

TMX_VERSION = "1.4"
CREATION_TOOL = "workflow"
# o-tmf names the format the memory came from.
ORIGINAL_FORMAT = "workflow-sqlite"
ADMIN_LANG = "en"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _creation_date() -> str | None:
    try:
        moment = source_date_epoch()
    except WorkflowError as error:
        log.warning("%s; TMX written without creationdate", error.message)
        return None
    return moment.strftime("%Y%m%dT%H%M%SZ") if moment is not None else None


def _unwritable(unit: TMUnit) -> str | None:
    """What in a unit XML 1.0 cannot carry, even escaped (C0 controls but TAB/LF/CR, U+FFFE/U+FFFF)."""
    for what, text in (("source", unit.source), ("translation", unit.target), ("context", unit.context),
                       ("origin", unit.where), ("reference", unit.reference)):
        found = _NOT_XML.search(text or "")
        if found:
            return f"U+{ord(found.group()):04X} in the {what}"
    return None


def _sort_key(unit: TMUnit) -> tuple:
    return (unit.source, unit.target, unit.context or "", unit.where, unit.reference or "")


def export_tmx(units: Iterable[TMUnit], source_lang: str = "fr", target_lang: str = "en") -> bytes:
    """A TMX 1.4 document (UTF-8 bytes) with one <tu> per unit. Units holding
    characters XML cannot represent are left out, each named in a warning."""
    header_attributes = {
        "creationtool": CREATION_TOOL,
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": ORIGINAL_FORMAT,
        "adminlang": ADMIN_LANG,
        "srclang": source_lang,
        "datatype": "plaintext",
    }
    date = _creation_date()
    if date:
        header_attributes["creationdate"] = date
    root = etree.Element("tmx", version=TMX_VERSION)
    etree.SubElement(root, "header", header_attributes)
    body = etree.SubElement(root, "body")
    for unit in sorted(units, key=_sort_key):
        problem = _unwritable(unit)
        if problem:
            log.warning("TMX export: left out %s (%s): XML cannot carry it", unit.where, problem)
            continue
        tu = etree.SubElement(body, "tu")
        if date:
            tu.set("creationdate", date)
        # TMX 1.4 order inside <tu>: notes and props first, then the variants.
        etree.SubElement(tu, "prop", type="x-origin").text = unit.where
        if unit.context:
            etree.SubElement(tu, "prop", type="x-context").text = unit.context
        if unit.reference:
            etree.SubElement(tu, "prop", type="x-reference").text = unit.reference
        for lang, text in ((source_lang, unit.source), (target_lang, unit.target)):
            tuv = etree.SubElement(tu, "tuv", {_XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE)
