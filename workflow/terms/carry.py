"""Glossary terms carried through any MT engine: placeholders first, alignment repair as fallback.

Raw MT cannot be published because it gets institutional terms wrong ("Nato general secretary"
for "NATO Secretary General"). No offline engine takes a glossary, so the terms are carried
around the engine instead:

1. `prepare` swaps every glossary term the scanner finds for a placeholder (a capitalised
   nonsense word such as ``Zqxa``: Apertium passes unknown words through untouched and in place,
   articles and prepositions around them still translate). Segments with no term go to the
   engine byte-identical, so the pipeline's cache and batching are unchanged.
2. `finish` puts the house English back (plural, sentence-initial capital, the article rules in
   NO_ARTICLE / APPOSITION_*), replaces banned English forms, and verifies every term with the
   glossary's own English matcher (`check_translation`).
3. Where a placeholder did not survive (an engine that mangles or drops it), the segment is
   retranslated unprotected together with each French term alone, the engine's rendering of
   the term is located in the output (exact, then rapidfuzz alignment) and replaced: one extra
   batched call, only for those segments.

Measured on the five shared FR/EN pairs with Apertium (bench/term_accuracy.py: 23 aligned
paragraphs, 43 segments, 132 term occurrences):

    technique                                   term accuracy   chrF
    no glossary                                      28.8 %     53.90
    (b) repair only (align the term's own MT)        97.7 %     62.69
    (a) placeholders, no article rules              100.0 %     63.02
    (a) placeholders + article rules                100.0 %     63.59
    (c) = (a) + rules + repair fallback [default]   100.0 %     63.59
    held-out glossary (207 entries not taken from these pairs): 26.7 % → 100 %, chrF 53.90 → 56.07

Placeholders win: the engine never sees the term, so nothing depends on finding its rendering
again (repair misses 3 of 132 where Apertium's in-context wording differs from the term alone).
Controls: glossary entries absent from a segment leave its engine input and output
byte-identical (43/43); 25 random words mapped to their own MT cost 0.04 chrF (the price of
hiding a word's context from the engine); mapped to unrelated words they are applied as told
(chrF -0.78): deciding what is a term is the glossary's job, not the carrier's.
Not measured: Argos (no real model offline); a mangled placeholder there falls back to repair.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from workflow.mt.engines import Engine, Translation
from workflow.terms.english import check_translation, find_english
from workflow.terms.entry import DO_NOT_TRANSLATE, FORBIDDEN, Entry, TermIssue, TermMatch
from workflow.terms.forms import PERSON_TITLES
from workflow.terms.glossary import Glossary
from workflow.terms.protect import PLACE, TITLE, DateSpan, Span, english_has_date, find_dates, find_spans

Batch = Callable[[list[str]], list[Translation | None]]

MODES = ("placeholder+repair", "placeholder", "repair")

# ---------------------------------------------------------------------------------------------
# Rules, as data.

# Placeholder stem: rare letter sequence, unknown to Apertium's fr/es/en dictionaries, no digits
# (numbers get reformatted), one word (SentencePiece keeps it in few pieces). A suffix of
# lower-case letters numbers the terms of a segment.
PLACEHOLDER_STEM = "Zqx"
# English names that take no article ("NATO", not "the NATO"); initialisms read letter by letter
# keep theirs ("the UN", "the EU", "the AU").
NO_ARTICLE = frozenset({
    "NATO", "ISAF", "KFOR", "AMISOM", "UNPROFOR", "UNMIK", "UNIFIL", "UNDOF", "UNAMA", "UNAMID",
    "UNMIL", "UNMISS", "UNOCI", "UNTSO", "ISIL", "ISIS", "SHAPE", "SACEUR", "SACT", "NATO PA",
    "Article 5", "9/11",
})
# A title in apposition loses its article and commas in NATO/UN English:
# "le secrétaire général de l'OTAN, Jens Stoltenberg, a …" → "NATO Secretary General Jens Stoltenberg has …".
APPOSITION_ARTICLES = ("the", "The")
APPOSITION_COURTESY = ("M.", "Mr.", "Mr", "Mme", "Ms", "Mrs", "Mrs.")
APPOSITION_NAME_WORDS = 4
# Also drop a courtesy title that is a glossary term ("M." → "Mr")? Off: the checker then reports it missing.
APPOSITION_DROPS_COURTESY_TERM = False
# French words before a term that make an invariable head ("pays", "Casques") plural.
FR_PLURAL_DETERMINERS = frozenset({
    "les", "des", "aux", "ces", "nos", "vos", "leurs", "mes", "tes", "ses", "plusieurs", "certains",
    "certaines", "quelques", "deux", "trois", "quatre", "cinq", "nombreux", "nombreuses", "divers",
})
# English prepositions that cannot be followed by "of the" (Apertium's reading of a partitive "des").
EN_PREPOSITIONS = ("for", "with", "to", "in", "on", "by", "from", "at", "into", "against", "among", "between", "without", "through", "about", "under", "over")
# Irregular English plurals of multi-word terms (suffix → plural suffix); otherwise the last word.
EN_PLURALS: tuple[tuple[str, str], ...] = (
    ("Secretary-General", "Secretaries-General"),
    ("Secretary General", "Secretaries General"),
)
# English nouns whose plural is the singular ("surveillance aircraft", "NATO Headquarters").
EN_SAME_PLURAL = frozenset({"aircraft", "personnel", "staff", "Staff", "equipment", "headquarters",
                            "Headquarters", "HQ", "series", "species", "means", "materiel", "spacecraft"})
# Words that end an English term's head: "Chief | of Staff" → "Chiefs of Staff".
EN_HEAD_ENDS = frozenset({"of", "for", "in", "on", "to", "at", "against", "with"})
# Articles stripped from the engine's translation of a term alone before it is looked up in
# the engine's translation of the sentence.
ENGLISH_ARTICLES = ("the ", "a ", "an ")
# How close the engine's rendering of a term alone must be to a span of the sentence (0-100).
REPAIR_MIN_SCORE = 85.0

_SENTENCE_START = re.compile(r"(?:\A|[.!?…]\s+)[\"“‘'«(\[—–\s-]*\Z")
_OPEN = "\"“‘'«([—–- \u00a0"


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Enforcement:
    """How one source term reached the English: placeholder, repair, engine (already right) or missing."""

    id: str
    fr: str
    en: str
    how: str


@dataclass(frozen=True)
class CarriedTranslation:
    source: str
    translation: Translation | None
    enforced: tuple[Enforcement, ...] = ()
    issues: tuple[TermIssue, ...] = ()
    protected: tuple[Enforcement, ...] = ()  # names, numbers, links… (id = the span's kind)
    dates: tuple[DateSpan, ...] = ()  # French dates whose English form is missing from the output

    @property
    def text(self) -> str | None:
        return self.translation.text if self.translation is not None else None

    @property
    def comment(self) -> str:
        """One line for a PO `#.` comment, e.g. "terms: OTAN → NATO (placeholder); missing: …"."""
        done = dict.fromkeys(f"{e.fr} → {e.en} ({e.how})" for e in self.enforced if e.how != "missing")
        parts = ["; ".join(done)] if done else []
        problems = dict.fromkeys(i.message for i in self.issues)
        if problems:
            parts.append("check: " + "; ".join(problems))
        lost = [f"{e.id} {e.fr!r}" for e in self.protected if e.how == "missing"]
        lost += [f"date {d.text!r} ({d.english})" for d in self.dates]
        lines = ["terms: " + " | ".join(parts)] if parts else []
        if lost:
            lines.append("lost in MT: " + "; ".join(dict.fromkeys(lost)))
        return "\n".join(lines)

    @property
    def lost(self) -> list[str]:
        """French spans (names, numbers, dates…) whose English did not survive MT."""
        return [e.fr for e in self.protected if e.how == "missing"] + [d.text for d in self.dates]


@dataclass
class _Slot:
    token: str
    match: TermMatch
    entry: Entry
    plural: bool
    after_des: bool  # the French word before the term is "des"
    span: Span | None = None  # a protected span (protect.py), not a glossary term

    @property
    def is_term(self) -> bool:
        return self.span is None


@dataclass
class _Plan:
    source: str
    default_org: str | None
    slots: list[_Slot]
    protected: str
    when: date | None = None


@dataclass
class Prepared:
    """What `prepare` decided; send `engine_inputs` through the engine in one call, then `finish`."""

    mode: str
    plans: list[_Plan]
    engine_inputs: list[str]
    term_inputs: list[str] = field(default_factory=list)  # French terms alone (repair mode)


# ---------------------------------------------------------------------------------------------


class TermCarrier:
    """Enforces a glossary around any engine; see the module docstring for the technique."""

    def __init__(self, glossary: Glossary | None = None, *, mode: str = "placeholder+repair",
                 article_rules: bool = True, protect: bool = True):
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r} (choose from: {', '.join(MODES)})")
        self.glossary = glossary if glossary is not None else Glossary(())
        self.mode = mode
        self.article_rules = article_rules
        self.protect = protect  # names, numbers, acronyms, links, quoted English (protect.py)
        self._acronyms: dict[str, str] = {}  # of the run being prepared (acronyms.py)

    # -- step 1 ---------------------------------------------------------------------------------

    def prepare(self, segments: Sequence[str], default_orgs: Sequence[str | None] | None = None,
                known_names: Sequence[str] = (), dates: Sequence[date | None] | None = None,
                acronyms: Mapping[str, str] | None = None) -> Prepared:
        """`known_names`: names met inside sentences of the articles (protect.article_names),
        protected at a sentence start too; `dates`: each segment's article date (place names);
        `acronyms`: French acronyms the articles define, with their English (acronyms.py)."""
        orgs = list(default_orgs) if default_orgs is not None else [None] * len(segments)
        whens = list(dates) if dates is not None else [None] * len(segments)
        if len(orgs) != len(segments) or len(whens) != len(segments):
            raise ValueError(f"{len(orgs)} default_orgs and {len(whens)} dates for {len(segments)} segments")
        names = frozenset(known_names)
        self._acronyms = dict(acronyms or {})
        plans = [self._plan(text, org, names, when) for text, org, when in zip(segments, orgs, whens)]
        if self.mode == "repair":
            terms = _term_inputs(plans)
            return Prepared(self.mode, plans, [p.source for p in plans] + terms, terms)
        return Prepared(self.mode, plans, [p.protected for p in plans])

    def _plan(self, text: str, default_org: str | None, names: frozenset[str] = frozenset(),
              when: date | None = None) -> _Plan:
        matches = [m for m in self.glossary.terms_for_mt(text, default_org) if m.text.strip()]
        taken = [(m.start, m.end) for m in matches]
        spans = find_spans(text, known_names=names, taken=taken, when=when, acronyms=self._acronyms) if self.protect else []
        if not matches and not spans:
            return _Plan(text, default_org, [], text, when)
        stem = PLACEHOLDER_STEM
        while stem.lower() in text.lower():
            stem += "q"
        items: list[TermMatch | Span] = sorted([*matches, *spans], key=lambda item: item.start)
        slots: list[_Slot] = []
        pieces: list[str] = []
        last = 0
        for n, item in enumerate(items):
            token = stem + _suffix(n)
            if isinstance(item, Span):
                entry = Entry(id=item.kind, fr=item.text, en=item.english, type=DO_NOT_TRANSLATE, pos="other")
                match = TermMatch(item.kind, item.start, item.end, item.text, item.text, item.english)
                slots.append(_Slot(token, match, entry, False, False, item))
            else:
                entry = self.glossary.get(item.id)
                assert entry is not None
                before = re.findall(r"\w+", text[max(0, item.start - 30):item.start])[-1:]
                before_word = before[0].casefold() if before else ""
                plural = _is_plural(item.text, entry, before_word)
                slots.append(_Slot(token, item, entry, plural, before_word == "des"))
            pieces += [text[last:item.start], token]
            last = item.end
        pieces.append(text[last:])
        return _Plan(text, default_org, slots, "".join(pieces), when)

    @staticmethod
    def kept_placeholders(prepared: Prepared, index: int, output: Translation | None) -> bool:
        """Whether the engine's output for a prepared segment still has each placeholder once."""
        plan = prepared.plans[index]
        return output is not None and _recover_tokens(output.text, plan.slots) is not None

    # -- step 2 ---------------------------------------------------------------------------------

    def finish(self, prepared: Prepared, outputs: Sequence[Translation | None],
               retry: Batch | None = None) -> list[CarriedTranslation]:
        """Finished translations, 1:1 with the prepared segments.

        `retry` (the same engine's translate_batch, cached or not) is called once, only if some
        placeholder did not survive; without it those segments keep the engine output as it is.
        """
        if len(outputs) != len(prepared.engine_inputs):
            raise ValueError(f"{len(outputs)} outputs for {len(prepared.engine_inputs)} engine inputs")
        plans = prepared.plans
        results: list[CarriedTranslation | None] = [None] * len(plans)
        if prepared.mode == "repair":
            alone = dict(zip(prepared.term_inputs, outputs[len(plans):]))
            for i, (plan, out) in enumerate(zip(plans, outputs)):
                results[i] = self._repaired(plan, out, alone)
            return results  # type: ignore[return-value]
        lost: list[int] = []
        for i, (plan, out) in enumerate(zip(plans, outputs)):
            if out is None or not plan.slots:
                results[i] = self._verified(plan, out, [])
                continue
            text = _recover_tokens(out.text, plan.slots)
            if text is None and prepared.mode == "placeholder+repair" and retry is not None:
                lost.append(i)
                continue
            if text is None:
                text = out.text  # placeholder-only: report what is missing, invent nothing
                present = [s for s in plan.slots if _token_re(s.token).search(text)]
            else:
                present = plan.slots
            text = self._restore(text, plan, present, engine_saw_token=True)
            how = [Enforcement(s.entry.id, s.match.text, _rendering(s), "placeholder") for s in present]
            how += [Enforcement(s.entry.id, s.match.text, _rendering(s), "missing")
                    for s in plan.slots if s not in present]
            results[i] = self._verified(plan, Translation(text, out.provenance), how)
        if lost:
            sub = [plans[i] for i in lost]
            terms = _term_inputs(sub)
            again = retry([p.source for p in sub] + terms)  # type: ignore[misc]
            alone = dict(zip(terms, again[len(sub):]))
            for i, plan, out in zip(lost, sub, again):
                results[i] = self._repaired(plan, out, alone)
        return results  # type: ignore[return-value]

    # -- repair path ----------------------------------------------------------------------------

    def _repaired(self, plan: _Plan, out: Translation | None,
                  alone: dict[str, Translation | None]) -> CarriedTranslation:
        """Find the engine's own rendering of each term in its output and put a placeholder there."""
        if out is None or not plan.slots:
            return self._verified(plan, out, [])
        text = out.text
        claimed: list[tuple[int, int]] = []
        placed: list[_Slot] = []
        how: list[Enforcement] = []
        for slot in sorted(plan.slots, key=lambda s: -len(s.match.text)):
            span = _engine_span(slot.entry, text, claimed)
            if span is not None:
                claimed.append(span)
                how.append(Enforcement(slot.entry.id, slot.match.text, text[span[0]:span[1]], "engine"))
                continue
            rendered = alone.get(slot.match.text)
            span = _locate(rendered.text if rendered else "", text, claimed)
            if span is None:
                how.append(Enforcement(slot.entry.id, slot.match.text, _rendering(slot), "missing"))
                continue
            start, end = span
            text = text[:start] + slot.token + text[end:]
            shift = len(slot.token) - (end - start)
            claimed = [(s + shift, e + shift) if s >= end else (s, e) for s, e in claimed]
            claimed.append((start, start + len(slot.token)))
            placed.append(slot)
            how.append(Enforcement(slot.entry.id, slot.match.text, _rendering(slot), "repair"))
        text = self._restore(text, plan, placed, engine_saw_token=False)
        order = {s.entry.id + s.match.text: s.match.start for s in plan.slots}
        how.sort(key=lambda e: order.get(e.id + e.fr, 0))
        return self._verified(plan, Translation(text, out.provenance), how)

    # -- shared ---------------------------------------------------------------------------------

    def _restore(self, text: str, plan: _Plan, slots: Sequence[_Slot], engine_saw_token: bool) -> str:
        if self.article_rules:
            if engine_saw_token:
                text = _uncapitalise_after_unknown(text, slots, plan.source)
            for slot in slots:
                text = _article_rules(text, slot, slots, plan.source, engine_saw_token)
        for slot in slots:
            text = _put_back(text, slot)
        return text

    def _verified(self, plan: _Plan, out: Translation | None, how: list[Enforcement]) -> CarriedTranslation:
        if out is None:
            return CarriedTranslation(plan.source, None)
        text = out.text
        issues = check_translation(plan.source, text, self.glossary, plan.default_org)
        fixed = _replace_forbidden(text, issues, self.glossary)
        if fixed != text:
            text = fixed
            issues = check_translation(plan.source, text, self.glossary, plan.default_org)
        missing = {i.id for i in issues if i.kind == "missing"}
        span_kinds = {s.entry.id for s in plan.slots if not s.is_term}
        terms = [Enforcement(e.id, e.fr, e.en, "missing" if e.id in missing else
                             "replaced" if e.how == "missing" else e.how) for e in how if e.id not in span_kinds]
        protected = [Enforcement(e.id, e.fr, e.en, e.how if e.en in text else "missing")
                     for e in how if e.id in span_kinds]
        dates = tuple(d for d in find_dates(plan.source) if not english_has_date(text, d)) if self.protect else ()
        translation = out if text == out.text else Translation(text, out.provenance)
        return CarriedTranslation(plan.source, translation, tuple(terms), tuple(issues), tuple(protected), dates)


