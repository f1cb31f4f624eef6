"""Machine drafts worth editing: everything that happens around an engine, for any engine.

One run's segments go through `prepare` (abbreviations written out, abbreviations.py; glossary
terms and protected spans → placeholders, carry.py + protect.py), one engine call, then `finish`: placeholders restored and verified,
lost ones repaired (one batched call), data-driven post-editing (mt/postedit.py), and French or
Spanish words left in the English repaired or marked (leftovers.py, batched calls to the engine's
alternatives; morphology.py for words no route knows, with the glossary's reference layers as a
lexicon). Each finished translation carries a note saying what was enforced, repaired or lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from workflow.mt.engines import Engine, Translation
from workflow.mt.postedit import post_edit
from workflow.terms.abbreviations import expand
from workflow.terms.carry import Batch, CarriedTranslation, Prepared, TermCarrier
from workflow.terms.glossary import Glossary
from workflow.terms.leftovers import Lexicon, LeftoverRepair


# How many segments test whether the engine keeps placeholders, and the share it must keep.
PROBE_SIZE = 8
PROBE_MIN_KEPT = 0.5


@dataclass(frozen=True)
class Draft:
    carried: CarriedTranslation
    translation: Translation | None  # the finished draft, its note included
    repaired: tuple[str, ...] = ()
    left: tuple[str, ...] = ()  # foreign words still in the draft (marked)


class DraftMaker:
    """prepare → one engine call → finish; `alternatives` are other engines (or cached wrappers
    of them) used only to repair what the main one leaves in the source language."""

    def __init__(self, glossary: Glossary | None = None, *, alternatives: Sequence[Engine] = (),
                 protect: bool = True, post_editing: bool = True, repair_leftovers: bool = True,
                 finishing: Callable[[str], str] | None = None):
        self.carrier = TermCarrier(glossary, protect=protect)
        self.alternatives = list(alternatives)
        self.post_editing = post_editing
        self.repair_leftovers = repair_leftovers
        self.finishing = finishing  # last touch on every draft (English typography)

    def probe(self, batch: Batch, segments: Sequence[str], default_orgs: Sequence[str | None] | None = None,
              known_names: Sequence[str] = (), dates: Sequence[date | None] | None = None,
              acronyms: Mapping[str, str] | None = None) -> float:
        """Does this engine keep placeholders? Sends the PROBE_SIZE shortest segments that have some
        and returns the share kept; below PROBE_MIN_KEPT the run switches to repair mode (the engine
        sees the plain French once, plus every term alone, in the same call), so an engine that drops
        placeholders costs one pass, not a protected pass and then a plain one (issue #13)."""
        if self.carrier.mode != "placeholder+repair":
            return 1.0
        prepared = self.carrier.prepare(self._written_out(segments), default_orgs, known_names, dates, acronyms)
        sample = sorted((i for i, p in enumerate(prepared.plans) if p.slots),
                        key=lambda i: len(prepared.plans[i].protected))[:PROBE_SIZE]
        if not sample:
            return 1.0
        outputs = batch([prepared.plans[i].protected for i in sample])
        kept = sum(self.carrier.kept_placeholders(prepared, i, o) for i, o in zip(sample, outputs))
        share = kept / len(sample)
        if share < PROBE_MIN_KEPT:
            self.carrier.mode = "repair"
        return share

    def prepare(self, segments: Sequence[str], default_orgs: Sequence[str | None] | None = None,
                known_names: Sequence[str] = (), dates: Sequence[date | None] | None = None,
                acronyms: Mapping[str, str] | None = None) -> Prepared:
        """`dates`: each segment's article date, for place names that changed (Turkey → Türkiye);
        `acronyms`: French acronyms the articles define after a known term (acronyms.py)."""
        self._known_names = list(known_names)
        self._acronyms = dict(acronyms or {})
        return self.carrier.prepare(self._written_out(segments), default_orgs, known_names, dates, self._acronyms)

    def _written_out(self, segments: Sequence[str]) -> list[str]:
        """Abbreviations written out before anything else ("15 janv. 2019" → "15 janvier 2019"): the
        glossary, the protected spans, the date checks and the engine all see the full words; part
        of protection (off with `protect=False`: the engine then gets the segments as they are)."""
        return [expand(s) for s in segments] if self.carrier.protect else list(segments)

    def finish(self, prepared: Prepared, outputs: Sequence[Translation | None], retry: Batch | None = None) -> list[Draft]:
        carried = self.carrier.finish(prepared, outputs, retry=retry)
        texts = [self._edited(c.source, c.translation) for c in carried]
        repaired: list[tuple[str, ...]] = [()] * len(carried)
        left: list[tuple[str, ...]] = [()] * len(carried)
        todo = [i for i, t in enumerate(texts) if t is not None]
        if self.repair_leftovers and todo:
            word_engines = [a.translate_batch for a in self.alternatives] or ([retry] if retry else [])
            whole = self._whole(prepared, todo) if self.alternatives else None
            # Tracing a pivot word back to its French pays only where another route can translate it.
            main = retry if self.alternatives else None
            routes = ([retry] if retry else []) + [a.translate_batch for a in self.alternatives]
            lexicons = [reference_lexicon(self.carrier.glossary)] if self.carrier.glossary.references else []
            fixed = LeftoverRepair(word_engines, whole, main=main, routes=routes, lexicons=lexicons).repair(
                [carried[i].source for i in todo], [texts[i] or "" for i in todo])
            for i, draft in zip(todo, fixed):
                texts[i], repaired[i], left[i] = draft.text, tuple(draft.repaired), tuple(draft.left)
        drafts = []
        for c, text, rep, lft in zip(carried, texts, repaired, left):
            if c.translation is None or text is None:
                drafts.append(Draft(c, None))
                continue
            if self.finishing is not None:
                text = self.finishing(text)
            notes = [c.comment] if c.comment else []
            if rep:
                notes.append("repaired: " + "; ".join(rep))
            if lft:
                notes.append("left in the source language (marked): " + ", ".join(lft))
            drafts.append(Draft(c, replace(c.translation, text=text, note="\n".join(notes)), rep, lft))
        return drafts

    def _edited(self, source: str, translation: Translation | None) -> str | None:
        if translation is None:
            return None
        if not self.post_editing:
            return translation.text
        return post_edit(source, translation.text, translation.provenance.engine)

    def _whole(self, prepared: Prepared, todo: list[int]) -> Callable[[list[int]], list[str | None]]:
        """Re-makes chosen drafts with the first alternative engine, the same way as the main one."""
        def again(indexes: list[int]) -> list[str | None]:
            engine = self.alternatives[0]
            plans = [prepared.plans[todo[i]] for i in indexes]
            sub = self.carrier.prepare([p.source for p in plans], [p.default_org for p in plans], self._known_names,
                                       [p.when for p in plans], self._acronyms)
            outputs = engine.translate_batch(list(sub.engine_inputs))
            done = self.carrier.finish(sub, outputs, retry=engine.translate_batch)
            return [self._edited(d.source, d.translation) for d in done]
        return again


def reference_lexicon(glossary: Glossary) -> Lexicon:
    """Single French words → English from the glossary's reference layers (imported termbases): the
    reading the layers rank first for a word that is a whole term by itself."""
    def look_up(words: list[str]) -> dict[str, str]:
        found = {}
        for word in words:
            whole = [m for m in glossary.hints(word) if m.layer and m.start == 0 and m.end == len(word)]
            if whole:
                found[word] = whole[0].en
        return found
    return look_up
