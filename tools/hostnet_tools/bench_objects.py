"""The objects in `make bench`'s audit events: what the client sends and what the API server answers.

A pod or a workload that carries a pod template (where the template sits comes from
kube_hostnet.resources), with what real objects carry: containers with env, probes and mounts, volumes,
labels, annotations. Every value is drawn from the event's random stream in a fixed order, so the same seed
gives the same object; bench_event decides the event around it.
"""

import json
import random
from typing import Any, Dict

from kube_hostnet.resources import BY_RESOURCE

START_EPOCH = 1714521600  # 2024-05-01T00:00:00Z
PADDED_ENV_MARK = "LOG_LEVEL"  # only the first container, which takes the padding, has this env var
_REGISTRIES = (
    "registry.k8s.io",
    "docker.io/library",
    "ghcr.io/acme",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
)


def uid(rng: random.Random) -> str:
    digits = f"{rng.getrandbits(128):032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def timestamp(epoch: float) -> str:
    whole = int(epoch)
    micros = int((epoch - whole) * 1_000_000)
    days, rest = divmod(whole - START_EPOCH, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"2024-05-{1 + days % 28:02d}T{hours:02d}:{minutes:02d}:{seconds:02d}.{micros:06d}Z"


class BenchObject:
    """The object of one event; bench_event.BenchEvent draws the facts below, then builds around it."""

    rng: random.Random
    mention: str  # how the event mentions hostNetwork (bench_workload.WORST_MENTIONS, or "none")
    epoch: float
    resource: str
    app: str
    namespace: str
    name: str
    lean: bool  # the full object would not fit: one plain container, fewer extras

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
                    "name": PADDED_ENV_MARK if index == 0 else "LOG_FORMAT",
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

    def client_object(self) -> Dict[str, Any]:
        """The object as the client sends it (no server-set fields)."""
        facts = BY_RESOURCE[self.resource]
        group, version, kind, template_path = facts.group, facts.version, facts.kind, facts.template_path
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

    def pod_spec_of(self, obj: Dict[str, Any]) -> Dict[str, Any]:
        node = obj
        for key in BY_RESOURCE[self.resource].spec_path:
            node = node[key]
        return node

    def served(self, obj: Dict[str, Any]) -> Dict[str, Any]:
        """What the API server answers: the object with its server-set fields and status."""
        served = json.loads(json.dumps(obj))
        served["metadata"].update(
            {
                "creationTimestamp": timestamp(self.epoch - 86400 * self.rng.randint(0, 20))[:19] + "Z",
                "generation": self.rng.randint(1, 40),
                "resourceVersion": str(self.rng.randint(100000, 99999999)),
                "uid": uid(self.rng),
            }
        )
        served_spec = self.pod_spec_of(served)
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