def carry_terms(engine: Engine, segments: Sequence[str], glossary: Glossary,
                default_orgs: Sequence[str | None] | None = None, *,
                mode: str = "placeholder+repair") -> list[CarriedTranslation]:
    """prepare → one engine call → finish, for callers without a cache of their own."""
    carrier = TermCarrier(glossary, mode=mode)
    prepared = carrier.prepare(segments, default_orgs)
    outputs = engine.translate_batch(list(prepared.engine_inputs)) if prepared.engine_inputs else []
    return carrier.finish(prepared, outputs, retry=engine.translate_batch)


# ---------------------------------------------------------------------------------------------
# Helpers


def _suffix(n: int) -> str:
    letters = string.ascii_lowercase
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = letters[r] + out
    return out


def _term_inputs(plans: Sequence[_Plan]) -> list[str]:
    return list(dict.fromkeys(s.match.text for p in plans for s in p.slots))


def _is_acronym(word: str) -> bool:
    return any(c.isupper() for c in word) and not any(c.islower() for c in word)


def _is_plural(matched: str, entry: Entry, determiner: str) -> bool:
    """A generated plural form (head ends in s/x, the dictionary form's does not), or an
    invariable head ("pays") after a plural determiner."""
    head = matched.split()[0].casefold() if matched.split() else ""
    if not head or head[-1] not in "sxz" or _is_acronym(matched.split()[0]):
        return False
    heads = [f.split()[0].casefold() for f in entry.french_forms if f.split()]
    if all(h != head and h[-1:] not in "sxz" for h in heads):
        return True
    # An invariable or already plural French head: plural only if the English is singular ("pays" → "Ally").
    return (head in heads and determiner in FR_PLURAL_DETERMINERS
            and not _english_head(entry.en)[1].endswith("s"))


