"""GKE Cloud Audit LogEntries (kube_hostnet.readers.gke): real entries from tests/fixtures/gke and variants
of them, judged by the same rules as native events."""

import copy
import json
from typing import Any, Dict

import pytest

from kube_hostnet import assess, limits
from kube_hostnet.readers import gke
from kube_hostnet.readers.gke import Target
from tests.support.paths import FIXTURES

POD_CREATE = "khi_pod_create_by_replicaset.json"
STATUS_PATCH = "khi_pod_status_patch_by_kubelet.json"
NAMESPACE = "1-2-deployment-update"
POD = "nginx-deployment-surge-8655b4b8c5-xf5f4"
REPLICASET = "ReplicaSet/nginx-deployment-surge-8655b4b8c5"


def entry(name: str = POD_CREATE) -> Dict[str, Any]:
    return json.loads((FIXTURES / "gke" / name).read_text(encoding="utf-8"))


def judge(record: Any) -> Any:
    return assess(record if isinstance(record, str) else json.dumps(record), {})


def with_host_network(record: Dict[str, Any], *bodies: str) -> Dict[str, Any]:
    changed = copy.deepcopy(record)
    for body in bodies:
        changed["protoPayload"][body]["spec"]["hostNetwork"] = True
    return changed


# --- the real entries --------------------------------------------------------------------------------------


def test_real_pod_create_without_host_network_is_false_from_the_response() -> None:
    verdict = judge(entry())
    assert (verdict.hostnet, verdict.evidence, verdict.gap) == ("false", "responseObject", "")


def test_real_pod_create_is_described_from_the_entry() -> None:
    request = judge(entry()).request
    assert request.shape == "gke_audit"
    assert request.user == "system:serviceaccount:kube-system:replicaset-controller"
    assert request.src_ip == ("172.16.0.3",)
    assert request.user_agent.startswith("kube-controller-manager/v1.28.14")
    assert (request.verb, request.resource, request.subresource) == ("create", "pods", "")
    assert (request.namespace, request.name) == (NAMESPACE, POD)
    assert request.audit_id == "85371f7c-2383-4041-96e8-dad63d2d1990"
    assert request.cluster == "sample-project/sample-cluster"
    # GKE carries none of these; status OK does not tell 200 from 201.
    assert (request.groups, request.impersonated_user, request.stage, request.response_code) == (
        (),
        "",
        "",
        "",
    )


def test_a_cluster_named_by_two_long_labels_stays_within_the_output_bound() -> None:
    # project and cluster are each cut to the bound; joined, they once were not (found by the fuzzer)
    record = entry()
    labels = record["resource"]["labels"]
    labels["project_id"], labels["cluster_name"] = "p" * 1000, "c" * 1000
    cluster = judge(record).request.cluster
    assert len(cluster) == limits.MAX_OUTPUT_CHARS
    assert cluster.startswith("p" * 1000 + "/c") and cluster.endswith("...")


def test_real_status_patch_is_a_subresource() -> None:
    verdict = judge(entry(STATUS_PATCH))
    assert (verdict.hostnet, verdict.evidence) == ("false", "none")
    assert (verdict.request.verb, verdict.request.subresource) == ("patch", "status")


def test_a_host_network_pod_create_on_gke_is_true() -> None:
    verdict = judge(with_host_network(entry(), "request", "response"))
    assert (verdict.hostnet, verdict.evidence) == ("true", "responseObject")
    assert verdict.spec_path == "responseObject.spec"
    assert (verdict.namespace, verdict.workload) == (NAMESPACE, REPLICASET)
    assert verdict.images == ("nginx:1.14.2", "registry.k8s.io/busybox")


def test_the_response_decides_over_the_request() -> None:
    # The request asked for nothing; a mutating webhook set it: the stored object says true.
    assert judge(with_host_network(entry(), "response")).hostnet == "true"
    changed = with_host_network(entry(), "request")
    changed["protoPayload"]["response"]["spec"]["hostNetwork"] = False
    assert judge(changed).hostnet == "false"


def test_a_refused_create_that_asked_for_host_network_is_true_and_says_403() -> None:
    refused = with_host_network(entry(), "request")
    refused["protoPayload"]["response"] = {
        "@type": "core.k8s.io/v1.Status",
        "apiVersion": "v1",
        "kind": "Status",
        "code": 403,
        "reason": "Forbidden",
        "status": "Failure",
    }
    refused["protoPayload"]["status"] = {"code": 7, "message": "Forbidden"}
    verdict = judge(refused)
    assert (verdict.hostnet, verdict.evidence, verdict.request.response_code) == (
        "true",
        "requestObject",
        "403",
    )


@pytest.mark.parametrize(("grpc", "http"), [(7, "403"), (16, "401"), (0, ""), (3, ""), (6, ""), ("7", "")])
def test_the_http_code_only_where_the_grpc_code_says_it(grpc: Any, http: str) -> None:
    record = entry()
    del record["protoPayload"]["response"]
    record["protoPayload"]["status"] = {"code": grpc}
    assert judge(record).request.response_code == http


