"""Rule 7: the fallback to Splunk's extracted fields when the event text is missing or empty."""

import copy

import pytest

from kube_hostnet import assess
from tests.support.engine_events import LAST_APPLIED


def pod_create(**extra: object) -> dict:
    """A pod create as Splunk's JSON extraction presents it."""
    return {
        "verb": "create",
        "objectRef.resource": "pods",
        "objectRef.namespace": "prod",
        "objectRef.apiVersion": "v1",
        "responseStatus.code": "201",
        "user.groups{}": ["system:masters", "system:authenticated"],
        **extra,
    }


@pytest.mark.parametrize("raw", [None, ""])
def test_extracted_true_is_true_with_a_note(raw: object) -> None:
    verdict = assess(raw, pod_create(**{"requestObject.spec.hostNetwork": "true"}))  # type: ignore[arg-type]
    assert (verdict.hostnet, verdict.evidence, verdict.spec_path) == ("true", "fields", "requestObject.spec")
    assert "extracted fields" in verdict.error


def test_response_fields_come_first_and_a_status_response_is_skipped() -> None:
    fields = pod_create(
        **{"requestObject.spec.hostNetwork": "true", "responseObject.spec.hostNetwork": "false"}
    )
    assert assess(None, fields).hostnet == "false"
    fields["responseObject.kind"] = "Status"
    assert assess(None, fields).hostnet == "true"


def test_extracted_false_is_false() -> None:
    assert assess(None, pod_create(**{"requestObject.spec.hostNetwork": "false"})).hostnet == "false"


def test_absent_field_is_unknown_because_extraction_may_have_stopped() -> None:
    verdict = assess(None, pod_create(**{"requestObject.spec.containers{}.image": "nginx"}))
    assert (verdict.hostnet, verdict.images) == ("unknown", ())  # images only describe a true verdict
    assert "no extracted hostNetwork field" in verdict.error


def test_deployment_path_and_group() -> None:
    fields = {
        "verb": "patch",
        "objectRef.resource": "deployments",
        "objectRef.apiGroup": "apps",
        "requestObject.spec.template.spec.hostNetwork": "true",
    }
    assert assess(None, fields).hostnet == "true"
    fields["objectRef.apiGroup"] = "example.com"
    assert assess(None, fields).hostnet == "false"


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"objectRef.subresource": "status"}, id="status-subresource"),
        pytest.param({"verb": "get"}, id="get-verb"),
        pytest.param({"objectRef.resource": "configmaps"}, id="configmaps-resource"),
    ],
)
def test_scope_rules_apply_to_fields(extra: dict) -> None:
    verdict = assess(None, pod_create(**{"responseObject.spec.hostNetwork": "true", **extra}))
    assert (verdict.hostnet, verdict.evidence) == ("false", "none")


def test_last_applied_annotation_field_is_parsed_as_json() -> None:
    fields = pod_create(
        verb="patch",
        **{
            f"requestObject.metadata.annotations.{LAST_APPLIED}": '{"kind":"Pod","spec":{"hostNetwork":true}}'
        },
    )
    verdict = assess(None, fields)
    assert (verdict.hostnet, verdict.evidence) == ("true", "fields")
    assert LAST_APPLIED in verdict.spec_path
    fields[f"requestObject.metadata.annotations.{LAST_APPLIED}"] = (
        '{"metadata":{"labels":{"x":"hostNetwork: true"}}}'
    )
    assert assess(None, fields).hostnet == "unknown"


def test_annotation_mismatch_from_fields() -> None:
    fields = pod_create(
        **{
            "requestObject.spec.hostNetwork": "true",
            f"requestObject.metadata.annotations.{LAST_APPLIED}": '{"spec":{}}',
        }
    )
    assert assess(None, fields).annotation_mismatch is True


def test_conflicting_multivalue_fields_are_unknown() -> None:
    verdict = assess(None, pod_create(verb=["create", "get"], **{"requestObject.spec.hostNetwork": "true"}))
    assert verdict.hostnet == "unknown"
    assert "field verb has several values" in verdict.error
    same = assess(None, pod_create(verb=["create", "create"], **{"requestObject.spec.hostNetwork": ["true"]}))
    assert same.hostnet == "true"


def test_workload_namespace_and_images_from_fields() -> None:
    owners = "responseObject.metadata.ownerReferences{}"
    fields = pod_create(
        **{
            "responseObject.kind": "Pod",
            "responseObject.metadata.name": "web-abc",
            f"{owners}.controller": ["false", "true"],
            f"{owners}.kind": ["ConfigMap", "ReplicaSet"],
            f"{owners}.name": ["cm", "web-rs"],
            "responseObject.spec.containers{}.image": ["nginx", "envoy"],
            "responseObject.spec.initContainers{}.image": "busybox",
            "responseObject.spec.hostNetwork": "true",
        }
    )
    verdict = assess(None, fields)
    assert (verdict.namespace, verdict.workload) == ("prod", "ReplicaSet/web-rs")
    assert verdict.images == ("nginx", "envoy", "busybox")
    fields[f"{owners}.controller"] = ["true"]  # no longer lines up with kind and name
    assert assess(None, fields).workload == "Pod/web-abc"


def test_event_text_wins_over_fields() -> None:
    raw = '{"verb": "get", "objectRef": {"resource": "pods"}}'
    assert assess(raw, pod_create(**{"requestObject.spec.hostNetwork": "true"})).hostnet == "false"


def test_no_text_and_no_fields_is_unknown() -> None:
    for fields in (None, {}):
        verdict = assess(None, fields)
        assert verdict.hostnet == "unknown"
        assert verdict.error == "no event text and no extracted fields"


def test_fields_are_not_mutated() -> None:
    fields = pod_create(**{"requestObject.spec.hostNetwork": "true", "verb": ["create"]})
    before = copy.deepcopy(fields)
    assess(None, fields)
    assess('{"verb": "create"}', fields)
    assert fields == before


@pytest.mark.parametrize("code", ["\u00b2\u00b2\u00b2", "\u0662\u0660\u0661", "2011", "-1", "20 "])
def test_a_status_code_field_of_other_digits_is_no_status_code(code: str) -> None:
    # str.isdigit() takes superscripts and other scripts' digits, which int() refuses or reads otherwise:
    # only ASCII digits are a status code (the fuzzer found "\u00b2" making an internal error).
    fields = pod_create(**{"responseStatus.code": code, "requestObject.spec.hostNetwork": "true"})
    verdict = assess(None, fields)
    assert (verdict.hostnet, verdict.request.response_code) == ("true", "")
    assert "internal error" not in verdict.error
