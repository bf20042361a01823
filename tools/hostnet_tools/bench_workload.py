"""Realistic Kubernetes audit events for `make bench`, generated deterministically from a seed.

RequestResponse-level creates, updates and patches (strategic merge from `kubectl apply`, JSON Patch,
merge patches from `kubectl rollout restart` and scaling) of pods and of the workloads that carry a pod
template. Each event's text is compact JSON, as the API server writes it, between MIN_EVENT_BYTES and
MAX_EVENT_BYTES long: the size comes from what real objects carry (containers with env, probes and mounts,
volumes, labels, annotations, some with a last-applied annotation holding the whole manifest again).

Two workloads:
- MIXED: about HOSTNET_SHARE of the events set `hostNetwork: true`; the others never mention it, as most
  real traffic does not (the API server omits `hostNetwork: false`).
- WORST: every event mentions hostNetwork somewhere (explicit `false`, inside the last-applied annotation,
  a JSON Patch op on the path, a `\\u`-escaped key, the word inside an annotation value, or `true`), so no
  cheap test on the text can skip any of them: each must be parsed.
"""

import json
import random
from typing import Any, Dict, Iterator, List, Tuple

MIXED = "mixed"
WORST = "worst"
WORKLOADS = (MIXED, WORST)
MIN_EVENT_BYTES = 2048
MAX_EVENT_BYTES = 8192
HOSTNET_SHARE = 0.03

# How the WORST workload mentions hostNetwork, with weights; `true` keeps the same share as MIXED.
WORST_MENTIONS: Tuple[Tuple[str, float], ...] = (
    ("explicit_false", 0.35),
    ("last_applied", 0.22),
    ("json_patch", 0.15),
    ("annotation_text", 0.12),
    ("escaped_key", 0.13),
    ("true", HOSTNET_SHARE),
)
ESCAPED_KEY = '"host\\u004eetwork":'  # the JSON text of the key with one \u escape: still hostNetwork

_COMPACT = (",", ":")
_START_EPOCH = 1714521600  # 2024-05-01T00:00:00Z
_APPS = (
    "api",
    "web",
    "checkout",
    "cart",
    "auth",
    "billing",
    "search",
    "ingest",
    "metrics",
    "fluent-bit",
    "node-exporter",
    "coredns",
    "kube-proxy",
    "redis",
    "postgres",
    "kafka",
    "zookeeper",
    "ingress-nginx",
    "cert-manager",
    "payments-worker",
    "recommender",
    "notifier",
    "image-resizer",
    "session-store",
)
_NAMESPACES = (
    "default",
    "kube-system",
    "payments",
    "shop",
    "monitoring",
    "logging",
    "data",
    "ingress-nginx",
    "cert-manager",
    "team-a",
    "team-b",
    "ml-serving",
)
_REGISTRIES = (
    "registry.k8s.io",
    "docker.io/library",
    "ghcr.io/acme",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
)
_USERS = (
    (
        "kubernetes-admin",
        ["system:masters", "system:authenticated"],
        "kubectl/v1.29.3 (linux/amd64) kubernetes/6813625",
    ),
    (
        "alice@example.com",
        ["developers", "system:authenticated"],
        "kubectl/v1.28.2 (darwin/arm64) kubernetes/89a4ea3",
    ),
    (
        "system:serviceaccount:argocd:argocd-application-controller",
        ["system:serviceaccounts", "system:serviceaccounts:argocd", "system:authenticated"],
        "argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format",
    ),
    (
        "system:serviceaccount:kube-system:replicaset-controller",
        ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
        "kube-controller-manager/v1.29.3 (linux/amd64) kubernetes/6813625"
        "/system:serviceaccount:kube-system:replicaset-controller",
    ),
    (
        "system:serviceaccount:flux-system:kustomize-controller",
        ["system:serviceaccounts", "system:authenticated"],
        "flux/v2",
    ),
)
# resource -> (apiGroup, apiVersion, kind, path of the pod template inside the object, or () for a pod)
_RESOURCES: Dict[str, Tuple[str, str, str, Tuple[str, ...]]] = {
    "pods": ("", "v1", "Pod", ()),
    "deployments": ("apps", "v1", "Deployment", ("spec", "template")),
    "daemonsets": ("apps", "v1", "DaemonSet", ("spec", "template")),
    "statefulsets": ("apps", "v1", "StatefulSet", ("spec", "template")),
    "jobs": ("batch", "v1", "Job", ("spec", "template")),
    "cronjobs": ("batch", "v1", "CronJob", ("spec", "jobTemplate", "spec", "template")),
}
_RESOURCE_WEIGHTS = (
    ("pods", 0.45),
    ("deployments", 0.25),
    ("daemonsets", 0.06),
    ("statefulsets", 0.08),
    ("jobs", 0.09),
    ("cronjobs", 0.07),
)
_VERB_WEIGHTS = (("create", 0.45), ("update", 0.2), ("patch", 0.35))
_PATCH_STYLES = ("apply", "json_patch", "restart", "scale")
_PADDED_ENV_MARK = "LOG_LEVEL"  # only the first container, which takes the padding, has this env var
# One padding env var as compact JSON plus its comma, and the backslashes it gains inside an annotation.
_PADDING_VAR_BYTES = len('{"name":"FEATURE_FLAG_000","value":"0123456789abcdef"},')
_PADDING_VAR_ESCAPES = 8