def test_the_at_type_is_not_part_of_the_body() -> None:
    read = gke.read(entry())
    assert "@type" not in read.request_body and "@type" not in read.response_body
    assert read.request_body["kind"] == "Pod" and read.response_body["metadata"]["name"] == POD


# --- patches -----------------------------------------------------------------------------------------------


def deployment_patch(request: Any, response: Any = None) -> Dict[str, Any]:
    record = entry(STATUS_PATCH)
    payload = record["protoPayload"]
    payload["methodName"] = "io.k8s.apps.v1.deployments.patch"
    payload["resourceName"] = "apps/v1/namespaces/shop/deployments/web"
    payload["request"] = request
    if response is None:
        payload.pop("response", None)
    else:
        payload["response"] = response
    return record


def test_a_gke_merge_patch_is_read_as_a_native_patch() -> None:
    body = {"@type": "k8s.io/Patch", "spec": {"template": {"spec": {"hostNetwork": True}}}}
    verdict = judge(deployment_patch(body))
    assert (verdict.hostnet, verdict.evidence) == ("true", "patch")
    assert verdict.spec_path == "requestObject.spec.template.spec"
    assert verdict.workload == "Deployment/web"
    body["spec"]["template"]["spec"]["hostNetwork"] = None  # a merge patch's null deletes the key
    assert judge(deployment_patch(body)).hostnet == "false"


def test_a_patch_that_does_not_say_is_unknown_since_ok_is_not_201() -> None:
    body = {"@type": "k8s.io/Patch", "metadata": {"labels": {"tier": "web"}}}
    verdict = judge(deployment_patch(body))
    assert (verdict.hostnet, verdict.gap) == ("unknown", "patch_effect_unlogged")


def test_a_json_patch_kept_as_an_array_is_read_as_json_patch() -> None:
    operations = [{"op": "add", "path": "/spec/template/spec/hostNetwork", "value": True}]
    assert judge(deployment_patch(operations)).evidence == "patch"
    assert judge(deployment_patch(operations)).hostnet == "true"


def test_a_patch_without_a_body_is_unknown_no_body() -> None:
    record = deployment_patch({})
    del record["protoPayload"]["request"]
    verdict = judge(record)
    assert (verdict.hostnet, verdict.gap) == ("unknown", "no_body")


# --- annotations in labels ---------------------------------------------------------------------------------


def test_a_webhook_patch_in_labels_sets_host_network() -> None:
    record = entry()
    del record["protoPayload"]["response"]
    record["labels"]["patch.webhook.admission.k8s.io/round_0_index_5"] = json.dumps(
        {
            "configuration": "netmode",
            "webhook": "netmode.example.com",
            "patch": [{"op": "add", "path": "/spec/hostNetwork", "value": True}],
            "patchType": "JSONPatch",
        }
    )
    record["labels"]["mutation.webhook.admission.k8s.io/round_0_index_5"] = json.dumps(
        {"configuration": "netmode", "webhook": "netmode.example.com", "mutated": True}
    )
    verdict = judge(record)
    assert (verdict.hostnet, verdict.evidence) == ("true", "requestObject")
    assert "set by mutating webhook netmode.example.com" in verdict.error


def test_a_webhook_that_mutated_without_a_logged_patch_makes_false_unknown() -> None:
    record = entry()
    del record["protoPayload"]["response"]
    assert judge(record).hostnet == "false"  # the two webhooks in the real entry did not mutate
    record["labels"]["mutation.webhook.admission.k8s.io/round_0_index_4"] = json.dumps(
        {"configuration": "c", "webhook": "w", "mutated": True}
    )
    verdict = judge(record)
    assert (verdict.hostnet, verdict.gap) == ("unknown", "webhook_patch_unlogged")


def test_gke_backend_truncation_is_backend_truncated() -> None:
    record = entry()
    del record["protoPayload"]["request"]
    del record["protoPayload"]["response"]
    record["labels"]["audit.k8s.io/truncated"] = "true"
    verdict = judge(record)
    assert (verdict.hostnet, verdict.gap) == ("unknown", "backend_truncated")
    assert "audit.k8s.io/truncated" in verdict.error


# --- envelopes, cuts, look-alikes --------------------------------------------------------------------------


@pytest.mark.parametrize("as_text", [False, True])
def test_the_gcp_add_on_pubsub_message(as_text: bool) -> None:
    inner = with_host_network(entry(), "request", "response")
    message = {
        "attributes": {"logging.googleapis.com/timestamp": "2024-01-01T01:00:00Z"},
        "data": json.dumps(inner) if as_text else inner,
        "publish_time": "1704070800.123",
    }
    verdict = judge(message)
    assert verdict.request.shape == "gke_audit:data"
    assert verdict._replace(request=None) == judge(inner)._replace(request=None)
    assert verdict.request._replace(shape="") == judge(inner).request._replace(shape="")


