"""What a patch body (the requestObject of verb=patch) does to hostNetwork.

A JSON array is a JSON Patch (RFC 6902, as the API server applies it); a JSON object is a strategic-merge,
JSON-merge or server-side-apply body. A patch that does not mention hostNetwork leaves it as it was, which
the patch alone cannot tell: UNTOUCHED.
"""

from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from kube_hostnet import patchapply, patchoutcome
from kube_hostnet.bodytext import request_object_pairs
from kube_hostnet.godecode import SET_TRUE, decode_bool, last_wins
from kube_hostnet.jsondecode import kind_of
from kube_hostnet.jsonread import PartialDict, PartialList
from kube_hostnet.limits import MAX_EVENT_CHARS, MAX_PATCH_NODES, MAX_PATCH_OPERATIONS
from kube_hostnet.podspec import HOST_NETWORK, dotted
from kube_hostnet.resources import SpecPath
from kube_hostnet.verdict import FALSE, TRUE, UNKNOWN
from kube_hostnet.walkbudget import Budget, OverBudget

UNTOUCHED = "untouched"

_DIRECTIVE = "$patch"
_RETAIN_KEYS = "$retainKeys"

# The audit log does not say whether an object body was a strategic-merge or a JSON merge patch. Only
# strategic merge knows the directives; a JSON merge patch drops them as unknown fields and applies the rest.
DIRECTIVE_WOULD_DROP_IT = "a strategic-merge directive would drop it; as a JSON merge patch it is applied"
DIRECTIVE_WOULD_UNSET_IT = (
    "a strategic-merge directive would unset hostNetwork; "
    "as a JSON merge patch it leaves hostNetwork unchanged"
)


class PatchRead(NamedTuple):
    hostnet: str  # TRUE, FALSE, UNKNOWN or UNTOUCHED
    reason: str = ""
    spec: Optional[Dict[str, Any]] = None
    # Kept in hostnet_error even when the read decides (reason only explains an undecided read).
    note: str = ""


def read_patch(
    body: Any, path: SpecPath, event_text: Optional[str] = None, body_keys: Tuple[str, ...] = ()
) -> PatchRead:
    """event_text: the event's text, from which a JSON Patch body (at body_keys in it) is read again with
    its repeated keys (only for an array body, so other patches cost nothing more); without it, see
    read_json_patch."""
    if isinstance(body, list):
        if len(body) > MAX_PATCH_OPERATIONS:  # before anything walks the operations
            return read_json_patch(body, path)
        members, unread = None, ""
        # Only an object or array value can hold what json.loads dropped: scalar values need no second read.
        if event_text is not None and not isinstance(body, PartialList) and _has_object_value(body):
            found, pairs, unread = request_object_pairs(event_text, body_keys, body)
            members = pairs if found else None
        return read_json_patch(body, path, members, unread=unread)
    if isinstance(body, dict):
        return read_merge_patch(body, path)
    return PatchRead(UNKNOWN, f"patch body is a JSON {kind_of(body)}, not an array or object")


def pointer_tokens(pointer: Any) -> Optional[Tuple[str, ...]]:
    """The tokens of a JSON Patch path as the API server reads them (evanphx/json-patch v4): split at '/',
    what comes before the first '/' ignored, `~1` and `~0` unescaped. None when it is not a string with a
    '/': the API server rejects such an operation (but for replace and test of "", the whole document)."""
    return patchapply.pointer_tokens(pointer)


def read_json_patch(
    operations: List[Any],
    path: SpecPath,
    members: Optional[List[Any]] = None,
    budget: Optional[Budget] = None,
    unread: str = "",
) -> PatchRead:
    """Applies the operations in order to the unknown object they were sent for (kube_hostnet.patchapply)
    and reads hostNetwork as the typed object would hold it.

    members: the same operations read with every member of their values kept (godecode.Pairs), which the
    typed decode needs; without them operations' values are read as json.loads left them, which can only
    prove true (a repeated key or a null that json.loads dropped may have set it); unread says why they are
    missing. budget: what the reading may visit (walkbudget), shared by the readings of one event.
    """
    if len(operations) > MAX_PATCH_OPERATIONS:
        bound = f"above the bound of {MAX_PATCH_OPERATIONS}"
        return PatchRead(UNKNOWN, f"JSON Patch of {len(operations)} operations is {bound}")
    written = operations if members is None else members
    target = (*path, HOST_NETWORK)
    try:
        read = _applied(written, target, Budget(MAX_PATCH_NODES) if budget is None else budget)
    except RecursionError:
        return PatchRead(UNKNOWN, "JSON Patch value nested too deeply to read")
    except OverBudget:
        return _over_budget(written, target)
    if isinstance(operations, PartialList) and read.hostnet != TRUE:
        return PatchRead(UNKNOWN, "JSON Patch cut: later operations may be missing")
    if members is None and read.hostnet == FALSE and _has_object_value(operations):
        return PatchRead(UNKNOWN, f"{_DUPLICATES_UNREAD}: {unread}" if unread else _DUPLICATES_UNREAD)
    return read


def _over_budget(operations: List[Any], target: SpecPath) -> PatchRead:
    """A patch whose reading visits more than MAX_PATCH_NODES values: one that writes true on the way to
    hostNetwork asked for it (true, as a request a webhook undid), whatever its other operations do."""
    bound = f"reading it visits more values than it may (above the bound of {MAX_PATCH_NODES})"
    # Only the way to hostNetwork in each value is read: linear in the patch, whatever it repeats.
    budget = Budget(MAX_EVENT_CHARS)
    try:
        for operation in operations:
            written = last_wins(operation) if isinstance(operation, tuple) else operation
            if isinstance(written, dict) and _writes_true(written, target, budget):
                return PatchRead(TRUE, "", None, f"an operation writes hostNetwork true; {bound}")
    except OverBudget:
        pass
    return PatchRead(UNKNOWN, f"JSON Patch not read: {bound}")


