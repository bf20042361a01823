"""Writes the bundled sample: samples/audit.log (one cluster session as the API server logs it) and
samples/audit.labels.csv (for each event: its line, the truth, a category and the reason).

The session is written for this project, not captured: a kubeadm-style cluster with a CNI and kube-proxy,
controllers creating pods, people using kubectl (apply, create, run, patch, server-side apply), denied
requests, the audit policy's Metadata level and RequestReceived stage, and the ways around a text match
on the last-applied annotation described in the hostnetcheck issue. Each scenario knows what it wrote,
so it labels its own events with what a perfect detector answers under docs/design.md's rules.

Deterministic: the same source always writes the same bytes (tests/tools/test_sample.py checks that the
committed files are this generator's output). Run: python tools/make_sample.py [OUTPUT_DIR]
"""

import csv
import io
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

from hostnet_tools.auditlog import SPLUNK_TRUNCATE, splunk_truncate
from hostnet_tools.evaluate import LABEL_COLUMNS, Label

SEED = 20241114
LOG_NAME = "audit.log"
LABELS_NAME = "audit.labels.csv"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_START = datetime(2024, 11, 14, 8, 58, 3, 120000, tzinfo=timezone.utc)
_COMPACT = (",", ":")

JSON = Dict[str, Any]


class Actor(NamedTuple):
    username: str
    groups: Tuple[str, ...]
    user_agent: str
    source_ip: str


_KCM = "kube-controller-manager/v1.29.3 (linux/amd64) kubernetes/6813625/system:serviceaccount:kube-system:"
_SA_GROUPS = ("system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated")
_CONTROL_PLANE_IP = "172.18.0.2"


def _controller(name: str) -> Actor:
    return Actor(f"system:serviceaccount:kube-system:{name}", _SA_GROUPS, _KCM + name, _CONTROL_PLANE_IP)


ADMIN = Actor(
    "kubernetes-admin",
    ("system:masters", "system:authenticated"),
    "kubectl/v1.29.3 (linux/amd64) kubernetes/6813625",
    "10.20.0.5",
)
ALICE = Actor(
    "alice@example.com",
    ("oidc:platform-team", "system:authenticated"),
    "kubectl/v1.29.1 (darwin/arm64) kubernetes/bc401b9",
    "192.168.14.23",
)
BOB = Actor(
    "bob@example.com",
    ("oidc:developers", "system:authenticated"),
    "kubectl/v1.28.4 (linux/amd64) kubernetes/bae2c62",
    "192.168.14.57",
)
CI = Actor(
    "system:serviceaccount:ci:deployer",
    ("system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"),
    "kubectl/v1.27.9 (linux/amd64) kubernetes/d15213f",
    "10.244.3.17",
)
INTRUDER = Actor(
    "system:serviceaccount:shop:default",
    ("system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"),
    "kubectl/v1.30.0 (linux/amd64) kubernetes/7c48c2b",
    "10.244.2.41",
)
HELM = Actor("kubernetes-admin", ("system:masters", "system:authenticated"), "Helm/3.14.2", "10.20.0.5")
ARGOCD = Actor(
    "system:serviceaccount:argocd:argocd-application-controller",
    ("system:serviceaccounts", "system:serviceaccounts:argocd", "system:authenticated"),
    "argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format",
    "10.244.1.9",
)
SCHEDULER = Actor(
    "system:kube-scheduler",
    ("system:authenticated",),
    "kube-scheduler/v1.29.3 (linux/amd64) kubernetes/6813625/scheduler",
    _CONTROL_PLANE_IP,
)
RS_CONTROLLER = _controller("replicaset-controller")
DS_CONTROLLER = _controller("daemon-set-controller")
DEPLOY_CONTROLLER = _controller("deployment-controller")
STS_CONTROLLER = _controller("statefulset-controller")
JOB_CONTROLLER = _controller("job-controller")
CRONJOB_CONTROLLER = _controller("cronjob-controller")
RC_CONTROLLER = _controller("replication-controller")
NODES = ("cp-1", "worker-1", "worker-2", "worker-3")
NODE_IPS = {
    "cp-1": "172.18.0.2",
    "worker-1": "172.18.0.3",
    "worker-2": "172.18.0.4",
    "worker-3": "172.18.0.5",
}


def kubelet(node: str) -> Actor:
    return Actor(
        f"system:node:{node}",
        ("system:nodes", "system:authenticated"),
        "kubelet/v1.29.3 (linux/amd64) kubernetes/6813625",
        NODE_IPS[node],
    )


# resource -> (apiGroup, apiVersion, kind, keys from the object to its pod template)
WORKLOADS: Dict[str, Tuple[str, str, str, Tuple[str, ...]]] = {
    "deployments": ("apps", "v1", "Deployment", ("spec", "template")),
    "daemonsets": ("apps", "v1", "DaemonSet", ("spec", "template")),
    "statefulsets": ("apps", "v1", "StatefulSet", ("spec", "template")),
    "replicasets": ("apps", "v1", "ReplicaSet", ("spec", "template")),
    "replicationcontrollers": ("", "v1", "ReplicationController", ("spec", "template")),
    "jobs": ("batch", "v1", "Job", ("spec", "template")),
    "cronjobs": ("batch", "v1", "CronJob", ("spec", "jobTemplate", "spec", "template")),
    "podtemplates": ("", "v1", "PodTemplate", ("template",)),
}


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=_COMPACT, ensure_ascii=False)


def last_applied(manifest: JSON) -> str:
    """The annotation kubectl apply writes: the manifest as compact JSON with sorted keys (Go map order)."""
    return json.dumps(manifest, separators=_COMPACT, sort_keys=True, ensure_ascii=False) + "\n"


def container(name: str, image: str, **extra: Any) -> JSON:
    body: JSON = {"name": name, "image": image}
    body.update(extra)
    return body


def defaulted_container(manifest: JSON) -> JSON:
    body = dict(manifest)
    body.setdefault("resources", {})
    body["terminationMessagePath"] = "/dev/termination-log"
    body["terminationMessagePolicy"] = "File"
    body["imagePullPolicy"] = "Always" if manifest["image"].endswith(":latest") else "IfNotPresent"
    return body


def pod_spec_manifest(containers: List[JSON], host_network: Optional[bool] = None, **extra: Any) -> JSON:
    spec: JSON = {"containers": containers}
    if host_network is not None:
        spec["hostNetwork"] = host_network
    spec.update(extra)
    return spec


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
        "name": "kube-api-access-" + "x7k2q",
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
                "key": "node.kubernetes.io/not-ready",
                "operator": "Exists",
                "tolerationSeconds": 300,
            },
            {
                "effect": "NoExecute",
                "key": "node.kubernetes.io/unreachable",
                "operator": "Exists",
                "tolerationSeconds": 300,
            },
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


