"""TMX 1.4 export: structure checked by hand (no DTD offline), round trip, determinism."""

from __future__ import annotations

import logging

import pytest
from lxml import etree

from workflow.review.memory import OriginKind, TMUnit
from workflow.review.tmx import export_tmx

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HEADER_REQUIRED = ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype")

TRICKY_FR = "R&D <tests> « l’OTAN »\u00a0: 3\u202f700 Casques bleus, Ki\u2011moon \"ok\" 'oui' \t fin"
TRICKY_EN = "R&D <tests> “NATO”: 3,700 blue helmets & more ]]> end"

UNITS = [
    TMUnit("Deuxième phrase.", "Second sentence.", "translations/en/b.po", line=30, reference="source_fr/b.txt:9",
           kind=OriginKind.CATALOG),
    TMUnit(TRICKY_FR, TRICKY_EN, "fr.txt + en.txt"),
    TMUnit("L’OTAN", "NATO", "translations/en/a.po", context="title", line=21, kind=OriginKind.CATALOG),
]


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True))


def check_structure(root: etree._Element, source_lang: str = "fr", target_lang: str = "en") -> None:
    """What the TMX 1.4 DTD would check for the subset we write."""
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert [child.tag for child in root] == ["header", "body"]
    header = root[0]
    for name in HEADER_REQUIRED:
        assert header.get(name), name
    assert header.get("creationtool") == "workflow"
    assert header.get("segtype") == "sentence"
    assert header.get("datatype") == "plaintext"
    assert header.get("srclang") == source_lang
    for tu in root[1]:
        assert tu.tag == "tu"
        tags = [child.tag for child in tu]
        first_tuv = tags.index("tuv")
        assert set(tags[:first_tuv]) <= {"prop", "note"}, tags  # notes/props come first
        assert tags[first_tuv:] == ["tuv", "tuv"]
        assert tu.find("prop[@type='x-origin']") is not None
        assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == [source_lang, target_lang]
        for tuv in tu.findall("tuv"):
            assert [child.tag for child in tuv] == ["seg"]
            assert len(tuv[0]) == 0  # plain text, no inline markup


def test_export_is_valid_tmx_and_round_trips() -> None:
    data = export_tmx(UNITS)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in data
    root = parse(data)
    check_structure(root)
    tus = root.findall("body/tu")
    assert len(tus) == len(UNITS)
    pairs = {tu.find("tuv[1]/seg").text: tu.find("tuv[2]/seg").text for tu in tus}
    assert pairs[TRICKY_FR] == TRICKY_EN  # &, <, «, U+00A0, U+202F, U+2011, tab kept
    assert "\u00a0" in next(k for k in pairs if k.startswith("R&D"))
    origins = {tu.findtext("prop[@type='x-origin']") for tu in tus}
    assert origins == {"translations/en/b.po:30", "tm import: fr.txt + en.txt", "translations/en/a.po:21"}
    title = next(tu for tu in tus if tu.findtext("tuv/seg") == "L’OTAN")
    assert title.findtext("prop[@type='x-context']") == "title"
    assert b"&amp;" in data and b"&lt;tests&gt;" in data and "\u00a0".encode() in data


def test_export_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    first = export_tmx(UNITS)
    assert export_tmx(list(reversed(UNITS))) == first
    assert b"creationdate" not in first
    sources = [tu.findtext("tuv/seg") for tu in parse(first).findall("body/tu")]
    assert sources == sorted(sources)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1537971000")
    dated = parse(export_tmx(UNITS))
    assert dated.find("header").get("creationdate") == "20180926T141000Z"
    assert {tu.get("creationdate") for tu in dated.findall("body/tu")} == {"20180926T141000Z"}


def test_other_languages_and_empty_memory() -> None:
    root = parse(export_tmx([], source_lang="fr", target_lang="es"))
    check_structure(root, "fr", "es")
    assert len(root.find("body")) == 0
    root = parse(export_tmx(UNITS[:1], target_lang="es"))
    check_structure(root, "fr", "es")


def test_units_xml_cannot_carry_are_left_out(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="workflow"):
        root = parse(export_tmx([*UNITS, TMUnit("bip\x07", "beep", "a + b")]))
    assert len(root.findall("body/tu")) == len(UNITS)
    assert "left out tm import: a + b (U+0007 in the source)" in caplog.text


def test_each_unit_left_out_is_named_with_its_character(caplog: pytest.LogCaptureFixture) -> None:
    """Control characters anywhere in a unit (segments, context, reference) leave it out,
    with a warning naming the unit; the export never fails on them."""
    bad = [
        TMUnit("bip\x07", "beep", "a + b"),
        TMUnit("Une phrase.", "A sen\x1btence.", "translations/en/c.po", line=12, kind=OriginKind.CATALOG),
        TMUnit("Titre", "Title", "translations/en/d.po", context="ti\x01tle", line=3, kind=OriginKind.CATALOG),
        TMUnit("Fin.", "End.", "translations/en/e.po", line=7, reference="source_fr/e.txt:\x0b4", kind=OriginKind.CATALOG),
        TMUnit("Non\ufffe.", "No.", "translations/en/f.po", line=9, kind=OriginKind.CATALOG),
    ]
    with caplog.at_level(logging.WARNING, logger="workflow"):
        root = parse(export_tmx([*UNITS, *bad]))
    assert len(root.findall("body/tu")) == len(UNITS)
    messages = sorted(r.getMessage() for r in caplog.records)
    assert messages == sorted([
        "TMX export: left out tm import: a + b (U+0007 in the source): XML cannot carry it",
        "TMX export: left out translations/en/c.po:12 (U+001B in the translation): XML cannot carry it",
        "TMX export: left out translations/en/d.po:3 (U+0001 in the context): XML cannot carry it",
        "TMX export: left out translations/en/e.po:7 (U+000B in the reference): XML cannot carry it",
        "TMX export: left out translations/en/f.po:9 (U+FFFE in the source): XML cannot carry it",
    ])
