"""Builders of audit events for the engine's unit tests (the shapes the API server writes)."""

import json
from typing import Any, Dict, Optional, Sequence

from kube_hostnet import Verdict, assess
from tests.support.kubernetes_truth import KINDS, SPEC_PATHS
from tests.support.paths import K8S_AUDIT

HOSTNET_POD = "falco_create_nginx_pod_hostnetwork.json"
PLAIN_POD = "falco_create_nginx_pod_nohostnetwork.json"
DEPLOYMENT = "falco_create_deployment.json"
CLUSTER_ROLE_PATCH = "falco_modify_cluster_role_node_problem_detector.json"
ATTACH = "falco_attach_pod.json"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

_ABSENT: Any = object()

def fixture_text(name: str) -> str:
    return (K8S_AUDIT / name).read_text(encoding="utf-8")


def fixture_event(name: str) -> Dict[str, Any]:
    return json.loads(fixture_text(name))


def spec(host_network: Any = _ABSENT, images: Sequence[str] = ("nginx",)) -> Dict[str, Any]:
    """A pod spec; host_network left out when not given."""
    result: Dict[str, Any] = {
        "containers": [{"name": f"c{i}", "image": image} for i, image in enumerate(images)]
    }
    if host_network is not _ABSENT:
        result["hostNetwork"] = host_network
    return result


def nest(path: Sequence[str], value: Any) -> Any:
    for key in reversed(path):
        value = {key: value}
    return value


def spec_path(resource: str) -> Sequence[str]:
    return next(path for (_, known), path in SPEC_PATHS.items() if known == resource)


def obj(
    resource: str = "pods",
    pod_spec: Optional[Dict[str, Any]] = None,
    name: Optional[str] = "web",
    annotation: Optional[str] = None,
    **metadata: Any,
) -> Dict[str, Any]:
    """A whole object of the resource with pod_spec at the resource's pod-spec path."""
    body = nest(spec_path(resource), spec() if pod_spec is None else pod_spec)
    meta: Dict[str, Any] = {"namespace": "default", **metadata}
    if name is not None:
        meta["name"] = name
    if annotation is not None:
        meta["annotations"] = {LAST_APPLIED: annotation}
    return {"kind": KINDS[resource], "apiVersion": "v1", "metadata": meta, **body}


def event(
    resource: str = "pods",
    verb: str = "create",
    *,
    group: Optional[str] = None,
    subresource: Optional[str] = None,
    request: Any = _ABSENT,
    response: Any = _ABSENT,
    code: int = 201,
    level: str = "RequestResponse",
    name: Optional[str] = None,
    namespace: Optional[str] = "default",
) -> Dict[str, Any]:
    ref: Dict[str, Any] = {"resource": resource}
    if namespace is not None:
        ref["namespace"] = namespace
    if name is not None:
        ref["name"] = name
    if group is not None:
        ref["apiGroup"] = group
    if subresource is not None:
        ref["subresource"] = subresource
    result: Dict[str, Any] = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": level,
        "stage": "ResponseComplete",
        "verb": verb,
        "objectRef": ref,
        "responseStatus": {"metadata": {}, "code": code},
    }
    if request is not _ABSENT:
        result["requestObject"] = request
    if response is not _ABSENT:
        result["responseObject"] = response
    return result


def status(code: int, reason: str) -> Dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": reason, "code": code}


def judge(ev: Any) -> Verdict:
    return assess(ev if isinstance(ev, str) else json.dumps(ev), {})
