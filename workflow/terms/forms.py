"""How a French term may be written: its regex with newsroom variants, and its inflected forms.

Tolerant of elision, curly or straight apostrophes, no-break spaces and hyphens, unaccented
capitals; plural and feminine forms come from inflection rules kept as data below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workflow.terms.entry import (
    ACCENTLESS_CAPITALS,
    APOSTROPHES,
    FR_GAP,
    HORIZONTAL_SPACES,
    HYPHENS,
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

# A form's spec: per character of the form, the characters the text may have there; GAP stands for
# a run of horizontal spaces. The regex (french_pattern) and the direct check (match_form) are both
# read off the spec, so the automaton's verification applies exactly the rules the regex did.
GAP = None
Spec = tuple[str | None, ...]


def _caseless(ch: str) -> str:
    variants = {ch, ch.lower(), ch.upper()}
    variants = {v for v in variants if len(v) == 1}
    if ch.upper() in ACCENTLESS_CAPITALS:
        variants.add(ACCENTLESS_CAPITALS[ch.upper()])
    return "".join(sorted(variants))


def _word_spec(word: str, keep_initial_capital: bool) -> list[str]:
    """Acronyms (OTAN, UA, M.) match exactly; other words ignore case, except a one-word name's capital."""
    out: list[str] = []
    segments = re.split("([" + re.escape(APOSTROPHES + HYPHENS) + "])", word)
    for n, segment in enumerate(segments):
        if segment and segment in APOSTROPHES:
            out.append(APOSTROPHES)
        elif segment and segment in HYPHENS:
            out.append(HYPHENS)
        else:
            exact = is_acronym(segment)
            for i, ch in enumerate(segment):
                if exact or not ch.isalpha():
                    out.append(ch)
                elif n == 0 and i == 0 and keep_initial_capital and ch.isupper():
                    out.append(ch + ACCENTLESS_CAPITALS.get(ch, ""))
                else:
                    out.append(_caseless(ch))
    return out


def form_spec(form: str) -> Spec:
    """What text one French form accepts, character by character (GAP: one or more spaces)."""
    words = form.split()
    # "Alliance", "Alliés": a capitalised single word is a name (l'Alliance = NATO, une alliance = any).
    keep_capital = len(words) == 1 and not is_acronym(words[0])
    spec: list[str | None] = []
    for n, word in enumerate(words):
        if n:
            spec.append(GAP)
        spec += _word_spec(word, keep_capital)
    return tuple(spec)


def _char_class(chars: str) -> str:
    return re.escape(chars) if len(chars) == 1 else "[" + "".join(re.escape(c) for c in chars) + "]"


def french_pattern(form: str) -> str:
    """Regex source for one French form (no boundaries)."""
    return "".join(FR_GAP if allowed is GAP else _char_class(allowed) for allowed in form_spec(form))


def match_form(spec: Spec, text: str, pos: int) -> int | None:
    """End of the text the spec accepts at pos (what re.match(french_pattern(form), text, pos) gives)."""
    i, n = pos, len(text)
    for allowed in spec:
        if i >= n:
            return None
        if allowed is GAP:
            if text[i] not in HORIZONTAL_SPACES:
                return None
            i += 1
            while i < n and text[i] in HORIZONTAL_SPACES:
                i += 1
        elif text[i] in allowed:
            i += 1
        else:
            return None
    return i


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
