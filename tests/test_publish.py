"""`publish`: the review gate, exact layout round trip, the three formats, drafts, batches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from workflow.source.article import _raw_blocks, read_article
from workflow.base.errors import WorkflowError
from workflow.review.pofile import read_po, write_po
from workflow.qa.checks import Finding
from workflow.publish.publisher import (
    Blocker,
    Reason,
    blockers_from_findings,
    format_report,
    normalize_formats,
    publish_articles,
)
from workflow.translate import translate_articles
from workflow.publish.typography import apply_typography, dateline

SLUGS = ["otan-nations-unies-2012", "sg-assemblee-generale-onu-2018"]
APPROVED = json.loads((Path(__file__).parent / "test_publish" / "approved_en.json").read_text("utf-8"))
PUBLISHED = Path("published/en")
DRAFTS = Path("published-drafts/en")


def catalog_of(slug: str) -> Path:
    return Path("translations/en") / f"{slug}.po"


def source_of(slug: str) -> Path:
    return Path("source_fr") / f"{slug}.txt"


def approve(slug: str, translations: dict[str, str] | None = None, *, identity: bool = False) -> None:
    """What a reviewer does: fill every msgstr and clear every fuzzy flag."""
    path = catalog_of(slug)
    catalog = read_po(path)
    for entry in catalog:
        if entry.obsolete:
            continue
        if identity:
            entry.msgstr = entry.msgid
        elif translations is not None and entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
        assert entry.msgstr, f"no approved translation for {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    write_po(catalog, path)


def set_entry(slug: str, msgid: str, *, msgstr: str | None = None, fuzzy: bool | None = None) -> None:
    path = catalog_of(slug)
    catalog = read_po(path)
    entry = catalog.find(msgid)
    assert entry is not None
    if msgstr is not None:
        entry.msgstr = msgstr
    if fuzzy is True and "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    if fuzzy is False and "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    write_po(catalog, path)


def msgid_line(path: Path, msgid: str) -> int:
    escaped = msgid.replace("\\", "\\\\").replace('"', '\\"')
    lines = path.read_text("utf-8").split("\n")
    return lines.index(f'msgid "{escaped}"') + 1


@pytest.fixture
def translated(project: Path) -> Path:
    """Catalogs as `translate --engine none` leaves them: only metadata and captions filled."""
    report = translate_articles()
    assert report.ok, report.errors
    return project


@pytest.fixture
def approved(translated: Path) -> Path:
    for slug in SLUGS:
        approve(slug, APPROVED[slug])
    return translated


# --- fidelity


@pytest.mark.parametrize("slug", SLUGS)
def test_round_trip_gives_the_source_back_byte_for_byte(translated: Path, slug: str) -> None:
    approve(slug, identity=True)
    report = publish_articles([source_of(slug)], typography=False)
    assert report.published == 1, format_report(report)
    assert (PUBLISHED / f"{slug}.txt").read_bytes() == source_of(slug).read_bytes()


def test_round_trip_keeps_odd_layout(project: Path) -> None:
    """Indentation, runs of blank lines, trailing blanks and a final newline are the source's, not ours."""
    text = (
        "L’OTAN et l’ONU\n\n\n"
        "  • 25 Sep. 2012 -\n  • |\n  • Mis à jour le: 28 Sep. 2012 09:32\n\n"
        "Première phrase.  Deuxième phrase !   \n"
        "   Une ligne suivante, dans le même bloc.\n\n\n\n"
        "\tDernier paragraphe, indenté par une tabulation.\n\n"
    )
    (project / "source_fr" / "odd.txt").write_text(text, encoding="utf-8")
    assert translate_articles([Path("source_fr/odd.txt")]).ok
    approve("odd", identity=True)
    report = publish_articles([Path("source_fr/odd.txt")], formats=["txt", "md", "html"], typography=False)
    assert report.published == 1, format_report(report)
    assert (PUBLISHED / "odd.txt").read_text("utf-8") == text
    # A line break inside a block stays a line break in the other formats.
    assert "Deuxième phrase !\\\nUne ligne suivante" in (PUBLISHED / "odd.md").read_text("utf-8")
    assert "Deuxième phrase !<br/>\nUne ligne suivante" in (PUBLISHED / "odd.html").read_text("utf-8")