def _writes_true(operation: Dict[str, Any], target: SpecPath, budget: Budget) -> bool:
    if operation.get("op") not in ("add", "replace") or "value" not in operation:
        return False
    path = operation.get("path")
    if isinstance(path, str) and path.count("/") > len(target):
        return False  # deeper than hostNetwork: not on the way to it
    tokens = () if path == "" and operation.get("op") == "replace" else pointer_tokens(path)
    if tokens is None or tokens != target[: len(tokens)]:
        return False
    return decode_bool(operation["value"], target[len(tokens) :], budget) == SET_TRUE


def _applied(operations: List[Any], target: SpecPath, budget: Budget) -> PatchRead:
    document = patchapply.Document(target, budget)
    for number, written in enumerate(operations):
        operation = last_wins(written) if isinstance(written, tuple) else written
        # Cut inside this operation (rule 5): it is applied as far as it was read, and where that is not
        # enough, what it was went with the rest of the patch.
        cut = isinstance(operation, PartialDict)
        if not isinstance(operation, dict):
            return PatchRead(UNKNOWN, f"JSON Patch operation {number} is not an object (the patch fails)")
        if not _valid_op(operation):
            if cut:
                break
            return PatchRead(
                UNKNOWN, f"JSON Patch operation {number} has no valid op or pointer (the patch fails)"
            )
        try:
            patchapply.apply(document, operation)
        except patchapply.Failed as failure:
            if cut:
                break
            return PatchRead(
                UNKNOWN,
                f"JSON Patch operation {number} fails whatever the object was ({failure}): the patch fails",
            )
    return _outcome(patchoutcome.host_network(document, target))


_DUPLICATES_UNREAD = "JSON Patch values could not be read again with their repeated keys"


def _valid_op(operation: Dict[str, Any]) -> bool:
    kind, path = operation.get("op"), operation.get("path")
    if kind in ("replace", "test") and path == "":
        return True
    if pointer_tokens(path) is None or kind not in patchapply.OPERATIONS:
        return False
    return kind not in ("copy", "move") or pointer_tokens(operation.get("from")) is not None


def _has_object_value(operations: List[Any]) -> bool:
    return any(isinstance(op, dict) and isinstance(op.get("value"), (dict, list)) for op in operations)


def _outcome(outcome: patchoutcome.Outcome) -> PatchRead:
    if outcome.value == patchoutcome.TRUE_SET:
        return PatchRead(TRUE, "", outcome.spec)
    if outcome.value == patchoutcome.FALSE_SET:
        return PatchRead(FALSE, "", outcome.spec)
    if outcome.value == patchoutcome.BASE_VALUE:
        return PatchRead(UNTOUCHED)
    if outcome.value == patchoutcome.ELSEWHERE:
        return PatchRead(
            UNKNOWN,
            f"JSON Patch copies or moves into hostNetwork a value from {outcome.detail}, "
            "which the event does not show",
        )
    return PatchRead(
        UNKNOWN, "JSON Patch leaves a value on the pod-spec path that does not decode (the patch fails)"
    )


def read_merge_patch(body: Dict[str, Any], path: SpecPath) -> PatchRead:
    """The key at the pod-spec path decides, as a JSON merge patch applies it (null deletes); a
    strategic-merge directive on the way that would drop it only changes what can be concluded (see
    DIRECTIVE_WOULD_DROP_IT, DIRECTIVE_WOULD_UNSET_IT)."""
    node = body
    dropped = False  # a strategic-merge directive on the way drops hostNetwork
    for key in path:
        dropped = dropped or _directive_drops(node, key)
        if key not in node:
            return _absent(node, dropped, path)
        child = node[key]
        if child is None:
            return PatchRead(FALSE, f"patch deletes {key}")
        if not isinstance(child, dict):
            return PatchRead(UNKNOWN, f"patch {key} is not an object")
        node = child
    dropped = dropped or _directive_drops(node, HOST_NETWORK)
    if HOST_NETWORK not in node:
        return _absent(node, dropped, path)._replace(spec=node)
    if node[HOST_NETWORK] is True:
        return PatchRead(TRUE, "", node, DIRECTIVE_WOULD_DROP_IT if dropped else "")
    if isinstance(node, PartialDict):  # rule 5: a later duplicate key, lost at the cut, would win
        lost = f"a later {HOST_NETWORK} key may have been lost"
        return PatchRead(UNKNOWN, f"patch cut inside {dotted(path)} ({lost})", node)
    return PatchRead(FALSE, "", node)


def _absent(node: Dict[str, Any], dropped: bool, path: SpecPath) -> PatchRead:
    """The patch has no key on the way to hostNetwork in node."""
    if isinstance(node, PartialDict):
        return PatchRead(UNKNOWN, f"patch cut before {dotted(path)}.{HOST_NETWORK}")
    return PatchRead(UNTOUCHED, DIRECTIVE_WOULD_UNSET_IT if dropped else "")


def _directive_drops(node: Dict[str, Any], key: str) -> bool:
    """A strategic-merge directive in node ($patch: delete, or $patch: replace / $retainKeys without key)
    drops key from the object."""
    directive = node.get(_DIRECTIVE)
    if directive == "delete":
        return True
    if key in node:
        return False
    retained = node.get(_RETAIN_KEYS)
    return directive == "replace" or (isinstance(retained, list) and key not in retained)
