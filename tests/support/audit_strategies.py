"""Hypothesis strategies: audit events as the API server logs them, and the damage of audit_damage.py.

Events follow audit.k8s.io/v1 (docs/design.md, Rules): every resource that carries a pod spec, at its
path, plus resources that do not; every verb the engine judges and some it does not; request and response
objects, JSON Patch and merge-patch bodies, the last-applied annotation. hostNetwork is absent, false or
true, so the engine's every path gets generated events; `negative_events` never sets it true and never
writes any other `true`, so its events are clear negatives (audit_damage.clear_negative).
"""

import json
from typing import Any, Dict, List, Optional, Tuple

from hypothesis import strategies as st

from tests.support import audit_damage
from tests.support.kubernetes_truth import POD_SPEC_HOLDERS

# resource -> (every group that ever served it, "" is the core group; path of the pod spec in the object)
POD_SPEC_PATHS: Dict[str, Tuple[Tuple[str, ...], Tuple[str, ...]]] = {
    row.resource: (row.groups, row.spec_path) for row in POD_SPEC_HOLDERS
}
POD_SPEC_PATHS["configmaps"] = (("",), ("spec",))  # no pod spec: out of scope even with a spec key
VERBS = ("create", "update", "patch", "get", "delete")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
HUGE_MAX = 200_000  # long enough to defeat any per-string shortcut, short enough for many examples
DEEP_MAX = 5_000  # deeper than json.loads' recursion limit

# Kubernetes names: lower-case DNS labels.
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
images = st.builds(
    "{}/{}:{}".format, st.sampled_from(["docker.io", "ghcr.io/acme", "registry.k8s.io"]), names, names
)
# hostNetwork as the object carries it: None = key absent.
HostNet = Optional[bool]


def _nest(path: Tuple[str, ...], leaf: Dict[str, Any]) -> Dict[str, Any]:
    for key in reversed(path):
        leaf = {key: leaf}
    return leaf


@st.composite
def pod_specs(draw: st.DrawFn, hostnet: HostNet) -> Dict[str, Any]:
    spec: Dict[str, Any] = {
        "containers": [{"name": draw(names), "image": draw(images)} for _ in range(draw(st.integers(1, 3)))],
        "restartPolicy": draw(st.sampled_from(["Always", "Never"])),
    }
    if draw(st.booleans()):
        spec["initContainers"] = [{"name": draw(names), "image": draw(images)}]
    if hostnet is not None:
        spec["hostNetwork"] = hostnet
    return spec


@st.composite
def objects(draw: st.DrawFn, resource: str, hostnet: HostNet, with_true: bool) -> Dict[str, Any]:
    """The object of a create/update (or the response): metadata, and the pod spec at its path."""
    _, path = POD_SPEC_PATHS[resource]
    obj = _nest(path, draw(pod_specs(hostnet)))
    metadata: Dict[str, Any] = {"name": draw(names), "namespace": draw(names)}
    if with_true and draw(st.booleans()):
        metadata["ownerReferences"] = [
            {"kind": "ReplicaSet", "name": draw(names), "controller": True, "blockOwnerDeletion": True}
        ]
    obj["metadata"] = metadata
    if draw(st.booleans()):
        applied = _nest(path, draw(pod_specs(draw(_hostnet_values(with_true)))))
        metadata["annotations"] = {LAST_APPLIED: json.dumps(applied, ensure_ascii=False)}
    return obj


def _hostnet_values(with_true: bool) -> st.SearchStrategy[HostNet]:
    return st.sampled_from([None, False, True] if with_true else [None, False])


@st.composite
def patches(draw: st.DrawFn, resource: str, hostnet: HostNet) -> Any:
    """The request body of a patch: a JSON Patch array or a merge / strategic-merge / apply object."""
    _, path = POD_SPEC_PATHS[resource]
    if draw(st.booleans()):
        pointer = "/" + "/".join((*path, "hostNetwork"))
        operations: List[Dict[str, Any]] = [
            {"op": "replace", "path": "/metadata/labels/app", "value": draw(names)}
        ]
        if hostnet is not None:
            operations.append({"op": "add", "path": pointer, "value": hostnet})
        elif draw(st.booleans()):
            operations.append({"op": "remove", "path": pointer})
        return operations
    return _nest(path, {} if hostnet is None else {"hostNetwork": hostnet})


