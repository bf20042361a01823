"""The one table of Kubernetes facts the project relies on: which resources hold a pod spec, and where.

Everything else (scope, the workload names, the sample generator, the benchmark's events) reads this table;
the tests keep their own independent statement of the same facts (tests/support/kubernetes_truth.py), so a
wrong row here is caught rather than copied.
"""

from typing import Dict, NamedTuple, Optional, Tuple

SpecPath = Tuple[str, ...]


class PodSpecResource(NamedTuple):
    resource: str  # objectRef.resource: the plural, lower-case name in the URL
    kind: str
    group: str  # the group that serves it today; "" is the core group (objectRef omits apiGroup for it)
    version: str  # the version that serves it today
    # Every group that ever served it. A workload created through a retired group (extensions/v1beta1, gone
    # since Kubernetes 1.16) is still a workload, and no CRD can claim one of these groups (a CRD's group
    # needs a dot), so accepting them costs nothing.
    groups: Tuple[str, ...]
    template_path: SpecPath  # the keys from the object to its pod template; () for a pod, which is its own
    spec_path: SpecPath  # the keys from the object to its pod spec


def _row(resource: str, kind: str, groups: Tuple[str, ...], template_path: SpecPath) -> PodSpecResource:
    spec_path = (*template_path, "spec") if template_path else ("spec",)
    return PodSpecResource(resource, kind, groups[0], "v1", groups, template_path, spec_path)


_TEMPLATE = ("spec", "template")
_APPS_AND_EXTENSIONS = ("apps", "extensions")

POD_SPEC_RESOURCES: Tuple[PodSpecResource, ...] = (
    _row("pods", "Pod", ("",), ()),
    _row("replicationcontrollers", "ReplicationController", ("",), _TEMPLATE),
    _row("podtemplates", "PodTemplate", ("",), ("template",)),
    _row("deployments", "Deployment", _APPS_AND_EXTENSIONS, _TEMPLATE),
    _row("daemonsets", "DaemonSet", _APPS_AND_EXTENSIONS, _TEMPLATE),
    _row("replicasets", "ReplicaSet", _APPS_AND_EXTENSIONS, _TEMPLATE),
    # StatefulSets began in apps/v1beta1 (as PetSets before that); extensions never served them.
    _row("statefulsets", "StatefulSet", ("apps",), _TEMPLATE),
    _row("jobs", "Job", ("batch",), _TEMPLATE),
    _row("cronjobs", "CronJob", ("batch",), ("spec", "jobTemplate", "spec", "template")),
)

BY_RESOURCE: Dict[str, PodSpecResource] = {row.resource: row for row in POD_SPEC_RESOURCES}

# (objectRef.apiGroup, objectRef.resource) -> the pod-spec path, for every group that ever served it.
POD_SPEC_PATHS: Dict[Tuple[str, str], SpecPath] = {
    (group, row.resource): row.spec_path for row in POD_SPEC_RESOURCES for group in row.groups
}

# The kind of each resource's objects, for naming a workload when the event carries no object.
KIND_OF_RESOURCE: Dict[str, str] = {row.resource: row.kind for row in POD_SPEC_RESOURCES}


def pod_spec_path(api_group: str, resource: str) -> Optional[SpecPath]:
    return POD_SPEC_PATHS.get((api_group, resource))
