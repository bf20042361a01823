"""The last-applied annotation: evidence when nothing better decides (rule 2), and the mismatch (rule 6)."""

import json

import pytest

from tests.support.engine_events import (
    CLUSTER_ROLE_PATCH,
    LAST_APPLIED,
    event,
    fixture_event,
    judge,
    obj,
    spec,
)


def applied(pod_spec: object, resource: str = "pods") -> str:
    """A last-applied annotation as kubectl writes it: the applied object as JSON text."""
    return json.dumps(obj(resource, pod_spec)) + "\n"


def apply_patch(annotation: str, resource: str = "pods", code: int = 200) -> dict:
    """A kubectl apply patch that changes a label and carries the new annotation, not hostNetwork."""
    body = {"metadata": {"annotations": {LAST_APPLIED: annotation}, "labels": {"v": "2"}}}
    group = None if resource == "pods" else "apps"
    return event(resource, "patch", group=group, level="Request", request=body, code=code)


def cut_create(annotation: object, resource: str = "pods") -> str:
    """A kubectl apply create at level Request that Splunk cut after the annotation, before the spec: the
    object says nothing about hostNetwork, so the annotation is the evidence left."""
    group = None if resource == "pods" else "apps"
    body = obj(resource, spec())
    body["metadata"]["annotations"] = {LAST_APPLIED: annotation}
    raw = json.dumps(event(resource, group=group, level="Request", request=body))
    return raw[: raw.index('"spec": {', raw.index('"requestObject"'))]


def test_annotation_with_host_network_true_decides_an_object_cut_before_its_spec() -> None:
    verdict = judge(cut_create(applied(spec(True))))
    assert (verdict.hostnet, verdict.evidence) == ("true", "last_applied")
    assert verdict.spec_path == f"requestObject.metadata.annotations[{LAST_APPLIED}].spec"


@pytest.mark.parametrize("annotated", [True, False])
def test_the_annotation_of_a_patch_body_decides_nothing(annotated: bool) -> None:
    # A client can write any annotation into a patch that does not touch the spec at all.
    verdict = judge(apply_patch(applied(spec(annotated))))
    assert (verdict.hostnet, verdict.evidence) == ("unknown", "none")
    assert "the last-applied annotation of a patch describes no object" in verdict.error


def test_annotation_without_the_key_proves_nothing_about_the_live_object() -> None:
    verdict = judge(cut_create(applied(spec())))
    assert verdict.hostnet == "unknown"
    assert "does not set hostNetwork" in verdict.error


@pytest.mark.parametrize(
    "annotation",
    [
        '{"kind":"Pod","spec":{ "hostNetwork" :  true ,"containers":[]}}',
        '{\n  "kind": "Pod",\n  "spec": {\n    "hostNetwork": true\n  }\n}\n',
        '{"kind":"Pod","spec":{"host\\u004eetwork":true}}',
    ],
)
def test_annotation_is_read_as_json(annotation: str) -> None:
    assert judge(cut_create(annotation)).hostnet == "true"


def test_a_double_escaped_key_in_the_raw_event_decodes() -> None:
    raw = cut_create('{"spec":{"hostNetwork":true}}')
    raw = raw.replace("hostNetwork", "host\\\\u004eetwork")  # \\u004e in the event = \u004e in the annotation
    assert "hostNetwork" not in raw
    assert judge(raw).hostnet == "true"


@pytest.mark.parametrize(
    "annotation",
    [
        json.dumps({"kind": "Pod", "metadata": {"labels": {"x": '"hostNetwork":true'}}, "spec": {}}),
        json.dumps({"kind": "Pod", "spec": {"containers": [{"env": [{"value": '"hostNetwork": true'}]}]}}),
        json.dumps({"kind": "Pod", "spec": {"containers": [{"hostNetwork": True}]}}),
        json.dumps({"kind": "Pod", "spec": {"hostNetwork": "true"}}),
        json.dumps({"kind": "Pod", "spec": {"HostNetwork": True}}),
        '{"kind":"Pod","spec":{"hostNetwork":true,"hostNetwork":false}}',
    ],
)
def test_annotation_text_that_is_not_the_pod_spec_key_does_not_count(annotation: str) -> None:
    assert judge(cut_create(annotation)).hostnet != "true"


