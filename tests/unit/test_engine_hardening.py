"""The adversarial classes of the hardening review that the evidence pipeline answers: each case failed on
1.0.0. Transformed responses, webhook records that remove hostNetwork, forged last-applied annotations in
patches, truncating audit backends, and an unknown without a reason."""

import json
from typing import Any, Dict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.engine_events import LAST_APPLIED, event, judge, nest, obj, spec, spec_path, status
from tests.support.engine_strategies import consistent_events

PARTIAL = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": {"name": "web"}}


def table(row_object: Any = None) -> Dict[str, Any]:
    """What `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` returns (includeObject=Object puts the
    object in the row; the default, Metadata, a PartialObjectMetadata)."""
    row = {"cells": ["web", "Running"], "object": PARTIAL if row_object is None else row_object}
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "columnDefinitions": [], "rows": [row]}


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(PARTIAL, id="PartialObjectMetadata"),
        pytest.param(table(), id="Table"),
        pytest.param(
            {"kind": "PartialObjectMetadataList", "items": [PARTIAL]}, id="PartialObjectMetadataList"
        ),
        pytest.param({"apiVersion": "v1", "metadata": {"name": "web"}}, id="no-kind"),
        pytest.param(obj("deployments", spec(False)), id="another-kind"),
    ],
)
def test_a_transformed_response_is_not_the_object_and_the_request_decides(response: Dict[str, Any]) -> None:
    verdict = judge(event(request=obj(pod_spec=spec(True)), response=response))
    assert (verdict.hostnet, verdict.evidence, verdict.spec_path) == (
        "true",
        "requestObject",
        "requestObject.spec",
    )
    assert verdict.workload == "Pod/web"


def test_a_transformed_response_to_a_workload_patch_leaves_the_patch_deciding() -> None:
    patch = nest(spec_path("daemonsets"), {"hostNetwork": True})
    verdict = judge(event("daemonsets", "patch", group="apps", request=patch, response=PARTIAL, code=200))
    assert (verdict.hostnet, verdict.evidence) == ("true", "patch")


def test_the_reason_says_the_response_was_transformed() -> None:
    verdict = judge(
        event(verb="patch", request={"metadata": {"labels": {"a": "b"}}}, response=PARTIAL, code=200)
    )
    assert verdict.hostnet == "unknown"
    assert "responseObject is PartialObjectMetadata, not the object (a transformed response)" in verdict.error


@pytest.mark.parametrize("host_network", [True, False])
def test_a_table_that_includes_the_object_is_read_from_its_row(host_network: bool) -> None:
    verdict = judge(event(request=obj(pod_spec=spec(True)), response=table(obj(pod_spec=spec(host_network)))))
    assert (verdict.hostnet, verdict.evidence) == (str(host_network).lower(), "responseObject")


TRANSFORMED_KINDS = st.sampled_from(
    ["PartialObjectMetadata", "Table", "Status", "List", "Pod ", "pod", "Scale"]
)


@settings(max_examples=120)
@given(consistent_events(), TRANSFORMED_KINDS)
def test_a_response_of_another_kind_never_changes_what_the_request_says(
    ev: Dict[str, Any], kind: str
) -> None:
    without = dict(ev)
    without.pop("responseObject", None)
    with_transformed = {
        **without,
        "responseObject": {"kind": kind, "metadata": {}, "spec": {"hostNetwork": True}},
    }
    expected, got = judge(without), judge(with_transformed)
    assert (got.hostnet, got.evidence, got.spec_path) == (
        expected.hostnet,
        expected.evidence,
        expected.spec_path,
    )


def test_request_object_null_is_unknown_with_a_reason() -> None:
    verdict = judge(event(request=None))
    assert (verdict.hostnet, verdict.error, verdict.gap) == ("unknown", "requestObject is null", "no_body")


def test_a_forged_annotation_in_a_merge_patch_is_not_true() -> None:
    # The finding: a merge patch writing only a last-applied annotation that claims hostNetwork.
    forged = json.dumps({"kind": "Pod", "spec": {"hostNetwork": True}})
    body = {"metadata": {"annotations": {LAST_APPLIED: forged}}}
    verdict = judge(event(verb="patch", level="Request", request=body, code=200))
    assert (verdict.hostnet, verdict.gap) == ("unknown", "patch_effect_unlogged")


