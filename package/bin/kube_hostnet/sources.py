"""The evidence sources of rule 2, each reading one part of an in-scope request.

A source returns a Reading, or None when the request does not carry what it reads. The pipeline
(kube_hostnet.pipeline) asks them in EVIDENCE_ORDER and the first reading that decides wins.
"""

from typing import Any, Callable, Dict, NamedTuple, Optional, Tuple

from kube_hostnet.annotation import LastApplied, annotation_text, read_last_applied
from kube_hostnet.gaps import (
    CUT,
    NO_BODY,
    OVERSIZED,
    PATCH_EFFECT_UNLOGGED,
    UNREADABLE,
    WEBHOOK_PATCH_UNLOGGED,
)
from kube_hostnet.jsonread import is_partial
from kube_hostnet.patches import UNTOUCHED, read_patch
from kube_hostnet.podspec import dotted, read_object
from kube_hostnet.request import MISSING, AuditRequest
from kube_hostnet.resources import BY_RESOURCE, POD_SPEC_PATHS, SpecPath
from kube_hostnet.verdict import (
    EVIDENCE_LAST_APPLIED,
    EVIDENCE_PATCH,
    EVIDENCE_REQUEST_OBJECT,
    EVIDENCE_RESPONSE_OBJECT,
    FALSE,
    TRUE,
    UNKNOWN,
)
from kube_hostnet.webhooks import CUT_ANNOTATIONS, read_webhooks

_CREATED = 201
_UNLOGGED_MUTATION = "a mutating webhook changed the object; its patch is not logged"
_TABLE = "Table"


class Reading(NamedTuple):
    hostnet: str  # TRUE, FALSE or UNKNOWN
    evidence: str
    spec_path: str = ""
    # The pod spec the reading looked at: when the reading decides, the verdict describes this spec.
    spec: Optional[Dict[str, Any]] = None
    reason: str = ""  # why it could not decide; reported only when nothing decides
    note: str = ""  # reported with the verdict this reading decides
    gap: str = ""  # kube_hostnet.gaps: what kind of blind spot kept it from deciding


class Evidence:
    """One in-scope request and what its sources have read of it; each source reads at most once."""

    def __init__(self, request: AuditRequest, path: SpecPath, verb_lost: bool) -> None:
        self.request = request
        self.path = path
        self.verb_lost = verb_lost
        # The logged response when it is the object, else None (read once: three sources need it).
        self.response = object_in_response(request)
        self._applied: Optional[FoundAnnotation] = None

    def last_applied(self) -> Optional[LastApplied]:
        """The last-applied annotation read at the pod-spec path, None when no holder carries one."""
        return self.annotation().read

    def annotation(self) -> "FoundAnnotation":
        """The first last-applied annotation of the holders, read once, with where it was found."""
        if self._applied is None:
            self._applied = FoundAnnotation(None, False, False)
            for owner, holder in annotation_holders(self.request, self.verb_lost):
                read = read_last_applied(holder, self.path, owner)
                if read is not None:
                    patch_body = owner == EVIDENCE_REQUEST_OBJECT and _is_patch(self)
                    self._applied = FoundAnnotation(read, is_partial(holder), patch_body)
                    break
        return self._applied

    def has_last_applied(self) -> bool:
        holders = annotation_holders(self.request, self.verb_lost)
        for _, holder in holders:  # noqa: SIM110 -- any() over a generator costs more
            if annotation_text(holder) is not None:
                return True
        return False


class FoundAnnotation(NamedTuple):
    read: Optional[LastApplied]
    holder_cut: bool
    in_patch_body: bool


def _kind(request: AuditRequest) -> Optional[str]:
    resource = request.object_ref.get("resource")
    row = BY_RESOURCE.get(resource) if isinstance(resource, str) else None
    return row.kind if row else None