@st.composite
def events(draw: st.DrawFn, with_true: bool = True) -> Dict[str, Any]:
    """One audit event (a dict); with_true=False gives clear negatives."""
    resource = draw(st.sampled_from(sorted(POD_SPEC_PATHS)))
    groups, _ = POD_SPEC_PATHS[resource]
    verb = draw(st.sampled_from(VERBS))
    object_ref: Dict[str, Any] = {"resource": resource, "namespace": draw(names), "name": draw(names)}
    group = draw(st.sampled_from(groups))
    if group:
        object_ref["apiGroup"] = group
    event: Dict[str, Any] = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": draw(st.sampled_from(["Metadata", "Request", "RequestResponse"])),
        "auditID": draw(names),
        "stage": "ResponseComplete",
        "verb": verb,
        "user": {"username": draw(names), "groups": ["system:authenticated"]},
        "objectRef": object_ref,
        "responseStatus": {"code": draw(st.sampled_from([200, 201, 403, 422]))},
    }
    if event["level"] == "Metadata":
        return event
    hostnet = draw(_hostnet_values(with_true))
    if verb == "patch":
        event["requestObject"] = draw(patches(resource, hostnet))
    else:
        event["requestObject"] = draw(objects(resource, hostnet, with_true))
    if event["level"] == "RequestResponse":
        event["responseObject"] = draw(objects(resource, draw(_hostnet_values(with_true)), with_true))
    return event


def negative_events() -> st.SearchStrategy[Dict[str, Any]]:
    return events(with_true=False)


@st.composite
def structural_damage(draw: st.DrawFn, event: Dict[str, Any]) -> Any:
    """The event with some values replaced by a wrong type, a huge string or deep nesting."""
    for _ in range(draw(st.integers(0, 3))):
        places = audit_damage.paths(event)
        if not places:
            break
        place = draw(st.sampled_from(places))
        replacement = draw(
            st.one_of(
                st.sampled_from(audit_damage.WRONG_TYPES),
                st.integers(1, HUGE_MAX).map(lambda size: audit_damage.HUGE_UNIT * size),
                st.integers(1, 50).map(_wrapped),
            )
        )
        event = audit_damage.replace_at_path(event, place, replacement)
    return event


def _wrapped(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def damages() -> st.SearchStrategy[audit_damage.Damage]:
    return st.one_of(
        st.builds(audit_damage.Damage, st.just("cut"), st.integers(0, 10**9)),
        st.builds(
            audit_damage.Damage,
            st.just("swap"),
            st.integers(0, 10**9),
            st.sampled_from(audit_damage.SWAP_CHARS),
        ),
        st.builds(
            audit_damage.Damage,
            st.just("insert"),
            st.integers(0, 10**9),
            st.one_of(
                st.sampled_from(audit_damage.insert_pieces(huge=1, deep=1)),
                st.integers(1, HUGE_MAX).map(lambda size: audit_damage.HUGE_UNIT * size),
                st.integers(1, DEEP_MAX).map(lambda depth: audit_damage.NESTING_UNIT * depth),
            ),
        ),
    )


def damage_lists() -> st.SearchStrategy[List[audit_damage.Damage]]:
    return st.lists(damages(), min_size=1, max_size=6)


# Extracted fields as Splunk hands them over: str or multivalue list of str, for the names the engine reads.
FIELD_NAMES = (
    "verb",
    "objectRef.resource",
    "objectRef.subresource",
    "objectRef.apiGroup",
    "responseStatus.code",
    "requestObject.spec.hostNetwork",
    "responseObject.spec.template.spec.hostNetwork",
    f"requestObject.metadata.annotations.{LAST_APPLIED}",
    "_raw",
)
field_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["true", "false", "pods", "create", "patch", "201", "apps", '{"spec":{"hostNetwork":true}}']
    ),
    st.lists(st.text(max_size=10), max_size=3),
)
fields = st.dictionaries(st.sampled_from(FIELD_NAMES), field_values, max_size=len(FIELD_NAMES))