def _html_blocks(document: str) -> list[str]:
    """Block elements in reading order; those inside the article's <header> as `header>tag.class`."""
    root = lxml_html.document_fromstring(document)
    found = []
    for el in root.find("body").find("article"):
        if el.tag == "header":
            found += [f"header>{child.tag}.{child.get('class') or ''}" for child in el]
        else:
            found.append(f"{el.tag}.{el.get('class') or ''}")
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_published_sample_keeps_block_and_paragraph_counts(approved: Path, slug: str) -> None:
    report = publish_articles([source_of(slug)], formats=["txt", "md", "html"])
    assert report.published == 1, format_report(report)
    article = read_article(source_of(slug))
    kinds = [b.kind.value for b in article.blocks]
    paragraphs = kinds.count("paragraph")

    txt = (PUBLISHED / f"{slug}.txt").read_text("utf-8")
    assert len(_raw_blocks(txt)) == len(article.blocks)
    assert txt.count("\n") == article.text.count("\n")  # same lines, line for line

    md = (PUBLISHED / f"{slug}.md").read_text("utf-8")
    md_blocks = md.strip("\n").split("\n\n")
    assert len(md_blocks) == len(article.blocks)
    assert sum(1 for b in md_blocks if not b.startswith(("#", "*"))) == paragraphs + kinds.count("metadata")

    tags = _html_blocks((PUBLISHED / f"{slug}.html").read_text("utf-8"))
    expected = {"title": "header>h1.", "lede": "header>p.lede", "metadata": "header>p.dateline", "paragraph": "p.", "caption": "figure."}
    assert tags == [expected[k] for k in kinds]
    assert tags.count("p.") == paragraphs


def test_sentences_are_joined_as_in_the_source(approved: Path) -> None:
    slug = "sg-assemblee-generale-onu-2018"
    publish_articles([source_of(slug)])
    txt = (PUBLISHED / f"{slug}.txt").read_text("utf-8")
    assert "Sergey\u00a0Lavrov. The Secretary General said after the meeting: “NATO and Russia" in txt
    assert txt.endswith("Article\u00a05 Memorial.")  # no final newline, as in the source


# --- goldens


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
@pytest.mark.parametrize("slug", SLUGS)
def test_golden_published_articles(approved: Path, slug: str, fmt: str, file_regression) -> None:
    report = publish_articles([source_of(slug)], formats=[fmt])
    assert report.published == 1 and report.exit_code == 0, format_report(report)
    # Nothing volatile in the output (no dates of the run, no versions): compared as written.
    file_regression.check((PUBLISHED / f"{slug}.{fmt}").read_text("utf-8"), basename=slug, extension=f".{fmt}")


@pytest.mark.parametrize("slug", SLUGS)
def test_html_is_a_well_formed_complete_document(approved: Path, slug: str) -> None:
    publish_articles([source_of(slug)], formats=["html"])
    data = (PUBLISHED / f"{slug}.html").read_bytes()
    root = etree.fromstring(data)  # strict XML (polyglot markup): any unescaped & or < fails
    assert root.tag == "html" and root.get("lang") == "en"
    assert root.find("head/meta").get("charset") == "utf-8"
    assert root.find("head/title").text == root.find("body/article/header/h1").text
    assert root.find(".//*[@style]") is None  # no inline styles: one embedded stylesheet
    (style,) = root.findall("head/style")
    assert "figcaption" in style.text and "mark.fuzzy" in style.text
    header = root.find("body/article/header")
    assert header[0].tag == "h1" and header[-1].get("class") == "dateline"
    assert header[-1].findall("time") and all(t.get("datetime") for t in header[-1].findall("time"))
    assert root.findall("body/article/figure/figcaption")
    assert data.startswith(b"<!DOCTYPE html>\n")
    document = lxml_html.document_fromstring(data)
    assert document.find("body/article/header/h1") is not None


