"""The kubectl last-applied-configuration annotation, read as JSON (never matched as text)."""

from typing import Any, Dict, NamedTuple, Optional

from kube_hostnet import jsonread
from kube_hostnet.limits import MAX_ANNOTATION_CHARS
from kube_hostnet.podspec import HOST_NETWORK, dotted, read_object
from kube_hostnet.resources import SpecPath
from kube_hostnet.verdict import FALSE, TRUE, UNKNOWN

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

# The annotation is complete and does not set hostNetwork. That is false for the mismatch check (what was
# applied did not ask for it) but proves nothing about the live object: another writer may have set it.
ABSENT = "absent"


class LastApplied(NamedTuple):
    hostnet: str  # TRUE, FALSE (set to a value other than true), ABSENT or UNKNOWN
    where: str
    reason: str = ""
    spec: Optional[Dict[str, Any]] = None


def annotation_text(obj: Any) -> Any:
    """The raw annotation value of obj (any JSON type), or None when obj carries none."""
    metadata = obj.get("metadata") if isinstance(obj, dict) else None
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    return annotations.get(LAST_APPLIED) if isinstance(annotations, dict) else None


def read_text(text: Any, path: SpecPath, owner: str) -> LastApplied:
    """Reads hostNetwork at path in an annotation value found in `owner` (e.g. requestObject)."""
    where = f"{owner}.metadata.annotations[{LAST_APPLIED}].{dotted(path)}"
    if not isinstance(text, str):
        return LastApplied(UNKNOWN, where, "last-applied annotation is not a string")
    # A string value of the event is whole (it was read to its closing quote), so json.loads alone reads
    # it: text it refuses is not JSON, never a cut, and costs no pass of the tolerant parser.
    parsed = jsonread.parse_complete(text, MAX_ANNOTATION_CHARS)
    if parsed.error:
        return LastApplied(UNKNOWN, where, f"last-applied annotation: {parsed.error}")
    read = read_object(parsed.value, path, "last-applied annotation")
    if read.hostnet == FALSE and (read.spec is None or HOST_NETWORK not in read.spec):
        return LastApplied(ABSENT, where, read.reason, read.spec)
    return LastApplied(read.hostnet, where, read.reason, read.spec)


def read_last_applied(obj: Any, path: SpecPath, owner: str) -> Optional[LastApplied]:
    """None when obj has no last-applied annotation."""
    text = annotation_text(obj)
    return None if text is None else read_text(text, path, owner)


def as_applied_value(read: LastApplied) -> Optional[str]:
    """The annotation's hostNetwork for the mismatch check (absent = false); None when unreadable."""
    if read.hostnet == ABSENT:
        return FALSE
    return read.hostnet if read.hostnet in (TRUE, FALSE) else None
