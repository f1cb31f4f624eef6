"""French (and pivot Spanish) words left in English drafts: found, repaired, else marked.

Apertium passes words its dictionaries lack straight through ("the threats sécuritaires", "the
bet in œuvre"), and its Spanish pivot leaks Spanish the English half does not know ("an agreement
that oficializa"). Detection is `workflow.source.lexicon.foreign_words`, the detector the QA
check uses. Repair, smallest first, each step one batched engine call for the whole run:

1. a mass noun the engine pluralised ("violences", "informations") becomes its English singular;
2. a French word of the source left as it is (or the French a pivot word came from) gets
   re-translated alone, by the engine's alternatives (`alternatives()`: Apertium's Catalan and
   Esperanto pivots) or the engine itself;
3. a segment still holding foreign words is re-translated whole by the alternatives (the words the
   alternative has in a foreign word's place, else the whole version if it has fewer unknown words);
4. morphology (morphology.py), for words no route knows even in context: the word's lemma, and its
   stem after a productive prefix, go through every route (the engine first) and the lexicons (the
   glossary's reference layers), and the English is re-inflected and joined ("coprésidés" →
   "co-" + "chaired");
5. a cognate ("pandémie" → "pandemic"), of the word or of its lemma re-inflected ("pandémies");
6. what remains is marked in the fuzzy draft (`data/leftovers_en.toml`) and reported.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from workflow.mt.engines import Translation
from workflow.source.lexicon import WORD, foreign_words, is_english_word, word_language, zipf
from workflow.terms.morphology import Query, analyse, bare, english_for, queries

Batch = Callable[[list[str]], list[Translation | None]]
# Single French words (lemmas) → English, for the words no route knows: the glossary's reference
# layers (an imported termbase), optional dictionaries. Absent words are left out of the answer.
Lexicon = Callable[[list[str]], dict[str, str]]


@dataclass(frozen=True)
class _Settings:
    max_words: int
    mass_plurals: bool
    marker: str
    cognate_min_zipf: float
    cognates: dict[str, tuple[tuple[str, str], ...]]


@cache
def _settings() -> _Settings:
    data = tomllib.loads((files("workflow") / "data" / "leftovers_en.toml").read_text("utf-8"))
    cognates = {lang: tuple((a, b) for a, b in rules) for lang, rules in data["cognates"].items()}
    return _Settings(int(data["max_words"]), bool(data["mass_plurals"]), str(data["marker"]),
                     float(data["cognate_min_zipf"]), cognates)


@dataclass
class Draft:
    """One segment's draft under repair."""

    source: str
    text: str
    repaired: list[str]  # "sécuritaires → security"
    left: list[str]  # still foreign (marked)


def leftovers(text: str) -> list[str]:
    return [w.text for w in foreign_words(text)]


def _unknown(text: str, source: str) -> int:
    """Lower-case words no language here knows (a Catalan word from the alternative route: "estralls")."""
    return sum(1 for w in WORD.findall(text) if w[:1].islower() and len(w) > 3 and zipf(w, "en") < 1.0
               and word_language(w) is None and not _in_source(w, source))


def _badness(text: str, source: str) -> int:
    return len(leftovers(text)) + _unknown(text, source)


def cognate(word: str, lang: str) -> str | None:
    """The English cognate of a French or Spanish word, if its rewritten form is ordinary English."""
    settings = _settings()
    bare = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn")
    forms = [(word.lower(), a, b) for a, b in settings.cognates.get(lang, ())]
    forms += [(bare, unicodedata.normalize("NFC", a), b) for a, b in settings.cognates.get(lang, ())]
    best, best_zipf = None, 0.0
    for base, ending, english in forms:
        bare_ending = "".join(c for c in unicodedata.normalize("NFD", ending) if unicodedata.category(c) != "Mn")
        for end in dict.fromkeys((ending, bare_ending)):
            if not base.endswith(end):
                continue
            candidate = base[: len(base) - len(end)] + english
            if candidate == word.lower() or len(candidate) < 4:
                continue
            value = zipf(candidate, "en")
            if value >= settings.cognate_min_zipf and word_language(candidate) is None and value > best_zipf:
                best, best_zipf = candidate, value
    return best


def _replace_word(text: str, word: str, new: str) -> str:
    return re.sub(r"(?<![\w’'])" + re.escape(word) + r"(?![\w])", lambda _m: new, text)


def _singular(word: str) -> str | None:
    """The English singular of a plural the engine should not have made ("informations")."""
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            base = word[: len(word) - len(suffix)] + replacement
            if is_english_word(base) and word_language(base) is None:
                return base
    return None


def _in_source(word: str, source: str) -> bool:
    return re.search(r"(?<![\w])" + re.escape(word) + r"(?![\w])", source, re.IGNORECASE) is not None


def _clean_rendering(word: str, out: Translation | None) -> str | None:
    return None if out is None else _clean_text(word, out.text)