def test_html_dateline_marks_up_dates(approved: Path) -> None:
    publish_articles([source_of("sg-assemblee-generale-onu-2018")], formats=["html", "md"])
    html = (PUBLISHED / "sg-assemblee-generale-onu-2018.html").read_text("utf-8")
    assert (
        '<p class="dateline"><time datetime="2018-09-24">24 Sep. 2018</time> - '
        '<time datetime="2018-09-26">26 Sep. 2018</time> | Last updated: '
        '<time datetime="2018-09-26T15:47">26 Sep. 2018 15:47</time></p>'
    ) in html
    md = (PUBLISHED / "sg-assemblee-generale-onu-2018.md").read_text("utf-8")
    assert "\n\n24 Sep. 2018 - 26 Sep. 2018 | Last updated: 26 Sep. 2018 15:47\n\n" in md


def test_markdown_escapes_what_would_change_meaning(translated: Path) -> None:
    slug = "sg-assemblee-generale-onu-2018"
    approve(slug, APPROVED[slug])
    first = "Ce mardi (25 septembre 2018), le secrétaire général de l'OTAN, Jens Stoltenberg, a rejoint les dirigeants mondiaux à New York, pour assister à la 73e session de l'Assemblée générale des Nations Unies."
    set_entry(slug, first, msgstr="1. *NATO* met_here [link](x) <b>&amp; # 2")
    publish_articles([source_of(slug)], formats=["md", "html"])
    md = (PUBLISHED / f"{slug}.md").read_text("utf-8")
    assert "\n1\\. \\*NATO\\* met\\_here \\[link\\](x) \\<b>\\&amp; # 2\n" in md
    html = (PUBLISHED / f"{slug}.html").read_text("utf-8")
    assert "<p>1. *NATO* met_here [link](x) &lt;b&gt;&amp;amp; # 2</p>" in html


# --- the gate


def test_one_fuzzy_entry_blocks_and_is_named(approved: Path) -> None:
    slug = "otan-nations-unies-2012"
    msgid = "Les choses ont changé en 1992 quand les Balkans occidentaux sont devenus le théâtre de conflits de plus en plus graves."
    set_entry(slug, msgid, fuzzy=True)
    report = publish_articles([source_of(slug)], formats=["txt", "md", "html"])
    assert (report.published, report.blocked, report.exit_code) == (0, 1, 1)
    assert not PUBLISHED.exists() or not list(PUBLISHED.glob(f"{slug}.*"))
    (outcome,) = report.outcomes
    (blocker,) = outcome.blockers
    line = msgid_line(catalog_of(slug), msgid)
    assert blocker.format() == f'translations/en/{slug}.po:{line}: fuzzy: "Les choses ont changé en 1992 quand les Balkans occidentaux…"'
    assert blocker.format() in format_report(report)


def test_untranslated_entries_block(translated: Path) -> None:
    report = publish_articles([source_of("otan-nations-unies-2012")])
    (outcome,) = report.outcomes
    assert outcome.status == "blocked"
    assert {b.reason for b in outcome.blockers} == {Reason.UNTRANSLATED}
    assert len(outcome.blockers) == 11  # every French segment; metadata and the caption are filled by rule
    lines = [b.line for b in outcome.blockers]
    assert lines == sorted(lines)
    assert not PUBLISHED.exists()


def test_blocked_article_leaves_an_earlier_publication_alone(approved: Path) -> None:
    slug = "sg-assemblee-generale-onu-2018"
    publish_articles([source_of(slug)])
    before = (PUBLISHED / f"{slug}.txt").read_bytes()
    set_entry(slug, "Les deux dirigeants sont convenus d’étudier les possibilités d’approfondir la coopération dans l’avenir.", fuzzy=True)
    report = publish_articles([source_of(slug)])
    assert report.blocked == 1
    assert report.outcomes[0].left_in_place == [PUBLISHED / f"{slug}.txt"]
    assert (PUBLISHED / f"{slug}.txt").read_bytes() == before
    assert f"earlier {PUBLISHED / f'{slug}.txt'} left as it was" in format_report(report)[0]


