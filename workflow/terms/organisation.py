"""Whose term is it: the organisation named next to a term, or the article's own organisation.

Context-conditioned glossary entries ("secrétaire général [org=NATO]" vs "[org=UN]") are resolved
by the organisation named right after the term, else by the article's house organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflow.terms.entry import APOSTROPHE_CLASS, HORIZONTAL_SPACES
from workflow.terms.forms import french_pattern

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
