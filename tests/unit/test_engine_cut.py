"""Rule 5: events Splunk cut at TRUNCATE, at every byte offset of real events."""

import json

import pytest

from tests.support.engine_events import (
    DEPLOYMENT,
    HOSTNET_POD,
    PLAIN_POD,
    event,
    fixture_event,
    fixture_text,
    judge,
    obj,
    spec,
)


def natural_order_hostnet_pod() -> str:
    """The Falco plain pod (API server key order: verb first) with hostNetwork set in both objects."""
    ev = fixture_event(PLAIN_POD)
    ev["requestObject"]["spec"]["hostNetwork"] = True
    ev["responseObject"]["spec"]["hostNetwork"] = True
    return json.dumps(ev, separators=(",", ":"))


@pytest.mark.parametrize(
    "raw", [fixture_text(HOSTNET_POD), natural_order_hostnet_pod()], ids=["sorted", "natural"]
)
def test_every_prefix_of_a_hostnetwork_event_is_never_false(raw: str) -> None:
    raw = raw.rstrip("\n")
    first_value_read = raw.index('"hostNetwork":true') + len('"hostNetwork":true')
    verdicts = {}
    for end in range(1, len(raw)):
        verdict = judge(raw[:end])
        verdicts[end] = verdict.hostnet
        assert verdict.hostnet != "false", end
        if end >= first_value_read:
            assert verdict.hostnet == "true", end
        assert "cut" in verdict.error or "text ends before a JSON value" in verdict.error, end
    assert judge(raw).hostnet == "true"
    assert set(verdicts.values()) == {"unknown", "true"}


@pytest.mark.parametrize("name", [PLAIN_POD, DEPLOYMENT])
def test_no_prefix_of_a_plain_event_is_true(name: str) -> None:
    raw = fixture_text(name).rstrip("\n")
    seen = {judge(raw[:end]).hostnet for end in range(1, len(raw))}
    assert "true" not in seen
    assert "unknown" in seen


def test_a_complete_request_decides_when_the_response_is_cut() -> None:
    raw = fixture_text(PLAIN_POD)
    cut = raw[: raw.index('"responseObject"') + 200]
    verdict = judge(cut)
    assert (verdict.hostnet, verdict.evidence) == ("false", "requestObject")
    assert f"event cut after {len(cut)} chars" in verdict.error


def test_an_object_cut_inside_the_pod_spec_is_unknown() -> None:
    raw = json.dumps(event(level="Request", request=obj(pod_spec=spec(images=("a", "b", "c")))))
    cut = raw[: raw.index('"b"')]
    verdict = judge(cut)
    assert verdict.hostnet == "unknown"
    assert "requestObject cut inside spec" in verdict.error
    # the spec is only described when it carries host networking, even what was read before the cut
    assert (verdict.spec_path, verdict.images) == ("", ())


def test_a_cut_inside_object_ref_is_unknown() -> None:
    raw = json.dumps(event(group="", request=obj(pod_spec=spec(True))))
    cut = raw[: raw.index('"apiGroup"')]
    verdict = judge(cut)
    assert verdict.hostnet == "unknown"
    assert "event cut inside objectRef" in verdict.error


def test_a_cut_before_the_verb_can_only_conclude_true() -> None:
    for value, expected in ((True, "true"), (False, "unknown")):
        ev = event(level="Request", request=obj(pod_spec=spec(value)))
        verb = ev.pop("verb")
        raw = json.dumps(ev)[:-1] + f', "verb": "{verb}"}}'
        verdict = judge(raw[: raw.index('"verb"')])
        assert verdict.hostnet == expected
        assert "event cut before verb" in verdict.error


def test_an_out_of_scope_event_cut_is_false_and_says_it_was_cut() -> None:
    raw = json.dumps(event("configmaps", request={"data": {"a": "b" * 100}}))
    verdict = judge(raw[:-20])
    assert verdict.hostnet == "false"
    assert "cut" in verdict.error


def test_a_read_cut_before_the_verb_is_not_taken_for_a_write() -> None:
    # Found by the truncation property: with sorted keys the verb comes last, and the pod a `get` returns
    # carries its last-applied annotation; neither may count once the verb is lost.
    body = obj(pod_spec=spec(True), annotation=json.dumps(obj(pod_spec=spec(True))))
    raw = json.dumps(event(verb="get", code=200, response=body), sort_keys=True)
    assert judge(raw).hostnet == "false"
    verdict = judge(raw[: raw.index('"verb"')])
    assert verdict.hostnet == "unknown"
    assert "event cut before verb" in verdict.error
