"""Meaning flips a fluent sentence hides: a negation dropped or added, the other organisation's title.

Negation: a French "ne … pas/plus/jamais", "aucun", "rien", "sans", "non" needs a negation in
the English ("not", "never", "no", "without", or an affix: "unprecedented", "non-proliferation");
an English "not"/"never"/"no" needs a negation, even an affixal one, in the French. Restrictive
"ne … que" (only), "ne cesse de" (keeps on), "sans doute" (probably), "non seulement" (not only)
are not negations.

Titles: NATO writes "Secretary General", the UN "Secretary-General" (style_notes.md §2). Each
French title belongs to the organisation named after it ("de l'ONU") or to the article's; an
English title belongs to the organisation that qualifies it ("UN …", "… of NATO"), or, bare, to
the one whose style it has. A title of one organisation where the French has only the other's is
a swap (meaning.org-title, error). A qualified title in the other organisation's style names its
holder right: a hyphen variant, not a swap. The article's own title written so ("NATO
Secretary-General" on a NATO page) is a house-style slip (spelling.title, warning); another
organisation's title in the article's house style ("UN Secretary General" on a NATO page) is
what older nato.int pages do (spelling.title-house, info).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from workflow.qa.findings import Issue
from workflow.qa.rules import issue, qa_rules
from workflow.source.lexicon import zipf
from workflow.terms.organisation import org_named_at


@dataclass(frozen=True)
class _Negation:
    french_strong: tuple[re.Pattern[str], ...]
    french_weak: tuple[re.Pattern[str], ...]
    english_strong: tuple[re.Pattern[str], ...]
    english_weak: tuple[re.Pattern[str], ...]
    english_not: tuple[re.Pattern[str], ...]


@cache
def _negation() -> _Negation:
    data = qa_rules().negation

    def compile_all(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in data[key])

    return _Negation(*(compile_all(k) for k in ("french_strong", "french_weak", "english_strong", "english_weak", "english_not")))


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for pattern in patterns:
        m = pattern.search(text)
        if m:
            return m.group(0).strip()
    return None


def _count(patterns: tuple[re.Pattern[str], ...], text: str, merge_words: int = 0) -> list[str]:
    """Negations found, in order; with merge_words, those at most that many words apart count
    once ("ne … plus jamais", "jamais, au grand jamais")."""
    spans: list[tuple[int, int, str]] = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), m.group(0).strip()))
    merged: list[tuple[int, int, str]] = []
    for start, end, found in sorted(spans):
        if merged and len(text[merged[-1][1]:start].split()) <= merge_words and merge_words:
            merged[-1] = (merged[-1][0], end, merged[-1][2] + " … " + found)
        else:
            merged.append((start, end, found))
    return [found for _, _, found in merged]


def _affix_negations(text: str) -> list[str]:
    """Words negative by a prefix whose rest is an English word ("unacceptable", "non-proliferation")."""
    data = qa_rules().negation
    found = []
    for m in re.finditer(r"\b(" + "|".join(data["english_prefixes"]) + r")[-‑]?([a-z]{5,})\b", text.lower()):
        rest = m.group(2)
        stems = (rest, re.sub(r"(?:ed|ing|s|ly)$", "", rest), re.sub(r"(?:ed|ing|ly)$", "e", rest), re.sub(r"ly$", "", rest))
        if any(zipf(stem, "en") >= data["affix_min_zipf"] for stem in stems):
            found.append(m.group(0))
    return found


def check_negation(source: str, target: str) -> list[Issue]:
    """Negations counted on both sides: fewer in the English than strong ones in the French is a
    dropped negation; an English one with nothing negative in the French is an added one."""
    rules = _negation()
    english = target
    for pattern in rules.english_not:
        english = pattern.sub(" ", english)
    french = _count(rules.french_strong, source, qa_rules().negation["merge_words"])
    strong = _count(rules.english_strong, english)
    weak = _count(rules.english_weak, english) + _affix_negations(english)
    if french and len(strong) + len(weak) < len(french):
        return [issue("meaning.negation", f"the French has {len(french)} negation(s) (“{'”, “'.join(french)}”) "
                                          f"but the English {len(strong) + len(weak)}: one dropped?")]
    if strong and not french and not _first(rules.french_weak, source):
        return [issue("meaning.negation", f"the English is negative (“{strong[0]}”) but the French is not: added?")]
    return []


# --- organisation titles -------------------------------------------------------------------


@dataclass(frozen=True)
class _Titles:
    french: re.Pattern[str]
    english: tuple[tuple[str, re.Pattern[str]], ...]  # (org, title pattern), longest titles first
    qualifier_before: dict[str, re.Pattern[str]]
    qualifier_after: dict[str, re.Pattern[str]]


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(f).replace(r"\ ", r"\s+").replace(r"\-", "[-‑]").replace("’", "['’]")
                    for f in sorted(forms, key=len, reverse=True))


@cache
def _titles() -> _Titles:
    data = qa_rules().org_titles
    orgs = [org for org in data if org != "french"]
    french = re.compile(r"(?<!\w)(?:" + _alternation(data["french"]["titles"]) + r")(?!\w)", re.IGNORECASE)
    english = []
    for org in orgs:
        for title in data[org]["titles"]:
            # "Secretary General" must not match inside "Secretary-General" and vice versa.
            english.append((org, title, re.compile(r"(?<![\w‑-])" + _alternation([title]) + r"(?![\w‑-])")))
    english.sort(key=lambda t: len(t[1]), reverse=True)
    before = {org: re.compile(r"(?:" + _alternation([q for q in data[org]["qualifiers"] if not q.startswith("of ")]) + r")\s+(?:[A-Z][\w.]*\s+){0,2}\Z")
              for org in orgs}
    after = {org: re.compile(r"\A\s*(?:" + _alternation([q for q in data[org]["qualifiers"] if q.startswith("of ")]) + r")\b")
             for org in orgs}
    return _Titles(french, tuple((org, p) for org, _, p in english), before, after)


def house_title(title: str, org: str) -> str:
    """The organisation's own form of a title written either way ("Deputy Secretary-General" for
    the UN's "Deputy Secretary General"); its main title when it has no such rank."""
    titles = qa_rules().org_titles[org]["titles"]
    folded = re.sub(r"[\s\-‑]+", " ", title).casefold()
    return next((t for t in titles if re.sub(r"[\s\-‑]+", " ", t).casefold() == folded), titles[-1])


