"""Meaning flips a fluent sentence hides: a negation dropped or added, the other organisation's title.

Negation: a French "ne … pas/plus/jamais", "aucun", "rien", "sans", "non" needs a negation in
the English ("not", "never", "no", "without", or an affix: "unprecedented", "non-proliferation");
an English "not"/"never"/"no" needs a negation, even an affixal one, in the French. Restrictive
"ne … que" (only), "ne cesse de" (keeps on), "sans doute" (probably), "non seulement" (not only)
are not negations.

Titles: NATO writes "Secretary General", the UN "Secretary-General" (style_notes.md §2). Each
French title belongs to the organisation named after it ("de l'ONU") or to the article's; an
English title belongs to the organisation that qualifies it ("UN …", "… of NATO") or whose style
it has. A title of one organisation where the French has only the other's is a swap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from workflow.qa.findings import Issue
from workflow.qa.rules import issue, qa_rules
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


def check_negation(source: str, target: str) -> list[Issue]:
    rules = _negation()
    english = target
    for pattern in rules.english_not:
        english = pattern.sub(" ", english)
    french_neg = _first(rules.french_strong, source)
    english_neg = _first(rules.english_strong, english)
    if french_neg and not english_neg and not _first(rules.english_weak, english):
        return [issue("meaning.negation", f"the French is negative (“{french_neg}”) but the English has no negation: dropped?")]
    if english_neg and not french_neg and not _first(rules.french_weak, source):
        return [issue("meaning.negation", f"the English is negative (“{english_neg}”) but the French is not: added?")]
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


def _english_titles(text: str) -> list[tuple[str, str | None, str]]:
    """(style organisation, qualifying organisation or None, title as written)."""
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
            found.append((style, qualifier, text[start:end]))
    return found


def french_title_orgs(source: str, organisation: str | None) -> set[str | None]:
    return {org_named_at(source, m.end()) or organisation for m in _titles().french.finditer(source)}


def title_swaps(source: str, target: str, organisation: str | None) -> list[tuple[str, str]]:
    """(English title as written, why) for each title of the wrong organisation."""
    english = _english_titles(target)
    if not english:
        return []
    swaps = []
    for style, qualifier, written in english:
        if qualifier is not None and qualifier != style:
            swaps.append((written, f"written in {style} style but qualified as {qualifier}’s"))
    french = french_title_orgs(source, organisation) - {None}
    english_orgs = {qualifier or style for style, qualifier, _ in english}
    if french and not (french & english_orgs):
        for style, qualifier, written in english:
            org = qualifier or style
            if org not in french and not any(w == written for w, _ in swaps):
                swaps.append((written, f"the French names the {'/'.join(sorted(french))} title, this is the {org}’s"))
    return swaps


def check_org_titles(source: str, target: str, organisation: str | None) -> list[Issue]:
    return [issue("meaning.org-title", f"“{written}”: {why}") for written, why in title_swaps(source, target, organisation)]
