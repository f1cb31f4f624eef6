"""Rule-based French sentence segmentation for newsroom copy.

Off-the-shelf splitters score 0.76–0.92 boundary F1 on our gold data: they
split after "M.", "Sep.", "l’O.T.A.N." inside a sentence, or keep "etc. Il"
together. The rules here follow the conventions in ``shared/README.md``:

* a newline is always a boundary; a line's indentation belongs to no span;
* ``;`` and ``:`` never split, nor a terminal mark followed by lower case;
* closing quotes/brackets (and a ``.`` right after them) stay with the
  sentence they close, so ``«`` opens the first sentence of a quotation and
  ``»`` ends the last one;
* a period after an abbreviation is a boundary only when the abbreviation
  commonly ends sentences (``etc.``) or a typical sentence opener follows.

The abbreviation lists and opener words live in ``data/segment_fr.toml`` so
that editors can extend them without touching code. Spans index the original
string; the text is never normalised (U+00A0, U+202F, U+2011, curly quotes
are kept as they are).
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Iterable, Iterator

__all__ = [
    "Span",
    "segment",
    "sentences",
    "boundary_f1",
    "segment_jsonl_records",
]


@dataclass(frozen=True)
class Span:
    """One sentence: ``text == source[start:end]``, trimmed of whitespace."""

    start: int
    end: int
    text: str


# What a period after a token means (see the header of segment_fr.toml).
_NEVER = "never"
_AMBIGUOUS = "ambiguous"
_RANK = "rank"  # ambiguous, and a capitalised particle after it starts a name ("gén. Le Goff")
_REGULAR = "regular"  # an ordinary word: a boundary if a sentence start follows

# Python's own notion of a line break (str.splitlines), so "\r\n" and U+2028
# behave like "\n".
_LINE = re.compile(r"[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_TERMINAL_RUN = re.compile(r"[.!?…‼⁇⁈⁉]+")
_OPENERS = "«“‘\"([{"
_ELISION_PREFIX = re.compile(
    r"^(?:[LlDdJjNnSsCcMmTt]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)[’'](?=\w)"
)
_DOTTED_ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")  # O.T.A.N, U.S, D.C
_HYPHENATED_INITIALS = re.compile(r"^[^\W\d_]\.?-[^\W\d_]$")  # J.-P (Jean-Pierre)
_NUMBER = re.compile(r"^\d[\d.,]*$")
_LIST_MARKER = re.compile(r"^(?:\d{1,3}|[IVXLC]{1,6}|[ivxlc]{1,6}|[^\W\d_])$")
_MULTIWORD_WINDOW = 64
_STRAIGHT_QUOTE = re.compile('"')
_ALNUM = re.compile(r"[^\W_]")
_PARTICLE_THEN_WORD = re.compile(r"(\w+)\s+(\w)")
_WORD = re.compile(r"[^\W\d_]+")
# How common a capitalised word must be in French (wordfreq Zipf scale: 3 = once per
# million words) to show that a glued period ends a sentence rather than a name or a domain.
_FRENCH_WORD_MIN_ZIPF = 2.5
_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿœæ")


@dataclass(frozen=True)
class _Rules:
    token_class: dict[str, str]
    multiword: tuple[tuple[re.Pattern[str], str], ...]
    ranks: frozenset[str]
    units: frozenset[str]
    starters: frozenset[str]
    surname_particles: frozenset[str]
    elisions: frozenset[str]
    closers: frozenset[str]
    continuers: frozenset[str]
    bullets: frozenset[str]


@cache
def _rules() -> _Rules:
    """Load the rule data once; later calls share the compiled tables."""
    raw = (files("workflow") / "data" / "segment_fr.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    abbreviations = data["abbreviations"]
    token_class: dict[str, str] = {}
    multiword: list[tuple[re.Pattern[str], str]] = []
    # sentence_final abbreviations behave like ordinary words once recognised;
    # listing them matters for the multi-word ones ("av. J.-C" is not a name).
    ranks: set[str] = set()
    for name, cls in (("never", _NEVER), ("ambiguous", _AMBIGUOUS), ("rank", _RANK), ("sentence_final", _REGULAR)):
        phrases: set[str] = set()
        for entry in abbreviations.get(name, []):
            if any(ch.isspace() for ch in entry):
                phrases.update((entry, entry[0].upper() + entry[1:]))
            elif cls == _RANK:
                ranks.add(entry.casefold())  # ranks are looked up in any case: "GÉN.", "Lt-Col."
            else:
                token_class.setdefault(entry, cls)
        if phrases:
            bodies = sorted(
                (r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases),
                key=len,
                reverse=True,
            )
            # Must start a word: nothing but a space or an opener before it.
            pattern = re.compile(r"(?<![^\s(«“\"\[’'])(?:" + "|".join(bodies) + r")\Z")
            multiword.append((pattern, cls))
    starters = data["starters"]
    punctuation = data["punctuation"]
    return _Rules(
        token_class=token_class,
        multiword=tuple(multiword),
        ranks=frozenset(ranks),
        units=frozenset(data["units"]["after_number"]),
        starters=frozenset(starters["words"]),
        surname_particles=frozenset(starters["surname_particles"]),
        elisions=frozenset(starters["elisions"]),
        closers=frozenset(punctuation["closers"]),
        continuers=frozenset(punctuation["continuers"]),
        bullets=frozenset(punctuation["bullets"]),
    )


def segment(text: str) -> list[Span]:
    """Split ``text`` into sentences, each a :class:`Span` of the original string."""
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        start, stop = line.span()
        for cut_start, cut_end in _line_pieces(text, start, stop):
            span = _trimmed(text, cut_start, cut_end)
            if span is not None:
                spans.append(span)
    return spans


def sentences(text: str) -> list[str]:
    """The sentence strings of ``text``, in order."""
    return [span.text for span in segment(text)]


def boundary_f1(gold: list[list[str]], predicted: list[list[str]]) -> float:
    """Boundary-level F1 of ``predicted`` against ``gold`` over a corpus.

    Both arguments hold one list of sentences per paragraph, paragraphs in
    the same order. Within a paragraph a boundary is the end of every
    sentence but the last, measured as the number of NON-WHITESPACE
    characters before it: the measure therefore ignores how the whitespace
    between sentences was kept or dropped, and needs no original text.
    Newline boundaries count like any other; paragraph ends never count.
    Precision and recall are pooled over all paragraphs (micro-average).
    When neither side has any boundary the agreement is perfect (1.0).

    Raises ValueError if the paragraph counts differ or a paragraph's
    non-whitespace characters differ between the two sides (the offsets
    would then compare different texts).
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold paragraphs but {len(predicted)} predicted")
    true_positives = gold_total = predicted_total = 0
    for index, (gold_sentences, predicted_sentences) in enumerate(zip(gold, predicted)):
        if _visible(gold_sentences) != _visible(predicted_sentences):
            raise ValueError(f"paragraph {index}: gold and predicted texts differ")
        gold_bounds = _boundary_offsets(gold_sentences)
        predicted_bounds = _boundary_offsets(predicted_sentences)
        true_positives += len(gold_bounds & predicted_bounds)
        gold_total += len(gold_bounds)
        predicted_total += len(predicted_bounds)
    if gold_total == 0 and predicted_total == 0:
        return 1.0
    if true_positives == 0:
        return 0.0
    precision = true_positives / predicted_total
    recall = true_positives / gold_total
    return 2 * precision * recall / (precision + recall)


