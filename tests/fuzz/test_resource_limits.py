"""Each bound of kube_hostnet/limits.py, proved through assess: just inside it the event is judged in full,
just outside it the verdict is unknown and says why. Nothing here measures time: a bound holds because
the text beyond it is never read, which the verdicts show."""

import json
from typing import Any, Dict

import pytest

from hostnet_tools.flatten import event_text
from kube_hostnet import assess
from kube_hostnet.limits import (
    MAX_EVENT_CHARS,
    MAX_IMAGES,
    MAX_OUTPUT_CHARS,
    MAX_PAIRS_CHARS,
    MAX_PATCH_NODES,
    MAX_TOLERANT_CHARS,
    MAX_TOLERANT_DEPTH,
)
from tests.support.paths import K8S_AUDIT
from tests.support.verdict_checks import check_verdict

HOSTNET_TRUE = '"hostNetwork":true'
# The API server refuses request bodies above 3 MB; etcd stores objects of at most 1.5 MB.
REQUEST_BODY_LIMIT = 3 * 1024 * 1024
STORED_OBJECT_LIMIT = 1536 * 1024
HOSTILE_EVENT_CHARS = 10 * 1000 * 1000
DEEP = 100_000
DEEP_READ = 30_000  # too deep for json.loads, within the tolerant parser's size bound


def _hostnet_event() -> Dict[str, Any]:
    """A real pod create at RequestResponse level whose request and response both set hostNetwork: true."""
    event: Dict[str, Any] = json.loads(
        (K8S_AUDIT / "falco_create_nginx_pod_hostnetwork.json").read_text(encoding="utf-8")
    )
    event["responseObject"]["spec"]["hostNetwork"] = True
    return event


def _padded(event: Dict[str, Any], obj: str, chars: int) -> None:
    """Grows obj's serialised size by `chars` with an env value placed before hostNetwork in the spec,
    so the key is read only if everything before it was."""
    spec = event[obj]["spec"]
    rest = dict(spec)
    spec.clear()
    spec["initContainers"] = [
        {"name": "pad", "image": "busybox", "env": [{"name": "P", "value": "p" * chars}]}
    ]
    spec.update(rest)


def _cut_after_hostnet(total_chars: int) -> str:
    """A cut event of exactly total_chars: complete up to `"hostNetwork":true` in the request's pod spec,
    then a string value that the cut leaves unterminated (as Splunk's TRUNCATE leaves it)."""
    text = event_text(_hostnet_event())
    head = text[: text.index(HOSTNET_TRUE) + len(HOSTNET_TRUE)] + ',"pad":"'
    assert len(head) < total_chars
    return head + "q" * (total_chars - len(head))


def _assess(text: str) -> Any:
    verdict = assess(text, {"_raw": text})
    check_verdict(verdict)
    assert "internal error" not in verdict.error, verdict.error
    return verdict


def test_largest_real_event_is_judged_in_full() -> None:
    event = _hostnet_event()
    _padded(event, "requestObject", REQUEST_BODY_LIMIT)
    _padded(event, "responseObject", STORED_OBJECT_LIMIT)
    text = event_text(event)
    assert REQUEST_BODY_LIMIT + STORED_OBJECT_LIMIT < len(text) <= MAX_EVENT_CHARS
    verdict = _assess(text)
    assert (verdict.hostnet, verdict.evidence, verdict.error) == ("true", "responseObject", "")


def _event_of_size(total_chars: int) -> str:
    unpadded = _hostnet_event()
    _padded(unpadded, "responseObject", 0)
    event = _hostnet_event()
    _padded(event, "responseObject", total_chars - len(event_text(unpadded)))
    return event_text(event)


def test_event_at_the_size_bound_is_parsed() -> None:
    text = _event_of_size(MAX_EVENT_CHARS)
    assert len(text) == MAX_EVENT_CHARS
    assert _assess(text).hostnet == "true"


def test_event_above_the_size_bound_is_not_parsed_and_says_why() -> None:
    text = _event_of_size(MAX_EVENT_CHARS + 1)
    verdict = _assess(text)
    assert (verdict.hostnet, verdict.evidence) == ("unknown", "none")
    assert str(len(text)) in verdict.error


