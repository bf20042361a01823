"""The bundled sample's audit events re-expressed as each platform delivers them to Splunk (the event text).

- AKS (Splunk Add-on for Microsoft Cloud Services, Event Hubs or blobs): one diagnostic record of category
  kube-audit whose properties.log is the audit event's line as a JSON string.
- Fluent Bit / Fluentd tailing the audit log: the line in `log`.
- OpenShift log forwarding (Vector, HEC `_json`): the audit event with Vector's fields beside its own.
- GKE (Cloud Audit Logs): a LogEntry whose protoPayload is an AuditLog with serviceName k8s.io, built after
  Google's documented format (methodName `io.k8s.<group>.<version>.<resource>[.<subresource>].<verb>`,
  resourceName `<group>/<version>[/namespaces/<ns>]/<resource>[/<name>[/<subresource>]]`, "core" for the
  core group, authenticationInfo.principalEmail, requestMetadata.callerIp / callerSuppliedUserAgent,
  resource.type k8s_cluster with labels project_id, location, cluster_name), as in the falcosecurity
  k8saudit-gke plugin's converter. Key order is alphabetical, as `gcloud logging read` prints it; through
  the Google Cloud add-on's Pub/Sub input the entry sits under `data`.
- EKS (CloudWatch Logs through the AWS add-on): the message is the audit line itself, the bare shape.
"""

import json
from typing import Any, Callable, Dict

from hostnet_tools.flatten import event_text

AKS_RESOURCE_ID = (
    "/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS1"
)
GKE_LABELS = {"cluster_name": "gke-1", "location": "europe-west1", "project_id": "shop-prod"}


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def aks(line: str) -> str:
    return _compact({
        "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
        "category": "kube-audit",
        "resourceId": AKS_RESOURCE_ID,
        "properties": {"log": line, "stream": "stdout", "pod": "kube-apiserver-6d4f8"},
        "time": "2024-11-14T09:00:18.0000000Z",
    })


def fluent_bit(line: str) -> str:
    return _compact({"log": line, "stream": "stdout", "time": "2024-11-14T09:00:18.932723Z"})


def openshift(event: Dict[str, Any]) -> str:
    record = dict(event)
    record.update({"log_type": "audit", "log_source": "kubeAPI", "hostname": "master-0",
                   "openshift": {"cluster_id": "5d3c", "sequence": 1}})
    return _compact(record)


def _group_path(group: str) -> str:
    """The methodName's reversed-domain group: apps -> io.k8s.apps, rbac.authorization.k8s.io ->
    io.k8s.authorization.rbac, a CRD's cilium.io -> io.cilium."""
    if not group:
        return "io.k8s.core"
    if "." not in group:
        return f"io.k8s.{group}"
    return ".".join(reversed(group.split(".")))


def gke_entry(event: Dict[str, Any]) -> Dict[str, Any]:
    ref = event.get("objectRef") or {}
    group, version = ref.get("apiGroup") or "", ref.get("apiVersion") or "v1"
    parts = [group or "core", version]
    if ref.get("namespace"):
        parts += ["namespaces", ref["namespace"]]
    parts.append(ref.get("resource", ""))
    parts += [ref[key] for key in ("name", "subresource") if ref.get(key)]
    resource_name = "/".join(parts)
    sub = f".{ref['subresource']}" if ref.get("subresource") else ""
    method = f"{_group_path(group)}.{version}.{ref.get('resource', '')}{sub}.{event.get('verb', '')}"
    payload: Dict[str, Any] = {
        "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
        "authenticationInfo": {"principalEmail": (event.get("user") or {}).get("username", "")},
        "authorizationInfo": [{"granted": True, "permission": method, "resource": resource_name}],
        "methodName": method,
    }
    if "requestObject" in event:
        payload["request"] = event["requestObject"]
    payload["requestMetadata"] = {
        "callerIp": (event.get("sourceIPs") or [""])[0],
        "callerSuppliedUserAgent": event.get("userAgent", ""),
    }
    payload["resourceName"] = resource_name
    if "responseObject" in event:
        payload["response"] = event["responseObject"]
    payload["serviceName"] = "k8s.io"
    payload["status"] = {}
    return {
        "insertId": event.get("auditID", ""),
        "logName": "projects/shop-prod/logs/cloudaudit.googleapis.com%2Factivity",
        "operation": {"first": True, "id": event.get("auditID", ""), "last": True, "producer": "k8s.io"},
        "protoPayload": payload,
        "receiveTimestamp": event.get("stageTimestamp", ""),
        "resource": {"labels": dict(GKE_LABELS), "type": "k8s_cluster"},
        "severity": "NOTICE",
        "timestamp": event.get("requestReceivedTimestamp", ""),
    }


def gke(event: Dict[str, Any]) -> str:
    return _compact(gke_entry(event))


def gke_pubsub(event: Dict[str, Any]) -> str:
    return _compact({"data": gke_entry(event), "attributes": {"logging.googleapis.com/timestamp": ""},
                     "publish_time": 1731574818.9})


# Shapes made from the event's line (so a cut line keeps its text) and from the parsed event.
FROM_LINE: Dict[str, Callable[[str], str]] = {"bare": lambda line: line, "aks": aks, "fluent_bit": fluent_bit}
FROM_EVENT: Dict[str, Callable[[Dict[str, Any]], str]] = {
    "openshift": openshift, "gke": gke, "gke_pubsub": gke_pubsub,
    "aks_reencoded": lambda event: aks(event_text(event)),
}
