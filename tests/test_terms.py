"""workflow.terms.carry: glossary terms carried through an engine (test doubles for the mechanics, Apertium for real)."""

from __future__ import annotations

import re

import pytest

from workflow.mt.engines import NoneEngine, Provenance, Translation
from workflow.terms.entry import Entry
from workflow.terms.glossary import Glossary, load_glossary
from workflow.terms.carry import PLACEHOLDER_STEM, TermCarrier, carry_terms


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


class PhraseEngine:
    """Replaces whole French phrases by English ones; everything else (placeholders too) passes through."""

    name = "phrases"

    def __init__(self, phrases: dict[str, str], *, drop_placeholders: bool = False):
        self.phrases = sorted(phrases.items(), key=lambda kv: -len(kv[0]))
        self.drop_placeholders = drop_placeholders
        self.calls: list[list[str]] = []

    @property
    def provenance(self) -> Provenance:
        return Provenance(engine="phrases")

    def translate_batch(self, segments: list[str]) -> list[Translation | None]:
        self.calls.append(list(segments))
        out: list[Translation | None] = []
        for text in segments:
            if self.drop_placeholders:
                text = re.sub(r"\s?" + PLACEHOLDER_STEM + r"q*[a-z]+", "", text)
            for fr, en in self.phrases:
                tail = r"(?!\w)" if fr[-1].isalnum() else ""
                text = re.sub(r"(?<!\w)" + re.escape(fr) + tail, en, text)
            out.append(Translation(text, self.provenance))
        return out


COMMON = {"Le": "The", "le": "the", "la": "the", "a rencontré": "met", "a parlé": "spoke", "a dit": "said",
          "est": "is", "essentielle": "essential", "sont arrivés": "arrived", "Les": "The", "de": "of", "l'": "the ", "La": "The", "L'": "The "}


def test_placeholders_survive_and_are_restored(glossary: Glossary) -> None:
    engine = PhraseEngine(COMMON)
    carrier = TermCarrier(glossary)
    source = "Le secrétaire général de l'OTAN a rencontré le secrétaire général de l'ONU."
    prepared = carrier.prepare([source], ["NATO"])
    (sent,) = prepared.engine_inputs
    assert "secrétaire" not in sent and sent.count(PLACEHOLDER_STEM) == 2
    (done,) = carrier.finish(prepared, engine.translate_batch(prepared.engine_inputs))
    assert done.text == "The NATO Secretary General met the UN Secretary-General."
    assert [e.how for e in done.enforced] == ["placeholder", "placeholder"]
    assert done.issues == ()
    assert "NATO Secretary General (placeholder)" in done.comment


def test_sentence_initial_capital(glossary: Glossary) -> None:
    (done,) = carry_terms(PhraseEngine(COMMON), ["Défense collective : priorité."], glossary)
    assert done.text.startswith("Collective defence :")
    (mid,) = carry_terms(PhraseEngine(COMMON), ["La défense collective est essentielle."], glossary)
    assert mid.text == "The collective defence is essential."


@pytest.mark.parametrize(("org", "expected"), [("NATO", "Secretary General"), ("UN", "Secretary-General")])
def test_default_org_per_segment(glossary: Glossary, org: str, expected: str) -> None:
    (done,) = carry_terms(PhraseEngine(COMMON), ["Le secrétaire général a parlé."], glossary, [org])
    assert done.text == f"The {expected} spoke."


def test_org_named_after_the_term_wins_over_default(glossary: Glossary) -> None:
    segs = ["Le secrétaire général de l'ONU a parlé.", "Le secrétaire général a parlé."]
    done = carry_terms(PhraseEngine(COMMON), segs, glossary, ["NATO", "UN"])
    assert [d.text for d in done] == ["The UN Secretary-General spoke.", "The Secretary-General spoke."]


