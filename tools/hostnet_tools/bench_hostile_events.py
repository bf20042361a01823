"""The costliest single events known (`make bench`'s third workload, hostnet_tools.bench_hostile), built.

Every event here is one an attacker can make the API server log: any pod creator writes annotations, any
workload editor patch bodies, and the last-applied annotation and the mutating-webhook records are JSON
inside an event string. Each class is built at the sizes its bound is stated at (kube_hostnet/limits.py):
64 KiB for event text only the tolerant parser reads, 128 KiB for a patch body read a second time, 1 MiB
and 16 MiB for the bounds of bench_hostile.
"""

import json
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

KIB = 1024
MIB = 1024 * KIB
TOLERANT_SIZE = 64 * KIB  # kube_hostnet.limits.MAX_TOLERANT_CHARS
PAIRS_SIZE = 128 * KIB  # kube_hostnet.limits.MAX_PAIRS_CHARS
SIZES = (1 * MIB, 16 * MIB)
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
PATCH_RECORD = "patch.webhook.admission.k8s.io/round_0_index_{}"
MUTATION_RECORD = "mutation.webhook.admission.k8s.io/round_0_index_{}"


def _event(
    request: Any, verb: str = "create", annotations: Optional[Dict[str, str]] = None
) -> Dict[str, Any]:
    """A pod request logged at Request level without a response: every piece of evidence is read."""
    event: Dict[str, Any] = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "Request",
        "auditID": "00000000-0000-0000-0000-000000000000",
        "stage": "ResponseComplete",
        "requestURI": "/api/v1/namespaces/default/pods",
        "verb": verb,
        "user": {"username": "attacker", "groups": ["system:authenticated"]},
        "objectRef": {"resource": "pods", "namespace": "default", "name": "p", "apiVersion": "v1"},
        "responseStatus": {"metadata": {}, "code": 201},
        "requestObject": request,
    }
    if annotations is not None:
        event["annotations"] = annotations
    return event


def _pod(spec: Dict[str, Any], annotation: Optional[str] = None) -> Dict[str, Any]:
    metadata: Dict[str, Any] = {"name": "p", "namespace": "default"}
    if annotation is not None:
        metadata["annotations"] = {LAST_APPLIED: annotation}
    return {"kind": "Pod", "apiVersion": "v1", "metadata": metadata, "spec": {"hostNetwork": False, **spec}}


def _text(event: Dict[str, Any]) -> str:
    return json.dumps(event, separators=(",", ":"))


# Each class: a function of n (how much of the hostile part) giving the event text; grown to a size below.
def _annotation_invalid(n: int) -> str:  # json.loads refuses it: it once went to the tolerant parser
    return _text(_event(_pod({}, '{"spec":{"x":[' + "1," * n)))


def _annotation_deep(n: int) -> str:
    return _text(_event(_pod({}, "[" * n)))


def _annotation_huge_integer(n: int) -> str:  # one integer int() refuses, then many small ones
    return _text(_event(_pod({}, "[" + "9" * 5000 + ",1" * n + "]")))


def _webhook_records(n: int) -> str:
    return _text(_event(_pod({}), annotations={PATCH_RECORD.format(i): "{}" for i in range(n)}))


def _webhook_mutation_records(n: int) -> str:
    records = {MUTATION_RECORD.format(i): '{"mutated":false}' for i in range(n)}
    return _text(_event(_pod({}), annotations=records))


def _webhook_invalid_records(n: int) -> str:
    bad = '{"patch":[' + "1," * (127 * KIB)  # just inside MAX_WEBHOOK_RECORD_CHARS: each one is read
    return _text(_event(_pod({}), annotations={PATCH_RECORD.format(i): bad for i in range(n)}))


def _webhook_patch_operations(n: int) -> str:
    record = {"webhook": "w", "patchType": "JSONPatch", "patch": [{"op": "test", "path": "/"}] * n}
    return _text(_event(_pod({}), annotations={PATCH_RECORD.format(0): json.dumps(record)}))


def _json_patch_empty_operations(n: int) -> str:  # the count is checked before anything walks them
    return _text(_event([{}] * n, verb="patch"))


def _json_patch_operations(n: int) -> str:
    return _text(_event([{"op": "test", "path": "/"}] * n, verb="patch"))


