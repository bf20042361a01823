"""Rule 1: which audit events can create or change a pod spec, and where that pod spec lives."""

from typing import Any, NamedTuple, Optional

from kube_hostnet.jsonread import PartialDict
from kube_hostnet.request import MISSING, AuditRequest
from kube_hostnet.resources import POD_SPEC_PATHS, SpecPath, pod_spec_path
from kube_hostnet.verdict import FALSE, UNKNOWN

WRITE_VERBS = frozenset(("create", "update", "patch"))
_SCOPED_RESOURCES = frozenset(resource for _, resource in POD_SPEC_PATHS)


class Scope(NamedTuple):
    path: Optional[SpecPath]  # set when the event is judged
    hostnet: str = ""  # FALSE or UNKNOWN when it is not judged
    reason: str = ""
    verb_lost: bool = False  # judged although the verb was cut off: only `true` may be concluded


# The two answers nearly every event gets, built once (a Scope is immutable).
_NOT_JUDGED = Scope(None, FALSE, "")
_JUDGED = {path: Scope(path) for path in POD_SPEC_PATHS.values()}


def in_scope(request: AuditRequest) -> Scope:
    """Whether the request is judged, and where its pod spec lives (request.object_ref is a JSON object)."""
    ref = request.object_ref
    return _scope(
        ref.get("resource", MISSING),
        ref.get("apiGroup", MISSING),
        ref.get("subresource", MISSING),
        request.verb,
        ref_cut=isinstance(ref, PartialDict),
        event_cut=request.event_cut,
    )


def _scope(
    resource: Any, api_group: Any, subresource: Any, verb: Any, *, ref_cut: bool, event_cut: bool
) -> Scope:
    """ref_cut: objectRef was cut (absent keys may have been lost); event_cut: the event was."""
    if subresource is not MISSING and subresource not in (None, ""):
        return _NOT_JUDGED
    if resource is MISSING:
        return Scope(None, UNKNOWN, f"{'event cut before ' if ref_cut else 'no '}objectRef.resource")
    if not isinstance(resource, str):
        return Scope(None, UNKNOWN, "objectRef.resource is not a string")
    group = "" if api_group in (MISSING, None) else api_group
    if not isinstance(group, str):
        return Scope(None, UNKNOWN, "objectRef.apiGroup is not a string")
    path = pod_spec_path(group, resource)
    if path is None:
        if ref_cut and api_group is MISSING and resource in _SCOPED_RESOURCES:
            return Scope(None, UNKNOWN, "event cut inside objectRef")
        return _NOT_JUDGED
    if ref_cut and (api_group is MISSING or subresource is MISSING):
        return Scope(None, UNKNOWN, "event cut inside objectRef")
    if verb is MISSING:
        if event_cut:
            return Scope(path, reason="event cut before verb", verb_lost=True)
        return Scope(None, UNKNOWN, "no verb")
    if not isinstance(verb, str):
        return Scope(None, UNKNOWN, "verb is not a string")
    if verb not in WRITE_VERBS:
        return _NOT_JUDGED
    return _JUDGED[path]
