"""Rules 1-6 on one normalized request: scope, then the evidence sources in order; the first that decides
wins, as Kubernetes' audit policy checker takes the first rule that matches.

Which spec the verdict describes: the spec of the reading that decided (the response object's when it
decided, else the request's, else the last-applied annotation's). Only `true` is described.
"""

from typing import Callable, List, Optional

from kube_hostnet import identity, podspec
from kube_hostnet.annotation import LastApplied
from kube_hostnet.evidence import annotation_mismatch, join_reasons
from kube_hostnet.gaps import BACKEND_TRUNCATED, CUT, NO_BODY, UNREADABLE
from kube_hostnet.request import MISSING, AuditRequest
from kube_hostnet.scope import in_scope
from kube_hostnet.sources import EVIDENCE_ORDER, Evidence, Reading
from kube_hostnet.verdict import EVIDENCE_LAST_APPLIED, EVIDENCE_NONE, FALSE, TRUE, UNKNOWN, Verdict

_FULL_OBJECT_VERBS = ("create", "update")
_VERB_LOST = "without the verb only true can be concluded"
_NO_BODY = "no requestObject or responseObject"
# The API server's audit backends mark an event whose bodies they dropped (--audit-log-truncate-enabled).
_TRUNCATED_MARK = "audit.k8s.io/truncated"
_BACKEND_TRUNCATED = (
    "the API server's audit backend truncated the event (audit.k8s.io/truncated): bodies dropped"
)


def _may_always_name() -> bool:
    return True


def decide(request: AuditRequest, may_name_host_network: Callable[[], bool] = _may_always_name) -> Verdict:
    """may_name_host_network: asked at most once, and only when the answer saves work; False when no key or
    string of the record can be or contain hostNetwork (kube_hostnet.mention). The verdict is the same
    either way, only cheaper to reach."""
    notes = list(request.notes)
    object_ref = request.object_ref
    if not isinstance(object_ref, dict):
        return _undecided(request, [*notes, "objectRef is not an object"], UNREADABLE)
    scope = in_scope(request)
    if scope.path is None:
        gap = "" if scope.hostnet == FALSE else (CUT if request.event_cut else UNREADABLE)
        return Verdict(
            scope.hostnet, error=join_reasons([*notes, scope.reason]), request=request.description, gap=gap
        )
    notes.append(scope.reason)
    evidence = Evidence(request, scope.path, scope.verb_lost)
    reasons: List[str] = []
    gaps: List[str] = []
    decided: Optional[Reading] = None
    for source in EVIDENCE_ORDER:
        reading = source(evidence)
        if reading is None:
            continue
        if reading.hostnet == TRUE or (reading.hostnet == FALSE and not scope.verb_lost):
            decided = reading
            break
        reasons.append(_VERB_LOST if reading.hostnet == FALSE else reading.reason)
        gaps.append(reading.gap)
    # Read for the mismatch only when the text may name hostNetwork: without it the annotation can only be
    # absent or unreadable and the object not true, so there is no mismatch to find.
    applied: Optional[LastApplied] = None
    if decided is None or (evidence.has_last_applied() and may_name_host_network()):
        applied = evidence.last_applied()
    object_value = decided.hostnet if decided and decided.evidence != EVIDENCE_LAST_APPLIED else None
    mismatch = applied is not None and annotation_mismatch(object_value, applied)
    if decided is None:
        if request.request_body is MISSING and evidence.response is None:
            reasons.append(_no_body_reason(request))
            gaps.append(NO_BODY)
        if _backend_truncated(request):
            reasons.insert(0, _BACKEND_TRUNCATED)
            gaps.insert(0, BACKEND_TRUNCATED)
        return _undecided(request, notes + reasons, _first_gap(request, gaps), mismatch)
    reasons = [*notes, decided.note]
    if decided.hostnet != TRUE:
        # Positional (spec_path, namespace, workload, images: only `true` is described): most verdicts.
        hostnet, evidence_name, reason = decided.hostnet, decided.evidence, join_reasons(reasons)
        return Verdict(hostnet, evidence_name, reason, mismatch, "", "", "", (), request.description)
    response = evidence.response
    full_objects = [response]
    if request.verb in _FULL_OBJECT_VERBS or scope.verb_lost:
        full_objects.append(request.request_body)
    resource = object_ref.get("resource")
    return Verdict(
        decided.hostnet,
        decided.evidence,
        join_reasons(reasons),
        mismatch,
        decided.spec_path,
        identity.namespace(object_ref, (response, request.request_body)),
        identity.workload(resource, object_ref, full_objects),
        podspec.images(decided.spec),
        request=request.description,
    )


def _undecided(request: AuditRequest, reasons: List[str], gap: str, mismatch: bool = False) -> Verdict:
    return Verdict(
        UNKNOWN, EVIDENCE_NONE, join_reasons(reasons), mismatch, request=request.description, gap=gap
    )


def _first_gap(request: AuditRequest, gaps: List[str]) -> str:
    """The blind spot to report: the cut first (it may have hidden everything else), then the first
    source's."""
    if request.event_cut:
        return CUT
    return next((gap for gap in gaps if gap), UNREADABLE)


def _backend_truncated(request: AuditRequest) -> bool:
    annotations = request.audit_annotations
    return isinstance(annotations, dict) and annotations.get(_TRUNCATED_MARK) == "true"


def _no_body_reason(request: AuditRequest) -> str:
    detail = ", ".join(
        f"{name} {value}"
        for name, value in (("level", request.level), ("stage", request.stage))
        if isinstance(value, str)
    )
    return f"{_NO_BODY} ({detail})" if detail else _NO_BODY