def test_an_event_a_truncating_audit_backend_emptied_says_so() -> None:
    ev = event(level="RequestResponse")
    ev["annotations"] = {"audit.k8s.io/truncated": "true"}
    verdict = judge(ev)
    assert verdict.hostnet == "unknown"
    assert verdict.error.startswith("the API server's audit backend truncated the event")
    assert verdict.gap == "backend_truncated"


@pytest.mark.parametrize(
    ("ev", "gap"),
    [
        pytest.param(event(level="Metadata"), "no_body", id="metadata-level"),
        pytest.param(event(code=403, response=status(403, "Forbidden")), "no_body", id="status-only"),
        pytest.param(
            event(verb="patch", level="Request", request={"metadata": {"labels": {"a": "b"}}}, code=200),
            "patch_effect_unlogged",
            id="patch-untouched",
        ),
        pytest.param(event(request={"kind": "Pod", "spec": 5}), "unreadable", id="spec-not-an-object"),
        pytest.param({"kind": "Something", "data": 1}, "not_audit", id="not-an-audit-shape"),
    ],
)
def test_each_unknown_names_its_gap(ev: Dict[str, Any], gap: str) -> None:
    verdict = judge(ev)
    assert (verdict.hostnet, verdict.gap) == ("unknown", gap)
    assert verdict.error


def test_a_cut_event_has_gap_cut_and_text_that_is_not_json_not_json() -> None:
    raw = json.dumps(event(level="Request", request=obj(pod_spec=spec())))
    assert judge(raw[: raw.index('"spec": {')]).gap == "cut"
    assert judge("this is no JSON").gap == "not_json"
    assert judge("{" + " " * 300_000).gap == "oversized"


def test_decided_verdicts_have_no_gap() -> None:
    assert judge(event(request=obj(pod_spec=spec(True)))).gap == ""
    assert judge(event(request=obj(pod_spec=spec()))).gap == ""
    assert judge(event("configmaps", request={"data": {}})).gap == ""


# --- the bounds on what one event can make the engine do (limits.py) --------------------------------------


def test_a_json_patch_above_the_operation_bound_is_unknown_and_oversized() -> None:
    from kube_hostnet.limits import MAX_PATCH_OPERATIONS

    operations = [
        {"op": "add", "path": f"/metadata/labels/l{i}", "value": "x"} for i in range(MAX_PATCH_OPERATIONS)
    ]
    inside = judge(
        event(verb="patch", request=[*operations[:-1], {"op": "remove", "path": "/spec/hostNetwork"}])
    )
    assert inside.hostnet == "false"
    above = judge(event(verb="patch", request=[*operations, {"op": "remove", "path": "/spec/hostNetwork"}]))
    assert (above.hostnet, above.gap) == ("unknown", "oversized")
    assert "above the bound" in above.error


def test_webhook_records_past_the_bound_are_not_read_and_false_becomes_unknown() -> None:
    from kube_hostnet.limits import MAX_WEBHOOK_RECORDS

    record = json.dumps({"configuration": "c", "webhook": "w", "mutated": False})
    annotations = {
        f"mutation.webhook.admission.k8s.io/round_0_index_{i}": record for i in range(MAX_WEBHOOK_RECORDS)
    }
    ev = event(request=obj(pod_spec=spec()))
    ev["annotations"] = annotations
    assert judge(ev).hostnet == "false"
    ev["annotations"] = {**annotations, "mutation.webhook.admission.k8s.io/round_1_index_0": record}
    verdict = judge(ev)
    assert (verdict.hostnet, verdict.gap) == ("unknown", "webhook_patch_unlogged")
    assert "bound" in verdict.error
    ev["requestObject"] = obj(pod_spec=spec(True))
    assert judge(ev).hostnet == "true"  # the request asked for it, whatever the records say


def test_images_are_looked_for_in_a_bounded_number_of_containers() -> None:
    from kube_hostnet.limits import MAX_CONTAINERS_WALKED

    images = [f"r.example/i{n}" for n in range(MAX_CONTAINERS_WALKED + 1)]
    pod = spec(True, images=images)
    verdict = judge(event(request=obj(pod_spec=pod)))
    assert verdict.hostnet == "true" and len(verdict.images) == 64
    late = spec(True, images=["a"] * MAX_CONTAINERS_WALKED + ["r.example/late"])
    assert "r.example/late" not in judge(event(request=obj(pod_spec=late))).images
