"""Finding glossary terms in French text, the way newsroom French writes them.

Tolerant of elision, curly or straight apostrophes, no-break spaces and hyphens, unaccented
capitals, plural and feminine forms; organisation-conditioned entries are resolved by the
organisation named next to the term, else by the article's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workflow.terms.entry import (
    ACCENTLESS_CAPITALS,
    APOSTROPHE_CLASS,
    APOSTROPHES,
    FR_GAP,
    HORIZONTAL_SPACES,
    HYPHEN_CLASS,
    HYPHENS,
    Entry,
    TermMatch,
    french_key,
    is_acronym,
)

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
             r"(?:l" + APOSTROPHE_CLASS + r"|la[" + HORIZONTAL_SPACES + r"]+)?")



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
            out.append(APOSTROPHE_CLASS)
        elif segment and segment in HYPHENS:
            out.append(HYPHEN_CLASS)
        else:
            exact = is_acronym(segment)
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
    keep_capital = len(words) == 1 and not is_acronym(words[0])
    return FR_GAP.join(_french_word_pattern(w, keep_capital) for w in words)


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
        if i > 0 and word[0].isupper() and not is_acronym(word):
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
        inflected = [w if is_acronym(w) else _inflect_word(w, slot) for w in words[:head]]
        forms.append(" ".join(inflected + list(words[head:])))
    return [f for f in dict.fromkeys(forms) if f != form]


class Matcher:
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


def scan_with(matchers: Sequence[Matcher], text: str, default_org: str | None) -> list[TermMatch]:
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
