"""General rules checked on generated events: encoding never matters, cuts never mislead, nothing raises."""

import json
import re
from typing import Any, Dict, Optional

from hypothesis import given, settings
from hypothesis import strategies as st

from kube_hostnet import FIELD_NAMES, Verdict, assess
from tests.support.engine_events import (
    HOSTNET_POD,
    LAST_APPLIED,
    PLAIN_POD,
    fixture_event,
    fixture_text,
)
from tests.support.engine_strategies import consistent_events, encode, encodings, mutate


@settings(max_examples=120)
@given(
    st.one_of(consistent_events(), st.sampled_from([fixture_event(HOSTNET_POD), fixture_event(PLAIN_POD)])),
    encodings,
)
def test_re_encoding_an_event_never_changes_the_verdict(ev: Dict[str, Any], encoding: Any) -> None:
    rnd, ensure_ascii, (item_sep, key_sep) = encoding
    reference = assess(json.dumps(ev), {})
    assert assess(encode(ev, rnd, ensure_ascii, item_sep, key_sep), {}) == reference
    assert assess(json.dumps(ev, indent=3, sort_keys=True, ensure_ascii=False), {}) == reference


@settings(max_examples=120)
@given(consistent_events(), st.data())
def test_a_cut_never_turns_true_into_false_nor_anything_into_true(
    ev: Dict[str, Any], data: st.DataObject
) -> None:
    raw = json.dumps(ev) if data.draw(st.booleans()) else json.dumps(ev, sort_keys=True)
    full = assess(raw, {}).hostnet
    # Cuts near the pod spec are the interesting ones; anywhere else, too.
    anchors = [match.start() for match in re.finditer('"(?:hostNetwork|spec|containers|image)"', raw)]
    end = data.draw(st.integers(1, len(raw) - 1))
    if anchors and data.draw(st.booleans()):
        end = min(max(1, data.draw(st.sampled_from(anchors)) + data.draw(st.integers(-5, 40))), len(raw) - 1)
    cut = assess(raw[:end], {}).hostnet
    if full == "true":
        assert cut != "false"
    else:
        assert cut != "true"


def check_well_formed(verdict: Verdict) -> None:
    fields = verdict.as_fields()
    assert tuple(fields) == FIELD_NAMES
    assert fields["hostnet"] in ("true", "false", "unknown")
    assert "internal error" not in verdict.error
    for value in fields.values():
        for text in value if isinstance(value, list) else [value]:
            assert isinstance(text, str)
            text.encode("utf-8")


@settings(max_examples=120)
@given(st.text(max_size=300))
def test_arbitrary_text_gives_a_well_formed_verdict(raw: str) -> None:
    check_well_formed(assess(raw, {}))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=10)
    | st.sampled_from(["pods", "create", "patch", "spec", "hostNetwork", "Status", "\ud800"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "verb",
                    "objectRef",
                    "resource",
                    "apiGroup",
                    "subresource",
                    "requestObject",
                    "responseObject",
                    "spec",
                    "template",
                    "hostNetwork",
                    "metadata",
                    "annotations",
                    LAST_APPLIED,
                    "kind",
                    "op",
                    "path",
                    "value",
                    "from",
                    "containers",
                    "image",
                    "ownerReferences",
                    "controller",
                    "name",
                    "responseStatus",
                    "code",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=120)
@given(json_values, st.booleans())
def test_arbitrary_json_of_the_right_vocabulary_gives_a_well_formed_verdict(
    value: Any, as_fields: bool
) -> None:
    if as_fields and isinstance(value, dict):
        check_well_formed(assess(None, {key: str(item) for key, item in value.items()}))
    else:
        check_well_formed(assess(json.dumps(value), {}))


@settings(max_examples=120)
@given(st.data())
def test_one_damaged_character_never_makes_a_plain_pod_true(data: st.DataObject) -> None:
    # The plain pod has no "hostNetwork" anywhere: one character cannot spell both the key and true.
    raw = fixture_text(PLAIN_POD)
    assert "hostNetwork" not in raw
    verdict = assess(mutate(raw, data), {})
    check_well_formed(verdict)
    assert verdict.hostnet != "true"


@settings(max_examples=120)
@given(st.data())
def test_one_damaged_character_of_a_hostnetwork_pod_gives_a_well_formed_verdict(data: st.DataObject) -> None:
    check_well_formed(assess(mutate(fixture_text(HOSTNET_POD), data), {}))


def test_assess_reports_an_internal_failure_instead_of_raising() -> None:
    class Exploding(dict):  # type: ignore[type-arg]
        def get(self, key: Any, default: Optional[Any] = None) -> Any:
            raise RuntimeError("boom")

    verdict = assess(None, Exploding(verb="create"))
    assert verdict.hostnet == "unknown"
    assert verdict.error == "internal error in the engine (RuntimeError)"