def segment_jsonl_records(records: Iterable[dict]) -> Iterator[dict]:
    """Add (or refresh) the ``sentences`` of gold-format records.

    Each record needs a ``text``; the other keys and their order are kept, an
    existing ``sentences`` keeps its place and a missing one is appended, so
    ``json.dumps(record, ensure_ascii=False)`` reproduces gold files exactly.
    The input records are not modified.
    """
    for number, record in enumerate(records, start=1):
        if "text" not in record:
            raise KeyError(f"record {number} has no 'text' key")
        found = sentences(record["text"])
        if "sentences" in record:
            yield {key: (found if key == "sentences" else value) for key, value in record.items()}
        else:
            yield {**record, "sentences": found}


# --- internals -------------------------------------------------------------


def _visible(sentence_list: list[str]) -> str:
    return "".join(ch for sentence in sentence_list for ch in sentence if not ch.isspace())


def _boundary_offsets(sentence_list: list[str]) -> set[int]:
    offsets: set[int] = set()
    position = 0
    for sentence in sentence_list[:-1]:
        position += sum(1 for ch in sentence if not ch.isspace())
        offsets.add(position)
    return offsets


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return Span(start, end, text[start:end])


class _Line:
    """One line being cut, with what every boundary decision on it would otherwise recompute.

    Everything a decision needs about the text before a position (straight quotes, list
    bullets, what the previous period meant) is looked up here in constant time, so a line
    costs time linear in its length however many periods it holds."""

    def __init__(self, text: str, start: int, stop: int, rules: _Rules):
        self.text = text
        self.start = start
        self.stop = stop
        self.rules = rules
        self.quotes = [m.start() for m in _STRAIGHT_QUOTE.finditer(text, start, stop)]
        content = start  # first character that is neither a bullet nor a space
        while content < stop and (text[content] in rules.bullets or text[content].isspace()):
            content += 1
        self.content_start = content
        self.period_classes: dict[int, str] = {}

    def straight_quote_closes(self, pos: int) -> bool:
        """A straight quote closes when an odd number of them precede it on the line."""
        return bisect_left(self.quotes, pos) % 2 == 1

    def token_before(self, pos: int) -> str:
        begin = pos
        while begin > self.start and not self.text[begin - 1].isspace():
            begin -= 1
        return self.text[begin:pos]


