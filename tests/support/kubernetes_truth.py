"""The tests' own statement of which Kubernetes resources hold a pod spec, and where.

Written out by hand from the Kubernetes API reference, NOT imported from the engine: the engine's table
(kube_hostnet/resources.py) is checked against this one row by row (tests/unit/test_kubernetes_truth.py), so
a wrong row on either side fails a test instead of being copied into the tests' expectations.

`groups` is every API group that ever served the resource ("" is the core group, which objectRef leaves
out): Deployments, DaemonSets and ReplicaSets were served by extensions/v1beta1 until Kubernetes 1.16;
StatefulSets never were (they began as apps/v1beta1, PetSets before that); CronJobs moved between versions
of batch only.
"""

from typing import Dict, NamedTuple, Tuple

SpecPath = Tuple[str, ...]


class PodSpecHolder(NamedTuple):
    resource: str  # objectRef.resource: the plural, lower-case name in the request URL
    groups: Tuple[str, ...]  # every group that ever served it
    kind: str  # the kind of its objects
    spec_path: SpecPath  # the keys from the object to its pod spec


POD_SPEC_HOLDERS: Tuple[PodSpecHolder, ...] = (
    PodSpecHolder("pods", ("",), "Pod", ("spec",)),
    PodSpecHolder("replicationcontrollers", ("",), "ReplicationController", ("spec", "template", "spec")),
    PodSpecHolder("podtemplates", ("",), "PodTemplate", ("template", "spec")),
    PodSpecHolder("deployments", ("apps", "extensions"), "Deployment", ("spec", "template", "spec")),
    PodSpecHolder("daemonsets", ("apps", "extensions"), "DaemonSet", ("spec", "template", "spec")),
    PodSpecHolder("replicasets", ("apps", "extensions"), "ReplicaSet", ("spec", "template", "spec")),
    PodSpecHolder("statefulsets", ("apps",), "StatefulSet", ("spec", "template", "spec")),
    PodSpecHolder("jobs", ("batch",), "Job", ("spec", "template", "spec")),
    PodSpecHolder("cronjobs", ("batch",), "CronJob", ("spec", "jobTemplate", "spec", "template", "spec")),
)

BY_RESOURCE: Dict[str, PodSpecHolder] = {row.resource: row for row in POD_SPEC_HOLDERS}

# (objectRef.apiGroup, objectRef.resource) -> the pod-spec path, one entry per group that ever served it.
SPEC_PATHS: Dict[Tuple[str, str], SpecPath] = {
    (group, row.resource): row.spec_path for row in POD_SPEC_HOLDERS for group in row.groups
}
KINDS: Dict[str, str] = {row.resource: row.kind for row in POD_SPEC_HOLDERS}
# The resources whose pod spec sits in a pod template (every one but the pod itself).
TEMPLATE_RESOURCES: Tuple[str, ...] = tuple(
    row.resource for row in POD_SPEC_HOLDERS if "template" in row.spec_path
)