def _containers(n: int) -> str:
    return _text(_event(_pod({"hostNetwork": True, "containers": [{"image": "i"}] * n})))


def _distinct_images(n: int) -> str:
    return _text(_event(_pod({"hostNetwork": True, "containers": [{"image": f"i{i}"} for i in range(n)]})))


def _event_huge_integer(n: int) -> str:
    return _text(_event(_pod({"x": [1] * n}))).replace('"x":[1', '"x":[' + "9" * 5000 + ",1", 1)


def _event_huge_integer_last(n: int) -> str:  # json.loads once failed at the very end of the text
    return _text(_event(_pod({"x": [1] * n}))).replace("1]", "9" * 5000 + "]", 1)


def _workload_patch(body: Any) -> Dict[str, Any]:
    """A Deployment patch at Request level (no response object): the patch alone is read."""
    event = _event(body, verb="patch")
    event["objectRef"] = {"resource": "deployments", "namespace": "default", "name": "d", "apiGroup": "apps"}
    event["requestURI"] = "/apis/apps/v1/namespaces/default/deployments/d"
    event["responseStatus"] = {"metadata": {}, "code": 200}
    return event


_SPEC = "/spec/template/spec"
_WRITES_TRUE = {"op": "add", "path": _SPEC + "/hostNetwork", "value": True}


def _json_patch_value(item: Any) -> Callable[[int], str]:
    """A JSON Patch that writes hostNetwork and a value of n items into the pod spec (read to describe it)."""
    return lambda n: _text(
        _workload_patch([_WRITES_TRUE, {"op": "add", "path": "/spec/template/spec/x", "value": [item] * n}])
    )


def _json_patch_test(n: int) -> str:  # `test` compares a value of n members with itself
    value = {f"k{i:08d}": 0 for i in range(n)}
    written = {"op": "add", "path": "/metadata/labels", "value": value}
    return _text(_workload_patch([written, {"op": "test", "path": "/metadata/labels", "value": value}]))


def _json_patch_copies(n: int) -> str:  # an object of n members, navigated, then copied 100 times
    operations: List[Dict[str, Any]] = [
        {"op": "add", "path": "/metadata/x", "value": {f"k{i:08d}": 0 for i in range(n)}},
        {"op": "add", "path": "/metadata/x/k00000000", "value": 0},
    ]
    operations += [{"op": "copy", "from": "/metadata/x", "path": f"/metadata/c{i}"} for i in range(100)]
    return _text(_workload_patch(operations))


def _json_patch_budget_then_padded(n: int) -> str:
    """Fifteen doubling copies spend the work budget, then a true and a value of n empty objects."""
    operations: List[Dict[str, Any]] = [
        {"op": "add", "path": _SPEC + "/zz", "value": {}},
        {"op": "add", "path": _SPEC + "/zz/a", "value": ""},
    ]
    operations += [{"op": "copy", "from": _SPEC + "/zz", "path": _SPEC + f"/zz/b{i}"} for i in range(15)]
    operations += [_WRITES_TRUE, {"op": "add", "path": "/metadata/pad", "value": [{}] * n}]
    return _text(_workload_patch(operations))


def _json_patch_deep_path(n: int) -> str:  # a path of n tokens: each step names the path so far
    return _text(_workload_patch([{"op": "add", "path": "/a" * n, "value": 1}]))


def _merge_patch_numbers(n: int) -> str:
    return _text(_workload_patch({"spec": {"template": {"spec": {"hostNetwork": True, "x": [1] * n}}}}))


def _extra_before_patch(n: int) -> str:  # an impersonator's Impersonate-Extra-* headers, before the body
    event = _workload_patch([{"op": "add", "path": "/spec/template/spec", "value": {"hostNetwork": True}}])
    event["user"] = {"username": "attacker", "extra": {"requestObject": ["u" * n]}}
    return _text(event)


def _escapes(n: int) -> str:  # \u escapes: the mention test and json.loads both read every one
    return _text(_event(_pod({"x": "\u00e9" * n}))).replace("\u00e9", "\\u0041")


def _cut(body: Callable[[int], str]) -> Callable[[int], str]:
    """A cut event (no closing brackets: Splunk cut it) whose request spec ends in body(n)."""
    head = _text(_event(_pod({})))
    head = head[: head.index('"hostNetwork"')]
    return lambda n: head + '"x":' + body(n)