@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param(lambda text: text[:-10] + "x" * HOSTILE_EVENT_CHARS, id="10MB-junk-at-the-end"),
        pytest.param(lambda text: text[:2000] + "[" * HOSTILE_EVENT_CHARS, id="10MB-open-brackets"),
        pytest.param(lambda text: text[:2000] + '"\\' * (HOSTILE_EVENT_CHARS // 2), id="10MB-escapes"),
    ],
)
def test_hostile_10mb_event_is_refused_with_a_reason(hostile: Any) -> None:
    text = hostile(event_text(_hostnet_event()))
    assert MAX_TOLERANT_CHARS < len(text) <= MAX_EVENT_CHARS
    verdict = _assess(text)
    assert (verdict.hostnet, verdict.evidence) == ("unknown", "none")
    assert str(len(text)) in verdict.error


def test_cut_event_at_the_tolerant_bound_is_read_up_to_the_cut() -> None:
    verdict = _assess(_cut_after_hostnet(MAX_TOLERANT_CHARS))
    assert verdict.hostnet == "true"
    assert "cut" in verdict.error


def test_cut_event_above_the_tolerant_bound_is_not_read_and_says_why() -> None:
    text = _cut_after_hostnet(MAX_TOLERANT_CHARS + 1)
    verdict = _assess(text)
    assert (verdict.hostnet, verdict.evidence) == ("unknown", "none")
    assert str(len(text)) in verdict.error


@pytest.mark.parametrize(
    "document",
    [
        pytest.param("[" * DEEP + "]" * DEEP, id="arrays"),
        pytest.param('{"a":' * DEEP + "1" + "}" * DEEP, id="objects"),
        pytest.param('{"requestObject":' * DEEP, id="objects-cut"),
    ],
)
def test_100000_levels_of_nesting_give_unknown_without_recursion_error(document: str) -> None:
    verdict = _assess(document)
    assert verdict.hostnet == "unknown"
    assert "Recursion" not in verdict.error


@pytest.mark.parametrize(
    ("close", "reason"),
    [(True, f"deeper than {MAX_TOLERANT_DEPTH}"), (False, "cut")],
    ids=["complete", "cut-inside-it"],
)
def test_deep_value_beside_hostnetwork_does_not_hide_it(close: bool, reason: str) -> None:
    text = event_text(_hostnet_event())
    deep = "[" * DEEP_READ + ("]" * DEEP_READ if close else "")
    at = text.index(HOSTNET_TRUE)
    verdict = _assess(text[:at] + HOSTNET_TRUE + ',"deep":' + deep + ("," + text[at:] if close else ""))
    assert verdict.hostnet == "true"
    assert reason in verdict.error


@pytest.mark.parametrize(
    ("extra_levels", "skipped"), [(-10, False), (10, True)], ids=["inside-the-bound", "beyond-the-bound"]
)
def test_tolerant_parser_skips_only_beyond_its_depth_bound(extra_levels: int, skipped: bool) -> None:
    """A cut event (so the tolerant parser reads it) cut inside a nested value of the pod spec (so the
    parser walks it itself: a complete one json.loads' scanner reads whole); the event object, requestObject
    and spec are three levels already."""
    levels = MAX_TOLERANT_DEPTH - 3 + extra_levels
    text = event_text(_hostnet_event())
    at = text.index(HOSTNET_TRUE)
    cut = text[:at] + HOSTNET_TRUE + ',"nested":' + "[" * levels + "1"
    verdict = _assess(cut)
    assert verdict.hostnet == "true"
    assert (str(MAX_TOLERANT_DEPTH) in verdict.error) is skipped, verdict.error