def set_path(obj: JSON, path: Tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        obj = obj.setdefault(key, {})
    obj[path[-1]] = value


class Session:
    """The audit log being written: events in time order, each with its label."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)  # noqa: S311 -- a reproducible sample, not a secret
        self.clock = _START
        self.lines: List[str] = []
        self.labels: List[Label] = []
        self.resource_version = 48213

    # --- identifiers and time ------------------------------------------------------------------

    def uid(self) -> str:
        digits = f"{self.rng.getrandbits(128):032x}"
        return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-a{digits[17:20]}-{digits[20:]}"

    def suffix(self, length: int = 5) -> str:
        return "".join(self.rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(length))

    def tick(self, low: float = 0.05, high: float = 4.0) -> None:
        self.clock += timedelta(seconds=self.rng.uniform(low, high))

    def stamp(self, moment: Optional[datetime] = None) -> str:
        return (moment or self.clock).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def next_version(self) -> str:
        self.resource_version += self.rng.randint(1, 40)
        return str(self.resource_version)

    # --- writing ---------------------------------------------------------------------------------

    def write(self, text: str, truth: str, category: str, reason: str) -> None:
        if "\n" in text:
            raise ValueError("an audit event is one line")
        self.lines.append(text)
        self.labels.append(Label(truth, category, reason))

    def request(
        self,
        actor: Actor,
        verb: str,
        resource: str,
        namespace: Optional[str],
        name: Optional[str],
        *,
        truth: str,
        category: str,
        reason: str,
        api_group: str = "",
        api_version: str = "v1",
        subresource: Optional[str] = None,
        level: str = "RequestResponse",
        code: int = 200,
        request: Optional[JSON] = None,
        response: Optional[JSON] = None,
        query: str = "",
        received: bool = False,
        status: Optional[JSON] = None,
        extra_annotations: Optional[Dict[str, str]] = None,
        rewrite: Optional[Callable[[str], str]] = None,
        truncate: bool = False,
    ) -> JSON:
        """Writes one request's events (RequestReceived first when `received`), returns the final one."""
        self.tick()
        audit_id = self.uid()
        received_at = self.clock
        object_ref: JSON = {"resource": resource}
        if namespace:
            object_ref["namespace"] = namespace
        if name:
            object_ref["name"] = name
        if api_group:
            object_ref["apiGroup"] = api_group
        object_ref["apiVersion"] = api_version
        if subresource:
            object_ref["subresource"] = subresource
        uri = _request_uri(object_ref, verb) + query
        head: JSON = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": level, "auditID": audit_id}
        who: JSON = {
            "requestURI": uri,
            "verb": verb,
            "user": {"username": actor.username, "groups": list(actor.groups)},
            "sourceIPs": [actor.source_ip],
            "userAgent": actor.user_agent,
            "objectRef": object_ref,
        }
        if received:
            early = {
                **head,
                "stage": "RequestReceived",
                **who,
                "requestReceivedTimestamp": self.stamp(received_at),
                "stageTimestamp": self.stamp(received_at),
            }
            self.write(
                _dumps(early),
                "unknown",
                "request-received",
                "RequestReceived stage: no body is logged yet, so nothing says what the pod spec is",
            )
        self.clock += timedelta(microseconds=self.rng.randint(1800, 48000))
        event: JSON = {**head, "stage": "ResponseStarted" if code == 101 else "ResponseComplete", **who}
        event["responseStatus"] = status if status is not None else {"metadata": {}, "code": code}
        if level in ("Request", "RequestResponse") and request is not None:
            event["requestObject"] = request
        if level == "RequestResponse" and response is not None:
            event["responseObject"] = response
        event["requestReceivedTimestamp"] = self.stamp(received_at)
        event["stageTimestamp"] = self.stamp()
        annotations = {
            "authorization.k8s.io/decision": "allow",
            "authorization.k8s.io/reason": _rbac_reason(actor),
        }
        if code == 403 and status is not None and status.get("reason") == "Forbidden" and request is None:
            annotations = {"authorization.k8s.io/decision": "forbid", "authorization.k8s.io/reason": ""}
        annotations.update(extra_annotations or {})
        event["annotations"] = annotations
        text = _dumps(event)
        if rewrite is not None:
            text = rewrite(text)
        if truncate:
            if len(text.encode("utf-8")) <= SPLUNK_TRUNCATE:
                raise ValueError(f"{category}: event of {len(text)} bytes would not be cut")
            text = splunk_truncate(text)
        elif len(text.encode("utf-8")) > SPLUNK_TRUNCATE:
            raise ValueError(f"{category}: event of {len(text)} bytes would be cut by Splunk")
        self.write(text, truth, category, reason)
        return event

    # --- objects ---------------------------------------------------------------------------------

    def pod_objects(
        self,
        namespace: str,
        name: Optional[str],
        manifest_spec: JSON,
        *,
        labels: Optional[Dict[str, str]] = None,
        annotations: Optional[Dict[str, str]] = None,
        owner: Optional[JSON] = None,
        generate_name: Optional[str] = None,
        manager: str = "kubectl-create",
        node: Optional[str] = None,
        restart_policy: str = "Always",
    ) -> Tuple[JSON, JSON, str]:
        """(requestObject, responseObject, final name) of a pod create."""
        metadata: JSON = {}
        if name:
            metadata["name"] = name
        if generate_name:
            metadata["generateName"] = generate_name
        metadata["namespace"] = namespace
        metadata["creationTimestamp"] = None
        if labels:
            metadata["labels"] = labels
        if annotations:
            metadata["annotations"] = annotations
        if owner:
            metadata["ownerReferences"] = [owner]
        spec = defaulted_spec(manifest_spec, restart_policy)
        request = {"kind": "Pod", "apiVersion": "v1", "metadata": metadata, "spec": spec, "status": {}}
        final_name = name or f"{generate_name}{self.suffix()}"
        stored_meta: JSON = {"name": final_name}
        if generate_name:
            stored_meta["generateName"] = generate_name
        stored_meta.update(
            {
                "namespace": namespace,
                "uid": self.uid(),
                "resourceVersion": self.next_version(),
                "creationTimestamp": self.stamp()[:19] + "Z",
            }
        )
        for key in ("labels", "annotations", "ownerReferences"):
            if key in metadata:
                stored_meta[key] = metadata[key]
        stored_meta["managedFields"] = managed_fields(manager, "Update", self.stamp()[:19] + "Z", list(spec))
        response = {
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": stored_meta,
            "spec": admitted_spec(spec, node),
            "status": {"phase": "Pending", "qosClass": "BestEffort"},
        }
        return request, response, final_name

    def workload_objects(
        self,
        resource: str,
        namespace: str,
        name: str,
        manifest_spec: JSON,
        *,
        labels: Dict[str, str],
        annotations: Optional[Dict[str, str]] = None,
        owner: Optional[JSON] = None,
        replicas: Optional[int] = 1,
    ) -> Tuple[JSON, JSON]:
        api_group, api_version, kind, template_path = WORKLOADS[resource]
        restart = "OnFailure" if resource in ("jobs", "cronjobs") else "Always"
        template = {
            "metadata": {"creationTimestamp": None, "labels": labels},
            "spec": defaulted_spec(manifest_spec, restart),
        }
        metadata: JSON = {"name": name, "namespace": namespace, "creationTimestamp": None, "labels": labels}
        if annotations:
            metadata["annotations"] = annotations
        if owner:
            metadata["ownerReferences"] = [owner]
        body: JSON = {
            "kind": kind,
            "apiVersion": f"{api_group}/{api_version}" if api_group else api_version,
            "metadata": metadata,
        }
        if resource != "podtemplates":
            spec: JSON = {}
            if replicas is not None and resource in (
                "deployments",
                "statefulsets",
                "replicasets",
                "replicationcontrollers",
            ):
                spec["replicas"] = replicas
            if resource == "cronjobs":
                spec["schedule"] = "*/30 * * * *"
            elif resource != "jobs":
                spec["selector"] = labels if resource == "replicationcontrollers" else {"matchLabels": labels}
            body["spec"] = spec
        set_path(body, template_path, template)
        response = json.loads(_dumps(body))
        response["metadata"].update(
            {
                "uid": self.uid(),
                "resourceVersion": self.next_version(),
                "generation": 1,
                "creationTimestamp": self.stamp()[:19] + "Z",
            }
        )
        if resource != "podtemplates":
            response["status"] = {}
        return body, response

    def owner(self, kind: str, name: str, api_version: str = "apps/v1") -> JSON:
        return {
            "apiVersion": api_version,
            "kind": kind,
            "name": name,
            "uid": self.uid(),
            "controller": True,
            "blockOwnerDeletion": True,
        }


def _request_uri(object_ref: JSON, verb: str) -> str:
    group, version = object_ref.get("apiGroup"), object_ref["apiVersion"]
    uri = f"/apis/{group}/{version}" if group else f"/api/{version}"
    if "namespace" in object_ref:
        uri += f"/namespaces/{object_ref['namespace']}"
    uri += f"/{object_ref['resource']}"
    # A create is posted to the collection; everything else, and every subresource, names the object.
    if "name" in object_ref and (verb != "create" or "subresource" in object_ref):
        uri += f"/{object_ref['name']}"
    if "subresource" in object_ref:
        uri += f"/{object_ref['subresource']}"
    return uri


def _rbac_reason(actor: Actor) -> str:
    if "system:masters" in actor.groups:
        return ""
    if actor.username.startswith("system:node:"):
        return ""
    role = actor.username.rsplit(":", 1)[-1]
    return f'RBAC: allowed by ClusterRoleBinding "{role}" of ClusterRole "{role}" to User "{actor.username}"'


def _status(code: int, reason: str, message: str, name: str, kind: str) -> JSON:
    return {
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "details": {"name": name, "kind": kind},
        "code": code,
    }


def _status_object(status: JSON) -> JSON:
    return {"kind": "Status", "apiVersion": "v1", **status}


def _app_containers(rng: random.Random, app: str, image: str) -> List[JSON]:
    return [
        container(
            app,
            image,
            ports=[{"containerPort": rng.choice((8080, 8443, 9000)), "protocol": "TCP"}],
            env=[{"name": "LOG_LEVEL", "value": rng.choice(("info", "warn"))}],
        )
    ]


# ======================================================================================================
# The session, scenario by scenario.
# ======================================================================================================


def background(s: Session, count: int) -> None:
    """What fills a real audit log between the interesting requests: reads, leases, events, status."""
    for _ in range(count):
        roll = s.rng.random()
        node = s.rng.choice(NODES)
        if roll < 0.3:
            s.request(
                kubelet(node),
                "update",
                "leases",
                "kube-node-lease",
                node,
                level="Metadata",
                api_group="coordination.k8s.io",
                truth="false",
                category="noise-other-resource",
                reason="node lease renewal: not a resource with a pod spec",
            )
        elif roll < 0.45:
            s.request(
                kubelet(node),
                "patch",
                "pods",
                "kube-system",
                f"kube-proxy-{s.suffix()}",
                subresource="status",
                level="Request",
                request={"status": {"conditions": [{"type": "Ready", "status": "True"}]}},
                truth="false",
                category="subresource",
                reason="pods/status patch: a subresource never changes the pod spec",
            )
        elif roll < 0.6:
            s.request(
                s.rng.choice((ALICE, BOB, ADMIN)),
                "list",
                "pods",
                s.rng.choice(("shop", "default", "kube-system")),
                None,
                level="Metadata",
                truth="false",
                category="noise-read",
                reason="list: reading pods attaches nothing",
            )
        elif roll < 0.7:
            s.request(
                s.rng.choice((ALICE, BOB)),
                "get",
                "pods",
                "shop",
                f"web-{s.suffix(10)}-{s.suffix()}",
                level="Request",
                truth="false",
                category="noise-read",
                reason="get of a pod: reading attaches nothing",
            )
        elif roll < 0.8:
            s.request(
                kubelet(node),
                "get",
                "configmaps",
                "kube-system",
                "kube-proxy",
                level="Metadata",
                truth="false",
                category="noise-other-resource",
                reason="configmap read",
            )
        elif roll < 0.9:
            s.request(
                _controller("endpointslice-controller"),
                "update",
                "endpointslices",
                "shop",
                f"web-{s.suffix()}",
                api_group="discovery.k8s.io",
                level="Metadata",
                truth="false",
                category="noise-other-resource",
                reason="endpointslice update: no pod spec",
            )
        else:
            s.request(
                kubelet(node),
                "create",
                "events",
                "shop",
                f"web.{s.rng.getrandbits(60):x}",
                level="Metadata",
                code=201,
                truth="false",
                category="noise-other-resource",
                reason="event create: no pod spec",
            )


def bootstrap(s: Session) -> None:
    """Static control-plane pods (kubelet mirror pods), kube-proxy and the CNI: hostNetwork by design."""
    for component, image in (
        ("etcd", "registry.k8s.io/etcd:3.5.12-0"),
        ("kube-apiserver", "registry.k8s.io/kube-apiserver:v1.29.3"),
        ("kube-controller-manager", "registry.k8s.io/kube-controller-manager:v1.29.3"),
        ("kube-scheduler", "registry.k8s.io/kube-scheduler:v1.29.3"),
    ):
        manifest = pod_spec_manifest(
            [container(component, image, command=[component])], True, priorityClassName="system-node-critical"
        )
        annotations = {
            "kubernetes.io/config.hash": f"{s.rng.getrandbits(128):032x}",
            "kubernetes.io/config.mirror": f"{s.rng.getrandbits(128):032x}",
            "kubernetes.io/config.source": "file",
        }
        owner = {"apiVersion": "v1", "kind": "Node", "name": "cp-1", "uid": s.uid(), "controller": True}
        request, response, _ = s.pod_objects(
            "kube-system",
            f"{component}-cp-1",
            manifest,
            labels={"component": component, "tier": "control-plane"},
            annotations=annotations,
            owner=owner,
            manager="kubelet",
            node="cp-1",
        )
        s.request(
            kubelet("cp-1"),
            "create",
            "pods",
            "kube-system",
            None,
            code=201,
            request=request,
            response=response,
            truth="true",
            category="static-mirror-pod",
            reason="kubelet mirror pod of a static control-plane pod with hostNetwork: true",
        )

    proxy = pod_spec_manifest(
        [
            container(
                "kube-proxy",
                "registry.k8s.io/kube-proxy:v1.29.3",
                command=["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf"],
                securityContext={"privileged": True},
            )
        ],
        True,
        serviceAccountName="kube-proxy",
        priorityClassName="system-node-critical",
        nodeSelector={"kubernetes.io/os": "linux"},
        tolerations=[{"operator": "Exists"}],
    )
    daemonset_with_pods(
        s,
        ADMIN,
        "kube-system",
        "kube-proxy",
        proxy,
        labels={"k8s-app": "kube-proxy"},
        category="cni-kube-proxy",
        reason="kube-proxy DaemonSet created by kubeadm: hostNetwork: true",
        applied=False,
    )
    calico = pod_spec_manifest(
        [
            container(
                "calico-node",
                "docker.io/calico/node:v3.27.2",
                env=[
                    {"name": "DATASTORE_TYPE", "value": "kubernetes"},
                    {"name": "CALICO_NETWORKING_BACKEND", "value": "bird"},
                    {"name": "FELIX_IPINIPMTU", "value": "1440"},
                ],
                securityContext={"privileged": True},
            )
        ],
        True,
        serviceAccountName="calico-node",
        priorityClassName="system-node-critical",
        nodeSelector={"kubernetes.io/os": "linux"},
        tolerations=[{"effect": "NoSchedule", "operator": "Exists"}],
        initContainers=[
            container("install-cni", "docker.io/calico/cni:v3.27.2", command=["/opt/cni/bin/install"])
        ],
    )
    daemonset_with_pods(
        s,
        ADMIN,
        "kube-system",
        "calico-node",
        calico,
        labels={"k8s-app": "calico-node"},
        category="cni-kube-proxy",
        reason="calico-node (CNI) DaemonSet applied with kubectl: hostNetwork: true",
        applied=True,
    )
    coredns = pod_spec_manifest(
        [
            container(
                "coredns", "registry.k8s.io/coredns/coredns:v1.11.1", args=["-conf", "/etc/coredns/Corefile"]
            )
        ],
        serviceAccountName="coredns",
        priorityClassName="system-cluster-critical",
    )
    deployment_with_pods(
        s,
        ADMIN,
        "kube-system",
        "coredns",
        coredns,
        labels={"k8s-app": "kube-dns"},
        replicas=2,
        category="workload-deployment",
        reason="coredns Deployment without hostNetwork",
        applied=False,
    )


def daemonset_with_pods(
    s: Session,
    actor: Actor,
    namespace: str,
    name: str,
    manifest: JSON,
    *,
    labels: Dict[str, str],
    category: str,
    reason: str,
    applied: bool,
    nodes: Tuple[str, ...] = NODES,
) -> None:
    truth = "true" if manifest.get("hostNetwork") is True else "false"
    annotations = None
    if applied:
        annotations = {
            LAST_APPLIED: last_applied(
                _manifest(
                    "apps/v1",
                    "DaemonSet",
                    namespace,
                    name,
                    {
                        "selector": {"matchLabels": labels},
                        "template": {"metadata": {"labels": labels}, "spec": manifest},
                    },
                )
            )
        }
    request, response = s.workload_objects(
        "daemonsets", namespace, name, manifest, labels=labels, annotations=annotations
    )
    s.request(
        actor,
        "create",
        "daemonsets",
        namespace,
        None,
        api_group="apps",
        code=201,
        request=request,
        response=response,
        truth=truth,
        category=category,
        reason=reason,
    )
    owner = s.owner("DaemonSet", name)
    for node in nodes:
        pod_request, pod_response, _ = s.pod_objects(
            namespace,
            None,
            manifest,
            labels=labels,
            owner=owner,
            generate_name=f"{name}-",
            manager="kube-controller-manager",
            node=node,
        )
        s.request(
            DS_CONTROLLER,
            "create",
            "pods",
            namespace,
            None,
            code=201,
            request=pod_request,
            response=pod_response,
            truth=truth,
            category="controller-pod",
            reason=f"daemon-set-controller pod for {name} on {node}: "
            + ("hostNetwork: true from the template, no annotation" if truth == "true" else "no hostNetwork"),
        )


def deployment_with_pods(
    s: Session,
    actor: Actor,
    namespace: str,
    name: str,
    manifest: JSON,
    *,
    labels: Dict[str, str],
    replicas: int,
    category: str,
    reason: str,
    applied: bool,
) -> None:
    truth = "true" if manifest.get("hostNetwork") is True else "false"
    annotations = None
    if applied:
        annotations = {
            LAST_APPLIED: last_applied(
                _manifest(
                    "apps/v1",
                    "Deployment",
                    namespace,
                    name,
                    {
                        "replicas": replicas,
                        "selector": {"matchLabels": labels},
                        "template": {"metadata": {"labels": labels}, "spec": manifest},
                    },
                )
            )
        }
    request, response = s.workload_objects(
        "deployments", namespace, name, manifest, labels=labels, annotations=annotations, replicas=replicas
    )
    s.request(
        actor,
        "create",
        "deployments",
        namespace,
        None,
        api_group="apps",
        code=201,
        request=request,
        response=response,
        truth=truth,
        category=category,
        reason=reason,
    )
    rs_name = f"{name}-{s.rng.getrandbits(36):09x}"
    rs_labels = {**labels, "pod-template-hash": rs_name.rsplit("-", 1)[1]}
    rs_request, rs_response = s.workload_objects(
        "replicasets",
        namespace,
        rs_name,
        manifest,
        labels=rs_labels,
        owner=s.owner("Deployment", name),
        replicas=replicas,
    )
    s.request(
        DEPLOY_CONTROLLER,
        "create",
        "replicasets",
        namespace,
        None,
        api_group="apps",
        code=201,
        request=rs_request,
        response=rs_response,
        truth=truth,
        category="controller-workload",
        reason=f"deployment-controller ReplicaSet of {name}: the template "
        + ("sets hostNetwork: true" if truth == "true" else "has no hostNetwork"),
    )
    owner = s.owner("ReplicaSet", rs_name)
    for _ in range(replicas):
        pod_request, pod_response, _ = s.pod_objects(
            namespace,
            None,
            manifest,
            labels=rs_labels,
            owner=owner,
            generate_name=f"{rs_name}-",
            manager="kube-controller-manager",
            node=s.rng.choice(NODES[1:]),
        )
        s.request(
            RS_CONTROLLER,
            "create",
            "pods",
            namespace,
            None,
            code=201,
            request=pod_request,
            response=pod_response,
            truth=truth,
            category="controller-pod",
            reason=f"replicaset-controller pod of {rs_name}: "
            + (
                "hostNetwork: true from the template; pods made by controllers carry no annotation"
                if truth == "true"
                else "no hostNetwork"
            ),
        )


def _manifest(
    api_version: str,
    kind: str,
    namespace: str,
    name: str,
    spec: JSON,
    *,
    labels: Optional[Dict[str, str]] = None,
) -> JSON:
    metadata: JSON = {"annotations": {}, "name": name, "namespace": namespace}
    if labels:
        metadata["labels"] = labels
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": spec}


def ordinary_apps(s: Session) -> None:
    """Teams deploying applications the usual way: nothing here touches the host network."""
    apps = (
        ("shop", "web", "ghcr.io/acme/web:2.14.1", 3),
        ("shop", "cart", "ghcr.io/acme/cart:1.9.0", 2),
        ("payments", "ledger", "ghcr.io/acme/ledger:4.2.7", 2),
        ("monitoring", "grafana", "docker.io/grafana/grafana:10.4.1", 1),
    )
    for namespace, app, image, replicas in apps:
        manifest = pod_spec_manifest(_app_containers(s.rng, app, image))
        deployment_with_pods(
            s,
            s.rng.choice((ALICE, CI, ARGOCD)),
            namespace,
            app,
            manifest,
            labels={"app": app},
            replicas=replicas,
            category="workload-deployment",
            reason=f"{app} Deployment without hostNetwork",
            applied=True,
        )
        background(s, 6)


def kubectl_pods(s: Session) -> None:
    """Pods made directly with kubectl: apply (the one case the seed sees), create, run."""

    def apply_pod(  # noqa: PLR0917 -- reads as the sentence "who applies what, and what it means"
        actor: Actor,
        namespace: str,
        name: str,
        spec: JSON,
        truth: str,
        category: str,
        reason: str,
        *,
        annotation: Optional[str] = None,
        code: int = 201,
        status: Optional[JSON] = None,
        request_spec: Optional[JSON] = None,
        **options: Any,
    ) -> None:
        text = (
            annotation
            if annotation is not None
            else last_applied(_manifest("v1", "Pod", namespace, name, spec))
        )
        request, response, _ = s.pod_objects(
            namespace,
            name,
            request_spec or spec,
            annotations={LAST_APPLIED: text},
            manager="kubectl-client-side-apply",
        )
        if status is not None:
            response = _status_object(status)
        s.request(
            actor,
            "create",
            "pods",
            namespace,
            None,
            code=code,
            request=request,
            response=response,
            status=status,
            truth=truth,
            category=category,
            reason=reason,
            query="?fieldManager=kubectl-client-side-apply&fieldValidation=Strict",
            **options,
        )

    debug = pod_spec_manifest(
        [container("netshoot", "docker.io/nicolaka/netshoot:v0.12", command=["sleep", "infinity"])], True
    )
    apply_pod(
        ADMIN,
        "default",
        "netdebug",
        debug,
        "true",
        "kubectl-apply-pod",
        "kubectl apply of a pod with hostNetwork: true (annotation and object agree)",
    )
    plain = pod_spec_manifest(
        [container("toolbox", "docker.io/library/busybox:1.36", command=["sleep", "3600"])]
    )
    apply_pod(
        ALICE,
        "shop",
        "toolbox",
        plain,
        "false",
        "kubectl-apply-pod",
        "kubectl apply of a pod without hostNetwork",
    )
    background(s, 5)
    explicit_false = pod_spec_manifest([container("toolbox", "docker.io/library/busybox:1.36")], False)
    apply_pod(
        BOB,
        "shop",
        "toolbox-2",
        explicit_false,
        "false",
        "kubectl-apply-pod",
        "kubectl apply with hostNetwork: false written out",
    )

    # kubectl run / kubectl create: no last-applied annotation at all.
    run = pod_spec_manifest(
        [container("sniff", "docker.io/nicolaka/netshoot:v0.12", command=["tcpdump", "-i", "any"])],
        True,
        restartPolicy="Never",
    )
    request, response, _ = s.pod_objects("shop", "sniff", run, labels={"run": "sniff"}, manager="kubectl-run")
    s.request(
        INTRUDER,
        "create",
        "pods",
        "shop",
        None,
        code=201,
        request=request,
        response=response,
        query="?fieldManager=kubectl-run",
        truth="true",
        category="kubectl-run",
        reason='kubectl run --overrides=\'{"spec":{"hostNetwork":true}}\': no annotation, object is true',
    )
    run_plain = pod_spec_manifest(
        [container("curl", "docker.io/curlimages/curl:8.7.1")], restartPolicy="Never"
    )
    request, response, _ = s.pod_objects(
        "default", "curl", run_plain, labels={"run": "curl"}, manager="kubectl-run"
    )
    s.request(
        BOB,
        "create",
        "pods",
        "default",
        None,
        code=201,
        request=request,
        response=response,
        query="?fieldManager=kubectl-run",
        truth="false",
        category="kubectl-run",
        reason="kubectl run of an ordinary pod",
    )
    created = pod_spec_manifest([container("agent", "ghcr.io/acme/node-agent:0.4.2")], True)
    request, response, _ = s.pod_objects("monitoring", "node-agent", created, manager="kubectl-create")
    s.request(
        CI,
        "create",
        "pods",
        "monitoring",
        None,
        code=201,
        request=request,
        response=response,
        query="?fieldManager=kubectl-create&fieldValidation=Strict",
        truth="true",
        category="kubectl-create",
        reason="kubectl create -f of a hostNetwork pod: no last-applied annotation",
    )
    background(s, 4)

    # The annotation lies, or is written in a way the wildcard does not expect.
    forged = last_applied(
        _manifest(
            "v1",
            "Pod",
            "shop",
            "decoy",
            pod_spec_manifest([container("decoy", "docker.io/library/nginx:1.25")], True),
        )
    )
    apply_pod(
        INTRUDER,
        "shop",
        "decoy",
        pod_spec_manifest([container("decoy", "docker.io/library/nginx:1.25")]),
        "false",
        "forged-annotation",
        "annotation says hostNetwork true; the pod created has none",
        annotation=forged,
    )
    honest_looking = pod_spec_manifest([container("cache", "docker.io/library/redis:7.2")])
    hidden = pod_spec_manifest([container("cache", "docker.io/library/redis:7.2")], True)
    apply_pod(
        INTRUDER,
        "shop",
        "cache-0",
        honest_looking,
        "true",
        "annotation-reverse",
        "annotation (hostNetwork absent) copied from a benign manifest; the object sets hostNetwork: true",
        request_spec=hidden,
    )
    says_false = last_applied(
        _manifest(
            "v1",
            "Pod",
            "shop",
            "cache-1",
            pod_spec_manifest([container("cache", "docker.io/library/redis:7.2")], False),
        )
    )
    apply_pod(
        INTRUDER,
        "shop",
        "cache-1",
        hidden,
        "true",
        "annotation-reverse",
        "annotation says hostNetwork: false; the object sets hostNetwork: true",
        annotation=says_false,
    )
    escaped = last_applied(_manifest("v1", "Pod", "shop", "relay", hidden)).replace(
        '"hostNetwork":true', '"host\\u004eetwork":true'
    )
    apply_pod(
        INTRUDER,
        "shop",
        "relay",
        hidden,
        "true",
        "escape",
        "annotation spells the key host\\u004eetwork (a JSON escape of the same key); object is true",
        annotation=escaped,
    )
    spaced = json.dumps(_manifest("v1", "Pod", "shop", "relay-2", hidden), indent=1, sort_keys=True) + "\n"
    apply_pod(
        INTRUDER,
        "shop",
        "relay-2",
        hidden,
        "true",
        "whitespace",
        'annotation written pretty-printed ("hostNetwork": true with a space); object is true',
        annotation=spaced,
    )
    wrong_case = last_applied(_manifest("v1", "Pod", "shop", "probe", plain)).replace(
        '"containers":', '"HostNetwork":true,"containers":'
    )
    apply_pod(
        BOB,
        "shop",
        "probe",
        plain,
        "false",
        "wrong-case",
        "manifest says HostNetwork (keys are case-sensitive: the API server drops it); the pod has none",
        annotation=wrong_case,
    )
    misplaced = last_applied(_manifest("v1", "Pod", "shop", "probe-2", plain)).replace(
        '"command":', '"hostNetwork":true,"command":'
    )
    apply_pod(
        BOB,
        "shop",
        "probe-2",
        plain,
        "false",
        "hostnet-in-value",
        "hostNetwork: true misplaced inside the container (not the pod spec): the API server ignores it",
        annotation=misplaced,
    )
    env_value = pod_spec_manifest(
        [
            container(
                "helper",
                "ghcr.io/acme/helper:1.0",
                env=[{"name": "CHART_VALUES", "value": '{"hostNetwork":true,"replicas":1}'}],
            )
        ]
    )
    apply_pod(
        ALICE,
        "shop",
        "helper",
        env_value,
        "false",
        "hostnet-in-value",
        "the text hostNetwork:true is inside an env value, not the pod spec",
    )
    labelled = pod_spec_manifest([container("tagger", "ghcr.io/acme/tagger:2.0")])
    request, response, _ = s.pod_objects(
        "shop", "tagger", labelled, labels={"hostNetwork": "true", "policy.acme.io/hostNetwork": "true"}
    )
    s.request(
        BOB,
        "create",
        "pods",
        "shop",
        None,
        code=201,
        request=request,
        response=response,
        truth="false",
        category="hostnet-in-value",
        reason='labels named hostNetwork with value "true"',
    )
    duplicate = last_applied(_manifest("v1", "Pod", "shop", "dup", plain)).replace(
        '"containers":', '"hostNetwork":true,"hostNetwork":false,"containers":'
    )
    apply_pod(
        INTRUDER,
        "shop",
        "dup",
        plain,
        "false",
        "duplicate-keys",
        "annotation repeats the key: true then false; the last wins (false) and the pod has none",
        annotation=duplicate,
    )
    status = _status(
        400,
        "BadRequest",
        'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal '
        "string into Go struct field PodSpec.spec.hostNetwork of type bool",
        "",
        "",
    )
    s.request(
        BOB,
        "create",
        "pods",
        "shop",
        None,
        code=400,
        level="RequestResponse",
        request=None,
        response=_status_object(status),
        status=status,
        truth="unknown",
        category="string-true",
        reason='hostNetwork:"true" (a string) fails decoding: 400, so no request body is logged',
    )
    background(s, 5)


def denied(s: Session) -> None:
    """Refused requests: RBAC (before the body is read) and Pod Security admission (after)."""
    status = _status(
        403,
        "Forbidden",
        'pods is forbidden: User "system:serviceaccount:shop:default" cannot create '
        'resource "pods" in API group "" in the namespace "kube-system"',
        "",
        "pods",
    )
    s.request(
        INTRUDER,
        "create",
        "pods",
        "kube-system",
        None,
        code=403,
        level="RequestResponse",
        response=_status_object(status),
        status=status,
        truth="unknown",
        category="denied",
        reason="RBAC 403: the body was never read, so nothing says what the pod was",
    )
    hostnet = pod_spec_manifest(
        [container("shell", "docker.io/library/alpine:3.19", command=["sleep", "1d"])], True
    )
    psa = {"pod-security.kubernetes.io/enforce-policy": "baseline:latest"}
    for name, applied in (("shell", True), ("shell-2", False)):
        annotations = (
            {LAST_APPLIED: last_applied(_manifest("v1", "Pod", "payments", name, hostnet))}
            if applied
            else None
        )
        request, _, _ = s.pod_objects("payments", name, hostnet, annotations=annotations)
        status = _status(
            403,
            "Forbidden",
            f'pods "{name}" is forbidden: violates PodSecurity "baseline:latest": '
            "host namespaces (hostNetwork=true)",
            name,
            "pods",
        )
        s.request(
            ALICE,
            "create",
            "pods",
            "payments",
            None,
            code=403,
            request=request,
            response=_status_object(status),
            status=status,
            extra_annotations=psa,
            truth="true",
            category="denied",
            reason="Pod Security admission refused it (403) after the body was logged: an attempt at "
            "hostNetwork: true" + (" via kubectl apply" if applied else " via kubectl create"),
        )
    background(s, 3)


def levels_and_stages(s: Session) -> None:
    """The audit policy decides what is logged: Metadata drops bodies; RequestReceived comes first."""
    hostnet = pod_spec_manifest([container("agent", "ghcr.io/acme/edge-agent:3.1")], True)
    request, response, _ = s.pod_objects("edge", "edge-agent", hostnet)
    s.request(
        CI,
        "create",
        "pods",
        "edge",
        None,
        code=201,
        level="Metadata",
        request=request,
        response=response,
        truth="unknown",
        category="metadata-level",
        reason="Metadata level: the body (which sets hostNetwork: true) is not logged",
    )
    request, response, _ = s.pod_objects("edge", "edge-agent-2", hostnet)
    s.request(
        CI,
        "create",
        "pods",
        "edge",
        None,
        code=201,
        level="Request",
        request=request,
        received=True,
        truth="true",
        category="kubectl-create",
        reason="kubectl create, Request level: requestObject is true",
    )
    plain = pod_spec_manifest([container("web", "ghcr.io/acme/web:2.14.1")])
    request, response, _ = s.pod_objects("edge", "edge-web", plain)
    s.request(
        CI,
        "create",
        "pods",
        "edge",
        None,
        code=201,
        request=request,
        response=response,
        received=True,
        truth="false",
        category="kubectl-create",
        reason="kubectl create of an ordinary pod",
    )
    s.request(
        ADMIN,
        "update",
        "deployments",
        "edge",
        "edge-gw",
        api_group="apps",
        level="Metadata",
        truth="unknown",
        category="metadata-level",
        reason="Metadata level update of a Deployment: no body",
    )
    background(s, 3)


def interactive(s: Session) -> None:
    """attach, exec, port-forward, logs, binding: subresources, never a pod spec change."""
    for subresource, verb, code in (
        ("exec", "create", 101),
        ("attach", "create", 101),
        ("portforward", "create", 101),
        ("log", "get", 200),
    ):
        s.request(
            s.rng.choice((ALICE, ADMIN, INTRUDER)),
            verb,
            "pods",
            "shop",
            f"web-{s.suffix(10)}-{s.suffix()}",
            subresource=subresource,
            level="Request" if verb == "create" else "Metadata",
            code=code,
            query="?command=sh&container=web&stdin=true&stdout=true&tty=true"
            if subresource == "exec"
            else "",
            truth="false",
            category="attach-exec",
            reason=f"pods/{subresource}: a subresource, no pod spec",
        )
    s.request(
        SCHEDULER,
        "create",
        "pods",
        "shop",
        f"web-{s.suffix(10)}-{s.suffix()}",
        subresource="binding",
        level="Request",
        code=201,
        request={
            "kind": "Binding",
            "apiVersion": "v1",
            "metadata": {"name": "web", "namespace": "shop"},
            "target": {"kind": "Node", "name": "worker-2"},
        },
        truth="false",
        category="subresource",
        reason="pods/binding by the scheduler: no pod spec",
    )


def configmaps(s: Session) -> None:
    """ConfigMaps that talk about hostNetwork: configuration, not a pod."""
    values = "controller:\n  hostNetwork: true\n  kind: DaemonSet\n"
    manifest = {
        "apiVersion": "v1",
        "data": {"values.yaml": values, "override.json": '{"hostNetwork":true}'},
        "kind": "ConfigMap",
        "metadata": {"annotations": {}, "name": "ingress-values", "namespace": "ingress"},
    }
    body = {
        "kind": "ConfigMap",
        "apiVersion": "v1",
        "metadata": {
            "name": "ingress-values",
            "namespace": "ingress",
            "creationTimestamp": None,
            "annotations": {LAST_APPLIED: last_applied(manifest)},
        },
        "data": manifest["data"],
    }
    s.request(
        ADMIN,
        "create",
        "configmaps",
        "ingress",
        None,
        code=201,
        request=body,
        response=body,
        truth="false",
        category="configmap",
        reason="ConfigMap whose data mentions hostNetwork: true",
    )
    patch = {
        "data": {"notes": "set hostNetwork: true on the ingress DaemonSet next week", "hostNetwork": "true"}
    }
    s.request(
        ALICE,
        "patch",
        "configmaps",
        "ingress",
        "ingress-values",
        level="Request",
        request=patch,
        truth="false",
        category="configmap",
        reason="patch of ConfigMap data with a hostNetwork key",
    )
    crd_manifest = {
        "apiVersion": "acme.example.com/v1",
        "kind": "Pod",
        "metadata": {"name": "lookalike"},
        "spec": {"hostNetwork": True},
    }
    crd_body = {
        **crd_manifest,
        "metadata": {
            "name": "lookalike",
            "namespace": "shop",
            "annotations": {LAST_APPLIED: last_applied(crd_manifest)},
        },
    }
    s.request(
        ALICE,
        "create",
        "pods",
        "shop",
        None,
        api_group="acme.example.com",
        api_version="v1",
        code=201,
        request=crd_body,
        response=crd_body,
        truth="false",
        category="crd-lookalike",
        reason="a custom resource called pods in another API group: no pod is created",
    )


def workload_kinds(s: Session) -> None:
    """Every resource that carries a pod template, created with hostNetwork: true (and one without)."""
    for resource, (api_group, _, kind, _) in WORKLOADS.items():
        name = f"net-{kind.lower()}"
        labels = {"app": name}
        spec = pod_spec_manifest(
            [container("probe", "ghcr.io/acme/netprobe:1.2")],
            True,
            **({"restartPolicy": "OnFailure"} if resource in ("jobs", "cronjobs") else {}),
        )
        request, response = s.workload_objects(resource, "tools", name, spec, labels=labels)
        s.request(
            BOB if resource != "podtemplates" else ADMIN,
            "create",
            resource,
            "tools",
            None,
            api_group=api_group,
            code=201,
            request=request,
            response=response,
            truth="true",
            category="workload-template",
            reason=f"{kind} whose pod template sets hostNetwork: true",
        )
    # One of each controller's pods, without an annotation.
    chain: Tuple[Tuple[Actor, str, Optional[str], Optional[str]], ...] = (
        (STS_CONTROLLER, "StatefulSet", "net-statefulset-0", None),
        (RC_CONTROLLER, "ReplicationController", None, "net-replicationcontroller-"),
        (JOB_CONTROLLER, "Job", None, "net-job-"),
    )
    for actor, kind, pod_name, generate in chain:
        spec = pod_spec_manifest([container("probe", "ghcr.io/acme/netprobe:1.2")], True)
        owner = s.owner(
            kind,
            f"net-{kind.lower()}",
            "v1" if kind == "ReplicationController" else ("batch/v1" if kind == "Job" else "apps/v1"),
        )
        request, response, _ = s.pod_objects(
            "tools",
            pod_name,
            spec,
            owner=owner,
            generate_name=generate,
            manager="kube-controller-manager",
            restart_policy="OnFailure" if kind == "Job" else "Always",
        )
        s.request(
            actor,
            "create",
            "pods",
            "tools",
            None,
            code=201,
            request=request,
            response=response,
            truth="true",
            category="controller-pod",
            reason=f"{kind} controller pod with hostNetwork: true",
        )
    job_spec = pod_spec_manifest(
        [container("probe", "ghcr.io/acme/netprobe:1.2")], True, restartPolicy="OnFailure"
    )
    request, response = s.workload_objects(
        "jobs",
        "tools",
        "net-cronjob-28861980",
        job_spec,
        labels={"app": "net"},
        owner=s.owner("CronJob", "net-cronjob", "batch/v1"),
    )
    s.request(
        CRONJOB_CONTROLLER,
        "create",
        "jobs",
        "tools",
        None,
        api_group="batch",
        code=201,
        request=request,
        response=response,
        truth="true",
        category="controller-workload",
        reason="cronjob-controller Job whose template sets hostNetwork: true",
    )
    plain = pod_spec_manifest([container("report", "ghcr.io/acme/report:5.0")], restartPolicy="OnFailure")
    request, response = s.workload_objects(
        "cronjobs", "tools", "nightly-report", plain, labels={"app": "report"}
    )
    s.request(
        CI,
        "create",
        "cronjobs",
        "tools",
        None,
        api_group="batch",
        code=201,
        request=request,
        response=response,
        truth="false",
        category="workload-template",
        reason="CronJob without hostNetwork",
    )
    background(s, 4)
    hostnet_deploy = pod_spec_manifest(
        _app_containers(s.rng, "lb-agent", "ghcr.io/acme/lb-agent:0.9.3"), True
    )
    deployment_with_pods(
        s,
        CI,
        "tools",
        "lb-agent",
        hostnet_deploy,
        labels={"app": "lb-agent"},
        replicas=2,
        category="workload-template",
        reason="Deployment applied with kubectl: template sets hostNetwork: true",
        applied=True,
    )
    exporter = pod_spec_manifest(
        [container("node-exporter", "quay.io/prometheus/node-exporter:v1.7.0", args=["--path.rootfs=/host"])],
        True,
        hostPID=True,
    )
    daemonset_with_pods(
        s,
        HELM,
        "monitoring",
        "node-exporter",
        exporter,
        labels={"app": "node-exporter"},
        category="workload-template",
        reason="node-exporter DaemonSet from Helm: hostNetwork: true",
        applied=False,
        nodes=NODES[1:],
    )


def patches(s: Session) -> None:
    """Changes to existing workloads: every patch type, server-side apply, kubectl apply on an update."""

    def patch(  # noqa: PLR0917 -- reads as the sentence "who patches with what, and what it means"
        actor: Actor,
        body_text: str,
        content: str,
        truth: str,
        category: str,
        reason: str,
        *,
        code: int = 200,
        level: str = "Request",
        response: Optional[JSON] = None,
        resource: str = "deployments",
        name: str = "web",
        namespace: str = "shop",
        query: str = "",
        status: Optional[JSON] = None,
        subresource: Optional[str] = None,
    ) -> None:
        api_group = WORKLOADS[resource][0] if resource in WORKLOADS else ""
        placeholder = {"__patch__": True}
        s.request(
            actor,
            "patch",
            resource,
            namespace,
            name,
            api_group=api_group,
            level=level,
            code=code,
            subresource=subresource,
            request=placeholder,
            response=response,
            query=query,
            status=status,
            truth=truth,
            category=category,
            reason=f"{reason} ({content})",
            rewrite=lambda text: text.replace('{"__patch__":true}', body_text, 1),
        )

    sm = "strategic merge patch"
    patch(
        BOB,
        '{"spec":{"template":{"spec":{"hostNetwork":true}}}}',
        sm,
        "true",
        "patch-strategic",
        "kubectl patch sets hostNetwork: true in the template",
    )
    patch(
        BOB,
        '{"spec":{"template":{"spec":{"hostNetwork":null}}}}',
        sm,
        "false",
        "patch-strategic",
        "null deletes the key: back to false",
    )
    patch(
        ALICE,
        '{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":'
        '"2024-11-14T09:41:07Z"}}}}}',
        sm,
        "unknown",
        "patch-strategic",
        "kubectl rollout restart: does not touch hostNetwork, Request level has no response to read",
    )
    _, ds_response = s.workload_objects(
        "daemonsets",
        "kube-system",
        "kube-proxy",
        pod_spec_manifest([container("kube-proxy", "registry.k8s.io/kube-proxy:v1.29.3")], True),
        labels={"k8s-app": "kube-proxy"},
    )
    patch(
        ADMIN,
        '{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":'
        '"2024-11-14T09:43:51Z"}}}}}',
        sm,
        "true",
        "patch-strategic",
        "rollout restart of kube-proxy at RequestResponse level: the response object has hostNetwork: true",
        level="RequestResponse",
        response=ds_response,
        resource="daemonsets",
        name="kube-proxy",
        namespace="kube-system",
    )
    patch(
        INTRUDER,
        '{"spec":{"hostNetwork":true}}',
        sm,
        "true",
        "patch-strategic",
        "patch of a live pod's hostNetwork is refused (422: pod spec is immutable) but the attempt is true",
        resource="pods",
        name="web-6d9f7c8b54-x2kqz",
        code=422,
        level="RequestResponse",
        status=_status(
            422,
            "Invalid",
            'Pod "web-6d9f7c8b54-x2kqz" is invalid: spec: Forbidden: pod updates '
            "may not change fields other than `spec.containers[*].image`",
            "web-6d9f7c8b54-x2kqz",
            "Pod",
        ),
        response=_status_object(
            _status(422, "Invalid", "pod updates may not change fields", "web-6d9f7c8b54-x2kqz", "Pod")
        ),
    )
    background(s, 3)
    mp = "JSON merge patch"
    patch(
        BOB,
        '{"spec":{"template":{"spec":{"hostNetwork":true,"dnsPolicy":"ClusterFirstWithHostNet"}}}}',
        mp,
        "true",
        "patch-merge",
        "kubectl patch --type merge sets hostNetwork: true",
        name="cart",
    )
    patch(
        BOB,
        '{"spec":{"replicas":4}}',
        mp,
        "unknown",
        "patch-merge",
        "merge patch of replicas only: hostNetwork unchanged and not logged",
        name="cart",
    )
    jp = "JSON Patch"
    patch(
        INTRUDER,
        '[{"op":"add","path":"/spec/template/spec/hostNetwork","value":true}]',
        jp,
        "true",
        "patch-json",
        "add of /spec/template/spec/hostNetwork: true",
        resource="statefulsets",
        name="session-store",
    )
    patch(
        INTRUDER,
        '[{"op":"replace","path":"/spec/template/spec","value":{"containers":[{"name":"web",'
        '"image":"ghcr.io/acme/web:2.14.1"}],"hostNetwork":true}}]',
        jp,
        "true",
        "patch-json",
        "replace of the whole pod spec (an ancestor) with one that has hostNetwork: true",
    )
    patch(
        ALICE,
        '[{"op":"test","path":"/spec/template/spec/hostNetwork","value":true},'
        '{"op":"remove","path":"/spec/template/spec/hostNetwork"}]',
        jp,
        "false",
        "patch-json",
        "remove of hostNetwork: false afterwards",
    )
    patch(
        INTRUDER,
        '[{"op":"copy","from":"/metadata/labels/enabled","path":"/spec/template/spec/hostNetwork"}]',
        jp,
        "unknown",
        "patch-json",
        "copy into hostNetwork: the value comes from elsewhere in the object",
    )
    patch(
        ALICE,
        '[{"op":"add","path":"/metadata/annotations/acme.io~1owner","value":"team-a"}]',
        jp,
        "unknown",
        "patch-json",
        "annotation change (pointer escape ~1): hostNetwork untouched, no response logged",
    )
    patch(
        INTRUDER,
        '[{"op":"add","path":"/spec/template/spec/hostNetwork","value":false},'
        '{"op":"replace","path":"/spec/template/spec/hostNetwork","value":true}]',
        jp,
        "true",
        "patch-json",
        "two ops in order: the last one sets true",
        resource="daemonsets",
        name="log-shipper",
        namespace="logging",
    )
    background(s, 3)
    patch(
        INTRUDER,
        '{"spec":{"template":{"spec":{"host\\u004eetwork":true}}}}',
        sm,
        "true",
        "escape",
        "the key is written host\\u004eetwork in the patch body: the same key once decoded",
        name="cart",
    )
    patch(
        INTRUDER,
        '{"spec": {"template": {"spec": {"hostNetwork" : true}}}}',
        sm,
        "true",
        "whitespace",
        "whitespace around the colon in the patch body",
        name="ledger",
        namespace="payments",
    )
    patch(
        BOB,
        '{"spec":{"template":{"spec":{"HostNetwork":true}}}}',
        mp,
        "unknown",
        "wrong-case",
        "HostNetwork is not hostNetwork: the patch leaves hostNetwork unchanged and none is logged",
        name="cart",
    )
    patch(
        INTRUDER,
        '{"spec":{"template":{"spec":{"hostNetwork":true,"hostNetwork":false}}}}',
        sm,
        "false",
        "duplicate-keys",
        "repeated key, the last value (false) wins",
        name="web",
    )
    patch(
        INTRUDER,
        '{"spec":{"template":{"spec":{"hostNetwork":false,"hostNetwork":true}}}}',
        sm,
        "true",
        "duplicate-keys",
        "repeated key, the last value (true) wins",
        name="web",
    )
    patch(
        BOB,
        '{"spec":{"template":{"spec":{"hostNetwork":"true"}}}}',
        sm,
        "false",
        "string-true",
        'hostNetwork:"true" is a string, not true; the API server refuses it (400)',
        code=400,
        name="cart",
        status=_status(
            400,
            "BadRequest",
            "json: cannot unmarshal string into Go struct field "
            "PodSpec.spec.template.spec.hostNetwork of type bool",
            "cart",
            "",
        ),
    )
    patch(
        BOB,
        '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"NOTE","value":'
        '"{\\"hostNetwork\\":true}"}]}]}}}}',
        sm,
        "unknown",
        "hostnet-in-value",
        "the text is in an env value; hostNetwork itself is untouched and not logged",
        name="web",
    )

    # kubectl apply on an existing object is a strategic merge patch that carries the new annotation.
    ds_manifest = pod_spec_manifest([container("fluent-bit", "docker.io/fluent/fluent-bit:3.0.2")], True)
    annotation = last_applied(
        _manifest(
            "apps/v1",
            "DaemonSet",
            "logging",
            "log-shipper",
            {
                "selector": {"matchLabels": {"app": "log-shipper"}},
                "template": {"metadata": {"labels": {"app": "log-shipper"}}, "spec": ds_manifest},
            },
        )
    )
    body = _dumps(
        {
            "metadata": {"annotations": {LAST_APPLIED: annotation}},
            "spec": {
                "template": {
                    "spec": {
                        "$setElementOrder/containers": [{"name": "fluent-bit"}],
                        "containers": [{"image": "docker.io/fluent/fluent-bit:3.0.2", "name": "fluent-bit"}],
                    }
                }
            },
        }
    )
    patch(
        ADMIN,
        body,
        sm,
        "true",
        "kubectl-apply-update",
        "kubectl apply changes the image only; the annotation it sends says hostNetwork: true",
        resource="daemonsets",
        name="log-shipper",
        namespace="logging",
    )
    pod_manifest = pod_spec_manifest(
        [container("netshoot", "docker.io/nicolaka/netshoot:v0.12", command=["sleep", "infinity"])], True
    )
    pod_annotation = last_applied(
        _manifest("v1", "Pod", "default", "netdebug", pod_manifest, labels={"debug": "yes"})
    )
    patch(
        ADMIN,
        _dumps({"metadata": {"annotations": {LAST_APPLIED: pod_annotation}, "labels": {"debug": "yes"}}}),
        sm,
        "true",
        "kubectl-apply-update",
        "kubectl apply adds a label to the hostNetwork pod: verb patch; the annotation says hostNetwork true",
        resource="pods",
        name="netdebug",
        namespace="default",
    )
    background(s, 3)

    # Server-side apply: the body is the applied configuration; 201 means it created the object.
    ssa = "server-side apply"
    applied = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "edge-proxy", "namespace": "edge"},
        "spec": {
            "selector": {"matchLabels": {"app": "edge-proxy"}},
            "template": {
                "metadata": {"labels": {"app": "edge-proxy"}},
                "spec": {
                    "containers": [{"name": "envoy", "image": "docker.io/envoyproxy/envoy:v1.29.2"}],
                    "hostNetwork": True,
                },
            },
        },
    }
    patch(
        ARGOCD,
        _dumps(applied),
        ssa,
        "true",
        "server-side-apply",
        "creates a DaemonSet with hostNetwork: true",
        code=201,
        resource="daemonsets",
        name="edge-proxy",
        namespace="edge",
        query="?fieldManager=argocd-controller&force=true",
    )
    plain_applied = json.loads(_dumps(applied))
    plain_applied["metadata"]["name"] = "edge-web"
    del plain_applied["spec"]["template"]["spec"]["hostNetwork"]
    patch(
        ARGOCD,
        _dumps(plain_applied),
        ssa,
        "false",
        "server-side-apply",
        "creates (201) a DaemonSet with no hostNetwork key: a new object's default is false",
        code=201,
        resource="daemonsets",
        name="edge-web",
        namespace="edge",
        query="?fieldManager=argocd-controller&force=true",
    )
    patch(
        ARGOCD,
        _dumps(plain_applied),
        ssa,
        "unknown",
        "server-side-apply",
        "re-apply (200) without the key: a field this manager never owned is left as it was",
        code=200,
        resource="daemonsets",
        name="edge-web",
        namespace="edge",
        query="?fieldManager=argocd-controller&force=true",
    )
    pod_applied = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "ssa-debug", "namespace": "default"},
        "spec": {
            "containers": [{"name": "sh", "image": "docker.io/library/alpine:3.19"}],
            "hostNetwork": True,
        },
    }
    patch(
        INTRUDER,
        _dumps(pod_applied),
        ssa,
        "true",
        "server-side-apply",
        "kubectl apply --server-side creates a hostNetwork pod: verb patch, code 201, no annotation",
        code=201,
        resource="pods",
        name="ssa-debug",
        namespace="default",
        query="?fieldManager=kubectl&fieldValidation=Strict",
    )
    patch(
        _controller("horizontal-pod-autoscaler"),
        '{"spec":{"replicas":5}}',
        "merge patch",
        "false",
        "subresource",
        "deployments/scale by the HPA: a subresource, no pod spec",
        subresource="scale",
    )