def _english_head(en: str) -> tuple[str, str, str]:
    """(before, head word, after): the head is the word before the first EN_HEAD_ENDS word, else the last."""
    words = en.split(" ")
    end = next((i for i, w in enumerate(words) if i and w in EN_HEAD_ENDS), len(words))
    return " ".join(words[: end - 1]), words[end - 1], " ".join(words[end:])


def _plural(en: str) -> str:
    for singular, plural in EN_PLURALS:
        if en.endswith(singular):
            return en[: len(en) - len(singular)] + plural
    before, head, after = _english_head(en)
    if head in EN_SAME_PLURAL:
        pass
    elif head.isupper():
        head += "s"
    elif re.search(r"[^aeiou]y$", head):
        head = head[:-1] + "ies"
    elif re.search(r"(?:s|x|z|ch|sh)$", head):
        head += "es"
    elif head[-1:].isalpha():
        head += "s"
    return " ".join(p for p in (before, head, after) if p)


def _rendering(slot: _Slot) -> str:
    en = slot.entry.en or slot.entry.fr
    if slot.entry.type == DO_NOT_TRANSLATE:
        return en
    return _plural(en) if slot.plural else en


def _token_re(token: str) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W\d_])" + re.escape(token) + r"(?![^\W\d_])")


def _recover_tokens(text: str, slots: Sequence[_Slot]) -> str | None:
    """The output with each placeholder exactly once, repairing case or a split; None if one is lost."""
    for slot in slots:
        exact = len(_token_re(slot.token).findall(text))
        if exact == 1:
            continue
        loose = re.compile(r"(?<![^\W\d_])" + r"\s?".join(re.escape(c) for c in slot.token) + r"(?![^\W\d_])",
                           re.IGNORECASE)
        if exact > 1 or len(loose.findall(text)) != 1:
            return None
        text = loose.sub(slot.token, text)
    return text