def english_titles(text: str) -> list[tuple[str, str | None, str, str]]:
    """(style organisation, qualifying organisation or None, title as written with its qualifier, the title alone)."""
    titles = _titles()
    taken: list[tuple[int, int]] = []
    found = []
    for style, pattern in titles.english:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            qualifier, start, end = None, m.start(), m.end()
            window = max(0, m.start() - 40)
            for org, before in titles.qualifier_before.items():
                q = before.search(text[window: m.start()])
                if q:
                    qualifier, start = org, window + q.start()
            for org, after in titles.qualifier_after.items():
                q = after.search(text[m.end(): m.end() + 60])
                if q:
                    qualifier, end = org, m.end() + q.end()
            found.append((style, qualifier, text[start:end], m.group(0)))
    return found


def french_titles(source: str, organisation: str | None) -> list[tuple[str | None, bool]]:
    """(organisation, named in the text) of each French title; bare ones take the article's."""
    found = []
    for m in _titles().french.finditer(source):
        named = org_named_at(source, m.end())
        found.append((named or organisation, named is not None))
    return found


def qualified_titles(target: str) -> set[str]:
    """English titles that name their organisation: their hyphen is the title checks' business
    (meaning.org-title, spelling.title), not the glossary's."""
    return {written for _, qualifier, written, _ in english_titles(target) if qualifier is not None}


def title_swaps(source: str, target: str, organisation: str | None) -> list[tuple[str, str]]:
    """(English title as written, why) for each title of the organisation the French does not name.

    A title the French names explicitly ("secrétaire général de l'OTAN") must not come out as
    the other organisation's, qualified ("UN Secretary-General") or bare in the other's style;
    a bare French title (the article's organisation) must not come out as the other's bare
    title. An English qualifier ("UN Secretary-General Ban Ki-moon") is trusted over a guessed
    organisation, and decides the title's organisation whatever its hyphen."""
    english = english_titles(target)
    french = french_titles(source, organisation)
    if not english or not french:
        return []
    explicit = {org for org, named in french if named and org}
    bare = {org for org, named in french if not named and org}
    english_orgs = {qualifier or style for style, qualifier, _, _ in english}
    swaps = []
    for style, qualifier, written, _ in english:
        org = qualifier or style
        # A qualified title may stand for a bare French one whose organisation was guessed ("le
        # secrétaire général Ban Ki-moon"); a bare one must leave no named organisation untitled.
        unmatched = not (explicit & english_orgs) and not bare if qualifier else not explicit <= english_orgs
        if explicit and org not in explicit and unmatched:
            swaps.append((written, f"the French names the {'/'.join(sorted(explicit))} title, this is the {org}’s"))
        elif qualifier is None and bare and style not in bare and not (bare & english_orgs) and not explicit:
            swaps.append((written, f"a {'/'.join(sorted(bare))} article’s bare title, written the {style} way"))
    return swaps


def title_styles(target: str, organisation: str | None) -> list[tuple[str, str, bool]]:
    """(title as written, its organisation's form, whether the article's house style) for
    qualified titles written in the other organisation's style: "NATO Secretary-General" on a
    NATO page is not (a house-style slip); "UN Secretary General" on a NATO page is, as older
    nato.int pages write it (style_notes.md §2)."""
    found = []
    for style, qualifier, written, title in english_titles(target):
        if qualifier is not None and qualifier != style:
            found.append((written, written.replace(title, house_title(title, qualifier)), style == organisation))
    return found


def check_org_titles(source: str, target: str, organisation: str | None) -> list[Issue]:
    return [issue("meaning.org-title", f"“{written}”: {why}") for written, why in title_swaps(source, target, organisation)]


def check_title_style(source: str, target: str, organisation: str | None) -> list[Issue]:
    issues = []
    for written, own, house in title_styles(target, organisation):
        if house:
            issues.append(issue("spelling.title-house", f"“{written}”: another organisation’s title in the "
                                                        f"{organisation} house style; its own is “{own}”"))
        else:
            issues.append(issue("spelling.title", f"“{written}”: the title written the other organisation’s way; "
                                                  f"its own is “{own}”"))
    return issues
