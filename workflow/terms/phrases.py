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


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    key: str  # what compares: lemma (case-folded), acronyms as written
    kind: str

    @property
    def is_acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


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


def french_tokens(text: str) -> list[Token]:
    settings = _settings()
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if m.lastgroup == "elided":
            base = settings.elisions.get(raw[:-1].casefold(), raw[:-1].casefold())
            kind = CONNECTOR if base in FUNCTION_WORDS else BARRIER
            tokens.append(Token(raw, m.start(), m.end(), base, kind))
        elif m.lastgroup == "word":
            folded = raw.casefold().translate(_HYPHEN_TABLE)
            if folded in FUNCTION_WORDS:
                kind = CONNECTOR
            elif folded in settings.french_function or (len(raw) < 2):
                kind = BARRIER
            else:
                kind = CONTENT
            tokens.append(Token(raw, m.start(), m.end(), _word_key(raw, "fr") if kind == CONTENT else folded, kind))
        elif m.lastgroup == "number":
            tokens.append(Token(raw, m.start(), m.end(), raw, NUMBER))
        else:
            tokens.append(Token(raw, m.start(), m.end(), raw, BARRIER))
    return tokens


def english_tokens(text: str) -> list[Token]:
    settings = _settings()
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if m.lastgroup == "number":
            tokens.append(Token(raw, m.start(), m.end(), raw, NUMBER))
            continue
        if m.lastgroup not in ("word", "elided"):
            tokens.append(Token(raw, m.start(), m.end(), raw, BARRIER))
            continue
        possessive = _POSSESSIVE.search(raw)
        if possessive:  # NATO's, Alliance’s: the noun, then a connector
            raw = raw[: possessive.start()]
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
        key = _word_key(raw, "en") if kind in (CONTENT, WEAK) else folded
        tokens.append(Token(raw, m.start(), m.start() + len(raw), key, kind))
        if possessive:
            tokens.append(Token(possessive.group(), m.start() + len(raw), m.end(), "'s", CONNECTOR))
    return tokens


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
        for j in range(i, min(n, i + settings.max_tokens)):
            token = tokens[j]
            if token.kind == BARRIER:
                break
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
        if first.kind not in (CONTENT, WEAK):
            continue
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
