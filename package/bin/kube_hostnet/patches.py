"""What a patch body (the requestObject of verb=patch) does to hostNetwork.

A JSON array is a JSON Patch (RFC 6902, as the API server applies it); a JSON object is a strategic-merge,
JSON-merge or server-side-apply body. A patch that does not mention hostNetwork leaves it as it was, which
the patch alone cannot tell: UNTOUCHED.
"""

from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from kube_hostnet.jsonread import PartialDict, PartialList
from kube_hostnet.podspec import HOST_NETWORK, dotted
from kube_hostnet.resources import SpecPath
from kube_hostnet.verdict import FALSE, TRUE, UNKNOWN

UNTOUCHED = "untouched"

_SETTING_OPS = ("add", "replace")
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


def read_patch(body: Any, path: SpecPath) -> PatchRead:
    if isinstance(body, list):
        return read_json_patch(body, path)
    if isinstance(body, dict):
        return read_merge_patch(body, path)
    return PatchRead(UNKNOWN, f"patch body is a JSON {type(body).__name__}, not an array or object")


def pointer_tokens(pointer: Any) -> Optional[Tuple[str, ...]]:
    """The tokens of a JSON Patch path as the API server reads them (evanphx/json-patch v4): split at '/',
    what comes before the first '/' ignored, `~1` and `~0` unescaped. None when it is not a string with a
    '/': the API server rejects such an operation, and with it the whole patch."""
    if not isinstance(pointer, str) or "/" not in pointer:
        return None
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:])


def _covers(tokens: Optional[Tuple[str, ...]], target: Tuple[str, ...]) -> bool:
    """True when the pointer names the target or one of its ancestors."""
    return tokens is not None and target[: len(tokens)] == tokens


def _invalid_pointer(operation: Dict[str, Any]) -> str:
    """Which pointer of the operation the API server cannot read, or ''."""
    path = operation.get("path")
    # evanphx/json-patch v4 tests the whole document for "": the one pointer without a '/' it accepts.
    if pointer_tokens(path) is None and not (operation.get("op") == "test" and path == ""):
        return "path"
    if operation.get("op") in ("copy", "move") and pointer_tokens(operation.get("from")) is None:
        return "from"
    return ""


def read_json_patch(operations: List[Any], path: SpecPath) -> PatchRead:
    """Applies the operations that reach hostNetwork in order; the last one decides."""
    target = (*path, HOST_NETWORK)
    read = PatchRead(UNTOUCHED)
    for number, operation in enumerate(operations):
        if not isinstance(operation, dict):
            continue
        invalid = _invalid_pointer(operation)
        if invalid:
            # The API server stops at this operation and applies none of the patch: it proves nothing.
            return PatchRead(
                UNKNOWN, f"JSON Patch operation {number} has no valid {invalid} pointer (the patch fails)"
            )
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
