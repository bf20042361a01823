"""Hypothesis strategies and rewrites of audit events shared by the engine's property tests."""

import json
import random
from typing import Any, Dict

from hypothesis import strategies as st

from tests.support.engine_events import LAST_APPLIED, event, nest, obj, spec, status
from tests.support.kubernetes_truth import SPEC_PATHS

ABSENT = "absent"


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


def mutate(raw: str, data: st.DataObject) -> str:
    position = data.draw(st.integers(0, len(raw) - 1))
    char = data.draw(st.characters(codec="utf-8") | st.sampled_from(list('{}[]",:\\tfn0')))
    kind = data.draw(st.sampled_from(["replace", "insert", "delete"]))
    if kind == "replace":
        return raw[:position] + char + raw[position + 1 :]
    if kind == "insert":
        return raw[:position] + char + raw[position:]
    return raw[:position] + raw[position + 1 :]