def _clean_text(word: str, text: str) -> str | None:
    """An engine's or a lexicon's English for a word alone, if usable as it stands."""
    text = text.strip().strip(".;:,!?").strip()
    if not text or re.search(r"[*#@]", text):
        return None
    if text.casefold() == word.casefold() and not is_english_word(text):
        return None  # passed through untranslated (a stem English shares, "information", is fine)
    passed = set(re.split(r"[\s\-‑]+", word.lower()))
    if any(part in passed and not is_english_word(part) for part in re.split(r"[\s\-‑]+", text.lower())):
        return None  # part of the word passed through ("primo-intervenant" → "primo-intervening")
    if word[:1].islower() and text[:1].isupper() and not text.isupper():
        text = text[0].lower() + text[1:]  # engines capitalise a word translated alone
    if len(WORD.findall(text)) > _settings().max_words or foreign_words(text, skip_capitalised=False):
        return None
    if _unknown(text, ""):
        return None  # a word of the pivot language no detector knows ("conciutadans", "valorigi")
    return text


class LeftoverRepair:
    """Repairs a run's drafts in as few engine calls as possible (see the module docstring)."""

    def __init__(self, engines: Sequence[Batch], whole: Callable[[list[int]], list[str | None]] | None = None,
                 main: Batch | None = None, *, routes: Sequence[Batch] = (), lexicons: Sequence[Lexicon] = ()):
        """`engines`: batch translators for words alone, tried in order. `whole(indexes)`: the
        drafts of those segments re-made by an alternative route (None where there is none).
        `main`: the engine that made the drafts, to trace a pivot-language word back to its French.
        `routes`: every route (the main engine first) for the lemmas and stems of morphology;
        `lexicons`: single-word lexicons tried after the routes."""
        self.engines = list(engines)
        self.whole = whole
        self.main = main
        self.routes = list(routes)
        self.lexicons = list(lexicons)
        self._french: list[dict[str, str]] = []

    def repair(self, sources: Sequence[str], texts: Sequence[str]) -> list[Draft]:
        drafts = [Draft(s, t, [], []) for s, t in zip(sources, texts)]
        settings = _settings()
        if settings.mass_plurals:
            for draft in drafts:
                self._mass_plurals(draft)
        self._french = [{} for _ in drafts]
        self._words_alone(drafts)
        self._whole_segments(drafts)
        self._morphology(drafts)
        for draft, french in zip(drafts, self._french):
            self._cognates(draft, french)
        for draft in drafts:
            left = leftovers(draft.text)
            for word in dict.fromkeys(left):
                draft.text = _replace_word(draft.text, word, settings.marker.format(word=word))
            draft.left = list(dict.fromkeys(left))
        return drafts

    @staticmethod
    def _cognates(draft: Draft, french: dict[str, str]) -> None:
        for found in foreign_words(draft.text):
            new, how = cognate(found.text, found.lang), "cognate"
            source = found.text if found.lang == "fr" else french.get(found.text)
            if new is None and source is not None and source != found.text:
                new, how = cognate(source, "fr"), f"cognate of {source}"  # "equitativo" from "équitable"
            if new is None and source is not None:
                ask, form = analyse(source)  # "pandémies": the cognate of "pandémie", made plural
                english = cognate(ask, "fr") if ask != source.lower() else None
                new = english_for(Query(ask, form), english) if english else None
                how = f"cognate of {ask}"
            if new is not None:
                draft.text = _replace_word(draft.text, found.text, new)
                draft.repaired.append(f"{found.text} → {new} ({how})")

    @staticmethod
    def _mass_plurals(draft: Draft) -> None:
        for word in dict.fromkeys(leftovers(draft.text)):
            singular = _singular(word)
            if singular is not None:
                draft.text = _replace_word(draft.text, word, singular)
                draft.repaired.append(f"{word} → {singular}")

    def _pivot_sources(self, drafts: list[Draft]) -> dict[int, dict[str, str]]:
        """For pivot-language leftovers ("oficializa"): the French word the engine made it from,
        found by translating the segment's other French words alone (one batched call)."""
        if not self.engines or self.main is None:
            return {}
        wanted = {i: [w for w in leftovers(d.text) if not _in_source(w, d.source)] for i, d in enumerate(drafts)}
        wanted = {i: words for i, words in wanted.items() if words}
        candidates = {i: [w for w in dict.fromkeys(WORD.findall(drafts[i].source))
                          if w[:1].islower() and len(w) >= 5 and not _in_source(w, drafts[i].text)]
                      for i in wanted}
        french = list(dict.fromkeys(w for words in candidates.values() for w in words))
        if not french:
            return {}
        rendered = {w: (o.text.lower() if o else "") for w, o in zip(french, self.main(french))}
        found: dict[int, dict[str, str]] = {}
        for i, words in wanted.items():
            for word in words:
                stem = word.lower()[:5]
                source = next((f for f in candidates[i] if stem in rendered[f]), None)
                if source is not None:
                    found.setdefault(i, {})[word] = source
        return found

    def _french_of(self, drafts: list[Draft]) -> dict[tuple[int, str], str | None]:
        """(segment, leftover word) → the French word it stands for (itself, or a pivot word's source)."""
        french_of: dict[tuple[int, str], str | None] = {}
        for i, d in enumerate(drafts):
            for w in leftovers(d.text):
                french_of[(i, w)] = w if _in_source(w, d.source) else self._french[i].get(w)
        return french_of

    def _words_alone(self, drafts: list[Draft]) -> None:
        for i, found in self._pivot_sources(drafts).items():
            self._french[i].update(found)
        for engine in self.engines:
            french_of = self._french_of(drafts)
            wanted = {f: None for f in french_of.values() if f}
            if not wanted:
                return
            words = list(wanted)
            renderings = dict(zip(words, (_clean_rendering(w, o) for w, o in zip(words, engine(words)))))
            for (i, word), source_word in french_of.items():
                new = renderings.get(source_word) if source_word else None
                if new and re.search(r"(?i)\b(?:the|a|an|this|these|his|her|its|their|our)\s+" + re.escape(word) + r"(?![\w])",
                                     drafts[i].text):
                    new = re.sub(r"^(?:the|a|an) ", "", new)  # "to the espaldarazo" + "the support"
                if new and re.search(r"(?<![\w’'])" + re.escape(word) + r"(?![\w])", drafts[i].text):
                    drafts[i].text = _replace_word(drafts[i].text, word, new)
                    drafts[i].repaired.append(f"{word} → {new}" + (f" (from {source_word})" if source_word != word else ""))

    def _morphology(self, drafts: list[Draft]) -> None:
        """Lemmas and stems of the French words still left (morphology.py), through every route in
        one batched call each, then the lexicons; the first English that can be built wins."""
        if not self.routes and not self.lexicons:
            return
        french_of = {key: f for key, f in self._french_of(drafts).items() if f and len(bare(f)) > 2}
        # The word itself first, in its own form: a lexicon lists lemmas and finds inflected forms.
        asked = {f: [Query(bare(f), analyse(f)[1]), *queries(f)] for f in dict.fromkeys(french_of.values())}
        words = list(dict.fromkeys(q.ask for qs in asked.values() for q in qs))
        answers: list[dict[str, str]] = []
        for route in self.routes:
            if words:
                answers.append({w: new for w, o in zip(words, route(words))
                                if (new := _clean_rendering(w, o)) is not None})
        for lexicon in self.lexicons:
            answers.append({w: new for w, e in lexicon(words).items() if (new := _clean_text(w, e)) is not None})
        found: dict[str, tuple[str, str]] = {}
        for french, ways in asked.items():
            made = next(((new, q.label()) for q in ways for answer in answers
                         if q.ask in answer and (new := english_for(q, answer[q.ask]))), None)
            if made is not None:
                found[french] = made
        for (i, word), french in french_of.items():
            if french in found and re.search(r"(?<![\w’'])" + re.escape(word) + r"(?![\w])", drafts[i].text):
                new, how = found[french]
                drafts[i].text = _replace_word(drafts[i].text, word, new)
                drafts[i].repaired.append(f"{word} → {new} (from {how})")

    @staticmethod
    def _aligned_spans(draft: Draft, again: str) -> None:
        """Each foreign word replaced by the words the alternative route has in its place."""
        from difflib import SequenceMatcher

        mine = list(re.finditer(r"\S+", draft.text))
        theirs = [m.group() for m in re.finditer(r"\S+", again)]
        foreign = {w.start for w in foreign_words(draft.text)}
        matcher = SequenceMatcher(None, [m.group().lower() for m in mine], [t.lower() for t in theirs], autojunk=False)
        edits = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "replace" or not any(mine[k].start() <= f < mine[k].end() for k in range(i1, i2) for f in foreign):
                continue
            new = " ".join(theirs[j1:j2])
            if 0 < j2 - j1 <= _settings().max_words + (i2 - i1) - 1 and _badness(new, draft.source) == 0:
                edits.append((mine[i1].start(), mine[i2 - 1].end(), new))
        for start, end, new in reversed(edits):
            old = draft.text[start:end]
            draft.text = draft.text[:start] + new + draft.text[end:]
            draft.repaired.append(f"{old} → {new} (alternative route)")

    def _whole_segments(self, drafts: list[Draft]) -> None:
        if self.whole is None:
            return
        todo = [i for i, d in enumerate(drafts) if leftovers(d.text)]
        if not todo:
            return
        for i, again in zip(todo, self.whole(todo)):
            if again is None:
                continue
            draft = drafts[i]
            self._aligned_spans(draft, again)
            if not leftovers(draft.text):
                continue
            before, after = _badness(draft.text, draft.source), _badness(again, draft.source)
            if after < before:
                draft.repaired.append(f"re-translated by the alternative route ({before} → {after} unknown words)")
                draft.text = again
                if _settings().mass_plurals:
                    self._mass_plurals(draft)