def test_lost_placeholder_falls_back_to_repair(glossary: Glossary) -> None:
    engine = PhraseEngine({**COMMON, "secrétaire général de l'OTAN": "Nato general secretary"},
                          drop_placeholders=True)
    carrier = TermCarrier(glossary)
    source = "Le secrétaire général de l'OTAN a parlé."
    prepared = carrier.prepare([source, "Il fait beau."], ["NATO", "NATO"])
    outputs = engine.translate_batch(prepared.engine_inputs)
    done = carrier.finish(prepared, outputs, retry=engine.translate_batch)
    assert done[0].text == "The NATO Secretary General spoke."
    assert [e.how for e in done[0].enforced] == ["repair"]
    # one extra call, holding only the failed segment (unprotected) and its term alone
    assert engine.calls[1] == [source, "secrétaire général de l'OTAN"]


def test_lost_placeholder_without_retry_is_reported(glossary: Glossary) -> None:
    engine = PhraseEngine(COMMON, drop_placeholders=True)
    carrier = TermCarrier(glossary, mode="placeholder")
    prepared = carrier.prepare(["Le secrétaire général de l'OTAN a parlé."], ["NATO"])
    (done,) = carrier.finish(prepared, engine.translate_batch(prepared.engine_inputs))
    assert [i.kind for i in done.issues] == ["missing"]
    assert PLACEHOLDER_STEM not in done.text


def test_case_mangled_placeholder_is_recovered(glossary: Glossary) -> None:
    class Upper(PhraseEngine):
        def translate_batch(self, segments):
            return [Translation(t.text.upper(), t.provenance) for t in super().translate_batch(segments)]

    (done,) = carry_terms(Upper({}), ["L'OTAN"], glossary)
    assert done.text == "L'NATO"
    assert done.enforced[0].how == "placeholder"


def test_repair_mode_is_one_call(glossary: Glossary) -> None:
    engine = PhraseEngine({**COMMON, "secrétaire général de l'ONU": "general secretary of the UN"})
    done = carry_terms(engine, ["Le secrétaire général de l'ONU a parlé."], glossary, mode="repair")
    assert len(engine.calls) == 1
    assert done[0].text == "The UN Secretary-General spoke."
    assert done[0].enforced[0].how == "repair"


def test_do_not_translate(glossary: Glossary) -> None:
    engine = PhraseEngine({**COMMON, "Alliance": "alliance"})
    (done,) = carry_terms(engine, ["La solidarité de l'Alliance est essentielle."], glossary)
    assert "Alliance" in done.text and "alliance" not in done.text
    assert done.enforced[0].how == "placeholder"


def test_forbidden_variant_is_replaced(glossary: Glossary) -> None:
    engine = PhraseEngine({"Il a parlé au secrétaire général.": "He spoke to the UN Secretary General."})
    (done,) = carry_terms(engine, ["Il a parlé au secrétaire général."], Glossary(()), ["UN"])
    assert done.text == "He spoke to the UN Secretary General."  # an empty glossary bans nothing
    (done,) = TermCarrier(glossary).finish(
        TermCarrier(glossary).prepare(["Il fait beau."], ["UN"]),
        [Translation("He met the UN Secretary General.", Provenance("x"))],
    )
    assert done.text == "He met the UN Secretary-General."
    assert done.issues == ()


def test_forbidden_form_of_a_source_term_is_replaced(glossary: Glossary) -> None:
    carrier = TermCarrier(glossary, mode="repair")
    prepared = carrier.prepare(["L'OTAN a parlé."], ["NATO"])
    outputs = [Translation("OTAN spoke.", Provenance("x")), Translation("", Provenance("x"))]
    (done,) = carrier.finish(prepared, outputs)
    assert done.text == "NATO spoke."
    assert done.issues == ()


def test_segment_without_terms_is_untouched(glossary: Glossary) -> None:
    source = "Il fait beau aujourd\u2019hui\u00a0!"
    engine = PhraseEngine({"Il fait beau": "It is fine"})
    carrier = TermCarrier(glossary)
    prepared = carrier.prepare([source], [None])
    assert prepared.engine_inputs[0] is source or prepared.engine_inputs[0] == source
    outputs = engine.translate_batch(prepared.engine_inputs)
    (done,) = carrier.finish(prepared, outputs)
    assert done.translation is outputs[0]
    assert done.enforced == () and done.comment == ""


