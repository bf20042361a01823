"""What a patch body (the requestObject of verb=patch) does to hostNetwork.

A JSON array is a JSON Patch (RFC 6902); a JSON object is a strategic-merge, JSON-merge or server-side-apply
body. A patch that does not mention hostNetwork leaves it as it was, which the patch alone cannot tell:
UNTOUCHED.
"""

from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from kube_hostnet.jsonread import PartialDict, PartialList
from kube_hostnet.podspec import HOST_NETWORK, SpecPath, dotted
from kube_hostnet.verdict import FALSE, TRUE, UNKNOWN

UNTOUCHED = "untouched"

_SETTING_OPS = ("add", "replace")
_DIRECTIVE = "$patch"
_RETAIN_KEYS = "$retainKeys"


class PatchRead(NamedTuple):
    hostnet: str  # TRUE, FALSE, UNKNOWN or UNTOUCHED
    reason: str = ""
    spec: Optional[Dict[str, Any]] = None


def read_patch(body: Any, path: SpecPath) -> PatchRead:
    if isinstance(body, list):
        return read_json_patch(body, path)
    if isinstance(body, dict):
        return read_merge_patch(body, path)
    return PatchRead(UNKNOWN, f"patch body is a JSON {type(body).__name__}, not an array or object")


def pointer_tokens(pointer: Any) -> Optional[Tuple[str, ...]]:
    """RFC 6901 tokens of a JSON pointer; None when it is not one."""
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        return None
    if not pointer:
        return ()
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/"))


def _covers(tokens: Optional[Tuple[str, ...]], target: Tuple[str, ...]) -> bool:
    """True when the pointer names the target or one of its ancestors."""
    return tokens is not None and target[: len(tokens)] == tokens


def read_json_patch(operations: List[Any], path: SpecPath) -> PatchRead:
    """Applies the operations that reach hostNetwork in order; the last one decides."""
    target = (*path, HOST_NETWORK)
    read = PatchRead(UNTOUCHED)
    for operation in operations:
        if not isinstance(operation, dict):
            continue
        tokens = pointer_tokens(operation.get("path"))
        kind = operation.get("op")
        if kind == "move" and _covers(pointer_tokens(operation.get("from")), target):
            read = PatchRead(FALSE, "JSON Patch moves hostNetwork away")
        if tokens is None or not _covers(tokens, target):
            continue
        if kind in _SETTING_OPS:
            read = _set_by_value(operation, target[len(tokens) :], len(path) - len(tokens))
        elif kind == "remove":
            read = PatchRead(FALSE, "")
        elif kind in ("copy", "move"):
            read = PatchRead(UNKNOWN, f"JSON Patch {kind}s a value from elsewhere into hostNetwork")
        elif kind != "test":
            read = PatchRead(UNKNOWN, "JSON Patch operation on hostNetwork without a readable op")
    if isinstance(operations, PartialList) and read.hostnet != TRUE:
        return PatchRead(UNKNOWN, "JSON Patch cut: later operations may be missing")
    return read


def _set_by_value(operation: Dict[str, Any], rest: Tuple[str, ...], spec_depth: int) -> PatchRead:
    """An add/replace of hostNetwork or an ancestor: the value carries what replaces it."""
    if "value" not in operation:
        return PatchRead(UNKNOWN, "JSON Patch operation on hostNetwork without a value")
    node = operation["value"]
    spec = node if spec_depth == 0 and isinstance(node, dict) else None
    for depth, key in enumerate(rest):
        if not isinstance(node, dict):
            return PatchRead(UNKNOWN, "JSON Patch value on the pod-spec path is not an object")
        if key not in node:
            if isinstance(node, PartialDict):
                return PatchRead(UNKNOWN, "JSON Patch value cut", spec)
            return PatchRead(FALSE, "", spec)  # the ancestor is replaced by one without the key
        node = node[key]
        if depth + 1 == spec_depth and isinstance(node, dict):
            spec = node
    return PatchRead(TRUE if node is True else FALSE, "", spec)


def read_merge_patch(body: Dict[str, Any], path: SpecPath) -> PatchRead:
    """The key at the pod-spec path decides; null and $patch/$retainKeys directives delete it."""
    node = body
    for key in path:
        missing = _missing(node, key, path)
        if missing is not None:
            return missing
        child = node[key]
        if child is None:
            return PatchRead(FALSE, f"patch deletes {key}")
        if not isinstance(child, dict):
            return PatchRead(UNKNOWN, f"patch {key} is not an object")
        node = child
    missing = _missing(node, HOST_NETWORK, path)
    if missing is not None:
        return PatchRead(missing.hostnet, missing.reason, node)
    return PatchRead(TRUE if node[HOST_NETWORK] is True else FALSE, "", node)


def _missing(node: Dict[str, Any], key: str, path: SpecPath) -> Optional[PatchRead]:
    """What the patch does when key is deleted or absent from node; None when node carries key."""
    deleted = _deleted_by_directive(node, key)
    if deleted:
        return PatchRead(FALSE, deleted)
    if key in node:
        return None
    if isinstance(node, PartialDict):
        return PatchRead(UNKNOWN, f"patch cut before {dotted(path)}.{HOST_NETWORK}")
    return PatchRead(UNTOUCHED)


def _deleted_by_directive(node: Dict[str, Any], key: str) -> str:
    """Why a strategic-merge directive in node drops key, or ''."""
    directive = node.get(_DIRECTIVE)
    if directive == "delete":
        return "patch deletes the map holding hostNetwork ($patch: delete)"
    if key in node:
        return ""
    if directive == "replace":
        return "patch replaces the map holding hostNetwork without it ($patch: replace)"
    retained = node.get(_RETAIN_KEYS)
    if isinstance(retained, list) and key not in retained:
        return f"patch $retainKeys drops {key}"
    return ""
