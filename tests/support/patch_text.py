"""Hypothesis strategies that write patches, workloads and audit events as JSON TEXT, so that what json.loads
would drop (repeated keys, the order of members, escapes in keys) reaches both the engine and the oracle.

The Kubernetes facts are stated here on their own (not taken from kube_hostnet.resources): the kind, the
objectRef and the pod-spec path of each workload resource.
"""

import json
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from hypothesis import strategies as st


class Workload(NamedTuple):
    resource: str
    group: str
    kind: str
    spec_path: Tuple[str, ...]


WORKLOADS = (
    Workload("pods", "", "Pod", ("spec",)),
    Workload("deployments", "apps", "Deployment", ("spec", "template", "spec")),
    Workload("daemonsets", "apps", "DaemonSet", ("spec", "template", "spec")),
    Workload("jobs", "batch", "Job", ("spec", "template", "spec")),
    Workload("cronjobs", "batch", "CronJob", ("spec", "jobTemplate", "spec", "template", "spec")),
    Workload("podtemplates", "", "PodTemplate", ("template", "spec")),
)

HOST_NETWORK = "hostNetwork"
# Keys a patch value may use: the path's own, look-alikes the API server does not take for them (case, a
# similar name) and one it does (an escape that decodes to hostNetwork), and the strategic-merge directive.
LOOK_ALIKES = ("HostNetwork", "hostnetwork", "host\\u004eetwork", "hostNetwork ", "$patch", "x")
SCALARS = ("true", "false", "null", '"true"', "1", '"x"', "{}", "[]")
# Where a patch keeps a value of its own to copy or move from (labels exist in every base below).
SCRATCH = ("metadata", "labels", "x")


def pointer(tokens: Tuple[str, ...]) -> str:
    return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in tokens)


def obj_text(members: List[Tuple[str, str]]) -> str:
    return "{" + ",".join(f'"{key}":{value}' for key, value in members) + "}"


def any_value() -> st.SearchStrategy[str]:
    keys = st.sampled_from(("spec", "template", "jobTemplate", HOST_NETWORK, "containers", *LOOK_ALIKES))
    return st.recursive(
        st.sampled_from(SCALARS),
        lambda children: st.one_of(
            st.lists(st.tuples(keys, children), max_size=4).map(obj_text),
            st.lists(children, max_size=3).map(lambda items: "[" + ",".join(items) + "]"),
        ),
        max_leaves=6,
    )


def shaped(rest: Tuple[str, ...]) -> st.SearchStrategy[str]:
    """A value for the place rest leads from to hostNetwork: the next key (possibly repeated, possibly null,
    among look-alikes and other members) all the way down."""
    if not rest:
        return st.sampled_from(("true", "true", "true", "false", "false", "null", "null", '"true"'))
    key = rest[0]
    member = st.one_of(
        st.tuples(st.just(key), shaped(rest[1:])),
        st.tuples(st.just(key), st.sampled_from(("null", "null", "{}"))),
        st.tuples(st.sampled_from(LOOK_ALIKES), st.sampled_from(("true", "null", "{}"))),
        st.tuples(st.just("containers"), st.just('[{"name":"c","image":"patched"}]')),
        # strategic-merge directives: unknown fields to a JSON merge patch and to the typed decode
        st.tuples(
            st.sampled_from(("$patch", "$retainKeys")), st.sampled_from(('"delete"', '"replace"', '["x"]'))
        ),
    )
    return st.lists(member, min_size=1, max_size=4).map(obj_text)


def base_objects(workload: Workload) -> List[str]:
    """The objects a patch may have been sent for, as the API server encodes them: hostNetwork true or
    absent (omitempty), and a second bool that a patch may copy."""
    bases = []
    for host_network in (True, False):
        for host_pid in (True, False):
            pod_spec: Dict[str, Any] = {
                "containers": [{"name": "c", "image": "nginx"}],
                "dnsPolicy": "ClusterFirst",
            }
            if host_network:
                pod_spec[HOST_NETWORK] = True
            if host_pid:
                pod_spec["hostPID"] = True
            document: Dict[str, Any] = {
                "apiVersion": "v1" if not workload.group else f"{workload.group}/v1",
                "kind": workload.kind,
                "metadata": {"name": "w", "namespace": "default", "labels": {"app": "a"}},
            }
            node = document
            for key in workload.spec_path[:-1]:
                node = node.setdefault(key, {})
            node[workload.spec_path[-1]] = pod_spec
            bases.append(json.dumps(document))
    return bases


