"""The request description (hostnet_req_*) and the envelopes the native Event arrives in."""

import json
from typing import Any, Dict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kube_hostnet.limits import MAX_OUTPUT_CHARS
from kube_hostnet.readers.describe import text
from kube_hostnet.safetext import clean
from tests.support.engine_events import event, judge, obj, spec

HOSTNET_CREATE = event(request=obj(pod_spec=spec(True)), name="web", namespace="prod")
HOSTNET_CREATE.update(
    auditID="a1b2",
    user={"username": "alice@example.com", "groups": ["oidc:dev", "system:authenticated"]},
    impersonatedUser={"username": "system:serviceaccount:kube-system:deployer"},
    sourceIPs=["10.0.0.7", "192.168.1.9"],
    userAgent="kubectl/v1.30.0",
)


def test_the_request_is_described_from_the_event() -> None:
    fields = judge(HOSTNET_CREATE).as_fields()
    assert {name: value for name, value in fields.items() if name.startswith("hostnet_req_")} == {
        "hostnet_req_shape": "k8s_audit",
        "hostnet_req_user": "alice@example.com",
        "hostnet_req_groups": ["oidc:dev", "system:authenticated"],
        "hostnet_req_impersonated_user": "system:serviceaccount:kube-system:deployer",
        "hostnet_req_src_ip": ["10.0.0.7", "192.168.1.9"],
        "hostnet_req_user_agent": "kubectl/v1.30.0",
        "hostnet_req_verb": "create",
        "hostnet_req_resource": "pods",
        "hostnet_req_subresource": "",
        "hostnet_req_namespace": "prod",
        "hostnet_req_name": "web",
        "hostnet_req_response_code": "201",
        "hostnet_req_stage": "ResponseComplete",
        "hostnet_req_audit_id": "a1b2",
        "hostnet_req_cluster": "",
    }


def test_every_verdict_describes_its_request_not_only_true() -> None:
    for ev in (event(level="Metadata", name="a"), event("configmaps", request={"data": {}}, name="a")):
        assert judge(ev).request.name == "a"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("user", {"username": 7, "groups": "system:masters"}, id="wrong-types"),
        pytest.param("sourceIPs", "10.0.0.1", id="ips-not-a-list"),
        pytest.param("responseStatus", {"code": True}, id="code-true"),
        pytest.param("responseStatus", {"code": 201.0}, id="code-float"),
    ],
)
def test_values_of_the_wrong_json_type_are_not_described(field: str, value: Any) -> None:
    ev = {**HOSTNET_CREATE, field: value}
    verdict = judge(ev)
    described = verdict.request._asdict()
    assert described[{"user": "user", "sourceIPs": "src_ip", "responseStatus": "response_code"}[field]] in (
        "",
        (),
    )
    assert verdict.hostnet == "true"


def test_described_lists_are_bounded_and_strings_cleaned() -> None:
    ev = {**HOSTNET_CREATE, "sourceIPs": [f"10.0.{i // 256}.{i % 256}" for i in range(1000)]}
    ev["user"] = {"username": "x" * 5000 + "\ud800", "groups": ["g"] * 3}
    described = judge(json.dumps(ev)).request
    assert len(described.src_ip) == 64
    assert described.groups == ("g",)
    assert len(described.user) == 1024
    described.user.encode("utf-8")


AKS_CLUSTER = "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/C1"


def wrapped_in(envelope: str, ev: Dict[str, Any]) -> Dict[str, Any]:
    text = json.dumps(ev)
    return {
        "aks-string": {
            "category": "kube-audit",
            "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
            "resourceId": AKS_CLUSTER,
            "properties": {"log": text, "stream": "stdout", "pod": "kube-apiserver-abc"},
        },
        "aks-object": {"category": "kube-audit-admin", "properties": {"log": ev}},
        "fluent-bit": {"log": text + "\n", "stream": "stdout", "time": "2026-01-01T00:00:00Z"},
        "pubsub-data": {"data": {"log": text}, "message_id": "1"},
        "openshift": {**ev, "openshift": {"cluster_id": "c-123"}, "log_type": "audit", "hostname": "m0"},
    }[envelope]


SHAPES = {
    "aks-string": ("k8s_audit:properties.log", AKS_CLUSTER),
    "aks-object": ("k8s_audit:properties.log", ""),
    "fluent-bit": ("k8s_audit:log", ""),
    "pubsub-data": ("k8s_audit:data.log", ""),
    "openshift": ("k8s_audit", "c-123"),
}


@pytest.mark.parametrize("envelope", sorted(SHAPES))
def test_an_enveloped_event_is_judged_and_described_like_the_bare_one(envelope: str) -> None:
    bare = judge(HOSTNET_CREATE)
    verdict = judge(wrapped_in(envelope, HOSTNET_CREATE))
    assert verdict._replace(request=bare.request) == bare
    shape, cluster = SHAPES[envelope]
    assert (verdict.request.shape, verdict.request.cluster) == (shape, cluster)
    assert verdict.request._replace(shape="", cluster="") == bare.request._replace(shape="")


@pytest.mark.parametrize(
    "record",
    [
        pytest.param({"log": "kube-apiserver started"}, id="log-not-json"),
        pytest.param({"properties": {"log": "{not json"}}, id="aks-log-invalid"),
        pytest.param({"message": {"hello": "world"}}, id="object-of-no-shape"),
        pytest.param(
            {"log": {"log": {"log": {"log": json.dumps(HOSTNET_CREATE)}}}}, id="deeper-than-the-bound"
        ),
    ],
)
def test_a_record_with_no_audit_event_inside_is_not_audit(record: Dict[str, Any]) -> None:
    verdict = judge(record)
    assert (verdict.hostnet, verdict.gap) == ("unknown", "not_audit")
    assert verdict.request.shape == ""


_AT_THE_BOUND = {"min_size": MAX_OUTPUT_CHARS - 2, "max_size": MAX_OUTPUT_CHARS + 2}


@given(
    value=st.one_of(
        st.text(st.characters(blacklist_categories=()), max_size=8),  # lone surrogates too
        st.text(st.characters(max_codepoint=127), **_AT_THE_BOUND),
        st.text(**_AT_THE_BOUND),
    )
)
def test_a_described_string_is_the_cleaned_string_whichever_path_gives_it(value: str) -> None:
    assert text(value) == clean(value)
