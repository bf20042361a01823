"""One native audit.k8s.io Event as each platform or collector delivers it to Splunk.

- `gke_entry(event)`: the Cloud Audit LogEntry GKE writes for that request (docs/design.md, "GKE Cloud
  Audit LogEntry", read by kube_hostnet.readers.gke), or None for an event GKE never writes (its audit
  policy omits the RequestReceived stage). `GkeEntry.carried` is the native event as far as GKE can carry
  it and `GkeEntry.lost` says what it cannot: a JSON Patch body (an array) is no protobuf Struct, so GKE's
  `request` cannot hold it; a status of OK does not tell 201 from 200. The engine must judge `entry`
  exactly as it judges `carried`;
- `aks_record(text)`: an AKS diagnostic-settings record (categories kube-audit, kube-audit-admin), the
  Event text in `properties.log` as Microsoft documents it (a string; `as_object=True` for pipelines that
  parsed it already);
- `fluent_bit_record(text)`: Fluent Bit or Fluentd tailing the audit log file, the line under `log`;
- `openshift_record(event)`: OpenShift log forwarding, its collector's fields beside the event's.

Deterministic: the same event always gives the same record. A body given as exact text
(sample_emulator.RawJSON) is parsed with json.loads where the platform re-encodes it (GKE), which is what
that platform's ingestion does to the text; the envelopes keep the text as it is.
"""

import json
from typing import Any, Dict, NamedTuple, Optional, Tuple

JSON = Dict[str, Any]

PROJECT = "shop-prod-4821"
CLUSTER = "shop-gke-1"
LOCATION = "europe-west1"
AKS_RESOURCE_ID = (
    "/SUBSCRIPTIONS/3F2A9C1E-7B44-4D2B-9E1A-6C0D5B8F2A17/RESOURCEGROUPS/SHOP-PROD"
    "/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/SHOP-AKS-1"
)
OPENSHIFT_CLUSTER_ID = "8c1d4f0e-52a7-4b1e-9d3c-6e2f7a9b0c15"
AUDIT_LOG_TYPE = "type.googleapis.com/google.cloud.audit.AuditLog"
PATCH_TYPE = "k8s.io/Patch"
AKS_OPERATION = "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read"
_READ_VERBS = ("get", "list", "watch")
# HTTP code -> google.rpc.Code, as google.rpc.Code documents the HTTP mapping (the reader trusts only
# PERMISSION_DENIED and UNAUTHENTICATED back: no other HTTP code maps to those).
_GRPC_OF_HTTP = {400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 422: 3, 429: 8, 500: 13, 503: 14, 504: 4}
JSON_PATCH_LOST = "GKE logs no JSON Patch body: an array cannot be its protobuf Struct `request`"
NOT_STRUCT_LOST = "GKE logs no {} that is not a JSON object (a protobuf Struct holds only objects)"
CREATED_LOST = "GKE's status OK does not tell the 201 of a patch that created its object from 200"


class GkeEntry(NamedTuple):
    entry: JSON  # the LogEntry, keys sorted as `gcloud logging read --format=json` prints them
    carried: JSON  # the native event with only what the entry carries
    lost: Tuple[str, ...]  # what the native event says that the entry cannot


