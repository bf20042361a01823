"""Damaged audit events through the pure engine: nothing escapes, the verdict is well formed, and damage
never turns a clear negative into hostnet=true (definition and proof of soundness: audit_damage.py)."""

import copy
import json
from typing import Any, Dict, List

import pytest
from hypothesis import assume, find, given, settings
from hypothesis import strategies as st

from hostnet_tools.flatten import event_text, splunk_record
from kube_hostnet import assess
from tests.support import audit_damage, audit_strategies
from tests.support.paths import K8S_AUDIT
from tests.support.platform_shapes import FROM_EVENT, FROM_LINE
from tests.support.verdict_checks import check_fields_untouched, check_verdict

SHAPES = sorted([*FROM_LINE, *FROM_EVENT])


def _in_shape(shape: str, event: Dict[str, Any]) -> str:
    """The event's text as that platform delivers it (tests/support/platform_shapes.py)."""
    return FROM_LINE[shape](event_text(event)) if shape in FROM_LINE else FROM_EVENT[shape](event)


def _fixture_texts() -> List[str]:
    return [path.read_text(encoding="utf-8").strip() for path in sorted(K8S_AUDIT.glob("*.json"))]


def _assess_checked(text: str) -> Any:
    """assess on damaged text with the record a search would hand over for it; checks every invariant."""
    fields = splunk_record(text)
    before = copy.deepcopy(fields)
    verdict = assess(text, fields)
    check_verdict(verdict)
    check_fields_untouched(before, fields)
    return verdict


@settings(max_examples=120)
@given(event=audit_strategies.events(), data=st.data())
def test_damaged_event_gives_a_well_formed_verdict(event: Dict[str, Any], data: st.DataObject) -> None:
    damaged = data.draw(audit_strategies.structural_damage(event))
    text = audit_damage.apply(event_text(damaged), data.draw(audit_strategies.damage_lists()))
    _assess_checked(text)


@settings(max_examples=120)
@given(event=audit_strategies.negative_events(), data=st.data())
def test_damage_never_turns_a_generated_clear_negative_into_true(
    event: Dict[str, Any], data: st.DataObject
) -> None:
    assume(audit_damage.clear_negative(event_text(event)))
    damaged = data.draw(audit_strategies.structural_damage(event))
    text = audit_damage.apply(event_text(damaged), data.draw(audit_strategies.damage_lists()))
    verdict = _assess_checked(text)
    assert verdict.hostnet != "true", (text[:2000], verdict)


@settings(max_examples=120)
@given(event=audit_strategies.negative_events(), shape=st.sampled_from(SHAPES), data=st.data())
def test_damage_never_turns_a_clear_negative_in_any_platform_shape_into_true(
    event: Dict[str, Any], shape: str, data: st.DataObject
) -> None:
    # The definition of a clear negative is about the text, so it holds for the wrapped text as it is.
    text = _in_shape(shape, event)
    assume(audit_damage.clear_negative(text))
    verdict = _assess_checked(audit_damage.apply(text, data.draw(audit_strategies.damage_lists())))
    assert verdict.hostnet != "true", (shape, text[:2000], verdict)


@settings(max_examples=120)
@given(event=audit_strategies.events(), shape=st.sampled_from(SHAPES), data=st.data())
def test_a_damaged_event_in_any_platform_shape_gives_a_well_formed_verdict(
    event: Dict[str, Any], shape: str, data: st.DataObject
) -> None:
    _assess_checked(audit_damage.apply(_in_shape(shape, event), data.draw(audit_strategies.damage_lists())))


@pytest.mark.parametrize(
    "base",
    [
        pytest.param(text, id=path.stem)
        for path in sorted(K8S_AUDIT.glob("*.json"))
        for text in [path.read_text(encoding="utf-8").strip()]
        if audit_damage.clear_negative(text)
    ],
)
@settings(max_examples=120)
@given(damages=audit_strategies.damage_lists())
def test_damage_never_turns_a_real_clear_negative_into_true(
    base: str, damages: List[audit_damage.Damage]
) -> None:
    verdict = _assess_checked(audit_damage.apply(base, damages))
    assert verdict.hostnet != "true", (audit_damage.describe(damages), verdict)


@settings(max_examples=300)
@given(fields=audit_strategies.fields, raw=st.sampled_from([None, ""]))
def test_any_extracted_fields_give_a_well_formed_verdict(fields: Dict[str, Any], raw: Any) -> None:
    before = copy.deepcopy(fields)
    check_verdict(assess(raw, fields))
    check_fields_untouched(before, fields)


# The definition itself: it must accept real negatives (or the properties above test nothing) and refuse
# every text on which some damage could produce hostNetwork: true.


def test_real_negatives_and_explicit_false_are_clear_negatives() -> None:
    by_name = {path.name: path.read_text(encoding="utf-8") for path in K8S_AUDIT.glob("*.json")}
    assert audit_damage.clear_negative(by_name["falco_create_nginx_pod_nohostnetwork.json"])
    assert audit_damage.clear_negative(by_name["falco_create_deployment.json"])
    deployment = json.loads(by_name["falco_create_deployment.json"])
    deployment["requestObject"]["spec"]["template"]["spec"]["hostNetwork"] = False
    assert audit_damage.clear_negative(event_text(deployment))


@pytest.mark.parametrize(
    "text",
    [
        '{"spec":{"hostNetwork":true}}',
        '{"spec":{"hostNetwork":false},"ownerReferences":[{"controller":true}]}',
        '{"spec":{"host\\u004eetwork":false}}',  # an escape already spells a letter
        '{"spec":{"hostXu004eetwork":false}}',  # swapping X for a backslash would complete one
        '{"spec":{"hos\\tnetwork":false},"a":true}',  # letters split only by an escape
        '{"spec":{"hostNetwork":tru',  # not complete
        '["hostNetwork"]',  # not an object
    ],
)
def test_texts_that_damage_could_turn_true_are_not_clear_negatives(text: str) -> None:
    assert not audit_damage.clear_negative(text)


def test_generated_clear_negatives_include_explicit_false() -> None:
    """Without such events the property would only ever see events that never mention hostNetwork."""

    def explicit_false(event: Dict[str, Any]) -> bool:
        text = event_text(event)
        return '"hostNetwork":false' in text and audit_damage.clear_negative(text)

    found = find(audit_strategies.negative_events(), explicit_false, settings=settings(max_examples=2000))
    assert '"hostNetwork":false' in event_text(found)