CLASSES: Dict[str, Tuple[Callable[[int], str], Sequence[int]]] = {
    "annotation not JSON": (_annotation_invalid, SIZES),
    # just inside MAX_ANNOTATION_CHARS (and the tolerant parser's earlier 256 KiB bound): read in full
    "annotation not JSON, at its bound": (_annotation_invalid, (256 * KIB,)),
    "annotation nested deep": (_annotation_deep, SIZES),
    "annotation huge integer": (_annotation_huge_integer, SIZES),
    "webhook records": (_webhook_records, SIZES),
    "webhook mutation records": (_webhook_mutation_records, SIZES),
    "webhook records not JSON": (_webhook_invalid_records, SIZES),
    "webhook patch operations": (_webhook_patch_operations, SIZES),
    "JSON Patch operations": (_json_patch_operations, SIZES),
    "JSON Patch of empty operations": (_json_patch_empty_operations, SIZES),
    "containers, one image": (_containers, SIZES),
    "containers, distinct images": (_distinct_images, SIZES),
    "event huge integer": (_event_huge_integer, SIZES),
    "event huge integer, last": (_event_huge_integer_last, SIZES),
    "JSON Patch value of small numbers": (_json_patch_value(1), SIZES),
    "JSON Patch value of empty objects": (_json_patch_value({}), SIZES),
    # just inside MAX_PAIRS_CHARS: read a second time with its repeated keys
    "JSON Patch value of empty objects, at its bound": (_json_patch_value({}), (PAIRS_SIZE,)),
    "JSON Patch test of a large value": (_json_patch_test, SIZES),
    "JSON Patch copies of an object": (_json_patch_copies, (PAIRS_SIZE, *SIZES)),
    "JSON Patch past its work budget, then padded": (_json_patch_budget_then_padded, SIZES),
    "JSON Patch deep path": (_json_patch_deep_path, SIZES),
    "merge patch of small numbers": (_merge_patch_numbers, SIZES),
    "user.extra before a JSON Patch": (_extra_before_patch, SIZES),
    "event escapes": (_escapes, SIZES),
    "cut: small numbers": (_cut(lambda n: "[" + "1," * n), (TOLERANT_SIZE,)),
    "cut: empty arrays": (_cut(lambda n: "[" + "[]," * n), (TOLERANT_SIZE,)),
    "cut: object members": (_cut(lambda n: "{" + '"a":1,' * n), (TOLERANT_SIZE,)),
    "cut: open arrays, then bulk": (_cut(lambda n: "[" * 127 + "1," * n), (TOLERANT_SIZE,)),
    "cut: deep, then alternating": (_cut(lambda n: "[" * 200 + "[]" * n), (TOLERANT_SIZE,)),
    "deep, complete": (_cut(lambda n: "[" * n + "]" * n + "}}}"), (TOLERANT_SIZE,)),
}


def grown(make: Callable[[int], str], size: int) -> str:
    """make(n) for about the largest n whose text is at most size characters (each class grows linearly
    with n, so two small texts give the rate and a few large ones settle it)."""
    first, second = len(make(100)), len(make(200))
    rate = max(1.0, (second - first) / 100)
    n = max(1, int((size - first) / rate) + 100)
    text = make(n)
    while len(text) > size and n > 1:
        n = max(1, n - int((len(text) - size) / rate) - 1)
        text = make(n)
    return text


def hostile_events() -> List[Tuple[str, str]]:
    """(name, text) of every class at each of its sizes."""
    return [
        (f"{name} ({size // KIB:,} KiB)", grown(make, size))
        for name, (make, sizes) in CLASSES.items()
        for size in sizes
    ]


def baseline_event() -> str:
    """A small real pod create: what the command's cost per hostile event is measured against."""
    return _text(_event(_pod({"containers": [{"name": "c", "image": "nginx"}]})))


def reference_text() -> str:
    """1 MiB of ordinary audit JSON (copies of the baseline event in an array): what `json.loads` of it costs
    says how fast the machine is running when a bound in milliseconds is read (bench_hostile)."""
    event = baseline_event()
    return "[" + ",".join([event] * (MIB // (len(event) + 1))) + "]"