def gke_entry(event: JSON) -> Optional[GkeEntry]:
    """The LogEntry GKE writes for the request of `event`; None when GKE writes none for it."""
    if event.get("stage") == "RequestReceived":
        return None
    ref = event.get("objectRef") or {}
    verb = event.get("verb")
    if not ref.get("resource") or not verb:
        raise ValueError("only resource requests (objectRef.resource and verb) are converted")
    carried = dict(event)
    lost = []
    group = ref.get("apiGroup") or "core"
    version = ref.get("apiVersion", "v1")
    path = [group, version]
    if ref.get("namespace") and ref["resource"] != "namespaces":
        path += ["namespaces", ref["namespace"]]
    # GKE names the object a create made (its generated name too), which the Event's objectRef does not.
    name = ref.get("name") or (created_name(event) if verb == "create" else "")
    path += [
        ref["resource"],
        *([name] if name else []),
        *([ref["subresource"]] if ref.get("subresource") else []),
    ]
    resource_name = "/".join(path)
    subresource = [ref["subresource"]] if ref.get("subresource") else []
    method = ".".join(("io.k8s", method_group(group), version, ref["resource"], *subresource, verb))
    status = event.get("responseStatus") or {}
    http = status.get("code", 200)
    payload: JSON = {
        "@type": AUDIT_LOG_TYPE,
        "authenticationInfo": {"principalEmail": (event.get("user") or {}).get("username", "")},
        "authorizationInfo": [
            {
                "granted": (event.get("annotations") or {}).get("authorization.k8s.io/decision") != "forbid",
                "permission": method,
                "resource": resource_name,
            }
        ],
        "methodName": method,
        "requestMetadata": {
            "callerIp": (event.get("sourceIPs") or [""])[0],
            "callerSuppliedUserAgent": event.get("userAgent", ""),
        },
        "resourceName": resource_name,
        "serviceName": "k8s.io",
        "status": _status(http, status),
    }
    request = _parsed(event.get("requestObject"))
    if "requestObject" in event:
        if isinstance(request, dict):
            payload["request"] = {**request, "@type": PATCH_TYPE if verb == "patch" else _type_of(request)}
        else:
            del carried["requestObject"]
            lost.append(
                JSON_PATCH_LOST if isinstance(request, list) else NOT_STRUCT_LOST.format("request body")
            )
    response = event.get("responseObject")
    if "responseObject" in event:
        if isinstance(response, dict):
            payload["response"] = {**response, "@type": _type_of(response)}
        else:
            del carried["responseObject"]
            lost.append(NOT_STRUCT_LOST.format("response body"))
    if verb == "patch" and http == 201:
        carried["responseStatus"] = {**status, "code": 200}
        lost.append(CREATED_LOST)
    entry: JSON = {
        "insertId": event.get("auditID", ""),
        "logName": f"projects/{PROJECT}/logs/cloudaudit.googleapis.com%2F"
        + ("data_access" if verb in _READ_VERBS else "activity"),
        "operation": {"first": True, "id": event.get("auditID", ""), "last": True, "producer": "k8s.io"},
        "protoPayload": payload,
        "receiveTimestamp": event.get("stageTimestamp", ""),
        "resource": {
            "labels": {"cluster_name": CLUSTER, "location": LOCATION, "project_id": PROJECT},
            "type": "k8s_cluster",
        },
        "severity": "ERROR" if http >= 400 else ("INFO" if verb in _READ_VERBS else "NOTICE"),
        "timestamp": event.get("stageTimestamp", ""),
    }
    if event.get("annotations"):
        entry["labels"] = dict(event["annotations"])
    return GkeEntry(_sorted(entry), carried, tuple(lost))


def created_name(event: JSON) -> str:
    """The name of the object a create made, when the response is that object."""
    response = event.get("responseObject")
    if not isinstance(response, dict) or response.get("kind") == "Status":
        return ""
    metadata = response.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return name if isinstance(name, str) else ""


def method_group(group: str) -> str:
    """How methodName spells an API group: `rbac.authorization.k8s.io` -> `authorization.rbac`."""
    if "." not in group:
        return group
    suffix = ".k8s.io"
    stem = group[: -len(suffix)] if group.endswith(suffix) else group
    return ".".join(reversed(stem.split(".")))


def aks_record(text: str, as_object: bool = False, category: str = "kube-audit") -> JSON:
    """An AKS diagnostic-settings record around one Event's text."""
    return {
        "time": _time_of(text),
        "resourceId": AKS_RESOURCE_ID,
        "category": category,
        "operationName": AKS_OPERATION,
        "properties": {
            "log": json.loads(text) if as_object else text,
            "stream": "stdout",
            "pod": "kube-apiserver-6d8f9c7b54-x2kqp",
            "containerID": "5b0e2c7f9a1d43e8b6c4f2a0d9e7b5c3a1f8e6d4c2b0a9f7e5d3c1b9a7f5e3d1",
        },
    }


def fluent_bit_record(text: str) -> JSON:
    return {"date": _time_of(text), "log": text}


def openshift_record(event: JSON) -> JSON:
    """The event's fields with the collector's beside them (ViaQ: the audit level also as k8s_audit_level)."""
    return {
        **event,
        "@timestamp": event.get("stageTimestamp", ""),
        "hostname": "master-0.shop.example.com",
        "k8s_audit_level": event.get("level", ""),
        "log_type": "audit",
        "openshift": {"cluster_id": OPENSHIFT_CLUSTER_ID, "sequence": 1},
    }


def _parsed(body: Any) -> Any:
    # Exact text (sample_emulator.RawJSON is a str) is what the platform's ingestion parses.
    return json.loads(body) if isinstance(body, str) else body


def _type_of(obj: JSON) -> str:
    """GKE's `@type` of an object: `core.k8s.io/v1.Pod`, `apps.k8s.io/v1.Deployment`."""
    api_version = str(obj.get("apiVersion", "v1"))
    group, _, version = api_version.rpartition("/")
    group = group or "core"
    if "." not in group:
        group += ".k8s.io"
    return f"{group}/{version}.{obj.get('kind', '')}"


def _status(http: Any, status: JSON) -> JSON:
    if not isinstance(http, int) or http < 400:
        return {"code": 0}
    result: JSON = {"code": _GRPC_OF_HTTP.get(http, 2)}
    if status.get("message"):
        result["message"] = status["message"]
    return result


def _time_of(text: str) -> str:
    """The event's stageTimestamp; "" for text that is no complete event (a cut line)."""
    try:
        event = json.loads(text) if text.lstrip().startswith("{") else {}
    except ValueError:
        return ""
    return str(event.get("stageTimestamp", "")) if isinstance(event, dict) else ""


def _sorted(value: Any) -> Any:
    """gcloud prints every object's keys sorted."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value