def test_outputs_align_with_inputs(glossary: Glossary) -> None:
    segs = ["L'OTAN a parlé.", "", "Il fait beau.", "Le secrétaire général de l'ONU a parlé.", "L'OTAN a parlé."]
    done = carry_terms(PhraseEngine(COMMON), segs, glossary, ["NATO"] * len(segs))
    assert [d.source for d in done] == segs
    assert done[0].text == done[4].text == "NATO spoke."
    assert done[1].text == "" and done[2].text == "Il fait beau."
    assert carry_terms(NoneEngine(), segs, glossary) == [type(done[0])(s, None) for s in segs]


def test_plural_and_apposition(glossary: Glossary) -> None:
    segs = ["Les secrétaires généraux adjoints sont arrivés.",
            "Le secrétaire général de l'OTAN, Jens Stoltenberg, a dit."]
    done = carry_terms(PhraseEngine(COMMON), segs, glossary, ["NATO", "NATO"])
    assert done[0].text == "The Assistant Secretaries General arrived."
    assert done[1].text == "NATO Secretary General Jens Stoltenberg said."


def test_placeholder_stem_avoids_source_text(glossary: Glossary) -> None:
    carrier = TermCarrier(glossary)
    prepared = carrier.prepare([f"{PLACEHOLDER_STEM}a et l'OTAN."], [None])
    (sent,) = prepared.engine_inputs
    assert sent.startswith(f"{PLACEHOLDER_STEM}a et l'") and f"{PLACEHOLDER_STEM}a." not in sent


def test_custom_glossary_only_applies_where_the_french_occurs() -> None:
    g = Glossary((Entry(id="x", fr="pomme", en="teapot", pos="other"),))
    engine = PhraseEngine({"Il mange une": "He eats a", "Il dort.": "He sleeps."})
    done = carry_terms(engine, ["Il mange une pomme.", "Il dort."], g)
    assert [d.text for d in done] == ["He eats a teapot.", "He sleeps."]
    assert engine.calls[0][1] == "Il dort."


def test_finish_rejects_misaligned_outputs(glossary: Glossary) -> None:
    carrier = TermCarrier(glossary)
    with pytest.raises(ValueError):
        carrier.finish(carrier.prepare(["a", "b"], None), [None])


# ---------------------------------------------------------------------------------------------
# Apertium


def _apertium():
    from workflow.mt.engines.apertium import ApertiumEngine, apertium_available

    if not apertium_available():
        pytest.skip("Apertium fr-es + spa-eng not installed")
    return ApertiumEngine()


def test_apertium_nato_and_un_titles(glossary: Glossary) -> None:
    engine = _apertium()
    segs = ["Le secrétaire général de l'OTAN a rencontré le secrétaire général de l'ONU.",
            "Ce mardi, le secrétaire général de l'OTAN, Jens Stoltenberg, a rejoint les dirigeants mondiaux.",
            "M. Fogh Rasmussen a informé le secrétaire général de l'ONU.",
            "Il fait beau."]
    done = carry_terms(engine, segs, glossary, ["NATO"] * len(segs))
    assert "NATO Secretary General" in done[0].text and "UN Secretary-General" in done[0].text
    assert "Nato" not in done[0].text and PLACEHOLDER_STEM not in done[0].text
    assert "NATO Secretary General Jens Stoltenberg has" in done[1].text
    assert "Rasmussen has informed the UN Secretary-General" in done[2].text
    assert all(e.how == "placeholder" for d in done for e in d.enforced)
    assert all(not d.issues for d in done)
    plain = engine.translate_batch(["Il fait beau."])[0]
    assert done[3].text == plain.text


def test_english_plurals() -> None:
    from workflow.terms.carry import _plural

    assert _plural("surveillance aircraft") == "surveillance aircraft"
    assert _plural("Chief of Staff") == "Chiefs of Staff"
    assert _plural("Ally") == "Allies"
    assert _plural("NGO") == "NGOs"
    assert _plural("NATO Secretary General") == "NATO Secretaries General"