def test_stale_catalog_is_refused(approved: Path) -> None:
    slug = "otan-nations-unies-2012"
    source = source_of(slug)
    source.write_text(source.read_text("utf-8") + "\n\nUn nouveau paragraphe.", encoding="utf-8")
    for draft in (False, True):
        report = publish_articles([source], draft=draft)
        (outcome,) = report.outcomes
        assert outcome.status == "blocked" and report.exit_code == 1
        (blocker,) = outcome.blockers
        assert blocker.reason == Reason.STALE
        assert "source changed since the last translate: run `workflow translate` first" in blocker.format()
        assert blocker.format().startswith(f"translations/en/{slug}.po:{msgid_line_of_header(slug)}: stale catalog: ")
    assert not PUBLISHED.exists() and not DRAFTS.exists()


def msgid_line_of_header(slug: str) -> int:
    lines = catalog_of(slug).read_text("utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if line.startswith('"X-Source-SHA256:'))


def test_catalog_without_digest_is_refused(approved: Path) -> None:
    slug = "otan-nations-unies-2012"
    catalog = read_po(catalog_of(slug))
    del catalog.metadata["X-Source-SHA256"]
    write_po(catalog, catalog_of(slug))
    (outcome,) = publish_articles([source_of(slug)]).outcomes
    assert outcome.blockers[0].reason == Reason.STALE
    assert "run `workflow translate` first" in outcome.blockers[0].detail


def test_missing_catalog(project: Path) -> None:
    report = publish_articles([source_of("otan-nations-unies-2012")], draft=True)
    (outcome,) = report.outcomes
    assert outcome.status == "blocked" and report.drafted == 0
    assert outcome.blockers[0].format() == (
        "translations/en/otan-nations-unies-2012.po: missing catalog: "
        "no catalog for source_fr/otan-nations-unies-2012.txt: run `workflow translate` first"
    )


def test_batch_reports_counts_and_never_stops_at_a_blocked_article(approved: Path) -> None:
    # Sorted order puts the blocked article first.
    set_entry("otan-nations-unies-2012", "L’OTAN et les Nations Unies", fuzzy=True)
    seen = []
    report = publish_articles(formats=["txt", "html"], on_article=lambda o: seen.append(o.source.stem))
    assert seen == SLUGS
    assert (report.published, report.blocked, report.failed, report.exit_code) == (1, 1, 0, 1)
    assert sorted(p.name for p in PUBLISHED.iterdir()) == ["sg-assemblee-generale-onu-2018.html", "sg-assemblee-generale-onu-2018.txt"]
    lines = format_report(report)
    assert lines[-1] == "2 articles: 1 published, 1 blocked"
    json.dumps(report.to_json())  # the --json output is plain data


def test_bad_paths_do_not_stop_the_batch(approved: Path) -> None:
    report = publish_articles([Path("nope.txt"), source_of("sg-assemblee-generale-onu-2018")])
    assert report.published == 1 and report.failed == 1 and report.exit_code == 1


def test_republishing_the_same_text_writes_nothing(approved: Path) -> None:
    first = publish_articles(formats=["txt", "md", "html"])
    assert all(len(o.written) == 3 for o in first.outcomes)
    second = publish_articles(formats=["txt", "md", "html"])
    assert second.published == 2 and all(o.written == [] for o in second.outcomes)
    assert "(unchanged)" in format_report(second)[0]


# --- the check hook


def test_check_errors_block_and_warnings_do_not(approved: Path) -> None:
    slug = "sg-assemblee-generale-onu-2018"
    findings = {
        "warning": [Finding(catalog_of(slug), 40, "terminology", "warning", "prefer “Secretary General”", "")],
        "error": [Finding(catalog_of(slug), 52, "numbers", "error", "“2018” is missing from the translation", "")],
    }
    for severity in ("warning", "error"):
        calls = []

        def check(path: Path) -> list[Blocker]:
            calls.append(path)
            return blockers_from_findings(findings[severity])

        report = publish_articles([source_of(slug)], check=check, out_dir=Path(f"out-{severity}"))
        assert calls == [catalog_of(slug)]
        assert report.published == (1 if severity == "warning" else 0)
    (outcome,) = report.outcomes
    assert [b.format() for b in outcome.blockers] == [
        f"translations/en/{slug}.po:52: check error: [numbers] “2018” is missing from the translation"
    ]
    assert not Path("out-error").exists()


# --- drafts


def test_draft_marks_every_unreviewed_segment(translated: Path) -> None:
    slug = "sg-assemblee-generale-onu-2018"
    approve(slug, APPROVED[slug])
    fuzzy_id = "Ils ont également échangé des vues sur les Balkans occidentaux et sur la situation de sécurité en Afghanistan."
    empty_id = "Les deux dirigeants sont convenus d’étudier les possibilités d’approfondir la coopération dans l’avenir."
    set_entry(slug, fuzzy_id, msgstr="They also exchanged views on the Western Balkans .", fuzzy=True)
    set_entry(slug, empty_id, msgstr="")

    report = publish_articles([source_of(slug)], draft=True, formats=["txt", "md", "html"])
    assert (report.published, report.drafted, report.exit_code) == (0, 1, 0)
    (outcome,) = report.outcomes
    assert outcome.unreviewed == 2 and len(outcome.blockers) == 2
    assert not PUBLISHED.exists()

    txt = (DRAFTS / f"{slug}.txt").read_text("utf-8")
    assert "⟦fuzzy: They also exchanged views on the Western Balkans.⟧" in txt
    assert f"⟦untranslated: {empty_id}⟧" in txt
    assert txt.count("⟦") == 2
    assert txt.count("\n") == read_article(source_of(slug)).text.count("\n")  # lines still match the source

    md = (DRAFTS / f"{slug}.md").read_text("utf-8")
    assert "⟦fuzzy: They also exchanged views on the Western Balkans.⟧" in md and md.count("⟦") == 2

    html = (DRAFTS / f"{slug}.html").read_text("utf-8")
    etree.fromstring(html.encode())
    assert '<mark class="unreviewed fuzzy" title="fuzzy: not reviewed">They also exchanged views on the Western Balkans.</mark>' in html
    assert f'<mark class="unreviewed untranslated" title="untranslated: French source" lang="fr">{empty_id}</mark>' in html
    assert '<meta name="robots" content="noindex"/>' in html
    assert "2 unreviewed segments marked" in html
    assert format_report(report)[0].startswith(f"draft {source_of(slug)} → ")
    assert format_report(report)[-1] == "1 article: 1 drafted, 0 blocked"


def test_draft_of_a_fully_reviewed_article_has_no_marks(approved: Path) -> None:
    slug = "otan-nations-unies-2012"
    report = publish_articles([source_of(slug)], draft=True, out_dir=Path("proofs"))
    assert report.drafted == 1 and report.published == 0
    assert "⟦" not in (Path("proofs") / f"{slug}.txt").read_text("utf-8")


# --- formats and typography


def test_normalize_formats() -> None:
    assert normalize_formats(["txt,md", "html", "md"]) == ("txt", "md", "html")
    assert normalize_formats(["markdown"]) == ("md",)
    with pytest.raises(WorkflowError, match="unknown output format 'pdf'"):
        normalize_formats(["pdf"])


def test_unknown_target_language_is_a_usage_error(project: Path) -> None:
    with pytest.raises(WorkflowError, match="unknown target language"):
        publish_articles(target="xx")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Western Balkans .", "the Western Balkans."),
        ("il a dit\u00a0: «\u00a0NATO and Russia", "il a dit: “NATO and Russia"),
        ("our contacts\u00a0».", "our contacts”."),
        ('He said "NATO is strong" today.', "He said “NATO is strong” today."),
        ('"Hello," he said.', "“Hello,” he said."),
        ("NATO's and the Allies' 'joint' view, Russia\u00b4s", "NATO’s and the Allies’ ‘joint’ view, Russia’s"),
        ("Really ? Yes ! Topics\u202f: a\u00a0; b", "Really? Yes! Topics: a; b"),
        ("up 5\u00a0% and more...", "up 5% and more…"),
        ("Afghanistan - the largest", "Afghanistan – the largest"),
        ("Afghanistan \u2011 the largest", "Afghanistan – the largest"),
        ("two  spaces", "two spaces"),
        ("“ spaced quote ”", "“spaced quote”"),
    ],
)
def test_typography(text: str, expected: str) -> None:
    assert apply_typography(text) == expected
    assert apply_typography(expected) == expected  # idempotent