def _article_rules(text: str, slot: _Slot, slots: Sequence[_Slot], source: str, engine_saw_token: bool) -> str:
    token = re.escape(slot.token)
    en = _rendering(slot)
    place = slot.span is not None and slot.span.kind in (PLACE, TITLE)  # a title's `the` is False: "General Jean Dupont"
    if en in NO_ARTICLE or re.match(r"\S+['’]s\b", en) or (place and not slot.span.the):  # type: ignore[union-attr]
        text = re.sub(r"(?<!\w)(?:the|The) (?=" + token + r"(?!\w))", "", text)
    elif place:
        # "en République démocratique du Congo" → "in Zqxa" → "in the Democratic Republic of the Congo".
        text = re.sub(r"(?<!\w)(" + "|".join(EN_PREPOSITIONS + ("of",)) + r") (?=" + token + r"(?!\w))", r"\1 the ", text)
    if slot.after_des:
        # "pour des entretiens" → Apertium "for of the Zqxa": a partitive it cannot see through.
        text = re.sub(r"(?<!\w)(" + "|".join(EN_PREPOSITIONS) + r") of the (?=" + token + r"(?!\w))", r"\1 ", text)
    if slot.match.fr.split()[0].casefold() in PERSON_TITLES:
        courtesy = [re.escape(c) for c in APPOSITION_COURTESY]
        if APPOSITION_DROPS_COURTESY_TERM:
            courtesy += [re.escape(s.token) for s in slots if _rendering(s) in APPOSITION_COURTESY]
        name = r"(?:[A-Z][\w'’‑-]*)"
        pattern = (r"(?:(?<!\w)(?:" + "|".join(APPOSITION_ARTICLES) + r") )?" + token
                   + r"(?P<comma>,?) (?:(?:" + "|".join(courtesy) + r") )?"
                   r"(?P<name>" + name + r"(?: " + name + r"){0," + str(APPOSITION_NAME_WORDS - 1) + r"})"
                   r"(?P<end>,(?= )|(?= ?[.;:!?»”\"]|\Z)|(?= [a-z]))")

        def apposition(m: re.Match[str]) -> str:
            # "the T, Name," loses both commas; "the T Name, Director …" keeps the one after the name.
            return slot.token + " " + m.group("name") + ("" if m.group("comma") else m.group("end"))

        text = re.sub(pattern, apposition, text)
    return text


