"""Rule 1: which resources, groups, subresources and verbs are judged, and where their pod spec is read."""

import pytest

from tests.support.engine_events import event, judge, nest, obj, spec
from tests.support.kubernetes_truth import SPEC_PATHS


@pytest.mark.parametrize(("group", "resource"), sorted(SPEC_PATHS))
def test_host_network_at_the_pod_spec_path_of_each_workload_resource(group: str, resource: str) -> None:
    path = SPEC_PATHS[(group, resource)]
    verdict = judge(event(resource, group=group or None, request=obj(resource, spec(True))))
    assert (verdict.hostnet, verdict.evidence) == ("true", "requestObject")
    assert verdict.spec_path == "requestObject." + ".".join(path)
    assert judge(event(resource, group=group or None, request=obj(resource, spec()))).hostnet == "false"


@pytest.mark.parametrize(
    ("group", "resource"),
    [
        ("example.com", "pods"),  # a CRD named pods creates no pod
        ("apps", "pods"),
        ("", "deployments"),  # core has no deployments
        ("batch", "deployments"),
        ("apps", "jobs"),
        ("", "cronjobs"),
        ("apps", "podtemplates"),
        ("extensions", "statefulsets"),  # extensions never served StatefulSets
    ],
)
def test_a_resource_name_in_another_api_group_is_out_of_scope(group: str, resource: str) -> None:
    body = nest(SPEC_PATHS[next(key for key in SPEC_PATHS if key[1] == resource)], spec(True))
    verdict = judge(event(resource, group=group, request=body, response=body))
    assert (verdict.hostnet, verdict.evidence, verdict.spec_path) == ("false", "none", "")


@pytest.mark.parametrize(
    "resource", ["configmaps", "secrets", "services", "nodes", "customresourcedefinitions"]
)
def test_other_resources_are_false_even_when_they_carry_the_key(resource: str) -> None:
    body = {"kind": "ConfigMap", "data": {"hostNetwork": True}, "spec": {"hostNetwork": True}}
    assert judge(event(resource, request=body, response=body)).hostnet == "false"


@pytest.mark.parametrize(
    ("resource", "subresource"),
    [
        ("pods", "status"),
        ("pods", "attach"),
        ("pods", "exec"),
        ("pods", "binding"),
        ("pods", "eviction"),
        ("pods", "ephemeralcontainers"),
        ("deployments", "scale"),
        ("daemonsets", "status"),
    ],
)
def test_subresources_are_false(resource: str, subresource: str) -> None:
    body = obj(resource, spec(True))
    group = None if resource == "pods" else "apps"
    verdict = judge(
        event(resource, "update", group=group, subresource=subresource, request=body, response=body)
    )
    assert (verdict.hostnet, verdict.evidence) == ("false", "none")


@pytest.mark.parametrize("verb", ["get", "list", "watch", "delete", "deletecollection", "proxy"])
def test_reading_or_deleting_a_hostnetwork_pod_is_false(verb: str) -> None:
    verdict = judge(event(verb=verb, response=obj(pod_spec=spec(True))))
    assert (verdict.hostnet, verdict.evidence) == ("false", "none")


@pytest.mark.parametrize("verb", ["create", "update", "patch"])
def test_the_write_verbs_are_judged(verb: str) -> None:
    assert judge(event(verb=verb, response=obj(pod_spec=spec(True)))).hostnet == "true"


def test_verb_is_case_sensitive() -> None:
    assert judge(event(verb="Create", response=obj(pod_spec=spec(True)))).hostnet == "false"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda ev: ev.pop("verb"), "no verb"),
        (lambda ev: ev.update(verb=["create"]), "verb is not a string"),
        (lambda ev: ev.pop("objectRef"), "no objectRef.resource"),
        (lambda ev: ev.update(objectRef="pods"), "objectRef is not an object"),
        (lambda ev: ev.update(objectRef=None), "objectRef is not an object"),
        (lambda ev: ev["objectRef"].update(resource=7), "objectRef.resource is not a string"),
        (lambda ev: ev["objectRef"].update(apiGroup={"g": 1}), "objectRef.apiGroup is not a string"),
    ],
)
def test_malformed_scope_fields_are_unknown_with_a_reason(change, reason: str) -> None:
    ev = event(response=obj(pod_spec=spec(True)), request=obj(pod_spec=spec(True)))
    change(ev)
    verdict = judge(ev)
    assert verdict.hostnet == "unknown"
    assert reason in verdict.error


def test_missing_verb_is_false_when_the_resource_is_out_of_scope() -> None:
    ev = event("configmaps")
    del ev["verb"]
    assert judge(ev).hostnet == "false"


def test_core_group_may_be_written_as_an_empty_api_group() -> None:
    assert judge(event(group="", request=obj(pod_spec=spec(True)))).hostnet == "true"
