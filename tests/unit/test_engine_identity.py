"""Output fields that name the object: namespace, workload, images; and their UTF-8 safety."""

import json

import pytest

from kube_hostnet import FIELD_NAMES, limits
from tests.support.engine_events import (
    ATTACH,
    DEPLOYMENT,
    HOSTNET_POD,
    PLAIN_POD,
    event,
    fixture_event,
    judge,
    nest,
    obj,
    spec,
)
from tests.support.kubernetes_truth import SPEC_PATHS


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            HOSTNET_POD,
            ("true", "responseObject", "default", "ReplicaSet/nginx-deployment-754c877bcd", ("nginx",)),
            id="hostnetwork-pod",
        ),
        # the object is only described when it carries host networking
        pytest.param(PLAIN_POD, ("false", "responseObject", "", "", ()), id="plain-pod"),
        pytest.param(DEPLOYMENT, ("false", "requestObject", "", "", ()), id="deployment"),
        pytest.param(ATTACH, ("false", "none", "", "", ()), id="attach"),
    ],
)
def test_falco_events(name: str, expected: tuple) -> None:
    verdict = judge(fixture_event(name))
    assert (
        verdict.hostnet,
        verdict.evidence,
        verdict.namespace,
        verdict.workload,
        verdict.images,
    ) == expected


def owned(controller: object) -> dict:
    body = obj(pod_spec=spec(True), name=None, generateName="web-")
    body["metadata"]["ownerReferences"] = [{"kind": "ReplicaSet", "name": "web-rs", "controller": controller}]
    return body


def test_a_pod_is_named_by_its_controlling_owner() -> None:
    assert judge(event(request=owned(True))).workload == "ReplicaSet/web-rs"


@pytest.mark.parametrize("controller", [False, "true", None])
def test_an_owner_that_is_not_the_controller_is_not_the_workload(controller: object) -> None:
    assert judge(event(request=owned(controller))).workload == "Pod/web-*"


def test_the_object_name_then_object_ref_name_then_generate_name() -> None:
    assert judge(event(request=obj(pod_spec=spec(True), name="solo"))).workload == "Pod/solo"
    assert (
        judge(event(name="from-ref", request=obj(pod_spec=spec(True), name=None))).workload == "Pod/from-ref"
    )


@pytest.mark.parametrize("resource", ["deployments", "daemonsets", "statefulsets", "jobs", "cronjobs"])
def test_kind_comes_from_the_resource_when_no_object_is_logged(resource: str) -> None:
    # A merge patch that sets hostNetwork at the pod-spec path, without a response: no full object.
    group = "batch" if resource in ("jobs", "cronjobs") else "apps"
    body = nest(SPEC_PATHS[(group, resource)], {"hostNetwork": True})
    verdict = judge(event(resource, "patch", group=group, level="Request", name="x", request=body))
    assert (verdict.hostnet, verdict.evidence) == ("true", "patch")
    expected_kind = {
        "deployments": "Deployment",
        "daemonsets": "DaemonSet",
        "statefulsets": "StatefulSet",
        "jobs": "Job",
        "cronjobs": "CronJob",
    }[resource]
    assert verdict.workload == f"{expected_kind}/x"


def test_patch_bodies_are_not_taken_for_the_object() -> None:
    verdict = judge(
        event(
            verb="patch",
            name="web",
            request={"kind": "Evil", "metadata": {"name": "other"}, "spec": {"hostNetwork": True}},
        )
    )
    assert verdict.workload == "Pod/web"


def test_namespace_from_metadata_when_object_ref_has_none() -> None:
    body = obj(pod_spec=spec(True))
    body["metadata"]["namespace"] = "kube-system"
    assert judge(event(namespace=None, request=body)).namespace == "kube-system"


def test_images_of_all_container_lists_in_order_without_repeats() -> None:
    pod_spec = spec(True, images=("a", "b", "a"))
    pod_spec["initContainers"] = [{"image": "init"}, {"image": 5}, "junk", {"name": "no-image"}]
    pod_spec["ephemeralContainers"] = [{"image": "debug"}, {"image": "b"}]
    assert judge(event(request=pod_spec and obj(pod_spec=pod_spec))).images == ("a", "b", "init", "debug")


def test_images_are_capped() -> None:
    many = tuple(f"img{i}" for i in range(limits.MAX_IMAGES + 10))
    assert len(judge(event(request=obj(pod_spec=spec(True, images=many)))).images) == limits.MAX_IMAGES


def test_lone_surrogates_become_valid_utf8_in_every_output_field() -> None:
    raw = json.dumps(
        event(
            request=obj(pod_spec=spec(True, images=("nginx\ud800",)), name="web\udfff"), namespace="ns\ud83d"
        )
    )
    assert "\\ud800" in raw
    fields = judge(raw).as_fields()
    assert fields["hostnet"] == "true"
    for name in FIELD_NAMES:
        values = fields[name] if isinstance(fields[name], list) else [fields[name]]
        for value in values:
            value.encode("utf-8")  # raises on a lone surrogate
    assert fields["hostnet_namespace"] == "ns\ufffd"
    assert fields["hostnet_workload"].startswith("Pod/web")


def test_as_fields_has_every_field_as_strings() -> None:
    fields = judge(fixture_event(HOSTNET_POD)).as_fields()
    assert tuple(fields) == FIELD_NAMES
    multivalue = ("hostnet_images", "hostnet_req_groups", "hostnet_req_src_ip")
    assert all(isinstance(value, str) for name, value in fields.items() if name not in multivalue)
    assert fields["hostnet_images"] == ["nginx"]
    assert all(isinstance(fields[name], list) for name in multivalue)
