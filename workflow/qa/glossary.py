"""The glossary check family: each PO entry's msgstr against the terms of its msgid.

`glossary.forbidden` (error): a variant the glossary forbids. `glossary.missing` (warning): a
term with no accepted rendering even read the way careful translators write — the strict
matcher (terms/english.py, which also verifies MT term insertion) is relaxed here for:
case, hyphen and spacing variants; the term's head noun or its acronym in a paraphrase
("the Chairperson of the African Union" for "African Union Chairperson"); a pronoun or short
form on a later mention in the same article; a title dropped before a name that is kept
("M. Stoltenberg" → "Stoltenberg"); an acronym spelled out ("UA" → "African Union"); an
organisation named another way ("l'Alliance" → "NATO").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from workflow.qa.meaning import qualified_titles, title_swaps
from workflow.qa.names import initials_in, source_names
from workflow.qa.rules import qa_rules
from workflow.terms.english import check_translation
from workflow.terms.entry import Entry, TermIssue, is_acronym
from workflow.terms.glossary import Glossary
from workflow.terms.reference import check_references
from workflow.terms.organisation import organisation_for_entry, orgs_mentioned, orgs_named_in_english

FORBIDDEN_ID = "glossary.forbidden"
MISSING_ID = "glossary.missing"
TERMBASE_ID = "termbase.differs"  # imported termbases (reference layers): advice, so warnings
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _fold(text: str) -> str:
    return re.sub(r"[\s\-‐‑]+", " ", text.replace("’", "'")).casefold().strip()


def _stem(word: str) -> str:
    word = word.casefold()
    return word[: max(4, len(word) - 3)] if len(word) > 4 else word


def _settings() -> dict:
    return qa_rules().glossary


def head_word(form: str) -> str:
    """The head noun of an English term: the word before its first preposition, else its last word
    ("Chairperson" in "African Union Chairperson", "Officer" in "Liaison Officer to the United Nations")."""
    words = form.split()
    prepositions = set(_settings()["prepositions"])
    for i, word in enumerate(words):
        if i and word.casefold() in prepositions:
            return words[i - 1]
    return words[-1]


def _initials(form: str) -> str:
    minor = set(_settings()["minor_words"])
    return "".join(w[0] for w in re.split(r"[\s\-‑]+", form) if w and w.casefold() not in minor and w[0].isalpha()).upper()


def loosely_rendered(entry: Entry, target: str) -> str | None:
    """How the target renders the term loosely, or None: a variant, its head noun, its acronym."""
    folded = _fold(target)
    words = [w.casefold() for w in _WORD.findall(target)]
    for form in entry.english_forms:
        if _fold(form) and re.search(r"(?<!\w)" + re.escape(_fold(form)) + r"(?!\w)", folded):
            return f"variant of “{form}”"
        head = head_word(form)
        if is_acronym(head):
            if re.search(r"(?<!\w)" + re.escape(head) + r"(?!\w)", target):
                return f"acronym “{head}”"
            if is_acronym(form) and form in initials_in(target):
                return f"“{form}” spelled out"
            continue
        stem = _stem(head)
        if any(w.startswith(stem) for w in words):
            return f"head noun “{head}”"
        initials = _initials(form)
        if len(initials) >= 2 and re.search(r"(?<!\w)" + re.escape(initials) + r"(?!\w)", target):
            return f"acronym “{initials}”"
    return None


def _implicit_agent(source: str, start: int, target: str) -> bool:
    """The term is the subject right after "que" and the English has an agentless passive."""
    settings = _settings()
    return bool(re.search(settings["subject_after"], source[:start], re.IGNORECASE)
                and re.search(settings["passive"], target, re.IGNORECASE))


def _name_after(source: str, end: int) -> list[str]:
    """Capitalised words right after a term ("M. Stoltenberg", "Mme l'ambassadeur Kolinda Grabar")."""
    m = re.match(r"[\s\u00a0\u202f,]*(?:(?:l['’]|[a-zàâçéèêëîïôûù]+[\s\u00a0\u202f]+)(?:[a-zàâçéèêëîïôûù]+[\s\u00a0\u202f]+)?)?"
                 r"((?:[A-Z][\w’'‑-]*[\s\u00a0\u202f]*){1,3})", source[end:])
    return m.group(1).split() if m else []


@dataclass
class _Article:
    seen: set[str] = field(default_factory=set)  # glossary entries met in earlier segments
    names: set[str] = field(default_factory=set)  # names met in earlier segments


def glossary_checker(glossary: Glossary):
    """An entry checker for workflow.qa.checks: each PO entry's msgstr against its msgid's terms.

    The organisation that decides ambiguous terms comes from the entry's source article (its `#:`
    reference; workflow.toml [organisation] first); terms seen in earlier entries of the same
    article count as already introduced (entries are checked in file order)."""
    organisations: dict = {}
    articles: dict[str, _Article] = {}

    def check(entry) -> Iterable[tuple[str, str, str]]:
        org = organisation_for_entry(entry, None, organisations)
        article = articles.setdefault(entry.occurrences[0][0] if entry.occurrences else "", _Article())
        swapped = {written for written, _ in title_swaps(entry.msgid, entry.msgstr, org)}
        # A title the English qualifies itself ("UN Secretary-General Ban Ki-moon") outranks the
        # organisation guessed for a bare French title; its hyphen is reported by the title
        # checks (spelling.title, spelling.title-house), once.
        qualified = qualified_titles(entry.msgstr)
        words = {w.casefold() for w in _WORD.findall(entry.msgstr)}
        issues: list[tuple[str, str, str]] = []
        for term_issue in check_translation(entry.msgid, entry.msgstr, glossary, org):
            if term_issue.kind == "forbidden":
                if not _reported_as_title(term_issue, swapped, qualified, glossary):
                    issues.append((FORBIDDEN_ID, "error", term_issue.message))
                continue
            if not _accepted(term_issue, entry, article, words, glossary):
                issues.append((MISSING_ID, "warning", term_issue.message))
        if glossary.references:
            issues += [(TERMBASE_ID, "warning", i.message) for i in check_references(entry.msgid, entry.msgstr, glossary, org)]
        article.seen.update(m.id for m in glossary.scan(entry.msgid, default_org=org))
        article.names.update(source_names(entry.msgid))
        return issues

    return check


def _reported_as_title(term_issue: TermIssue, swapped: set[str], qualified: set[str], glossary: Glossary) -> bool:
    """A forbidden variant the title checks report instead: inside a swapped title
    (meaning.org-title), or a qualified title differing from the term only by its hyphen
    (spelling.title). A wrong rank stays the glossary's ("NATO Deputy Secretary General" for
    "secrétaire général adjoint", which is Assistant)."""
    def inside(titles: set[str]) -> bool:
        return any(term_issue.text in w or w in term_issue.text for w in titles)

    if inside(swapped):
        return True
    glossary_entry = glossary.get(term_issue.id)
    if glossary_entry is None or not inside(qualified):
        return False
    return any(_fold(term_issue.text) == _fold(form) for form in glossary_entry.english_forms)


def _accepted(term_issue: TermIssue, entry, article: _Article, words: set[str], glossary: Glossary) -> bool:
    glossary_entry = glossary.get(term_issue.id)
    if glossary_entry is None:
        return False
    if loosely_rendered(glossary_entry, entry.msgstr):
        return True
    if term_issue.source_span is not None:
        name = _name_after(entry.msgid, term_issue.source_span[1])
        if name and any(w.casefold().strip(",.") in words for w in name):
            return True  # a title dropped before a name that is kept
        if name and any(w.strip(",.") in article.names for w in name):
            return True  # title and name of someone introduced earlier ("he", "the Secretary General")
        if _implicit_agent(entry.msgid, term_issue.source_span[0], entry.msgstr):
            return True  # "les initiatives que les Alliés mettent au point" → "initiatives that are being developed"
    named = orgs_mentioned(term_issue.text)
    if named and named & orgs_named_in_english(entry.msgstr):
        return True  # the term names an organisation, and the English names it its own way
    # A later mention in the same article: a pronoun, a short form, another designation.
    return term_issue.id in article.seen

