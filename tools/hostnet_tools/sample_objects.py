"""The objects the API server logs for a create or update in the sample: decoded, defaulted and stored.

A scenario step gives what the client sent (an `object` record: the manifest's pod spec, names, labels,
annotations, owner) and what the server assigned (uid, resourceVersion, creationTimestamp, a generated
name); this module turns it into the two bodies an audit Event carries: `requestObject` (the request after
decoding and defaulting, in Go field order) and `responseObject` (the object as stored, after admission).
Which resources hold a pod template, and where, comes from kube_hostnet.resources.
"""

import json
from typing import Any, Dict, List, Optional, Tuple

from kube_hostnet.resources import BY_RESOURCE

JSON = Dict[str, Any]
_COMPACT = (",", ":")
_TOKEN_VOLUME = "kube-api-access-x7k2q"  # noqa: S105 -- a volume name, not a secret
_REPLICATED = ("deployments", "statefulsets", "replicasets", "replicationcontrollers")
_RUN_TO_COMPLETION = ("jobs", "cronjobs")
_CRON_SCHEDULE = "*/30 * * * *"


def defaulted_container(manifest: JSON) -> JSON:
    body = dict(manifest)
    body.setdefault("resources", {})
    body["terminationMessagePath"] = "/dev/termination-log"
    body["terminationMessagePolicy"] = "File"
    body["imagePullPolicy"] = "Always" if manifest["image"].endswith(":latest") else "IfNotPresent"
    return body


def defaulted_spec(manifest: JSON, restart_policy: str = "Always") -> JSON:
    """A pod spec after decoding and defaulting, in Go field order; hostNetwork false is omitted."""
    spec: JSON = {}
    if "volumes" in manifest:
        spec["volumes"] = manifest["volumes"]
    if "initContainers" in manifest:
        spec["initContainers"] = [defaulted_container(c) for c in manifest["initContainers"]]
    spec["containers"] = [defaulted_container(c) for c in manifest["containers"]]
    spec["restartPolicy"] = manifest.get("restartPolicy", restart_policy)
    spec["terminationGracePeriodSeconds"] = 30
    host_network = manifest.get("hostNetwork") is True
    spec["dnsPolicy"] = manifest.get(
        "dnsPolicy", "ClusterFirstWithHostNet" if host_network else "ClusterFirst"
    )
    for key in ("nodeSelector", "serviceAccountName", "nodeName"):
        if key in manifest:
            spec[key] = manifest[key]
    if host_network:
        spec["hostNetwork"] = True
    for key in ("hostPID", "priorityClassName"):
        if key in manifest:
            spec[key] = manifest[key]
    spec["securityContext"] = manifest.get("securityContext", {})
    spec["schedulerName"] = "default-scheduler"
    if "tolerations" in manifest:
        spec["tolerations"] = manifest["tolerations"]
    return spec


def admitted_spec(spec: JSON, node: Optional[str] = None) -> JSON:
    """The spec the API server stores: admission adds the service account token volume and tolerations."""
    stored = dict(spec)
    token = {
        "name": _TOKEN_VOLUME,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
            ],
        },
    }
    stored["volumes"] = [*spec.get("volumes", []), token]
    stored.setdefault("serviceAccountName", "default")
    stored["serviceAccount"] = stored["serviceAccountName"]
    if node:
        stored["nodeName"] = node
    stored["enableServiceLinks"] = True
    stored["preemptionPolicy"] = "PreemptLowerPriority"
    stored["priority"] = 0
    stored.setdefault(
        "tolerations",
        [
            {
                "effect": "NoExecute",
                "key": f"node.kubernetes.io/{condition}",
                "operator": "Exists",
                "tolerationSeconds": 300,
            }
            for condition in ("not-ready", "unreachable")
        ],
    )
    return stored


def managed_fields(manager: str, operation: str, time: str, spec_keys: List[str]) -> List[JSON]:
    """Server-side field ownership; it names `f:hostNetwork` without setting it, as real objects do."""
    fields = {"f:metadata": {"f:labels": {".": {}}}, "f:spec": {f"f:{key}": {} for key in spec_keys}}
    return [
        {
            "manager": manager,
            "operation": operation,
            "apiVersion": "v1",
            "time": time,
            "fieldsType": "FieldsV1",
            "fieldsV1": fields,
        }
    ]