def test_strings_copied_into_output_fields_are_bounded() -> None:
    event = _hostnet_event()
    long_name = "n" * (100 * MAX_OUTPUT_CHARS)
    event["objectRef"]["namespace"] = long_name
    for obj in ("requestObject", "responseObject"):
        event[obj]["metadata"]["namespace"] = long_name
        event[obj]["spec"]["containers"] = [
            {"name": f"c{index}", "image": f"registry.example/{index}/" + "i" * (2 * MAX_OUTPUT_CHARS)}
            for index in range(10 * MAX_IMAGES)
        ]
    verdict = _assess(event_text(event))
    assert verdict.hostnet == "true"
    assert 0 < len(verdict.namespace) <= MAX_OUTPUT_CHARS
    assert verdict.namespace.startswith("n" * (MAX_OUTPUT_CHARS // 2))
    assert len(verdict.images) == MAX_IMAGES
    assert all(0 < len(image) <= MAX_OUTPUT_CHARS for image in verdict.images)


def _json_patch_event(operations: str, body_chars: int = 0) -> str:
    """A pod JSON Patch at Request level whose requestObject (the patch) is body_chars long (a label value
    pads its last operation), or as short as it is when 0."""
    head = json.dumps(
        {
            "kind": "Event",
            "apiVersion": "audit.k8s.io/v1",
            "level": "Request",
            "verb": "patch",
            "objectRef": {"resource": "pods", "namespace": "default", "name": "p", "apiVersion": "v1"},
            "responseStatus": {"code": 200},
        }
    )[:-1]
    pad = ',{"op":"add","path":"/metadata/annotations/pad","value":"'
    body = "[" + operations + pad + '"}]'
    body = body[:-3] + "p" * (body_chars - len(body) if body_chars else 0) + '"}]'
    assert not body_chars or len(body) == body_chars
    return head + ',"requestObject":' + body + ',"stageTimestamp":"' + "t" * MAX_PAIRS_CHARS + '"}'


# Go keeps true (null leaves it); json.loads' reading, which drops the first occurrence, cannot tell.
_NULL_LEAVES_TRUE = '{"op":"add","path":"/spec","value":{"hostNetwork":true,"hostNetwork":null}}'


def test_a_json_patch_within_the_second_reading_bound_is_read_with_its_repeated_keys() -> None:
    # What follows the body (here a long timestamp) does not count against the bound.
    verdict = _assess(_json_patch_event(_NULL_LEAVES_TRUE, MAX_PAIRS_CHARS))
    assert (verdict.hostnet, verdict.evidence) == ("true", "patch")


def test_a_json_patch_above_the_second_reading_bound_is_not_read_again_and_says_why() -> None:
    verdict = _assess(_json_patch_event(_NULL_LEAVES_TRUE, MAX_PAIRS_CHARS + 1))
    assert (verdict.hostnet, verdict.gap) == ("unknown", "oversized")
    assert f"above the bound of {MAX_PAIRS_CHARS}" in verdict.error


def _test_of(members: int) -> str:
    """Sets hostNetwork true, then writes and tests a value of that many members (test visits each)."""
    value = json.dumps({f"k{i}": "v" for i in range(members)})
    return (
        '{"op":"add","path":"/spec/hostNetwork","value":true},'
        f'{{"op":"add","path":"/metadata/labels","value":{value}}},'
        f'{{"op":"test","path":"/metadata/labels","value":{value}}}'
    )


# Navigating a path of n tokens costs n * (n + 1) / 2: _test_of's three operations have two tokens each,
# the padding operation three.
_NAVIGATION = 3 * (1 + 2) + (1 + 2 + 3)


def test_a_json_patch_within_the_work_budget_is_read_in_full() -> None:
    verdict = _assess(_json_patch_event(_test_of(MAX_PATCH_NODES - _NAVIGATION)))
    assert (verdict.hostnet, verdict.error) == ("true", "")


def test_a_json_patch_above_the_work_budget_is_true_only_as_an_attempt_and_says_why() -> None:
    verdict = _assess(_json_patch_event(_test_of(MAX_PATCH_NODES - _NAVIGATION + 1)))
    assert verdict.hostnet == "true"
    assert "an operation writes hostNetwork true" in verdict.error
    assert f"(above the bound of {MAX_PATCH_NODES})" in verdict.error