def updates(s: Session) -> None:
    """Full-object updates (kubectl replace, controllers writing their own objects)."""
    spec = pod_spec_manifest([container("probe", "ghcr.io/acme/netprobe:1.3")], True)
    request, response = s.workload_objects(
        "deployments", "tools", "net-deployment", spec, labels={"app": "probe"}
    )
    s.request(
        BOB,
        "update",
        "deployments",
        "tools",
        "net-deployment",
        api_group="apps",
        request=request,
        response=response,
        truth="true",
        category="workload-template",
        reason="kubectl replace of a Deployment whose template has hostNetwork: true",
    )
    plain = pod_spec_manifest([container("web", "ghcr.io/acme/web:2.15.0")])
    request, response = s.workload_objects(
        "deployments", "shop", "web", plain, labels={"app": "web"}, replicas=3
    )
    s.request(
        ARGOCD,
        "update",
        "deployments",
        "shop",
        "web",
        api_group="apps",
        request=request,
        response=response,
        truth="false",
        category="workload-deployment",
        reason="update of an ordinary Deployment (new image)",
    )
    hostnet = pod_spec_manifest(
        [container("netshoot", "docker.io/nicolaka/netshoot:v0.12", command=["sleep", "infinity"])], True
    )
    manifest = _manifest("v1", "Pod", "default", "netdebug", hostnet)
    request, response, _ = s.pod_objects(
        "default",
        "netdebug",
        hostnet,
        labels={"debug": "yes"},
        annotations={LAST_APPLIED: last_applied(manifest)},
    )
    s.request(
        ADMIN,
        "update",
        "pods",
        "default",
        "netdebug",
        request=request,
        response=response,
        truth="true",
        category="kubectl-apply-pod",
        reason="kubectl replace --save-config of the hostNetwork pod (update; annotation true)",
    )