def test_an_entry_cut_after_host_network_but_before_resource_name_is_true() -> None:
    record = with_host_network(entry(), "request", "response")
    text = json.dumps(record, sort_keys=True)  # gcloud's order: resourceName comes after request
    end = text.index('"hostNetwork": true') + len('"hostNetwork": true') + 2
    assert end < text.index('"resourceName"')
    verdict = judge(text[:end])
    assert (verdict.hostnet, verdict.evidence) == ("true", "requestObject")
    assert verdict.namespace == ""  # the name and namespace were in the lost resourceName
    assert verdict.request.name == "" and verdict.request.resource == "pods"


def test_an_entry_cut_before_host_network_is_unknown_cut() -> None:
    text = json.dumps(with_host_network(entry(), "request", "response"), sort_keys=True)
    verdict = judge(text[: text.index('"containers"')])
    assert (verdict.hostnet, verdict.gap) == ("unknown", "cut")
    assert judge(text[: text.index('"methodName"')]).gap == "cut"


def test_other_google_services_are_not_gke_audit() -> None:
    record = with_host_network(entry(), "request", "response")
    record["protoPayload"]["serviceName"] = "compute.googleapis.com"
    verdict = judge(record)
    assert (verdict.hostnet, verdict.gap) == ("unknown", "not_audit")


@pytest.mark.parametrize(
    ("method", "resource_name"),
    [
        ("com.example.v1.pods.create", "example.com/v1/namespaces/x/pods/p"),  # a CRD called pods
        ("io.k8s.apps.v1.deployments.create", "apps.k8s.io/v1/namespaces/x/deployments/d"),
        ("io.k8s.core.v1.pods.ephemeralcontainers.patch", "core/v1/namespaces/x/pods/p/ephemeralcontainers"),
    ],
)
def test_what_is_not_a_pod_spec_write_is_false(method: str, resource_name: str) -> None:
    record = with_host_network(entry(), "request", "response")
    record["protoPayload"]["methodName"] = method
    record["protoPayload"]["resourceName"] = resource_name
    assert judge(record).hostnet == "false"


# --- methodName and resourceName ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("io.k8s.core.v1.pods.create", Target("core", "v1", "pods", verb="create")),
        ("io.k8s.core.v1.pods.status.patch", Target("core", "v1", "pods", "status", verb="patch")),
        ("io.k8s.apps.v1.deployments.patch", Target("apps", "v1", "deployments", verb="patch")),
        ("io.k8s.batch.v1beta1.cronjobs.update", Target("batch", "v1beta1", "cronjobs", verb="update")),
        (
            "io.k8s.authorization.rbac.v1.roles.create",
            Target("rbac.authorization.k8s.io", "v1", "roles", verb="create"),
        ),
        ("io.k8s.core.v1.pods", None),
        ("io.k8s.v1.pods.create", None),
        ("google.container.v1.ClusterManager.CreateCluster", None),
        (7, None),
    ],
)
def test_method_names(method: Any, expected: Any) -> None:
    assert gke.method_target(method) == expected


@pytest.mark.parametrize(
    ("name", "method", "expected"),
    [
        ("core/v1/namespaces/ns/pods/p", "pods", Target("core", "v1", "pods", "", "ns", "p")),
        (
            "core/v1/namespaces/ns/pods/p/status",
            "pods.status",
            Target("core", "v1", "pods", "status", "ns", "p"),
        ),
        ("apps/v1/namespaces/ns/deployments", "deployments", Target("apps", "v1", "deployments", "", "ns")),
        ("core/v1/nodes/n1/status", "nodes.status", Target("core", "v1", "nodes", "status", "", "n1")),
        ("core/v1/namespaces/ns", "namespaces", Target("core", "v1", "namespaces", "", "", "ns")),
        (
            "core/v1/namespaces/ns/finalize",
            "namespaces.finalize",
            Target("core", "v1", "namespaces", "finalize", "", "ns"),
        ),
        # The name of a create comes from its body: `p/status` is a (refused) name, not a subresource.
        ("core/v1/namespaces/ns/pods/p/status", "pods", Target("core", "v1", "pods", "", "ns", "p/status")),
        ("core/v1", "pods", None),
        ("core/v1/namespaces/ns/pods//status", "pods.status", None),
    ],
)
def test_resource_names(name: str, method: str, expected: Any) -> None:
    resource, _, subresource = method.partition(".")
    assert gke.resource_target(name, Target("core", "v1", resource, subresource)) == expected


def test_a_pod_named_like_a_subresource_is_still_a_pod_create() -> None:
    # A client names its pod `web/status`: refused by validation, but logged, and an attempt (rule 2).
    record = with_host_network(entry(), "request", "response")
    record["protoPayload"]["resourceName"] += "/status"
    assert record["protoPayload"]["methodName"].endswith(".pods.create")
    assert judge(record).hostnet == "true"