def object_in_response(request: AuditRequest) -> Optional[Dict[str, Any]]:
    """The logged response when it *is* the object: of the resource's kind. A client that asks for a
    transformed response (`Accept: ...;as=PartialObjectMetadata` or `as=Table`) gets, and the audit log
    records, an object of another kind without the spec; a Table that includes the object
    (`includeObject=Object`) holds it in its one row."""
    response = request.response_body
    if not isinstance(response, dict):
        return None
    kind = response.get("kind")
    if kind == _TABLE:
        rows = response.get("rows")
        row = rows[0] if isinstance(rows, list) and len(rows) == 1 else None
        response = row.get("object") if isinstance(row, dict) else None
        kind = response.get("kind") if isinstance(response, dict) else None
    if kind is None and request.from_extracted_fields:
        return response  # type: ignore[no-any-return]  # an absent field proves nothing (rule 7)
    return response if kind == _kind(request) and isinstance(response, dict) else None


def _spec_path_text(owner: str, path: SpecPath) -> str:
    """owner.dotted.path: the hostnet_spec_path of a reading (the table's paths are spelled once, here)."""
    text = _SPEC_PATH_TEXT.get((owner, path))
    return text if text is not None else f"{owner}.{dotted(path)}"


_SPEC_PATH_TEXT: Dict[Tuple[str, SpecPath], str] = {
    (owner, path): f"{owner}.{dotted(path)}"
    for owner in (EVIDENCE_RESPONSE_OBJECT, EVIDENCE_REQUEST_OBJECT)
    for path in POD_SPEC_PATHS.values()
}


def response_object(evidence: Evidence) -> Optional[Reading]:
    request = evidence.request
    response = request.response_body
    if response is MISSING or response is None or evidence.verb_lost:
        # With the verb cut off the response might be the pod a delete returned.
        return None
    if not isinstance(response, dict):
        return Reading(
            UNKNOWN, EVIDENCE_RESPONSE_OBJECT, reason="responseObject is not an object", gap=UNREADABLE
        )
    obj = evidence.response
    if obj is None:
        kind = response.get("kind")
        if kind == "Status":
            reason = "responseObject is a Status (the request failed)"
        else:
            shown = kind if isinstance(kind, str) else "no kind"
            reason = f"responseObject is {shown}, not the object (a transformed response)"
        return Reading(UNKNOWN, EVIDENCE_RESPONSE_OBJECT, reason=reason)
    read = read_object(obj, evidence.path, EVIDENCE_RESPONSE_OBJECT)
    spec_path = _spec_path_text(EVIDENCE_RESPONSE_OBJECT, evidence.path)
    gap = CUT if is_partial(obj) else UNREADABLE
    return Reading(read.hostnet, EVIDENCE_RESPONSE_OBJECT, spec_path, read.spec, read.reason, "", gap)


def request_body(evidence: Evidence) -> Optional[Reading]:
    """The request object, or the patch, with the logged mutating-webhook changes applied after it."""
    request = evidence.request
    body = request.request_body
    if body is MISSING:
        return None
    if body is None:
        return Reading(UNKNOWN, EVIDENCE_REQUEST_OBJECT, reason="requestObject is null", gap=NO_BODY)
    spec_path = _spec_path_text(EVIDENCE_REQUEST_OBJECT, evidence.path)
    if _is_patch(evidence):
        read = read_patch(body, evidence.path, request.text, request.body_keys)
        hostnet, reason, gap = read.hostnet, read.reason, CUT if is_partial(body) else _gap_of(read.reason)
        if hostnet == UNTOUCHED:
            hostnet, reason, gap = _untouched(request, reason)
        hostnet, reason, note, gap = _after_webhooks(evidence, hostnet, reason, read.note, gap)
        return Reading(hostnet, EVIDENCE_PATCH, spec_path, read.spec, reason, note, gap)
    if not isinstance(body, dict):
        return Reading(
            UNKNOWN, EVIDENCE_REQUEST_OBJECT, reason="requestObject is not an object", gap=UNREADABLE
        )
    obj = read_object(body, evidence.path, EVIDENCE_REQUEST_OBJECT)
    gap = CUT if is_partial(body) else UNREADABLE
    hostnet, reason, note, gap = _after_webhooks(evidence, obj.hostnet, obj.reason, "", gap)
    return Reading(hostnet, EVIDENCE_REQUEST_OBJECT, spec_path, obj.spec, reason, note, gap)