def truncated(s: Session) -> None:
    """Events longer than Splunk's TRUNCATE (10,000 bytes by default) are indexed cut."""

    def big_env(count: int) -> List[JSON]:
        return [
            {"name": f"FEATURE_{index:03d}", "value": f"{s.rng.getrandbits(64):016x}"}
            for index in range(count)
        ]

    def big_pod(
        name: str,
        host_network: bool,
        env_count: int,
        truth: str,
        reason: str,
        *,
        fields: int = 0,
        env_first: bool = False,
    ) -> None:
        containers = [container("app", "ghcr.io/acme/monolith:7.3.0", env=big_env(env_count))]
        spec = pod_spec_manifest(containers, True if host_network else None)
        request, response, _ = s.pod_objects("shop", name, spec, labels={"app": "monolith"})
        if fields:
            response["metadata"]["managedFields"] = response["metadata"]["managedFields"] * fields
        if env_first:  # the pod spec is open while the long env list is read
            request["spec"] = {"containers": request["spec"].pop("containers"), **request["spec"]}
        s.request(
            CI,
            "create",
            "pods",
            "shop",
            None,
            code=201,
            request=request,
            response=response,
            truth=truth,
            category="truncated",
            reason=reason,
            truncate=True,
        )

    big_pod(
        "monolith-a",
        True,
        60,
        "true",
        "cut inside responseObject; the complete requestObject says true",
        fields=6,
    )
    big_pod(
        "monolith-b",
        False,
        60,
        "false",
        "cut inside responseObject; the complete requestObject says false",
        fields=6,
    )
    big_pod(
        "monolith-c",
        False,
        260,
        "unknown",
        "cut inside requestObject's container list: the pod spec never closes, hostNetwork may be lost",
        env_first=True,
    )

    # hostNetwork is read before the cut, the rest of the spec is lost.
    def hostnet_first(text: str) -> str:
        return text.replace('"spec":{"containers":', '"spec":{"hostNetwork":true,"containers":', 1)

    containers = [container("app", "ghcr.io/acme/monolith:7.3.0", env=big_env(260))]
    request, response, _ = s.pod_objects("shop", "monolith-d", pod_spec_manifest(containers))
    request["spec"] = {"containers": request["spec"].pop("containers"), **request["spec"]}
    s.request(
        CI,
        "create",
        "pods",
        "shop",
        None,
        code=201,
        request=request,
        response=response,
        truth="true",
        category="truncated",
        reason="hostNetwork: true is read completely before the cut in requestObject",
        rewrite=hostnet_first,
        truncate=True,
    )


def session() -> Session:
    s = Session()
    background(s, 30)
    bootstrap(s)
    background(s, 20)
    ordinary_apps(s)
    kubectl_pods(s)
    denied(s)
    levels_and_stages(s)
    interactive(s)
    configmaps(s)
    background(s, 6)
    workload_kinds(s)
    patches(s)
    updates(s)
    background(s, 8)
    truncated(s)
    background(s, 25)
    return s


def render(s: Session) -> Tuple[str, str]:
    """(the audit log, the labels CSV) as text."""
    log = "".join(line + "\n" for line in s.lines)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LABEL_COLUMNS)
    for number, label in enumerate(s.labels, start=1):
        writer.writerow((number, label.truth, label.category, label.reason))
    return log, out.getvalue()


def main(argv: List[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "samples"
    out.mkdir(parents=True, exist_ok=True)
    log, labels = render(session())
    (out / LOG_NAME).write_text(log, encoding="utf-8", newline="\n")
    (out / LABELS_NAME).write_text(labels, encoding="utf-8", newline="\n")
    print(f"{out / LOG_NAME}: {log.count(chr(10))} events, {len(log.encode('utf-8'))} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
