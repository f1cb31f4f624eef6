"""Align an official French article with its English version, for the translation memory.

Published English is not a literal translation: sentences are merged, split,
dropped or added, the date line may be missing on one side and French pages
carry English photo captions. So alignment is done in two passes with the
same dynamic programme (Gale & Church 1993, on character lengths):

1. blocks (paragraphs), after removing metadata (date) lines on both sides
   and the English captions of the French page (and their copies in the
   English page): beads 1-1, 2-1, 1-2, 1-0, 0-1;
2. sentences inside each aligned group of blocks: the same beads.

Length alone confuses neighbours of similar size, so each bead's cost also
rewards shared *anchors*: numbers (``3 700`` = ``3,700``, ``5e`` = ``5th``),
acronyms and names through a small FR→EN table (OTAN→NATO, EIIL→ISIL), and
cognates (words sharing their first four letters once accents are removed:
``sécurité``/``security``). Only 1-1, 1-2 and 2-1 beads are returned: a
sentence with no counterpart is no translation unit.

French is segmented with :mod:`workflow.source.segment`; English with the small
rule-based splitter below. All word lists are data at the top of the module.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from workflow.base.errors import PairLanguageError
from workflow.source.article import Block, parse_article, read_source_text
from workflow.source.lexicon import WORD as LEXICON_WORD, zipf
from workflow.source.metadata import is_metadata_block
from workflow.source.segment import sentences as french_sentences

if TYPE_CHECKING:
    from workflow.review.memory import TranslationMemory

__all__ = [
    "AlignedPair",
    "ImportResult",
    "align_blocks",
    "align_texts",
    "bead_precision_recall",
    "align_files",
    "english_sentences",
    "import_pair",
    "page_language",
    "MIN_IMPORT_SCORE",
]

# --- rules as data -------------------------------------------------------------

# A period after these never ends an English sentence (titles, months before a day
# or year, references). Compared case-sensitively, without the period.
EN_ABBREVIATIONS_NEVER = frozenset(
    """
    Mr Mrs Ms Dr Prof Gen Lt Col Maj Capt Cdr Cmdr Adm Sgt Cpl Pte Brig Rev Hon Amb Sen Rep Gov Pres
    St Mt Ft No Nos Art Arts Para Paras para paras Vol vol pp p fig Fig Ch ch Sec sec approx vs cf
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec e.g i.e Inc Ltd Co Corp Jr Sr
    """.split()
)
# Dotted acronyms ("U.S.", "U.N.") end a sentence only before a typical opener.
EN_SENTENCE_STARTERS = frozenset(
    """
    The A An This That These Those It He She They We I You His Her Its Their Our In On At For From
    With By As After Before During When While Since But And Or So Yet However Meanwhile Also
    There Here Today Yesterday Tomorrow Later Earlier Soon Following According Mr Mrs Ms Dr
    """.split()
)
_EN_TERMINAL = re.compile(r"[.!?…]+")
_EN_CLOSERS = "\"”’')]»"
_EN_OPENERS = "\"“‘'([«"
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")

# French word (lower case, accents removed) → English anchor keys it may stand for.
ANCHOR_MAP_FR_EN: dict[str, tuple[str, ...]] = {
    "otan": ("nato",),
    "onu": ("un", "unit"),  # "l'ONU" = "the UN" or "the United Nations"
    "unies": ("unit",),
    "unis": ("unit", "us"),
    "uni": ("unit",),
    "ua": ("au",),
    "ue": ("eu",),
    "emi": ("ims",),
    "eiil": ("isil", "isis"),
    "daech": ("isis", "isil"),
    "faa": ("asf",),
    "agnu": ("unga",),
    "irak": ("iraq",),
    "allies": ("alli",),
    "royaume": ("king",),
    "janvier": ("janu",),
    "fevrier": ("febr",),
    "mars": ("marc",),
    "avril": ("apri",),
    "mai": ("may",),
    "juin": ("june",),
    "juillet": ("july",),
    "aout": ("augu",),
    "lundi": ("mond",),
    "mardi": ("tues",),
    "mercredi": ("wedn",),
    "jeudi": ("thur",),
    "vendredi": ("frid",),
    "samedi": ("satu",),
    "dimanche": ("sund",),
}
# Frequent words that would make false cognates ("comme"/"committed").
FR_STOPWORDS = frozenset(
    """
    avec dans pour sont leur leurs cette cela ceux celle elle elles nous vous notre nos votre mais
    tout tous toute toutes entre comme contre depuis apres avant aussi ainsi etre avoir sera etait
    plus moins tres fait faire dont lors selon sans sous vers chez quand alors encore meme deux
    part autre autres afin donc puis celui leurs ont qui que quoi quel quelle
    """.split()
)
EN_STOPWORDS = frozenset(
    """
    with this that these those from have has had they them their there which were been being
    more most also about into over than then when what where while will would could should
    such some other both each many much very just only even after before between against
    """.split()
)
COGNATE_PREFIX = 4

# Bead priors (Gale & Church's, with more room for the omissions of news rewriting).
BEAD_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.85,
    (2, 1): 0.05,
    (1, 2): 0.05,
    (1, 0): 0.025,
    (0, 1): 0.025,
}
# English characters per French character (0.805 over the gold pairs: English news copy
# is tighter) and Gale & Church's variance per character.
LENGTH_RATIO = 0.8
LENGTH_VARIANCE = 6.8
# Cost of a bead whose sides share no anchor, relative to a perfect anchor match.
ANCHOR_WEIGHT = 4.0
# Dice overlap of anchors at which a pair counts as fully confirmed (sentences share
# at most half their content words as cognates, even when they say the same thing).
ANCHOR_SATURATION = 0.5
# Cost of leaving a sentence (or block) without counterpart, on top of its prior.
# ANCHOR_WEIGHT and SKIP_COST were picked from a coarse grid (2/4/6 × 0–4) in the middle
# of the plateau of bench/align_accuracy.py --stress, not at its best corner.
SKIP_COST = 2.0
# Pairs below this confidence are not imported into the memory. On the gold pairs the
# correct pairs score 0.14–1.0 (median 0.75); the one under 0.3 is a loose paraphrase
# that would make a poor memory unit anyway.
MIN_IMPORT_SCORE = 0.3
# An English block this similar to an English caption of the French page is its copy.
CAPTION_COPY_SIMILARITY = 90.0

_WORD = re.compile(r"[^\W\d_]+|\d+(?:[ \u00a0\u202f,.]\d{3})*(?:[.,]\d+)?", re.UNICODE)

# Telling a page's language, so that a swapped or wrong pair is refused before it
# pollutes the memory: each word votes for the language in whose wordfreq list it is
# clearly most frequent (at least PAGE_VOTE_MARGIN Zipf points ahead of the next).
# On the 19 shared pairs 91–100 % of the votes go to the right language (the lowest:
# a French page carrying an English caption). Languages other than French and English
# are listed so that a Spanish or German page is named as such, not as "French".
PAGE_LANGUAGES = {"fr": "French", "en": "English", "es": "Spanish", "de": "German", "it": "Italian", "pt": "Portuguese"}
PAGE_VOTE_FLOOR = 2.5
PAGE_VOTE_MARGIN = 1.0
# Below this many voting words a page is too short to judge, and is not refused.
PAGE_MIN_VOTES = 5


# --- public types ----------------------------------------------------------------------


@dataclass(frozen=True)
class AlignedPair:
    fr: str
    en: str
    kind: str  # "1-1", "1-2" or "2-1" (French-English sentence counts)
    score: float  # 0–1 confidence: length agreement and shared anchors


@dataclass
class ImportResult:
    fr_path: Path
    en_path: Path
    fr_sentences: int = 0
    en_sentences: int = 0
    aligned: int = 0  # pairs found by the aligner
    imported: int = 0  # pairs stored in the memory
    low_score: int = 0  # aligned, but below MIN_IMPORT_SCORE: not stored
    pairs: list[AlignedPair] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "imported": self.imported, "aligned": self.aligned, "low_score": self.low_score,
            "pairs": [{"fr": p.fr, "en": p.en, "kind": p.kind, "score": round(p.score, 3)} for p in self.pairs],
        }


# --- English sentence splitter ------------------------------------------------------


def english_sentences(text: str) -> list[str]:
    """Split English copy into sentences, by the same conventions as the French gold:
    a newline always ends a sentence; a closing quote stays with its sentence."""
    out: list[str] = []
    for line in text.splitlines():
        start = 0
        for match in _EN_TERMINAL.finditer(line):
            end = match.end()
            while end < len(line) and line[end] in _EN_CLOSERS:
                end += 1
            if end < len(line) and line[end] == "." and line[end - 1] in _EN_CLOSERS:
                end += 1  # “… partnership”. — the period after the quote
            nxt = end
            while nxt < len(line) and line[nxt].isspace():
                nxt += 1
            if nxt == end or nxt >= len(line):
                continue
            if _en_boundary(line, match.start(), match.group(), nxt):
                piece = line[start:end].strip()
                if piece:
                    out.append(piece)
                start = nxt
        piece = line[start:].strip()
        if piece:
            out.append(piece)
    return out


def _en_boundary(line: str, run_start: int, run: str, nxt: int) -> bool:
    following = line[nxt]
    if following.islower():
        return False
    if not (following.isupper() or following.isdigit() or following in _EN_OPENERS):
        return False
    if run != ".":
        return True
    token = line[:run_start].rsplit(None, 1)[-1] if line[:run_start].strip() else ""
    token = token.lstrip(_EN_OPENERS)
    if token in EN_ABBREVIATIONS_NEVER:
        return False
    if len(token) == 1 and token.isupper():
        return False  # an initial: "John F. Kennedy"
    if _DOTTED_ACRONYM.match(token):
        word = re.match(r"[A-Za-z]+", line[nxt:])
        return bool(word) and word.group() in EN_SENTENCE_STARTERS
    return True


# --- anchors ---------------------------------------------------------------------------


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _anchors(text: str, language: str) -> Counter[str]:
    """Comparable keys of a text: numbers, mapped acronyms/names, cognate prefixes."""
    keys: Counter[str] = Counter()
    stop = FR_STOPWORDS if language == "fr" else EN_STOPWORDS
    for match in _WORD.finditer(text):
        raw = match.group()
        if raw[0].isdigit():
            keys["#" + re.sub(r"[ \u00a0\u202f,]", "", raw).rstrip(".")] += 1
            continue
        word = _fold(raw)
        if language == "fr" and word in ANCHOR_MAP_FR_EN:
            for key in ANCHOR_MAP_FR_EN[word]:
                keys[key] += 1
            continue
        acronym = raw.isupper() and len(raw) >= 2
        if word in stop or (len(word) < COGNATE_PREFIX and not acronym):
            continue
        keys[word[:COGNATE_PREFIX]] += 1
    return keys


def _dice(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    if not total:
        return 0.0
    return 2 * sum((a & b).values()) / total


# --- the dynamic programme ---------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    text: str
    length: int
    anchors: Counter[str]


def _item(text: str, language: str) -> _Item:
    return _Item(text, len(" ".join(text.split())), _anchors(text, language))


def _length_cost(fr_len: int, en_len: int) -> float:
    """Gale & Church: −log P(length difference) under a normal model."""
    if fr_len == 0 and en_len == 0:
        return 0.0
    mean = (fr_len + en_len / LENGTH_RATIO) / 2
    delta = (en_len - fr_len * LENGTH_RATIO) / math.sqrt(max(mean, 1.0) * LENGTH_VARIANCE)
    probability = math.erfc(abs(delta) / math.sqrt(2))
    return -math.log(max(probability, 1e-12))


def _coverage(part: Counter[str], whole: Counter[str]) -> float:
    """Share of `part`'s anchors found in `whole`."""
    total = sum(part.values())
    return sum((part & whole).values()) / total if total else 0.0