def _pointers(workload: Workload) -> List[Tuple[str, ...]]:
    target = (*workload.spec_path, HOST_NETWORK)
    spec = workload.spec_path
    found = [target[:depth] for depth in range(1, len(target) + 1)]
    found += [(*spec, "HostNetwork"), (*spec, "hostPID"), (*spec, "dnsPolicy"), (*spec, "containers", "0")]
    found += [(*spec, "containers", "-"), ("metadata", "labels"), ("metadata", "labels", "y"), ("x",)]
    found += [(*SCRATCH, *target[depth:]) for depth in range(len(target) + 1)]
    return found


@st.composite
def json_patch(draw: Any, workload: Workload) -> str:
    """A JSON Patch body (the text of the array)."""
    pointers = _pointers(workload)
    target = (*workload.spec_path, HOST_NETWORK)
    count = draw(st.integers(min_value=1, max_value=5))
    operations = []
    if draw(st.booleans()):  # a value of the patch's own to copy or move from later
        value = draw(shaped(target[draw(st.integers(0, len(target) - 1)) :]))
        operations.append(
            obj_text([("op", '"add"'), ("path", json.dumps(pointer(SCRATCH))), ("value", value)])
        )
    for _ in range(count):
        kind = draw(
            st.sampled_from(
                ("add", "add", "add", "replace", "replace", "remove", "move", "copy", "copy", "test")
            )
        )
        tokens = draw(st.sampled_from(pointers))
        whole = kind in ("replace", "test") and draw(st.integers(0, 15)) == 0
        members = [("op", json.dumps(kind)), ("path", '""' if whole else json.dumps(pointer(tokens)))]
        if kind in ("move", "copy"):
            members.append(("from", json.dumps(pointer(draw(st.sampled_from(pointers))))))
        if kind in ("add", "replace", "test") and draw(st.integers(0, 9)) > 0:
            if whole:
                rest: Tuple[str, ...] = target
            elif tokens[: len(SCRATCH)] == SCRATCH:
                rest = target[draw(st.integers(0, len(target) - 1)) :]
            else:
                rest = target[len(tokens) :] if target[: len(tokens)] == tokens else ()
            if kind == "test":  # a test that passes for some base: its value is one the base may have
                value = draw(st.sampled_from(("true", "null", '"ClusterFirst"', '{"app":"a"}')))
            else:
                value = draw(st.one_of(shaped(rest), shaped(rest), any_value()) if rest else any_value())
            members.append(("value", value))
            if draw(st.integers(0, 9)) == 0:  # a repeated member of the operation: the last one counts
                members.append(("value", draw(st.sampled_from(("true", "null", "false")))))
        operations.append(obj_text(members))
    return "[" + ",".join(operations) + "]"


@st.composite
def merge_patch(draw: Any, workload: Workload) -> str:
    """A merge-type patch body (an object), with directives among its members."""
    return draw(shaped((*workload.spec_path, HOST_NETWORK)))


def audit_event(
    workload: Workload, verb: str, request_text: str, annotations: Optional[Dict[str, str]] = None
) -> str:
    object_ref = {"resource": workload.resource, "namespace": "default", "name": "w", "apiVersion": "v1"}
    if workload.group:
        object_ref["apiGroup"] = workload.group
    head = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "Request",
        "stage": "ResponseComplete",
        "verb": verb,
        "objectRef": object_ref,
        "responseStatus": {"code": 200},
    }
    tail = f',"annotations":{json.dumps(annotations)}' if annotations else ""
    return json.dumps(head)[:-1] + f',"requestObject":{request_text}{tail}' + "}"


def webhook_record(patch_text: str) -> str:
    return (
        '{"configuration":"mutate","webhook":"w.example.com","patch":'
        + patch_text
        + ',"patchType":"JSONPatch"}'
    )


# --- the adversarial classes, each as its own strategy (every patch below is one the API server accepts for
# some base, so each example constrains the engine) --------------------------------------------------------


