"""One audit event of `make bench`, built in the order the API server fills it in, then sized to its target.

RequestResponse-level creates, updates and patches (strategic merge from `kubectl apply`, JSON Patch, merge
patches from `kubectl rollout restart` and scaling) of the object bench_objects builds. Each event's text is
compact JSON, as the API server writes it, between MIN_EVENT_BYTES and MAX_EVENT_BYTES long: the object is
padded with env vars (copied into the request, the response and any last-applied annotation) to a size drawn
for the event.
"""

import json
import random
from typing import Any, Dict, List, Tuple

from hostnet_tools.bench_objects import PADDED_ENV_MARK, START_EPOCH, BenchObject, timestamp, uid
from kube_hostnet.resources import BY_RESOURCE

MIN_EVENT_BYTES = 2048
MAX_EVENT_BYTES = 8192
ESCAPED_KEY = '"host\\u004eetwork":'  # the JSON text of the key with one \u escape: still hostNetwork
_COMPACT = (",", ":")
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
# One padding env var as compact JSON plus its comma, and the backslashes it gains inside an annotation.
_PADDING_VAR_BYTES = len('{"name":"FEATURE_FLAG_000","value":"0123456789abcdef"},')
_PADDING_VAR_ESCAPES = 8


def weighted(rng: random.Random, choices: Tuple[Tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in choices], weights=[weight for _, weight in choices])[0]


class BenchEvent(BenchObject):
    """One audit event (`text()`), drawn from `rng` for event `number` mentioning hostNetwork as `mention`."""

    def __init__(self, rng: random.Random, number: int, mention: str) -> None:
        self.rng = rng
        self.mention = mention
        self.epoch = START_EPOCH + number * 0.05 + rng.random() * 0.04
        self.resource = weighted(rng, _RESOURCE_WEIGHTS)
        if mention == "json_patch":
            verb, style = "patch", "json_patch"
        else:
            verb = weighted(rng, _VERB_WEIGHTS)
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

    # --- the request body -------------------------------------------------------------------------

    def _spec_path_pointer(self) -> str:
        return "/" + "/".join(BY_RESOURCE[self.resource].spec_path)

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
                    "value": self.pod_spec_of(obj)["containers"][0]["image"],
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
                                "kubectl.kubernetes.io/restartedAt": timestamp(self.epoch)[:19] + "Z"
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
            for key in BY_RESOURCE[self.resource].template_path:
                node = node.setdefault(key, {})
            container = self.pod_spec_of(obj)["containers"][0]
            node["spec"] = {"containers": [{"name": container["name"], "image": container["image"]}]}
        if self.mention in ("true", "explicit_false"):
            node = body
            for key in BY_RESOURCE[self.resource].spec_path:
                node = node.setdefault(key, {})
            node["hostNetwork"] = self.mention == "true"
        return body

    def _add_last_applied(self, obj: Dict[str, Any]) -> None:
        manifest = json.loads(json.dumps(obj))
        manifest["metadata"].pop("annotations", None)
        if self.mention == "last_applied":
            self.pod_spec_of(manifest)["hostNetwork"] = False
        obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = (
            json.dumps(manifest, separators=_COMPACT, sort_keys=True) + "\n"
        )

    # --- the event --------------------------------------------------------------------------------

    def _event(self, padding: int) -> Dict[str, Any]:
        rng = self.rng
        facts = BY_RESOURCE[self.resource]
        group, version = facts.group, facts.version
        obj = self.client_object()
        env = self.pod_spec_of(obj)["containers"][0]["env"]
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
            self.pod_spec_of(obj)["hostNetwork"] = False
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
            "auditID": uid(rng),
            "stage": "ResponseComplete",
            "requestURI": path
            + ("?fieldManager=kubectl-client-side-apply&fieldValidation=Strict" if kubectl else ""),
            "verb": self.verb,
            "user": {"username": user, "uid": uid(rng), "groups": list(groups)},
            "sourceIPs": [f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"],
            "userAgent": agent,
            "objectRef": object_ref,
            "responseStatus": {"metadata": {}, "code": code},
            "requestObject": request,
            "responseObject": self.served(obj),
            "requestReceivedTimestamp": timestamp(self.epoch),
            "stageTimestamp": timestamp(self.epoch + 0.004),
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
        copies = text.count(PADDED_ENV_MARK)
        per_var = copies * _PADDING_VAR_BYTES + text.count(f'\\"{PADDED_ENV_MARK}\\"') * _PADDING_VAR_ESCAPES
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