def _bead(fr: Sequence[_Item], en: Sequence[_Item]) -> tuple[float, float]:
    """(cost, confidence) of aligning these French items with these English ones."""
    prior = -math.log(BEAD_PRIORS[(len(fr), len(en))])
    if not fr or not en:
        return prior + SKIP_COST, 0.0
    length = _length_cost(sum(i.length for i in fr), sum(i.length for i in en))
    fr_anchors = sum((i.anchors for i in fr), Counter())
    en_anchors = sum((i.anchors for i in en), Counter())
    evidence = _dice(fr_anchors, en_anchors)
    # A merge must be earned by every member: a sentence with no counterpart would
    # otherwise ride along with its neighbour's good match.
    if len(fr) > 1:
        evidence = min(evidence, *(_coverage(i.anchors, en_anchors) for i in fr))
    if len(en) > 1:
        evidence = min(evidence, *(_coverage(i.anchors, fr_anchors) for i in en))
    anchor = min(1.0, evidence / ANCHOR_SATURATION)
    cost = prior + length + ANCHOR_WEIGHT * (1.0 - anchor)
    # Anchors are the evidence; a length mismatch can only lower it. Two unrelated
    # sentences of the right length score 0, not 0.5.
    confidence = anchor * (0.5 + 0.5 * math.exp(-length))
    return cost, confidence


