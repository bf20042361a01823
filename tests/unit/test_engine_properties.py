"""General rules checked on generated events: encoding never matters, cuts never mislead, nothing raises."""

import json
import random
import re
from typing import Any, Dict, Optional

from engine_events import (
    HOSTNET_POD,
    LAST_APPLIED,
    PLAIN_POD,
    SPEC_PATHS,
    event,
    fixture_event,
    fixture_text,
    nest,
    obj,
    spec,
    status,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kube_hostnet import FIELD_NAMES, Verdict, assess

ABSENT = "absent"
PROPERTY_SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pod_spec(host: Any) -> Dict[str, Any]:
    return spec() if host == ABSENT else spec(host)


@st.composite
def consistent_events(draw: st.DrawFn) -> Dict[str, Any]:
    """Realistic events whose pieces of evidence agree: request, response and annotation carry one value."""
    group, resource = draw(st.sampled_from(sorted(SPEC_PATHS)))
    verb = draw(st.sampled_from(["create", "update", "patch", "get", "delete"]))
    host = draw(st.sampled_from([ABSENT, True, False, "true", 1, None]))
    level = draw(st.sampled_from(["Metadata", "Request", "RequestResponse"]))
    annotated = draw(st.sampled_from([None, host, ABSENT] if host is True else [None, host, ABSENT, False]))
    annotation = None if annotated is None else json.dumps(obj(resource, _pod_spec(annotated)))
    full = obj(resource, _pod_spec(host), annotation=annotation)
    request: Any = "absent"
    if level != "Metadata" and verb in ("create", "update"):
        request = full
    elif level != "Metadata" and verb == "patch":
        path = SPEC_PATHS[(group, resource)]
        request = draw(
            st.sampled_from(
                [
                    nest(path, {"hostNetwork": None if host == ABSENT else host}),
                    [
                        {"op": "remove", "path": "/" + "/".join(path) + "/hostNetwork"}
                        if host == ABSENT
                        else {"op": "add", "path": "/" + "/".join(path) + "/hostNetwork", "value": host}
                    ],
                    {"metadata": {"labels": {"a": "b"}}}
                    if annotation is None
                    else {"metadata": {"annotations": {LAST_APPLIED: annotation}}},
                ]
            )
        )
    failed = verb in ("create", "update", "patch") and draw(st.booleans())
    response: Any = "absent"
    if level == "RequestResponse":
        response = status(403, "Forbidden") if failed else full
    code = 403 if failed else (201 if verb == "create" else 200)
    kwargs: Dict[str, Any] = {"group": group or None, "level": level, "code": code}
    if request != "absent":
        kwargs["request"] = request
    if response != "absent":
        kwargs["response"] = response
    return event(resource, verb, **kwargs)


def encode(value: Any, rnd: random.Random, ensure_ascii: bool, item_sep: str, key_sep: str) -> str:
    """JSON text of value with the dict order shuffled and characters of strings randomly \\u-escaped."""
    if isinstance(value, dict):
        items = list(value.items())
        rnd.shuffle(items)
        return (
            "{"
            + item_sep.join(
                encode(key, rnd, ensure_ascii, item_sep, key_sep)
                + key_sep
                + encode(item, rnd, ensure_ascii, item_sep, key_sep)
                for key, item in items
            )
            + "}"
        )
    if isinstance(value, list):
        return "[" + item_sep.join(encode(item, rnd, ensure_ascii, item_sep, key_sep) for item in value) + "]"
    if isinstance(value, str):
        return (
            '"'
            + "".join(
                f"\\u{ord(char):04x}"
                if ord(char) < 0x10000 and rnd.random() < 0.3
                else json.dumps(char, ensure_ascii=ensure_ascii)[1:-1]
                for char in value
            )
            + '"'
        )
    return json.dumps(value)


encodings = st.tuples(
    st.randoms(use_true_random=False),
    st.booleans(),
    st.sampled_from([(",", ":"), (", ", ": "), (" ,\n\t", " :\r\n "), (",\n  ", ": ")]),
)


@PROPERTY_SETTINGS
@given(
    st.one_of(consistent_events(), st.sampled_from([fixture_event(HOSTNET_POD), fixture_event(PLAIN_POD)])),
    encodings,
)
def test_re_encoding_an_event_never_changes_the_verdict(ev: Dict[str, Any], encoding: Any) -> None:
    rnd, ensure_ascii, (item_sep, key_sep) = encoding
    reference = assess(json.dumps(ev), {})
    assert assess(encode(ev, rnd, ensure_ascii, item_sep, key_sep), {}) == reference
    assert assess(json.dumps(ev, indent=3, sort_keys=True, ensure_ascii=False), {}) == reference


@PROPERTY_SETTINGS
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


@PROPERTY_SETTINGS
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


@PROPERTY_SETTINGS
@given(json_values, st.booleans())
def test_arbitrary_json_of_the_right_vocabulary_gives_a_well_formed_verdict(
    value: Any, as_fields: bool
) -> None:
    if as_fields and isinstance(value, dict):
        check_well_formed(assess(None, {key: str(item) for key, item in value.items()}))
    else:
        check_well_formed(assess(json.dumps(value), {}))


def mutate(raw: str, data: st.DataObject) -> str:
    position = data.draw(st.integers(0, len(raw) - 1))
    char = data.draw(st.characters(codec="utf-8") | st.sampled_from(list('{}[]",:\\tfn0')))
    kind = data.draw(st.sampled_from(["replace", "insert", "delete"]))
    if kind == "replace":
        return raw[:position] + char + raw[position + 1 :]
    if kind == "insert":
        return raw[:position] + char + raw[position:]
    return raw[:position] + raw[position + 1 :]


@PROPERTY_SETTINGS
@given(st.data())
def test_one_damaged_character_never_makes_a_plain_pod_true(data: st.DataObject) -> None:
    # The plain pod has no "hostNetwork" anywhere: one character cannot spell both the key and true.
    raw = fixture_text(PLAIN_POD)
    assert "hostNetwork" not in raw
    verdict = assess(mutate(raw, data), {})
    check_well_formed(verdict)
    assert verdict.hostnet != "true"


@PROPERTY_SETTINGS
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