def audit_events(workload: str, count: int, seed: int = 1, first: int = 0) -> Iterator[str]:
    """Event texts number `first` to `first + count - 1` of `workload`, the same for the same arguments.

    A different `first` starts an independent stream (its own random state), so chunks of a large
    workload can be generated separately, in parallel, and still be reproducible one by one.
    """
    if workload not in WORKLOADS:
        raise ValueError(f"unknown workload {workload!r}; expected one of {', '.join(WORKLOADS)}")
    rng = random.Random(f"{workload}:{seed}:{first}")  # noqa: S311 (reproducible test data, not secrets)
    for number in range(first, first + count):
        yield _Event(rng, number, _mention(rng, workload)).text()


def _mention(rng: random.Random, workload: str) -> str:
    if workload == MIXED:
        return "true" if rng.random() < HOSTNET_SHARE else "none"
    return _weighted(rng, WORST_MENTIONS)


def _weighted(rng: random.Random, choices: Tuple[Tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in choices], weights=[weight for _, weight in choices])[0]


def _uid(rng: random.Random) -> str:
    digits = f"{rng.getrandbits(128):032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _timestamp(epoch: float) -> str:
    whole = int(epoch)
    micros = int((epoch - whole) * 1_000_000)
    days, rest = divmod(whole - _START_EPOCH, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"2024-05-{1 + days % 28:02d}T{hours:02d}:{minutes:02d}:{seconds:02d}.{micros:06d}Z"


class _Event:
    """One audit event, built in the order the API server fills it in, then sized to its target."""

    def __init__(self, rng: random.Random, number: int, mention: str) -> None:
        self.rng = rng
        self.mention = mention
        self.epoch = _START_EPOCH + number * 0.05 + rng.random() * 0.04
        self.resource = _weighted(rng, _RESOURCE_WEIGHTS)
        if mention == "json_patch":
            verb, style = "patch", "json_patch"
        else:
            verb = _weighted(rng, _VERB_WEIGHTS)
            style = rng.choice(_PATCH_STYLES) if verb == "patch" else ""
        if self.resource == "pods" and style in ("restart", "scale"):
            style = "apply"
        self.verb, self.patch_style = verb, style
        self.app = rng.choice(_APPS)
        self.namespace = rng.choice(_NAMESPACES)
        self.name = f"{self.app}-{rng.getrandbits(40):010x}"[: 12 + len(self.app)]
        self.target_bytes = rng.randint(MIN_EVENT_BYTES + 200, MAX_EVENT_BYTES - 300)
        self.padding_seed = rng.getrandbits(32)  # padding has its own stream: it must not shift later draws
        self.lean = False  # set when the full object would not fit: one plain container, fewer extras

    # --- the object -------------------------------------------------------------------------------

    def _container(self, index: int) -> Dict[str, Any]:
        rng = self.rng
        name = self.app if index == 0 else rng.choice(("sidecar", "envoy", "log-shipper", "metrics-proxy"))
        image = (
            f"{rng.choice(_REGISTRIES)}/{name}:{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
        )
        container: Dict[str, Any] = {
            "name": name,
            "image": image,
            "imagePullPolicy": rng.choice(("IfNotPresent", "Always")),
            "ports": [
                {"containerPort": rng.choice((80, 443, 8080, 8443, 9090)), "name": "http", "protocol": "TCP"}
            ],
            "env": [
                {
                    "name": _PADDED_ENV_MARK if index == 0 else "LOG_FORMAT",
                    "value": rng.choice(("info", "json")),
                }
            ],
            "resources": {
                "limits": {
                    "cpu": f"{rng.randint(1, 4)}",
                    "memory": f"{rng.choice((256, 512, 1024, 2048))}Mi",
                },
                "requests": {"cpu": f"{rng.randint(50, 900)}m", "memory": f"{rng.choice((64, 128, 256))}Mi"},
            },
            "volumeMounts": [{"mountPath": "/etc/config", "name": "config", "readOnly": True}],
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        }
        if rng.random() < 0.6 and not self.lean:
            container["livenessProbe"] = {
                "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
                "initialDelaySeconds": rng.randint(5, 30),
                "periodSeconds": 10,
                "timeoutSeconds": 1,
                "successThreshold": 1,
                "failureThreshold": 3,
            }
            container["readinessProbe"] = {
                "httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"},
                "periodSeconds": 5,
            }
        if rng.random() < 0.5 and not self.lean:
            container["securityContext"] = {
                "allowPrivilegeEscalation": False,
                "runAsNonRoot": True,
                "readOnlyRootFilesystem": True,
                "capabilities": {"drop": ["ALL"]},
            }
        return container

    def _pod_spec(self) -> Dict[str, Any]:
        rng = self.rng
        spec: Dict[str, Any] = {
            "containers": [
                self._container(index) for index in range(1 if self.lean else rng.choice((1, 1, 1, 2, 2, 3)))
            ],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": "OnFailure" if self.resource in ("jobs", "cronjobs") else "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {"fsGroup": 2000, "runAsUser": 1000} if rng.random() < 0.5 else {},
            "serviceAccountName": self.app,
            "terminationGracePeriodSeconds": 30,
            "volumes": [{"configMap": {"defaultMode": 420, "name": f"{self.app}-config"}, "name": "config"}],
        }
        if rng.random() < 0.3 and not self.lean:
            spec["initContainers"] = [
                {
                    "name": "init-perms",
                    "image": "docker.io/library/busybox:1.36",
                    "command": ["sh", "-c", "chown -R 1000:1000 /data"],
                }
            ]
        if rng.random() < 0.4 and not self.lean:
            spec["volumes"].append(
                {"name": "tls", "secret": {"defaultMode": 420, "secretName": f"{self.app}-tls"}}
            )
        if rng.random() < 0.3 and not self.lean:
            spec["nodeSelector"] = {
                "kubernetes.io/os": "linux",
                "node.kubernetes.io/instance-type": "m5.large",
            }
        if rng.random() < 0.3 and not self.lean:
            spec["tolerations"] = [
                {"effect": "NoSchedule", "key": "dedicated", "operator": "Equal", "value": "infra"}
            ]
        if self.mention == "true":
            spec["hostNetwork"] = True
            spec["dnsPolicy"] = "ClusterFirstWithHostNet"
        return spec

    def _labels(self) -> Dict[str, str]:
        return {
            "app": self.app,
            "app.kubernetes.io/name": self.app,
            "app.kubernetes.io/part-of": self.rng.choice(("shop", "platform", "observability", "data")),
            "app.kubernetes.io/version": f"{self.rng.randint(1, 9)}.{self.rng.randint(0, 30)}",
            "team": self.rng.choice(("payments", "platform", "sre", "data")),
        }

    def _annotations(self) -> Dict[str, str]:
        annotations = {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"}
        if self.mention == "annotation_text":
            annotations["policy.example.com/review"] = (
                "hostNetwork not required; approved by platform-security"
            )
        return annotations

    def _object(self) -> Dict[str, Any]:
        """The object as the client sends it (no server-set fields)."""
        group, version, kind, template_path = _RESOURCES[self.resource]
        pod_spec = self._pod_spec()
        metadata: Dict[str, Any] = {
            "name": self.name,
            "namespace": self.namespace,
            "labels": self._labels(),
            "annotations": self._annotations(),
        }
        obj: Dict[str, Any] = {"apiVersion": f"{group}/{version}" if group else version, "kind": kind}
        if not template_path:
            obj["metadata"] = metadata
            obj["spec"] = pod_spec
            return obj
        obj["metadata"] = metadata
        template = {
            "metadata": {"labels": {"app": self.app}, "annotations": dict(metadata["annotations"])},
            "spec": pod_spec,
        }
        selector = {"matchLabels": {"app": self.app}}
        if self.resource == "cronjobs":
            obj["spec"] = {
                "schedule": f"{self.rng.randint(0, 59)} * * * *",
                "concurrencyPolicy": "Forbid",
                "jobTemplate": {"spec": {"backoffLimit": 2, "template": template}},
            }
        elif self.resource == "jobs":
            obj["spec"] = {"backoffLimit": 4, "completions": 1, "parallelism": 1, "template": template}
        else:
            obj["spec"] = {"selector": selector, "template": template, "revisionHistoryLimit": 10}
            if self.resource in ("deployments", "statefulsets"):
                obj["spec"]["replicas"] = self.rng.randint(1, 6)
            if self.resource == "statefulsets":
                obj["spec"]["serviceName"] = self.app
        return obj

    def _pod_spec_of(self, obj: Dict[str, Any]) -> Dict[str, Any]:
        node = obj
        for key in _RESOURCES[self.resource][3]:
            node = node[key]
        return node["spec"]  # type: ignore[no-any-return]

    def _served(self, obj: Dict[str, Any]) -> Dict[str, Any]:
        """What the API server answers: the object with its server-set fields and status."""
        served = json.loads(json.dumps(obj))
        served["metadata"].update(
            {
                "creationTimestamp": _timestamp(self.epoch - 86400 * self.rng.randint(0, 20))[:19] + "Z",
                "generation": self.rng.randint(1, 40),
                "resourceVersion": str(self.rng.randint(100000, 99999999)),
                "uid": _uid(self.rng),
            }
        )
        served_spec = self._pod_spec_of(served)
        if served_spec.get("hostNetwork") is False:
            del served_spec["hostNetwork"]  # the server omits false (omitempty)
        if self.resource == "pods":
            served["status"] = {"phase": "Pending", "qosClass": "Burstable"}
        elif self.resource not in ("jobs", "cronjobs"):
            served["status"] = {
                "observedGeneration": served["metadata"]["generation"],
                "replicas": 2,
                "readyReplicas": 2,
                "updatedReplicas": 2,
            }
        return served  # type: ignore[no-any-return]

    def _spec_path_pointer(self) -> str:
        return "/" + "/".join((*_RESOURCES[self.resource][3], "spec"))

    def _request_body(self, obj: Dict[str, Any]) -> Any:
        if self.verb != "patch":
            return obj
        rng = self.rng
        pointer = self._spec_path_pointer()
        if self.patch_style == "json_patch":
            ops: List[Dict[str, Any]] = [
                {
                    "op": "replace",
                    "path": f"{pointer}/containers/0/image",
                    "value": self._pod_spec_of(obj)["containers"][0]["image"],
                }
            ]
            if self.mention in ("json_patch", "true", "explicit_false"):
                ops.append(
                    {
                        "op": "add" if self.mention != "json_patch" else "replace",
                        "path": f"{pointer}/hostNetwork",
                        "value": self.mention == "true",
                    }
                )
            return ops
        if self.patch_style == "restart":
            body: Dict[str, Any] = {
                "spec": {
                    "template": {
                        "metadata": {
                            "annotations": {
                                "kubectl.kubernetes.io/restartedAt": _timestamp(self.epoch)[:19] + "Z"
                            }
                        }
                    }
                }
            }
        elif self.patch_style == "scale":
            body = {"spec": {"replicas": rng.randint(1, 12)}}
        else:  # kubectl apply: strategic merge of the changed parts plus the new annotation
            body = {"metadata": {"annotations": dict(obj["metadata"]["annotations"])}}
            node = body
            for key in _RESOURCES[self.resource][3]:
                node = node.setdefault(key, {})
            container = self._pod_spec_of(obj)["containers"][0]
            node["spec"] = {"containers": [{"name": container["name"], "image": container["image"]}]}
        if self.mention in ("true", "explicit_false"):
            node = body
            for key in (*_RESOURCES[self.resource][3], "spec"):
                node = node.setdefault(key, {})
            node["hostNetwork"] = self.mention == "true"
        return body

    def _add_last_applied(self, obj: Dict[str, Any]) -> None:
        manifest = json.loads(json.dumps(obj))
        manifest["metadata"].pop("annotations", None)
        if self.mention == "last_applied":
            self._pod_spec_of(manifest)["hostNetwork"] = False
        obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = (
            json.dumps(manifest, separators=_COMPACT, sort_keys=True) + "\n"
        )

    # --- the event --------------------------------------------------------------------------------

    def _event(self, padding: int) -> Dict[str, Any]:
        rng = self.rng
        group, version, _kind, _template = _RESOURCES[self.resource]
        obj = self._object()
        env = self._pod_spec_of(obj)["containers"][0]["env"]
        padding_rng = random.Random(self.padding_seed)  # noqa: S311 (reproducible test data)
        env.extend(
            {"name": f"FEATURE_FLAG_{index:03d}", "value": f"{padding_rng.getrandbits(64):016x}"}
            for index in range(padding)
        )
        kubectl = self.verb == "patch" and self.patch_style == "apply"
        if (
            kubectl
            or self.mention == "last_applied"
            or (self.verb != "patch" and rng.random() < 0.25 and not self.lean)
        ):
            self._add_last_applied(obj)
        if self.mention == "explicit_false":
            self._pod_spec_of(obj)["hostNetwork"] = False
        user, groups, agent = rng.choice(_USERS)
        if kubectl:
            agent = _USERS[0][2]
        request = self._request_body(obj)
        code = 201 if self.verb == "create" else 200
        path = f"/api{'s/' + group if group else ''}/{version}/namespaces/{self.namespace}/{self.resource}"
        object_ref: Dict[str, str] = {
            "resource": self.resource,
            "namespace": self.namespace,
            "apiVersion": version,
        }
        if group:
            object_ref["apiGroup"] = group
        if self.verb != "create":
            object_ref["name"] = self.name
            path += f"/{self.name}"
        return {
            "kind": "Event",
            "apiVersion": "audit.k8s.io/v1",
            "level": "RequestResponse",
            "auditID": _uid(rng),
            "stage": "ResponseComplete",
            "requestURI": path
            + ("?fieldManager=kubectl-client-side-apply&fieldValidation=Strict" if kubectl else ""),
            "verb": self.verb,
            "user": {"username": user, "uid": _uid(rng), "groups": list(groups)},
            "sourceIPs": [f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"],
            "userAgent": agent,
            "objectRef": object_ref,
            "responseStatus": {"metadata": {}, "code": code},
            "requestObject": request,
            "responseObject": self._served(obj),
            "requestReceivedTimestamp": _timestamp(self.epoch),
            "stageTimestamp": _timestamp(self.epoch + 0.004),
            "annotations": {
                "authorization.k8s.io/decision": "allow",
                "authorization.k8s.io/reason": (
                    f'RBAC: allowed by ClusterRoleBinding "{self.app}-deployer" of ClusterRole "edit"'
                ),
            },
        }

    def text(self) -> str:
        """The event text, padded with env vars (in the object and in what the server answers) to size."""
        state = self.rng.getstate()
        text = self._serialise(0)
        if len(text) > self.target_bytes:
            self.lean = True
            self.rng.setstate(state)
            text = self._serialise(0)
        # The first container is copied into the request, the response and any last-applied annotation.
        copies = text.count(_PADDED_ENV_MARK)
        per_var = copies * _PADDING_VAR_BYTES + text.count(f'\\"{_PADDED_ENV_MARK}\\"') * _PADDING_VAR_ESCAPES
        if len(text) < self.target_bytes:
            self.rng.setstate(state)
            text = self._serialise((self.target_bytes - len(text)) // per_var)
        return text

    def _serialise(self, padding: int) -> str:
        text = json.dumps(self._event(padding), separators=_COMPACT)
        if self.mention == "escaped_key":
            if '"hostNetwork":' not in text:
                text = _insert_explicit_false(text)
            text = text.replace('"hostNetwork":', ESCAPED_KEY, 1)
        return text


def _insert_explicit_false(text: str) -> str:
    """An explicit `false` in the first pod spec (where `dnsPolicy` sits), for events with no key yet."""
    return text.replace('"dnsPolicy":', '"hostNetwork":false,"dnsPolicy":', 1)


__all__ = ["MAX_EVENT_BYTES", "MIN_EVENT_BYTES", "MIXED", "WORKLOADS", "WORST", "audit_events"]