def _align(
    fr: Sequence[_Item], en: Sequence[_Item]
) -> list[tuple[tuple[int, int], tuple[int, int], float]]:
    """Cheapest bead sequence: ((fr_start, fr_end), (en_start, en_end), confidence)."""
    n, m = len(fr), len(en)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    moves = sorted(BEAD_PRIORS)  # deterministic tie-breaking
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            for di, dj in moves:
                if di > i or dj > j or best[i - di][j - dj] == inf:
                    continue
                cost, confidence = _bead(fr[i - di : i], en[j - dj : j])
                total = best[i - di][j - dj] + cost
                if total < best[i][j] - 1e-12:
                    best[i][j] = total
                    back[i][j] = (di, dj, confidence)
    beads = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj, confidence = step
        beads.append(((i - di, i), (j - dj, j), confidence))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


# --- blocks → sentences → pairs -----------------------------------------------------------


def _content_blocks(fr_blocks: Sequence[Block], en_blocks: Sequence[Block]) -> tuple[list[str], list[str]]:
    """Blocks worth aligning: no date lines; no English captions (nor their copies)."""
    # is_metadata_block, not the block kind: a date line that opens a file (no title)
    # is classified as its title.
    fr_content = [b for b in fr_blocks if not is_metadata_block(b.text)]
    captions = [b.text for b in fr_content if b.language != "fr"]
    fr_texts = [b.text for b in fr_content if b.language == "fr"]
    en_texts = [
        b.text
        for b in en_blocks
        if not is_metadata_block(b.text)
        and not any(fuzz.ratio(b.text, c) >= CAPTION_COPY_SIMILARITY for c in captions)
    ]
    return fr_texts, en_texts


