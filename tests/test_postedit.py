"""Post-edit rules (workflow/data/postedit_en.toml): every rule's own example, gates, possessives."""

from __future__ import annotations

import pytest

from workflow.mt.postedit import PostEditor, post_edit, post_editor

RULES = post_editor().rules


def test_rules_load_with_unique_ids_and_examples() -> None:
    assert len(RULES) >= 30
    assert all(rule.example is not None for rule in RULES), [r.id for r in RULES if r.example is None]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_rule_fixes_its_example(rule) -> None:
    french, engine_output, expected = rule.example
    engine = rule.engines[0] if rule.engines else "apertium"
    assert rule.applies(french, engine)
    assert PostEditor((rule,), None).edit(french, engine_output, engine) == expected


@pytest.mark.parametrize("rule", [r for r in RULES if r.source is not None], ids=lambda r: r.id)
def test_gated_rules_stay_off_without_their_french(rule) -> None:
    assert not rule.applies("Le ciel est bleu.", rule.engines[0] if rule.engines else "apertium")


def test_engine_specific_rules_leave_other_engines_alone() -> None:
    text = "They have found the president."
    assert post_edit("Ils ont rencontré le président.", text, engine="apertium") == "They have met the president."
    assert post_edit("Ils ont rencontré le président.", text, engine="argos") == text


def test_possessives_follow_the_french_in_order() -> None:
    source = "L'OTAN et ses partenaires ont renforcé leur coopération."
    assert post_edit(source, "NATO and his partners have strengthened his cooperation.", "apertium") == \
        "NATO and his partners strengthened their cooperation."
    # Counts that disagree: nothing is guessed.
    assert post_edit("leur pays", "his country and his people", "apertium") == "his country and his people"


def test_correct_english_is_left_alone() -> None:
    text = "NATO Secretary General Jens Stoltenberg met the UN Secretary-General in New York on 1 June."
    assert post_edit("Le secrétaire général de l'OTAN a rencontré le 1er juin …", text, "apertium") == text


def test_passe_compose_is_reported_in_the_simple_past() -> None:
    assert post_edit("Elle a été complétée et les ambassadeurs ont été reçus.",
                     "It has been completed and the ambassadors have been received.") == \
        "It was completed and the ambassadors were received."
    assert post_edit("Il a ensuite souligné que…", "It has afterwards stressed that…") == "He afterwards stressed that…"
    # "has" as a main verb, or more English perfects than French passé composé: left alone.
    assert post_edit("L’OTAN a des ressources limitées.", "NATO has limited resources.") == "NATO has limited resources."
    assert post_edit("Il a souligné et devra avoir fini.", "It has stressed and will have finished.") == \
        "He stressed and will have finished."
    # Irregular participles keep their auxiliary: no word list here gives their past.
    assert post_edit("Il a pris des mesures.", "It has taken measures.") == "It has taken measures."