def built_objects(resource: str, namespace: str, sent: JSON) -> Tuple[JSON, JSON]:
    """(requestObject, responseObject) of a create or update of `resource` from a step's `object` record."""
    if resource == "pods":
        request, response = _pod_objects(namespace, sent)
    else:
        request, response = _workload_objects(resource, namespace, sent)
    copies = sent.get("managedFieldsCopies", 1)
    if copies != 1:  # an object grown large the usual way: many managers' entries
        response["metadata"]["managedFields"] = response["metadata"]["managedFields"] * copies
    head = sent.get("requestSpecHead")
    if head:  # keys the client put before the rest of the spec (a cut event reads them first)
        request["spec"] = {**head, **{k: v for k, v in request["spec"].items() if k not in head}}
    return request, response


def _pod_objects(namespace: str, sent: JSON) -> Tuple[JSON, JSON]:
    assigned = sent["assigned"]
    metadata: JSON = {}
    if "name" in sent:
        metadata["name"] = sent["name"]
    if "generateName" in sent:
        metadata["generateName"] = sent["generateName"]
    metadata["namespace"] = namespace
    metadata["creationTimestamp"] = None
    _copy_client_metadata(sent, metadata)
    spec = defaulted_spec(sent["spec"], sent.get("restartPolicy", "Always"))
    request = {"kind": "Pod", "apiVersion": "v1", "metadata": metadata, "spec": spec, "status": {}}
    stored_meta: JSON = {"name": sent.get("name") or assigned["name"]}
    if "generateName" in sent:
        stored_meta["generateName"] = sent["generateName"]
    stored_meta["namespace"] = namespace
    _copy_assigned(assigned, stored_meta)
    for key in ("labels", "annotations", "ownerReferences"):
        if key in metadata:
            stored_meta[key] = metadata[key]
    created = assigned["creationTimestamp"]
    stored_meta["managedFields"] = managed_fields(
        sent.get("manager", "kubectl-create"), "Update", created, list(spec)
    )
    response = {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": stored_meta,
        "spec": admitted_spec(spec, sent.get("nodeName")),
        "status": {"phase": "Pending", "qosClass": "BestEffort"},
    }
    return request, response


def _workload_objects(resource: str, namespace: str, sent: JSON) -> Tuple[JSON, JSON]:
    facts = BY_RESOURCE[resource]
    labels = sent["labels"]
    restart = "OnFailure" if resource in _RUN_TO_COMPLETION else "Always"
    template = {
        "metadata": {"creationTimestamp": None, "labels": labels},
        "spec": defaulted_spec(sent["spec"], restart),
    }
    metadata: JSON = {"name": sent["name"], "namespace": namespace, "creationTimestamp": None}
    _copy_client_metadata(sent, metadata)
    body: JSON = {
        "kind": facts.kind,
        "apiVersion": f"{facts.group}/{facts.version}" if facts.group else facts.version,
        "metadata": metadata,
    }
    if facts.template_path != ("template",):  # a PodTemplate is only its template
        spec: JSON = {}
        if resource in _REPLICATED:
            spec["replicas"] = sent.get("replicas", 1)
        if resource == "cronjobs":
            spec["schedule"] = _CRON_SCHEDULE
        elif resource != "jobs":
            spec["selector"] = labels if resource == "replicationcontrollers" else {"matchLabels": labels}
        body["spec"] = spec
    _set_path(body, facts.template_path, template)
    response = json.loads(json.dumps(body, separators=_COMPACT, ensure_ascii=False))
    assigned = sent["assigned"]
    response["metadata"].update(
        {
            "uid": assigned["uid"],
            "resourceVersion": assigned["resourceVersion"],
            "generation": 1,
            "creationTimestamp": assigned["creationTimestamp"],
        }
    )
    if "spec" in body:
        response["status"] = {}
    return body, response


def _copy_client_metadata(sent: JSON, metadata: JSON) -> None:
    if sent.get("labels"):
        metadata["labels"] = sent["labels"]
    if sent.get("annotations"):
        metadata["annotations"] = sent["annotations"]
    if sent.get("owner"):
        metadata["ownerReferences"] = [sent["owner"]]


def _copy_assigned(assigned: JSON, metadata: JSON) -> None:
    for key in ("uid", "resourceVersion", "creationTimestamp"):
        metadata[key] = assigned[key]


def _set_path(obj: JSON, path: Tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        obj = obj.setdefault(key, {})
    obj[path[-1]] = value