def _join(parts: Sequence[str]) -> str:
    return " ".join(parts)


def align_blocks(
    fr_blocks: Sequence[str],
    en_blocks: Sequence[str],
    *,
    fr_splitter: Callable[[str], list[str]] = french_sentences,
    en_splitter: Callable[[str], list[str]] = english_sentences,
) -> list[AlignedPair]:
    """Align two lists of content blocks: first the blocks, then sentences inside them."""
    block_beads = _align([_item(t, "fr") for t in fr_blocks], [_item(t, "en") for t in en_blocks])
    pairs: list[AlignedPair] = []
    for (fs, fe), (es, ee), _ in block_beads:
        if fs == fe or es == ee:
            continue  # a paragraph with no counterpart
        fr_items = [_item(s, "fr") for block in fr_blocks[fs:fe] for s in fr_splitter(block)]
        en_items = [_item(s, "en") for block in en_blocks[es:ee] for s in en_splitter(block)]
        for (a, b), (c, d), confidence in _align(fr_items, en_items):
            if a == b or c == d:
                continue
            pairs.append(
                AlignedPair(
                    fr=_join([x.text for x in fr_items[a:b]]),
                    en=_join([x.text for x in en_items[c:d]]),
                    kind=f"{b - a}-{d - c}",
                    score=round(confidence, 3),
                )
            )
    return pairs


def _content(fr_text: str, en_text: str, fr_name: str, en_name: str) -> tuple[list[str], list[str]]:
    fr_article = parse_article(fr_text, Path(fr_name))
    en_article = parse_article(en_text, Path(en_name))
    return _content_blocks(fr_article.blocks, en_article.blocks)


def align_texts(fr_text: str, en_text: str, fr_name: str = "fr.txt", en_name: str = "en.txt") -> list[AlignedPair]:
    return align_blocks(*_content(fr_text, en_text, fr_name, en_name))


def align_files(fr_path: Path, en_path: Path) -> list[AlignedPair]:
    """Bad input (missing, empty, not UTF-8) raises SourceError naming the file and line."""
    return align_texts(read_source_text(fr_path), read_source_text(en_path), str(fr_path), str(en_path))


@dataclass(frozen=True)
class PageLanguage:
    language: str | None  # the majority language among PAGE_LANGUAGES, None when no word votes
    share: float  # of the voting words
    votes: int
    words: int  # words looked at (a page in another script has words but no votes)

    @property
    def name(self) -> str:
        return PAGE_LANGUAGES.get(self.language or "", "neither French nor English")