def test_annotation_is_read_at_the_resources_pod_spec_path() -> None:
    assert judge(cut_create(applied(spec(True), "deployments"), "deployments")).hostnet == "true"
    pod_level = json.dumps({"kind": "Deployment", "spec": {"hostNetwork": True}})
    assert judge(cut_create(pod_level, "deployments")).hostnet == "unknown"


@pytest.mark.parametrize(
    ("annotation", "reason"),
    [
        pytest.param('{"spec": {"hostNetwork": tr', "last-applied annotation", id="cut-json"),
        pytest.param("hostNetwork: true", "last-applied annotation: not valid JSON", id="yaml-not-json"),
        pytest.param("[" * 100_000 + "]" * 100_000, "", id="nested-past-the-depth-limit"),
    ],
)
def test_an_unreadable_annotation_is_unknown_and_does_not_raise(annotation: str, reason: str) -> None:
    verdict = judge(cut_create(annotation))
    assert verdict.hostnet == "unknown"
    assert reason in verdict.error


def test_an_annotation_that_is_not_a_string_is_unknown() -> None:
    verdict = judge(cut_create({"spec": {"hostNetwork": True}}))
    assert verdict.hostnet == "unknown"
    assert "not a string" in verdict.error


@pytest.mark.parametrize(
    ("object_value", "annotated", "mismatch"),
    [
        (True, None, True),  # hostNetwork added without kubectl apply: the seed's wildcard misses this
        (True, False, True),
        (False, True, True),
        (None, True, True),
        (True, True, False),
        (None, None, False),
        (False, False, False),
    ],
)
def test_annotation_mismatch_both_ways(object_value: object, annotated: object, mismatch: bool) -> None:
    live = spec() if object_value is None else spec(object_value)
    config = spec() if annotated is None else spec(annotated)
    body = obj(pod_spec=live, annotation=applied(config))
    verdict = judge(event(request=body, response=body))
    assert verdict.annotation_mismatch is mismatch
    assert verdict.as_fields()["hostnet_annotation_mismatch"] == ("true" if mismatch else "false")
    assert verdict.evidence == "responseObject"


def test_the_request_annotation_is_preferred_to_the_response_one() -> None:
    ev = event(
        request=obj(pod_spec=spec(True), annotation=applied(spec(True))),
        response=obj(pod_spec=spec(True), annotation=applied(spec())),
    )
    assert judge(ev).annotation_mismatch is False
    del ev["requestObject"]
    assert judge(ev).annotation_mismatch is True


def test_a_patch_that_sets_the_key_is_compared_with_its_annotation() -> None:
    body = {"metadata": {"annotations": {LAST_APPLIED: applied(spec())}}, "spec": {"hostNetwork": True}}
    verdict = judge(event(verb="patch", request=body))
    assert (verdict.hostnet, verdict.evidence, verdict.annotation_mismatch) == ("true", "patch", True)


def test_no_mismatch_when_the_annotation_or_the_object_cannot_be_read() -> None:
    unreadable = obj(pod_spec=spec(True), annotation="{not json")
    assert judge(event(request=unreadable)).annotation_mismatch is False
    assert judge(apply_patch(applied(spec()))).annotation_mismatch is False  # no object evidence


def test_annotation_evidence_in_a_cut_object_may_be_true_but_not_false() -> None:
    for annotated, expected in ((True, "true"), (False, "unknown")):
        body = obj(pod_spec=spec(), annotation=applied(spec(annotated)))
        raw = json.dumps(event(level="Request", request=body))
        cut = raw[: raw.index('"spec": {"containers"', raw.index('"requestObject"'))]
        verdict = judge(cut)
        assert verdict.hostnet == expected
        assert "cut" in verdict.error


def test_falco_kubectl_apply_patch_of_a_cluster_role_is_out_of_scope() -> None:
    verdict = judge(fixture_event(CLUSTER_ROLE_PATCH))
    assert (verdict.hostnet, verdict.evidence, verdict.annotation_mismatch) == ("false", "none", False)
