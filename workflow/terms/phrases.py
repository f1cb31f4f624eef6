"""Words and candidate term spans of French sources and English translations.

What "the same term" means across an archive: inflected forms share a key (simplemma's
lemmas: "opérations de maintien de la paix" and "opération de maintien de la paix" are one
term), case and typographic apostrophes do not matter. A French term is a run of content
words with connectors inside ("N de la N", "N A en N") and no punctuation; function words come
from the `stop-words` package (French) and translate-toolkit's terminology stoplist (English),
adjusted by `data/archive_fr_en.toml`. Used by glossary suggestions and the consistency checks.

simplemma (MIT, pure Python, no dependencies) was chosen over spaCy/stanza lemmatisers: those
need model downloads and torch, which this offline project keeps out; simplemma's French table
is 0.16 MB compressed and scores 0.96 on UD French-Sequoia, and the same package lemmatises
the English side.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple
from functools import cache, lru_cache
from importlib.resources import files

from workflow.terms.entry import APOSTROPHES, HYPHENS
from workflow.terms.forms import FUNCTION_WORDS

# Token kinds.
CONTENT = "content"  # may start or end a term
WEAK = "weak"  # English only: may end a rendering ("Secretary General") but not make one alone
CONNECTOR = "connector"  # only inside a term (de, la, of, the)
NUMBER = "number"  # only inside a term (résolution 1325 du Conseil…)
BARRIER = "barrier"  # never inside a term (punctuation, pronouns, auxiliaries)

_APOSTROPHE = "[" + re.escape(APOSTROPHES) + "]"
_LETTERS = r"[^\W\d_]"
_TOKEN = re.compile(
    rf"(?P<elided>(?<!{_LETTERS})(?:jusqu|lorsqu|puisqu|qu|[ldjmnstc]){_APOSTROPHE}(?={_LETTERS}))"
    rf"|(?P<word>{_LETTERS}+(?:(?:[{re.escape(HYPHENS)}]|{_APOSTROPHE}(?={_LETTERS}))[\w]+)*)"
    rf"|(?P<number>\d+(?:[.,/]\d+)*)"
    rf"|(?P<mark>\S)",
    re.IGNORECASE,
)
_INFINITIVE_ENDINGS = ("er", "ir", "oir", "re")
_PARTICIPLE_ENDINGS = tuple(
    stem + ending for stem in ("é", "i", "u", "is", "it") for ending in ("", "e", "s", "es")
)
_POSSESSIVE = re.compile(_APOSTROPHE + "s$", re.IGNORECASE)
_HYPHEN_TABLE = str.maketrans({h: "-" for h in HYPHENS} | {a: "'" for a in APOSTROPHES})


class Token(NamedTuple):
    """A word, number or mark of a segment (a tuple: archives tokenise millions of them)."""

    text: str
    start: int
    end: int
    key: str  # what compares: lemma (case-folded), acronyms as written
    kind: str

    @property
    def is_acronym(self) -> bool:
        return _is_acronym(self.text)

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


@lru_cache(maxsize=65536)
def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class _Settings:
    french_function: frozenset[str]
    elisions: dict[str, str]
    english_barrier: frozenset[str]
    english_connector: frozenset[str]
    english_weak: frozenset[str]
    english_inner_max_length: int
    max_tokens: int
    max_content_words: int
    max_extra_english_words: int
    max_english_tokens: int
    data: dict


@cache
def archive_settings() -> dict:
    """The whole `data/archive_fr_en.toml` table (suggest and consistency read their sections)."""
    return tomllib.loads((files("workflow") / "data" / "archive_fr_en.toml").read_text("utf-8"))


@cache
def _settings() -> _Settings:
    from stop_words import get_stop_words

    data = archive_settings()
    french = data["french"]
    keep = {w.casefold() for w in french["not_function_words"]}
    function = {w.casefold().rstrip("'") for w in get_stop_words("fr")} - keep
    barrier, connector, weak = _toolkit_stoplist()
    candidates = data["candidates"]
    return _Settings(
        french_function=frozenset(function),
        elisions=dict(french["elisions"]),
        english_barrier=barrier,
        english_connector=connector,
        english_weak=weak,
        english_inner_max_length=int(data["english"]["inner_max_length"]),
        max_tokens=int(candidates["max_tokens"]),
        max_content_words=int(candidates["max_content_words"]),
        max_extra_english_words=int(candidates["max_extra_english_words"]),
        max_english_tokens=int(candidates["max_english_tokens"]),
        data=data,
    )


def _toolkit_stoplist() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """translate-toolkit's stoplist-en: '@' words kill a phrase, '>' words are disregarded
    inside one, '=' words are not terms alone (see the file's own header)."""
    from translate.misc.file_discovery import get_abs_data_filename

    barrier, connector, weak = set(), set(), set()
    with open(get_abs_data_filename("stoplist-en"), encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if len(line) < 2:
                continue
            kind, word = line[0], line[1:].casefold()
            if kind == "@":
                barrier.add(word)
            elif kind == ">":
                connector.add(word)
            elif kind in "=<":
                weak.add(word)
    return frozenset(barrier), frozenset(connector), frozenset(weak)


@lru_cache(maxsize=262144)
def _lemma(word: str, lang: str) -> str:
    from simplemma import lemmatize

    folded = word.casefold()
    try:
        return lemmatize(folded, lang=lang).casefold()
    except ValueError:  # simplemma refuses some odd inputs; the word itself is its key
        return folded


def _word_key(text: str, lang: str) -> str:
    text = text.translate(_HYPHEN_TABLE)
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return text.casefold()  # acronyms are not inflected
    head, hyphen, last = text.rpartition("-")
    if hyphen:  # only the last part inflects, and the hyphen stays: stand-by is not standby
        return f"{head.casefold()}-{_lemma(last, lang)}"
    return _lemma(text, lang)


@lru_cache(maxsize=262144)
def _french_word(raw: str, elided: bool) -> tuple[str, str]:
    settings = _settings()
    if elided:
        base = settings.elisions.get(raw[:-1].casefold(), raw[:-1].casefold())
        return base, CONNECTOR if base in FUNCTION_WORDS else BARRIER
    folded = raw.casefold().translate(_HYPHEN_TABLE)
    if folded in FUNCTION_WORDS:
        return folded, CONNECTOR
    if folded in settings.french_function or len(raw) < 2:
        return folded, BARRIER
    if folded.endswith(("ième", "ièmes")) and not raw[:1].isupper():
        return folded, NUMBER  # an ordinal (soixantième anniversaire) is a number, not a term
    return _word_key(raw, "fr"), CONTENT


def french_tokens(text: str) -> list[Token]:
    """Tokens of a French segment. A coordination that starts a new noun phrase ("l'OTAN et
    l'Union africaine", "la paix et la sécurité": et/ou before an article) is a barrier:
    two terms side by side are not one; "aérien et maritime" and "de la paix et de la
    sécurité" stay inside one term."""
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN.finditer(text):
        raw, group = m.group(), m.lastgroup
        if group == "word" or group == "elided":
            key, kind = _french_word(raw, group == "elided")
            append(Token(raw, m.start(), m.end(), key, kind))
        elif group == "number":
            append(Token(raw, m.start(), m.end(), raw, NUMBER))
        else:
            append(Token(raw, m.start(), m.end(), raw, BARRIER))
    _break_coordinations(tokens, _FRENCH_COORDINATION, _FRENCH_DETERMINERS)
    _break_places(tokens)
    return tokens


_FRENCH_COORDINATION = frozenset({"et", "ou"})
_FRENCH_DETERMINERS = frozenset({"le", "la", "les"})
_ENGLISH_COORDINATION = frozenset({"and", "or"})
_ENGLISH_DETERMINERS = frozenset({"the", "a", "an"})


def _break_coordinations(tokens: list[Token], coordination: frozenset[str], determiners: frozenset[str]) -> None:
    for k in range(len(tokens) - 1):
        token = tokens[k]
        if token.kind == CONNECTOR and token.key in coordination and tokens[k + 1].key in determiners:
            if not _inside_title(tokens, k):
                tokens[k] = token._replace(kind=BARRIER)


def _inside_title(tokens: list[Token], k: int) -> bool:
    """"Journée internationale pour la sensibilisation au problème des mines et l'assistance à
    la lutte antimines": a coordination of common nouns inside a capitalised name is part of it
    (the run of words before it starts with a capital, the word after the article is lower-case)."""
    after = tokens[k + 2] if k + 2 < len(tokens) else None
    if after is None or after.kind != CONTENT or after.is_capitalised:
        return False
    for i in range(k - 1, -1, -1):
        token = tokens[i]
        if token.kind == BARRIER or (token.kind == CONTENT and is_verb_form(token)):
            return False
        if token.kind == CONTENT and token.is_capitalised and not token.is_acronym and i < k - 1:
            return True
    return False


_PLACE_PREPOSITIONS = frozenset({"à", "au", "aux", "en"})


def _break_places(tokens: list[Token]) -> None:
    """"siège de l'OTAN à Bruxelles", "forces en Afghanistan": à/en before a place name is
    where, not part of the term."""
    for k in range(len(tokens) - 1):
        token, after = tokens[k], tokens[k + 1]
        if (
            token.kind == CONNECTOR and token.key in _PLACE_PREPOSITIONS
            and after.kind == CONTENT and after.is_capitalised and not after.is_acronym
        ):
            tokens[k] = token._replace(kind=BARRIER)


def joins_phrases(tokens: list[Token], k: int) -> bool:
    """et/ou before a connector ("la paix et de la sécurité", "des mines et l'assistance")
    joins two noun phrases: only inside a name, i.e. after a capitalised word of the same
    candidate ("Journée internationale pour … et l'assistance …", "programme OTAN pour la
    science au service de la paix et de la sécurité"). "aérien et maritime" joins words,
    anywhere."""
    token = tokens[k]
    return (
        token.kind == CONNECTOR and token.key in _COORDINATION and k + 1 < len(tokens)
        and tokens[k + 1].kind == CONNECTOR
    )


_COORDINATION = frozenset({"et", "ou", "and", "or"})


def breaks_before(tokens: list[Token], j: int) -> bool:
    """A title or common noun directly before a personal name ("général Toft", "président
    Obama") is not one term with it: the name is a term of its own, the title another."""
    if j < 1:
        return False
    name, before = tokens[j], tokens[j - 1]
    return (
        name.kind == CONTENT and name.is_capitalised and not name.is_acronym
        and before.kind == CONTENT and not before.is_capitalised and not _is_french_word(name.text)
    )


@lru_cache(maxsize=65536)
def _is_french_word(text: str) -> bool:
    """"division Sécurité coopérative" names a division with French words; "général Toft" is a
    title and a surname."""
    from simplemma import is_known

    return is_known(text.casefold(), lang="fr")


@lru_cache(maxsize=262144)
def _english_word(raw: str) -> tuple[str, str]:
    settings = _settings()
    folded = raw.casefold().translate(_HYPHEN_TABLE)
    acronym = len(raw) >= 2 and raw.isupper()
    if folded in settings.english_barrier and not acronym:
        kind = BARRIER
    elif (folded in settings.english_connector or len(folded) <= settings.english_inner_max_length) and not acronym:
        kind = CONNECTOR
    elif folded in settings.english_weak and not acronym:
        kind = WEAK
    else:
        kind = CONTENT
    return (_word_key(raw, "en") if kind in (CONTENT, WEAK) else folded), kind


def english_tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN.finditer(text):
        raw, group = m.group(), m.lastgroup
        if group == "number":
            append(Token(raw, m.start(), m.end(), raw, NUMBER))
            continue
        if group != "word" and group != "elided":
            append(Token(raw, m.start(), m.end(), raw, BARRIER))
            continue
        possessive = _POSSESSIVE.search(raw) if "s" in raw[-1:].casefold() else None
        if possessive:  # NATO's Science for Peace… is NATO Science for Peace…: the noun alone
            raw = raw[: possessive.start()]
        key, kind = _english_word(raw)
        append(Token(raw, m.start(), m.start() + len(raw), key, kind))
    _break_coordinations(tokens, _ENGLISH_COORDINATION, _ENGLISH_DETERMINERS)
    return tokens


def is_english_participle(token: Token) -> bool:
    """A lower-case past participle or past tense (posed, joined, armed): an English rendering
    holds one only where the French term has a verb form too (conflit armé / armed conflict),
    otherwise it translates a verb outside the term ("dangers posed by landmines"); and never
    ends on one ("Secretary General visited"). Irregular forms (spoke, held) are not caught."""
    text = token.text
    return (
        token.kind == CONTENT and text.endswith("ed") and text.islower()
        and token.key != text.casefold() and "-" not in text
    )


def _content_count(tokens: list[Token], i: int, j: int) -> int:
    return sum(1 for t in tokens[i : j + 1] if t.kind in (CONTENT, WEAK))


def is_verb_form(token: Token) -> bool:
    """A conjugated verb or participle (participe, remercié, rendu): its lemma is an infinitive
    and differs from the word other than by a plural ending. Such a word may end a term
    (Nations Unies, progrès accomplis) but never starts one."""
    if token.kind != CONTENT or token.is_acronym or token.is_capitalised:
        return False  # names (États-Unis, Nations Unies) are not verbs
    word = token.text.casefold()
    lemma = token.key
    if lemma == word or word in (lemma + "s", lemma + "x") or " " in lemma:
        return False
    return lemma.endswith(_INFINITIVE_ENDINGS)


def looks_like_participle(token: Token) -> bool:
    """Ends like a past participle (armés, improvisés, unies), whatever its lemma."""
    text = token.text.casefold()
    return len(text) > 3 and not token.is_capitalised and text.endswith(_PARTICIPLE_ENDINGS)


def is_participle(token: Token) -> bool:
    """A verb form that can qualify a noun (Nations Unies, engagement pris, conflits armés);
    other verb forms (participe, soutient) end a noun phrase."""
    return is_verb_form(token) and token.text.casefold().endswith(_PARTICIPLE_ENDINGS)


def french_spans(tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """(first, last) token indices of every candidate term: multi-word runs that start and end
    with a content word, single acronyms, and single capitalised words inside a sentence (names,
    places: Addis-Abeba, Alliés)."""
    settings = _settings()
    n = len(tokens)
    for i, first in enumerate(tokens):
        if first.kind != CONTENT or is_verb_form(first):
            continue
        content = 0
        named = False
        for j in range(i, min(n, i + settings.max_tokens)):
            token = tokens[j]
            if token.kind == BARRIER or (j > i and breaks_before(tokens, j)):
                break
            if not named and joins_phrases(tokens, j):
                break
            named = named or (token.kind == CONTENT and token.is_capitalised)
            if token.kind == CONTENT:
                content += 1
                if content > settings.max_content_words:
                    break
                if j > i or is_single_term(tokens, i):
                    yield i, j


def is_single_term(tokens: list[Token], i: int) -> bool:
    token = tokens[i]
    if token.is_acronym:
        return True
    if not token.is_capitalised:
        return False
    # A capital after the start of a sentence marks a name, not the start of a sentence.
    previous = tokens[i - 1] if i else None
    return previous is not None and previous.text not in ".!?«“\"" and not previous.text.endswith(":")


def english_spans(tokens: list[Token], max_content: int) -> Iterator[tuple[int, int]]:
    """(first, last) token indices of every possible rendering with up to max_content content words."""
    settings = _settings()
    n = len(tokens)
    for i, first in enumerate(tokens):
        if first.kind != CONTENT and not (first.kind == WEAK and first.is_capitalised):
            continue  # a lower-case weak word (against, general) does not start a rendering
        content = strong = 0
        for j in range(i, min(n, i + settings.max_english_tokens)):
            token = tokens[j]
            if token.kind == BARRIER:
                break
            if token.kind in (CONTENT, WEAK):
                content += 1
                strong += token.kind == CONTENT or token.is_acronym
                if content > max_content:
                    break
                if strong:
                    yield i, j


def span_key(tokens: list[Token], i: int, j: int) -> str:
    return " ".join(t.key for t in tokens[i : j + 1])


def span_text(text: str, tokens: list[Token], i: int, j: int) -> str:
    return text[tokens[i].start : tokens[j].end]


def content_words(tokens: list[Token], i: int, j: int) -> int:
    return _content_count(tokens, i, j)


def max_english_words(french_content_words: int) -> int:
    return french_content_words + _settings().max_extra_english_words


def key_words(key: str) -> int:
    """Content words of a French key (connectors are the FUNCTION_WORDS)."""
    return sum(1 for w in key.split() if w not in FUNCTION_WORDS and not w.isdigit())