def page_language(text: str) -> PageLanguage:
    votes: Counter[str] = Counter()
    words = 0
    for match in LEXICON_WORD.finditer(text):
        token = match.group()
        if len(token) < 2 or token.isupper():
            continue  # acronyms and initials say nothing
        words += 1
        ranked = sorted(((zipf(token, code), code) for code in PAGE_LANGUAGES), reverse=True)
        (best, code), (second, _) = ranked[0], ranked[1]
        if best >= PAGE_VOTE_FLOOR and best - second >= PAGE_VOTE_MARGIN:
            votes[code] += 1
    total = sum(votes.values())
    if not total:
        return PageLanguage(None, 0.0, 0, words)
    code, count = votes.most_common(1)[0]
    return PageLanguage(code, count / total, total, words)


def check_pair_languages(fr_text: str, en_text: str, fr_path: Path, en_path: Path) -> None:
    """Refuse a pair whose first file is not French or second not English (or swapped)."""
    fr, en = page_language(fr_text), page_language(en_text)

    def judged(page: PageLanguage) -> bool:
        return page.votes >= PAGE_MIN_VOTES or page.words >= 4 * PAGE_MIN_VOTES

    fr_wrong = judged(fr) and fr.language != "fr"
    en_wrong = judged(en) and en.language != "en"
    if fr_wrong and en_wrong and fr.language == "en" and en.language == "fr":
        raise PairLanguageError(
            f"the two files look swapped: {fr_path} reads as English and {en_path} as French; "
            "give the French article first: workflow tm import-pair FRENCH.txt ENGLISH.txt",
            fr_path,
        )
    for wrong, page, path, expected in ((fr_wrong, fr, fr_path, "French"), (en_wrong, en, en_path, "English")):
        if wrong:
            how = f" ({page.share:.0%} of {page.votes} recognised words)" if page.language else ""
            raise PairLanguageError(f"expected the {expected} article, but this reads as {page.name}{how}", path)


def import_pair(
    fr_path: Path,
    en_path: Path,
    memory: TranslationMemory,
    *,
    min_score: float = MIN_IMPORT_SCORE,
    check_languages: bool = True,
) -> ImportResult:
    """Align a published pair and store its confident pairs as the memory's units for
    that pair, replacing those of an earlier import of the same files. Raises
    SourceError for unreadable input, TranslationMemoryError if the memory cannot
    be written, PairLanguageError when the files are not French and English in that order."""
    from workflow.review.memory import TMUnit, import_origin

    fr_path, en_path = Path(fr_path), Path(en_path)
    fr_text, en_text = read_source_text(fr_path), read_source_text(en_path)
    if check_languages:
        check_pair_languages(fr_text, en_text, fr_path, en_path)
    fr_blocks, en_blocks = _content(fr_text, en_text, str(fr_path), str(en_path))
    pairs = align_blocks(fr_blocks, en_blocks)
    origin = import_origin(fr_path, en_path)
    keep = [p for p in pairs if p.score >= min_score]
    stored = memory.replace_origin(origin, [TMUnit(source=p.fr, target=p.en, origin=origin) for p in keep])
    return ImportResult(
        fr_path=fr_path,
        en_path=en_path,
        fr_sentences=sum(len(french_sentences(b)) for b in fr_blocks),
        en_sentences=sum(len(english_sentences(b)) for b in en_blocks),
        aligned=len(pairs),
        imported=stored,
        low_score=len(pairs) - len(keep),
        pairs=pairs,
    )


# --- evaluation ------------------------------------------------------------------------------


def bead_precision_recall(
    predicted: Sequence[tuple[str, str]], gold: Sequence[tuple[str, str]]
) -> tuple[int, int, int]:
    """(correct, predicted, gold) counts of (French, English) pairs. A pair is correct only
    if both sides match a gold pair exactly (whitespace runs aside): a 2-1 pair found
    as 1-1 plus a dropped sentence scores nothing."""

    def key(pair: tuple[str, str]) -> tuple[str, str]:
        return (" ".join(pair[0].split()), " ".join(pair[1].split()))

    remaining = Counter(key(pair) for pair in gold)
    correct = 0
    for pair in predicted:
        if remaining[key(pair)] > 0:
            remaining[key(pair)] -= 1
            correct += 1
    return correct, len(predicted), len(gold)
