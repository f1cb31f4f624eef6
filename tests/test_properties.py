"""Property-based tests (hypothesis): the next robustness bug is found here, not by a user.

Examples are bounded and derandomized (see the profile in conftest.py) so CI runs the
same few hundred cases every time; HYPOTHESIS_PROFILE=thorough hunts with 50× more.
Strategies mix random Unicode with the characters and tokens the code gives meaning
to (abbreviations, initials, quotes, line separators, control characters, CR/CRLF).

Segmenter time is checked for linearity in bench/segment_linearity.py, not here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import polib
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import examples
from tests.test_publish_escaping import markdown_structure
from workflow.base.errors import CatalogError, SourceError
from workflow.publish.render import SegmentState, TargetSegment, render_html, render_markdown
from workflow.review.catalog import build_catalog
from workflow.review.memory import OriginKind, TMUnit
from workflow.review.pofile import read_po, serialize_po, write_po
from workflow.review.tmx import export_tmx
from workflow.source.article import parse_article, read_article
from workflow.source.extract import extract_segments
from workflow.source.segment import segment

# --- strategies

# Tokens the segmenter, the article reader and the PO writer treat specially.
SPECIAL = [
    "Le", "la", "Il", "OTAN", "M.", "MM.", "gén.", "gén. de brig.", "col.", "Lt-Col.", "É.-U.", "R.-U.", "etc.",
    "av. J.-C.", "J.", "J.-P.", "Le Goff", "l’Alliance", "L’OTAN", "O.T.A.N.", "fin.Début", "nato.int", "2.0",
    "3 000", "25 Sep. 2012", "Mis à jour le: 28 Sep. 2012 09:32", "• 24 Sep. 2018 -", "• |", "1.", "a.", "II.",
    "«", "»", "“", "”", "\"", "'", "’", "(", ")", "[", "]", "…", "...", "?", "!", ".", ",", ";", ":", "•", "-", "—",
    " ", " ", " ", "\u00a0", "\u202f", "\u2011", "\t", "\n", "\n\n", "\r\n", "\r", "\u2028", "\u2029", "\x85",
    "\x0b", "\x0c", "\x1c", "\x00", "\x07", "\x1b", "\x7f", "\x9b", "\u202e", "\u2067", "\u200f", "\ufeff",
    "\ufffe", "\\", "#", "*", "_", "`", "<b>", "&amp;", "|", "~", ">",
]
copy_like = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=6)), max_size=50).map("".join)
any_text = st.one_of(st.text(max_size=300), copy_like)

# A translator's msgstr as it comes out of a PO file: no NUL (read_po refuses it) and, as
# msgfmt --check asks, no newline at the ends (the msgids never have one: segments are trimmed).
msgstr_text = any_text.map(lambda text: text.replace("\x00", "").strip("\n"))

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
DATE = datetime(2020, 1, 2, 3, 4, tzinfo=UTC)


def _visible(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


# --- segmenter


@settings(max_examples=examples(400))
@given(any_text)
def test_segmenter_never_fails_and_covers_the_text(text: str) -> None:
    spans = segment(text)
    previous_end = 0
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text
        assert span.start >= previous_end
        assert not text[previous_end : span.start].strip()
        assert not any(ch in LINE_BREAKS for ch in span.text), "a line break is always a boundary"
        previous_end = span.end
    assert not text[previous_end:].strip()
    assert _visible("".join(s.text for s in spans)) == _visible(text)


# --- article reader and PO writer


def _msgfmt_check(path: Path) -> None:
    if shutil.which("msgfmt"):
        done = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def _fields(catalog: polib.POFile) -> list[tuple]:
    """What a PO file must give back exactly; comments modulo whitespace, which polib's
    reader trims (trailing spaces, blank first lines) and no reader of ours depends on."""
    return [
        (e.msgctxt, e.msgid, e.msgstr, e.msgid_plural, dict(e.msgstr_plural), list(e.flags), list(e.occurrences),
         " ".join(e.comment.split()), " ".join(e.tcomment.split()), bool(e.obsolete))
        for e in catalog
    ]


@settings(max_examples=examples(60))
@given(source=any_text, msgstrs=st.lists(msgstr_text, min_size=1, max_size=8), comment=msgstr_text,
       junk=st.binary(max_size=3))
# found by the thorough profile: EOT in a source (msgfmt: "context separator <EOT> within
# string"), CR in a translator comment (polib and gettext read it as a line end)
@example(source="", msgstrs=[""], comment="", junk=b"\x04")
@example(source="", msgstrs=[""], comment="\r0", junk=b"\x01")
@example(source="", msgstrs=[""], comment="\x04", junk=b"\x01")  # EOT is harmless in a comment
def test_any_source_gives_a_domain_error_or_a_po_file_that_reads_back_identically(
    source: str, msgstrs: list[str], comment: str, junk: bytes
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_bytes(source.encode("utf-8") + junk)
        try:
            article = read_article(path)
        except SourceError as error:
            assert error.path == path and error.message
            return
        assert "\r" not in article.text
        for block in article.blocks:
            assert article.text[block.start : block.end] == block.text
            assert article.text.count("\n", 0, block.start) + 1 == block.line
        catalog = build_catalog(article, extract_segments(article), target="en", reference="article.txt", date=DATE)
        for entry, msgstr in zip(catalog, msgstrs):
            entry.msgstr = msgstr
            entry.tcomment = comment
        po_path = Path(folder) / "article.po"
        try:
            write_po(catalog, po_path)
        except CatalogError as error:  # NUL or EOT in a msgstr: refused, naming the entry
            assert re.search(r"(NUL|EOT) character \(U\+000[04]\)", error.message)
            assert error.path == Path("article.txt") and error.line
            assert not po_path.exists()
            return

        written = po_path.read_bytes()
        again = read_po(po_path)
        assert _fields(again) == _fields(catalog)
        assert serialize_po(again).encode("utf-8") == written  # the tool re-saves it byte for byte
        assert _fields(polib.pofile(str(po_path), wrapwidth=0)) == _fields(catalog)
        _msgfmt_check(po_path)


@settings(max_examples=examples(150))
@given(msgstr=st.text(max_size=40))
def test_characters_gettext_reserves_are_refused_naming_the_entry(msgstr: str) -> None:
    catalog = polib.POFile(wrapwidth=0)
    catalog.append(polib.POEntry(msgid="Une phrase.", msgstr=msgstr, occurrences=[("a.txt", "4")]))
    if "\x00" in msgstr or "\x04" in msgstr:
        try:
            serialize_po(catalog)
        except CatalogError as error:
            assert re.match(r"a\.txt:4: (NUL|EOT) character \(U\+000[04]\)", str(error)), str(error)
        else:
            raise AssertionError("NUL or EOT written into a PO file")
    else:
        written = serialize_po(catalog).encode("utf-8")
        assert read_po(Path("a.po"), written).find("Une phrase.").msgstr == msgstr


# --- publishing


SOURCE = "Titre\n\nPremière phrase. Deuxième phrase.\n\nTroisième.\n"
ARTICLE = parse_article(SOURCE, Path("x.txt"))
SEGMENTS = extract_segments(ARTICLE)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _targets(texts: list[str]) -> list[TargetSegment]:
    return [TargetSegment(seg, text, SegmentState.REVIEWED) for seg, text in zip(SEGMENTS, texts)]


def _flat(text: str) -> str:
    return " ".join(text.replace("\x00", "\ufffd").split())


@settings(max_examples=examples(300))
@given(st.lists(msgstr_text.filter(lambda t: t.strip()), min_size=4, max_size=4))
@example(["#", "0", "0", "0"])  # a title that is only "#" was escaped twice (thorough profile)
@example(["0", "0", "0", "0\r\xa0"])  # a break before trailing blanks left a literal backslash
@example(["0 # ", "0", "0", "0"])  # a closing "#" before trailing spaces ended the heading
def test_markdown_keeps_the_source_structure_and_the_msgstr_text(texts: list[str]) -> None:
    blocks, shown = markdown_structure(render_markdown(ARTICLE, _targets(texts)))
    assert blocks == ["heading_open", "heading_close", "paragraph_open", "paragraph_close",
                      "paragraph_open", "paragraph_close"]
    assert [_flat(t) for t in shown] == [_flat(texts[0]), _flat(texts[1] + " " + texts[2]), _flat(texts[3])]


@settings(max_examples=examples(300))
@given(st.lists(msgstr_text.filter(lambda t: t.strip()), min_size=4, max_size=4))
@example(["0", "0", "0", "\x1f\r0"])  # a control character before a line break was dropped (thorough profile)
def test_html_is_well_formed_with_the_source_structure_and_the_msgstr_text(texts: list[str]) -> None:
    document = render_html(ARTICLE, _targets(texts))
    root = etree.fromstring(document.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    article = root.find("body/article")
    assert [child.tag for child in article] == ["header", "p", "p"]
    blocks = [article[0][0], article[1], article[2]]
    assert [block.tag for block in blocks] == ["h1", "p", "p"]
    assert all(child.tag == "br" for block in blocks for child in block)

    def shown(text: str) -> str:
        return _flat(NOT_XML.sub("\ufffd", "".join(" " if ch in LINE_BREAKS else ch for ch in text)))

    assert [_flat("".join(block.itertext())) for block in blocks] == [
        shown(texts[0]), shown(texts[1] + " " + texts[2]), shown(texts[3])
    ]


# --- TMX


units = st.builds(
    TMUnit,
    source=msgstr_text.filter(str.strip),
    target=msgstr_text.filter(str.strip),
    origin=st.sampled_from(["translations/en/a.po", "fr.txt + en.txt"]),
    context=st.none() | msgstr_text,
    line=st.none() | st.integers(1, 10_000),
    reference=st.none() | msgstr_text,
    kind=st.sampled_from(list(OriginKind)),
)


@settings(max_examples=examples(200))
@given(st.lists(units, max_size=6))
def test_tmx_round_trips_every_unit_it_can_and_names_the_others(memory: list[TMUnit]) -> None:
    import logging

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("workflow")
    logger.addHandler(handler)
    try:
        data = export_tmx(memory)
    finally:
        logger.removeHandler(handler)
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))

    def writable(unit: TMUnit) -> bool:
        return not any(NOT_XML.search(text or "") for text in (unit.source, unit.target, unit.context, unit.reference, unit.where))

    kept = sorted((u.source, u.target, u.context or "") for u in memory if writable(u))
    read = sorted(
        (tu.findtext("tuv[1]/seg"), tu.findtext("tuv[2]/seg"), tu.findtext("prop[@type='x-context']") or "")
        for tu in root.findall("body/tu")
    )
    assert read == kept  # lxml writes CR as &#13;, so even CR survives
    left_out = [u for u in memory if not writable(u)]
    assert len([r for r in records if "left out" in r.getMessage()]) == len(left_out)
    assert all(u.where in " ".join(r.getMessage() for r in records) for u in left_out)