def _gap_of(reason: str) -> str:
    """A reading held back by one of the engine's bounds is oversized: a client pads its way there."""
    return OVERSIZED if "above the bound" in reason else UNREADABLE


def _is_patch(evidence: Evidence) -> bool:
    request = evidence.request
    if request.from_extracted_fields:
        return False  # flattened fields cannot show a patch's structure: read as the object they name
    return request.verb == "patch" or (evidence.verb_lost and isinstance(request.request_body, list))


def _untouched(request: AuditRequest, why: str) -> Tuple[str, str, str]:
    code = request.response_code
    if type(code) is int and code == _CREATED:
        return FALSE, "", ""  # the patch created the object (server-side apply): absent is unset
    return UNKNOWN, why or "patch does not touch hostNetwork", PATCH_EFFECT_UNLOGGED


def _after_webhooks(
    evidence: Evidence, hostnet: str, reason: str, note: str, gap: str
) -> Tuple[str, str, str, str]:
    """The request's hostNetwork after the mutating webhooks the event logs (the request is read as it
    was before them). A request that asked for hostNetwork stays true: the attempt is what matters, and a
    webhook record is not proof the object lost it (a validating webhook can forge one)."""
    webhooks = read_webhooks(evidence.request.audit_annotations, evidence.path)
    if webhooks.hostnet != UNTOUCHED:
        if hostnet == TRUE and webhooks.hostnet != TRUE:
            return (
                hostnet,
                reason,
                f"the request asked for it; mutating webhook {webhooks.webhook} removes it",
                "",
            )
        hostnet, reason = webhooks.hostnet, f"mutating webhook {webhooks.webhook}: {webhooks.reason}"
        note = f"set by mutating webhook {webhooks.webhook}"
        gap = UNREADABLE
    if hostnet == FALSE and webhooks.unlogged == CUT_ANNOTATIONS:
        return UNKNOWN, "event cut inside its annotations: a mutating webhook's patch may be lost", "", CUT
    if hostnet == FALSE and webhooks.unlogged:
        return UNKNOWN, f"{_UNLOGGED_MUTATION} ({webhooks.unlogged})", "", WEBHOOK_PATCH_UNLOGGED
    return hostnet, reason, note, gap


def annotation_holders(request: AuditRequest, verb_lost: bool) -> Tuple[Tuple[str, Any], ...]:
    """Where rule 6 looks for the last-applied annotation, in order: the request body, then (unless the
    verb was cut off) the response, as logged."""
    holders: Tuple[Tuple[str, Any], ...] = ((EVIDENCE_REQUEST_OBJECT, request.request_body),)
    if not verb_lost:  # the response of a read or delete also carries the annotation
        holders = (*holders, (EVIDENCE_RESPONSE_OBJECT, request.response_body))
    return holders


def last_applied(evidence: Evidence) -> Optional[Reading]:
    """Evidence only where it can describe the object: the annotation of a patch body is what the client
    claims, and the patch may not touch the spec at all (it still counts for the mismatch of rule 6)."""
    found = evidence.annotation()
    applied = found.read
    if applied is None:
        return None
    if found.in_patch_body:
        return Reading(
            UNKNOWN,
            EVIDENCE_LAST_APPLIED,
            applied.where,
            reason="the last-applied annotation of a patch describes no object",
            gap=PATCH_EFFECT_UNLOGGED,
        )
    hostnet = applied.hostnet
    if hostnet == FALSE and found.holder_cut:
        hostnet = UNKNOWN  # rule 5: the object holding it was cut, so its own spec may say otherwise
    if hostnet not in (TRUE, FALSE):
        hostnet = UNKNOWN
    return Reading(
        hostnet,
        EVIDENCE_LAST_APPLIED,
        applied.where,
        applied.spec,
        applied.reason or "last-applied annotation does not set hostNetwork",
        gap=UNREADABLE,
    )


EvidenceSource = Callable[[Evidence], Optional[Reading]]

# Best first: the object as stored, else what the request asked for (with the webhooks after it), else
# what kubectl last applied.
EVIDENCE_ORDER: Tuple[EvidenceSource, ...] = (response_object, request_body, last_applied)