def _uncapitalise_after_unknown(text: str, slots: Sequence[_Slot], source: str) -> str:
    """Apertium capitalises the first word it knows when a sentence opens with unknown ones
    ("Zqxa Fogh Rasmussen Has informed"); lower-case it unless the French has it capitalised or a
    capitalised word follows (a translated name: "United Kingdom")."""
    if not slots:
        return text
    tokens = "|".join(re.escape(s.token) for s in slots)
    opening = re.compile(r"(?:\A|[.!?…]\s+)[" + re.escape(_OPEN) + r"]*(?=(?:" + tokens + r")\b)")
    for start in reversed([m.end() for m in opening.finditer(text)]):
        words = list(re.finditer(r"\S+", text[start:]))
        for n, word in enumerate(words):
            w = word.group().strip(",;:")
            if re.fullmatch(tokens, w) or (w[:1].isupper() and re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", source)):
                continue
            following = words[n + 1].group() if n + 1 < len(words) else ""
            if re.fullmatch(r"[A-Z][a-z]+", w) and w != "I" and not following[:1].isupper():
                i = start + word.start()
                text = text[:i] + text[i].lower() + text[i + 1:]
            break
    return text


def _put_back(text: str, slot: _Slot) -> str:
    en = _rendering(slot)
    out: list[str] = []
    last = 0
    for m in _token_re(slot.token).finditer(text):
        before = text[:m.start()]
        rendered = en[:1].upper() + en[1:] if slot.is_term and _SENTENCE_START.search(before) else en
        out += [text[last:m.start()], rendered]
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _engine_span(entry: Entry, text: str, claimed: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    for form in entry.english_forms:
        for start, end in find_english(form, text):
            if not any(s < end and start < e for s, e in claimed):
                return start, end
    return None


def _strip_article(text: str) -> str:
    text = text.strip().rstrip(".;:!?").strip()
    for article in ENGLISH_ARTICLES:
        if text.lower().startswith(article):
            return text[len(article):]
    return text


def _locate(rendered: str, text: str, claimed: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """Where the engine's rendering of a term alone sits in its rendering of the sentence."""
    needle = _strip_article(rendered).lower()
    hay = text.lower()
    if not needle or len(hay) != len(text):
        return None
    free = lambda s, e: not any(cs < e and s < ce for cs, ce in claimed)  # noqa: E731
    for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", hay):
        if free(m.start(), m.end()):
            return m.start(), m.end()
    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=REPAIR_MIN_SCORE)
    if found is None:
        return None
    start, end = found.dest_start, found.dest_end
    while start > 0 and hay[start - 1].isalnum():
        start -= 1
    while end < len(hay) and hay[end].isalnum():
        end += 1
    while end > start and not hay[end - 1].isalnum():
        end -= 1
    return (start, end) if end > start and free(start, end) else None


def _replace_forbidden(text: str, issues: Sequence[TermIssue], glossary: Glossary) -> str:
    """Banned English → the house form: a term's own en, or the term that bans the same form."""
    by_banned: dict[str, str] = {}
    for entry in glossary:
        if entry.type != FORBIDDEN:
            for form in entry.en_forbidden:
                by_banned.setdefault(form, entry.en)
    for issue in sorted((i for i in issues if i.kind == "forbidden" and i.target_span), key=lambda i: -i.target_span[0]):
        entry = glossary.get(issue.id)
        if entry is None:
            continue
        start, end = issue.target_span  # type: ignore[misc]
        found = text[start:end]
        if entry.type == FORBIDDEN:
            form = entry.en
            house = by_banned.get(form)
        else:
            form = next((f for f in entry.en_forbidden if find_english(f, found)), "")
            house = entry.en
        if not house or not form:
            continue
        tail = found[len(form):] if len(found) > len(form) else ""  # plural or possessive ending
        if found[:1].isupper() and house[:1].islower():
            house = house[0].upper() + house[1:]
        text = text[:start] + house + tail + text[end:]
    return text