def _line_pieces(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """Cut one line at its sentence boundaries."""
    line = _Line(text, start, stop, _rules())
    piece_start = start
    first_alnum = _first_alnum(text, piece_start, stop)
    consumed = start  # a "." already swallowed after a closing quote
    for match in _TERMINAL_RUN.finditer(text, start, stop):
        run_start, run_end = match.span()
        if run_start < consumed:
            continue
        end = _absorb_closers(line, run_end)
        consumed = end
        next_pos = end
        while next_pos < stop and text[next_pos].isspace():
            next_pos += 1
        if next_pos == stop:
            continue  # line end: a boundary anyway
        if first_alnum >= run_start:
            continue  # a leading "… Et puis" is no sentence of its own
        if next_pos == end:
            # No space: 4.4.1949, nato.int, M.Dupont — unless a word plainly ends a
            # sentence whose space was lost ("fin.Début").
            boundary = _glued_sentence_end(line, run_start, run_end, end)
        else:
            boundary = _is_boundary(line, run_start, run_end, next_pos)
        if boundary:
            yield piece_start, end
            piece_start = next_pos
            first_alnum = _first_alnum(text, piece_start, stop)
    yield piece_start, stop


def _first_alnum(text: str, pos: int, stop: int) -> int:
    match = _ALNUM.search(text, pos, stop)
    return match.start() if match else stop


def _absorb_closers(line: _Line, pos: int) -> int:
    """Extend a sentence end over closing quotes/brackets and a following period."""
    text, stop, rules = line.text, line.stop, line.rules
    absorbed = False
    while True:
        probe = pos
        while probe < stop and text[probe] in " \u00a0\u202f\u2009":
            probe += 1
        if probe >= stop or text[probe] not in rules.closers:
            break
        mark = text[probe]
        if probe > pos and mark not in "»”\"":
            break  # only quotes may be separated from the sentence by a space
        if mark == '"' and not line.straight_quote_closes(probe):
            break
        pos = probe + 1
        absorbed = True
    if absorbed and pos < stop and text[pos] == "." and not text.startswith("..", pos):
        pos += 1  # « … ! ». — the period after the quote ends the same sentence
    return pos


def _opens_sentence(line: _Line, pos: int) -> bool:
    """Whether the text at ``pos`` may start a sentence at all (not lower case)."""
    text = line.text
    char = text[pos]
    if char.isalpha():
        return not char.islower()
    if char in line.rules.continuers:
        return False
    if char == '"' and line.straight_quote_closes(pos):
        return False
    if char in "([" and pos + 1 < line.stop and text[pos + 1].islower():
        return False
    return True


def _next_is_starter(line: _Line, pos: int) -> bool:
    """Whether a typical sentence opener (or a quotation) begins at ``pos``."""
    text, stop, rules = line.text, line.stop, line.rules
    while pos < stop and (text[pos] in _OPENERS or text[pos].isspace()):
        if text[pos] in "«“" or (text[pos] == '"' and not line.straight_quote_closes(pos)):
            return True
        pos += 1
    word_end = pos
    while word_end < stop and text[word_end].isalpha():
        word_end += 1
    word = text[pos:word_end]
    if not word:
        return False
    follower = text[word_end] if word_end < stop else ""
    if follower and follower in "’'":
        return word in rules.elisions
    if follower == "." and len(word) == 1:
        return False  # another initial: "A. F. Rasmussen"
    return word in rules.starters


def _particle_name_follows(line: _Line, pos: int) -> bool:
    """'J. Le Drian', 'gén. De Villiers': a surname particle followed by a capitalised word."""
    match = _PARTICLE_THEN_WORD.match(line.text, pos, line.stop)
    return bool(match) and match.group(1) in line.rules.surname_particles and match.group(2).isupper()


def _is_boundary(line: _Line, run_start: int, run_end: int, next_pos: int) -> bool:
    if not _opens_sentence(line, next_pos):
        return False
    run = line.text[run_start:run_end]
    if "!" in run or "?" in run or any(ch in run for ch in "‼⁇⁈⁉"):
        return True
    if run != ".":  # ellipsis: "…" or "..."
        before = line.text[run_start - 1] if run_start > line.start else ""
        return not (before and before in "([")  # "(…)", "[…]" mark an elision
    cls = _period_class(line, run_start)
    if cls == _NEVER:
        return False
    if cls == _REGULAR:
        return True
    if not _next_is_starter(line, next_pos):
        return False
    if cls == _RANK:
        return not _particle_name_follows(line, next_pos)  # "gén. Le Goff", not "col. Le lendemain"
    token = line.token_before(run_start).lstrip(_OPENERS)
    if len(token) == 1 and token.isupper():
        return not _particle_name_follows(line, next_pos)
    return True


def _glued_sentence_end(line: _Line, run_start: int, run_end: int, end: int) -> bool:
    """"fin.Début": a plain word, a single period, then a capitalised French word, no space."""
    text, rules = line.text, line.rules
    if end != run_end or run_end - run_start != 1 or text[run_start] != ".":
        return False
    word_start = run_start
    while word_start > line.start and (text[word_start - 1].isalpha() or text[word_start - 1] in "’'"):
        word_start -= 1
    before = text[word_start - 1] if word_start > line.start else ""
    if before and not (before.isspace() or before in _OPENERS):
        return False  # www.nato.int.Le, 2.0.Le, l’O.T.A.N.Le
    word = _ELISION_PREFIX.sub("", text[word_start:run_start])
    if len(word) < 2 or not word.isalpha() or _period_class(line, run_start) != _REGULAR:
        return False  # M.Dupont, Mme.Dupont, av.J.-C
    following = _WORD.match(text, end, line.stop)
    if following is None:
        return False
    next_word = following.group(0)
    if following.end() < line.stop and text[following.end()] in "’'":
        return next_word in rules.elisions  # L’OTAN, D’autres, Qu’il
    if len(next_word) < 2 or not (next_word[0].isupper() and next_word[1:].islower()):
        return False  # fin.OTAN, fin.X: not plainly a sentence's first word
    return next_word in rules.starters or _is_french_word(next_word)


def _is_french_word(word: str) -> bool:
    from workflow.source.lexicon import zipf

    return zipf(word, "fr") >= _FRENCH_WORD_MIN_ZIPF


def _period_class(line: _Line, period: int) -> str:
    """What the period at ``period`` means, judged from the token before it.

    A list marker after another period ("… défense. 2. Projeter") depends on what that
    period meant, which may depend on the one before it, and so on: the chain is walked
    iteratively and every answer is kept, so 5,000 chained initials cost 5,000 steps."""
    known = line.period_classes
    pending: list[tuple[int, str]] = []  # (period, class unless the previous period is a regular end)
    position = period
    while position not in known:
        step = _period_step(line, position)
        if isinstance(step, str):
            known[position] = step
            break
        previous, otherwise = step
        pending.append((position, otherwise))
        position = previous
    for position, otherwise in reversed(pending):
        previous_class = known[_previous_period(line, position)]
        known[position] = _NEVER if previous_class == _REGULAR else otherwise
    return known[period]


def _previous_period(line: _Line, period: int) -> int:
    raw = line.token_before(period)
    before = period - len(raw)
    while before > line.start and line.text[before - 1].isspace():
        before -= 1
    return before - 1


def _period_step(line: _Line, period: int) -> str | tuple[int, str]:
    """The class of one period, or (the previous period, the class unless that one is a
    regular sentence end) when it is a list marker right after another period."""
    text, rules = line.text, line.rules
    raw = line.token_before(period)
    if not raw or raw[-1] in rules.closers:
        return _REGULAR  # "unie »." / "(chiffres de juin 2019)."
    token_start = period - len(raw)
    token = raw.lstrip(_OPENERS)
    token = _ELISION_PREFIX.sub("", token)
    if not token:
        return _REGULAR

    before = token_start  # what precedes the token on the line
    while before > line.start and text[before - 1].isspace():
        before -= 1
    preceding_char = text[before - 1] if before > line.start else ""
    previous_token = line.token_before(before)

    if token in rules.units and previous_token[-1:].isdigit():
        return _REGULAR  # "40 km." — units take no period of their own
    # Multi-word abbreviations are short: a window of the line is enough.
    head = text[max(line.start, period - _MULTIWORD_WINDOW) : period]
    for pattern, cls in rules.multiword:
        if pattern.search(head):
            return cls
    cls = rules.token_class.get(token) or rules.token_class.get(token[0].lower() + token[1:])
    if cls:
        return cls
    if token.casefold() in rules.ranks:
        return _RANK  # "GÉN.", "Lt-Col.", "Vice-adm." in any case
    fallback = _fallback_class(token)
    if _LIST_MARKER.match(token):
        if preceding_char in (":", ";", "!", "?") or before <= line.content_start:
            return _NEVER  # "1. Renforcer…", "a. la formation", "II. Les principes"
        if preceding_char == ".":
            # "… défense. 2. Projeter", but not "chap. 4." where "." is an abbreviation's
            return before - 1, fallback
    return fallback


def _fallback_class(token: str) -> str:
    """Tokens no table names: acronyms, initials, numbers, vowel-less short forms, words."""
    if _DOTTED_ACRONYM.match(token):
        return _AMBIGUOUS  # "l’O.T.A.N. Les…" splits, "U.N. Mission" does not
    if _HYPHENATED_INITIALS.match(token):
        return _NEVER  # "J.-P. Morel"
    if len(token) == 1 and token.isupper():
        return _AMBIGUOUS  # initial ("J. Stoltenberg") or label ("l’annexe B. Ils…")
    if _NUMBER.match(token):
        return _REGULAR
    if token.isalpha() and token.islower() and len(token) <= 4 and not (set(token) & _VOWELS):
        return _AMBIGUOUS  # vowel-less short forms are abbreviations: "bd", "cdt"
    return _REGULAR