def repeated(rest: Tuple[str, ...]) -> st.SearchStrategy[str]:
    """A value for the place rest leads from to hostNetwork in which the next key repeats: Go decodes every
    occurrence into the same field (objects merge, null leaves what was there), json.loads keeps the last."""
    if not rest:
        return st.sampled_from(("true", "false", "null"))
    occurrence = st.one_of(repeated(rest[1:]), st.sampled_from(("null", "{}")))
    return st.lists(occurrence, min_size=2, max_size=3).map(
        lambda values: obj_text([(rest[0], value) for value in values])
    )


def _operation(kind: str, path: Tuple[str, ...], value: Optional[str] = None, source: Any = None) -> str:
    members = [("op", json.dumps(kind)), ("path", json.dumps(pointer(path)))]
    if source is not None:
        members.append(("from", json.dumps(pointer(source))))
    if value is not None:
        members.append(("value", value))
    return obj_text(members)


@st.composite
def repeated_keys_patch(draw: Any, workload: Workload) -> str:
    """An add or replace of hostNetwork or an ancestor whose value repeats keys or nulls hostNetwork, maybe
    followed by an operation that navigates into it or tests it (both read it into a map: the last wins)."""
    target = (*workload.spec_path, HOST_NETWORK)
    depth = draw(st.integers(1, len(target)))
    value = draw(repeated(target[depth:]))
    operations = [_operation(draw(st.sampled_from(("add", "replace"))), target[:depth], value)]
    if depth < len(target) - 1 and draw(st.booleans()):
        operations.append(_operation("add", (*target[: depth + 1], "dnsPolicy"), '"Default"'))
    elif depth < len(target) and draw(st.booleans()):
        operations.append(_operation("test", target[:depth], draw(st.sampled_from((value, "{}")))))
    return "[" + ",".join(operations) + "]"


@st.composite
def copy_move_patch(draw: Any, workload: Workload) -> str:
    """Copies and moves into hostNetwork and its ancestors: from a value the patch wrote (a scratch label),
    from the base object, from hostNetwork onto itself or away and back."""
    target = (*workload.spec_path, HOST_NETWORK)
    operations = []
    start = draw(st.integers(0, len(target) - 1))
    operations.append(
        _operation("add", SCRATCH, draw(st.one_of(repeated(target[start:]), shaped(target[start:]))))
    )
    for _ in range(draw(st.integers(1, 3))):
        choice = draw(st.integers(0, 5))
        if choice <= 1:  # from the patch's own value, at the matching depth
            end = draw(st.integers(start, len(target) - 1))
            kind = "copy" if choice == 0 else "move"
            operations.append(
                _operation(kind, target[: end + 1], source=(*SCRATCH, *target[start : end + 1]))
            )
        elif choice == 2:  # from the base object
            source = (*workload.spec_path, draw(st.sampled_from(("hostPID", "dnsPolicy", "nodeName"))))
            operations.append(_operation(draw(st.sampled_from(("copy", "move"))), target, source=source))
        elif choice == 3:  # onto itself, or away and back
            operations.append(_operation("move", target, source=target))
        elif choice == 4:
            operations.append(_operation("move", SCRATCH, source=target))
            operations.append(_operation("move", target, source=SCRATCH))
        else:  # through an array the patch wrote: indexes, "-", inserts that shift what follows
            items = draw(st.lists(st.sampled_from(("true", "false", "null", "{}")), min_size=1, max_size=3))
            operations.append(_operation("add", SCRATCH, "[" + ",".join(items) + "]"))
            if draw(st.booleans()):
                index = draw(st.sampled_from(("0", "1", "-")))
                operations.append(
                    _operation("add", (*SCRATCH, index), draw(st.sampled_from(("true", "false"))))
                )
            index = draw(st.sampled_from(("0", "1", "2", "-1")))
            kind = draw(st.sampled_from(("copy", "move")))
            operations.append(_operation(kind, target, source=(*SCRATCH, index)))
        if draw(st.booleans()):
            operations.append(_operation("add", (*SCRATCH[:-1], "y"), '"v"'))  # navigation elsewhere
    return "[" + ",".join(operations) + "]"