@pytest.mark.parametrize(
    "text",
    [
        "NATO Secretary General Jens Stoltenberg and UN Secretary-General Antonio Guterres",
        "Mr\u00a0Stoltenberg, Article\u00a05, 3\u00a0000 troops, 15:47, http://www.nato.int/, non-proliferation",
        "From left to right: NATO Secretary General Anders Fogh Rasmussen shaking hands with UN Secretary-General Ban Ki-Moon.",
        "the .NET team, 1.5 million, e.g. this",
    ],
)
def test_typography_leaves_right_text_alone(text: str) -> None:
    assert apply_typography(text) == text


def test_metadata_lines_keep_their_rule_form(approved: Path) -> None:
    """Typography never touches metadata: the date line must read exactly as on the English site."""
    publish_articles([source_of("sg-assemblee-generale-onu-2018")])
    txt = (PUBLISHED / "sg-assemblee-generale-onu-2018.txt").read_text("utf-8")
    assert "\n  • 24 Sep. 2018 - 26 Sep. 2018\n  • |\n  • Last updated: 26 Sep. 2018 15:47\n" in txt


def test_typography_of_an_unknown_language_is_identity() -> None:
    assert apply_typography('« a » "b"', lang="zz") == '« a » "b"'


def test_dateline_dates() -> None:
    rules = dateline("en")
    found = rules.dates("25 Sep. 2012 - | Last updated: 28 Sep. 2012 09:32 and 31 Feb. 2012, 3 Foo 2012")
    assert [d.iso for d in found] == ["2012-09-25", "2012-09-28T09:32"]
    assert rules.strip_bullet("  • Last updated: x") == "Last updated: x"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["  • 25 Sep. 2012 -", "  • |", "  • Last updated: 28 Sep. 2012 09:32"], "25 Sep. 2012 | Last updated: 28 Sep. 2012 09:32"),
        (["• 24 Sep. 2018 - 26 Sep. 2018", "• |", "• Last updated: 26 Sep. 2018 15:47"],
         "24 Sep. 2018 - 26 Sep. 2018 | Last updated: 26 Sep. 2018 15:47"),
        (["07 Jun. 2023 - | Last updated: 21 Jun. 2023 16:07"], "07 Jun. 2023 | Last updated: 21 Jun. 2023 16:07"),
        (["24 MAY 2018"], "24 MAY 2018"),
        (["• 25 Sep. 2012 -", "• |"], "25 Sep. 2012"),
    ],
)
def test_dateline_is_rebuilt_without_empty_slots(lines: list[str], expected: str) -> None:
    assert dateline("en").rebuild(lines) == expected


def test_regional_english_uses_english_typography() -> None:
    assert apply_typography("« a » b ?", lang="en_GB") == "“a” b?"
    assert dateline("en_GB") == dateline("en")


def test_draft_html_explains_its_marks(translated: Path) -> None:
    slug = "otan-nations-unies-2012"
    publish_articles([source_of(slug)], draft=True, formats=["html", "md"])
    root = etree.fromstring((DRAFTS / f"{slug}.html").read_bytes())
    notice = root.find("body/article/header/p")
    assert notice.get("class") == "draft-notice" and "11 unreviewed segments marked" in "".join(notice.itertext())
    assert [m.get("class") for m in notice.findall("mark")] == ["unreviewed fuzzy", "unreviewed untranslated"]
    marks = root.findall("body/article//mark[@lang='fr']")
    assert len(marks) == 11  # every untranslated French sentence, the title and lede in the header included
    style = root.find("head/style").text
    assert "mark.untranslated" in style and "mark.fuzzy" in style
    md = (DRAFTS / f"{slug}.md").read_text("utf-8")
    assert "<" not in md and "⟦untranslated: " in md  # Markdown stays plain
