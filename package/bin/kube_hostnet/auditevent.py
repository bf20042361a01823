"""Rules 1-6 on one parsed audit event: scope, then the evidence, best first."""

from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

from kube_hostnet import identity, podspec
from kube_hostnet.annotation import LastApplied, annotation_text, read_last_applied
from kube_hostnet.evidence import annotation_mismatch, join_reasons
from kube_hostnet.jsonread import PartialDict, is_partial
from kube_hostnet.patches import UNTOUCHED, read_patch
from kube_hostnet.podspec import dotted, read_object
from kube_hostnet.resources import SpecPath
from kube_hostnet.scope import MISSING, decide
from kube_hostnet.verdict import (
    FALSE,
    LAST_APPLIED,
    NONE,
    PATCH,
    REQUEST_OBJECT,
    RESPONSE_OBJECT,
    TRUE,
    UNKNOWN,
    Verdict,
)
from kube_hostnet.webhooks import CUT_ANNOTATIONS, read_webhooks

_FULL_OBJECT_VERBS = ("create", "update")
_CREATED = 201
_VERB_LOST = "without the verb only true can be concluded"
_NO_BODY = "no requestObject or responseObject"
_UNLOGGED_MUTATION = "a mutating webhook changed the object; its patch is not logged"


def _may_always_name() -> bool:
    return True


class _Decision(NamedTuple):
    hostnet: str
    evidence: str
    spec_path: str
    note: str = ""  # reported with the verdict it decides


def judge(
    event: Dict[str, Any],
    notes: List[str],
    may_name_host_network: Callable[[], bool] = _may_always_name,
    text: Optional[str] = None,
) -> Verdict:
    """notes: what the reader already knows about the text (cut, skipped nesting); kept in the error.

    may_name_host_network: asked at most once, and only when the answer saves work; False when no key or
    string of the event can be or contain hostNetwork (kube_hostnet.mention). The verdict is the same
    either way, only cheaper to reach.

    text: the event's text, for what json.loads drops (repeated keys in a JSON Patch: patches.read_patch).
    """
    event_cut = isinstance(event, PartialDict)
    object_ref = event.get("objectRef", MISSING)
    if object_ref is MISSING:
        object_ref = PartialDict() if event_cut else {}
    elif not isinstance(object_ref, dict):
        return Verdict(UNKNOWN, error=join_reasons([*notes, "objectRef is not an object"]))
    scope = decide(
        object_ref.get("resource", MISSING),
        object_ref.get("apiGroup", MISSING),
        object_ref.get("subresource", MISSING),
        event.get("verb", MISSING),
        ref_cut=isinstance(object_ref, PartialDict),
        event_cut=event_cut,
    )
    if scope.path is None:
        return Verdict(scope.hostnet, error=join_reasons([*notes, scope.reason]))
    judgement = _Judgement(event, object_ref, scope.path, scope.verb_lost, [*notes, scope.reason], text=text)
    return judgement.verdict(may_name_host_network)


class _Judgement:
    """The evidence of one in-scope event.

    notes are always reported (the event was cut); reasons, why each piece of evidence could not decide,
    only when nothing did.
    """

    def __init__(
        self,
        event: Dict[str, Any],
        object_ref: Dict[str, Any],
        path: SpecPath,
        verb_lost: bool,
        notes: List[str],
        *,
        text: Optional[str] = None,
    ) -> None:
        self.event = event
        self.text = text
        self.object_ref = object_ref
        self.path = path
        self.verb = event.get("verb")
        self.verb_lost = verb_lost
        self.notes = notes
        self.reasons: List[str] = []
        self.holder_cut = False
        self.specs: List[Dict[str, Any]] = []
        response = event.get("responseObject", MISSING)
        self.response = response if isinstance(response, dict) and response.get("kind") != "Status" else None
        if isinstance(response, dict) and self.response is None:
            self.reasons.append("responseObject is a Status (the request failed)")
        elif response is not MISSING and response is not None and not isinstance(response, dict):
            self.reasons.append("responseObject is not an object")
        self.request = event.get("requestObject", MISSING)

    def verdict(self, may_name_host_network: Callable[[], bool]) -> Verdict:
        decision = self._from_response() or self._from_request()
        object_value = decision.hostnet if decision else None
        # Read for the mismatch only when the text may name hostNetwork: without it the annotation can only
        # be absent or unreadable and the object not true, so there is no mismatch to find.
        applied = None
        if decision is None or (self._has_last_applied() and may_name_host_network()):
            applied = self._last_applied()
        if decision is None and applied is not None:
            decision = self._from_last_applied(applied)
        if decision is None:
            if self.request is MISSING and self.response is None:
                self.reasons.append(self._no_body_reason())
            decision = _Decision(UNKNOWN, NONE, "")
        reasons = self.notes + self.reasons if decision.hostnet == UNKNOWN else [*self.notes, decision.note]
        mismatch = annotation_mismatch(object_value, applied)
        if decision.hostnet != TRUE:
            return Verdict(decision.hostnet, decision.evidence, join_reasons(reasons), mismatch)
        full_objects = [self.response]
        if self.verb in _FULL_OBJECT_VERBS or self.verb_lost:
            full_objects.append(self.request)
        return Verdict(
            decision.hostnet,
            decision.evidence,
            join_reasons(reasons),
            mismatch,
            decision.spec_path,
            identity.namespace(self.object_ref, (self.response, self.request)),
            identity.workload(self.object_ref.get("resource"), self.object_ref, full_objects),
            podspec.images(self.specs[0] if self.specs else None),
        )

    def _decided(
        self,
        hostnet: str,
        evidence: str,
        spec_path: str,
        spec: Optional[Dict[str, Any]],
        reason: str,
        *,
        note: str = "",
    ) -> Optional[_Decision]:
        if spec is not None:
            self.specs.append(spec)
        if hostnet == TRUE or (hostnet == FALSE and not self.verb_lost):
            if spec is not None:
                self.specs.insert(0, self.specs.pop())  # images come from the spec that decided
            return _Decision(hostnet, evidence, spec_path, note)
        self.reasons.append(_VERB_LOST if hostnet == FALSE else reason)
        return None

    def _from_response(self) -> Optional[_Decision]:
        # A full object whatever the verb: with the verb cut off it might be the pod a delete returned.
        if self.response is None or self.verb_lost:
            return None
        read = read_object(self.response, self.path, RESPONSE_OBJECT)
        return self._decided(
            read.hostnet, RESPONSE_OBJECT, f"{RESPONSE_OBJECT}.{dotted(self.path)}", read.spec, read.reason
        )

    def _from_request(self) -> Optional[_Decision]:
        request = self.request
        if request is MISSING or request is None:
            return None
        spec_path = f"{REQUEST_OBJECT}.{dotted(self.path)}"
        if self.verb == "patch" or (self.verb_lost and isinstance(request, list)):
            read = read_patch(request, self.path, self.text)
            hostnet, reason = read.hostnet, read.reason
            if hostnet == UNTOUCHED:
                hostnet, reason = self._untouched(reason)
            hostnet, reason, note = self._after_webhooks(hostnet, reason, read.note)
            return self._decided(hostnet, PATCH, spec_path, read.spec, reason, note=note)
        if not isinstance(request, dict):
            self.reasons.append("requestObject is not an object")
            return None
        obj = read_object(request, self.path, REQUEST_OBJECT)
        hostnet, reason, note = self._after_webhooks(obj.hostnet, obj.reason, "")
        return self._decided(hostnet, REQUEST_OBJECT, spec_path, obj.spec, reason, note=note)

    def _untouched(self, why: str) -> Tuple[str, str]:
        status = self.event.get("responseStatus")
        code = status.get("code") if isinstance(status, dict) else None
        if type(code) is int and code == _CREATED:
            return FALSE, ""  # the patch created the object (server-side apply): absent is unset
        return UNKNOWN, why or "patch does not touch hostNetwork"

    def _after_webhooks(self, hostnet: str, reason: str, note: str) -> Tuple[str, str, str]:
        """The request's hostNetwork after the mutating webhooks the event logs (the request is read as it
        was before them); hostnet, reason and note as for _decided."""
        webhooks = read_webhooks(self.event.get("annotations"), self.path)
        if webhooks.hostnet != UNTOUCHED:
            hostnet, reason = webhooks.hostnet, f"mutating webhook {webhooks.webhook}: {webhooks.reason}"
            note = f"set by mutating webhook {webhooks.webhook}"
        if hostnet == FALSE and webhooks.unlogged == CUT_ANNOTATIONS:
            return UNKNOWN, "event cut inside its annotations: a mutating webhook's patch may be lost", ""
        if hostnet == FALSE and webhooks.unlogged:
            return UNKNOWN, f"{_UNLOGGED_MUTATION} ({webhooks.unlogged})", ""
        return hostnet, reason, note

    def _holders(self) -> List[Tuple[str, Any]]:
        holders = [(REQUEST_OBJECT, self.request)]
        if not self.verb_lost:  # the response of a read or delete also carries the annotation
            holders.append((RESPONSE_OBJECT, self.response))
        return holders

    def _has_last_applied(self) -> bool:
        return any(annotation_text(holder) is not None for _, holder in self._holders())

    def _last_applied(self) -> Optional[LastApplied]:
        for owner, holder in self._holders():
            read = read_last_applied(holder, self.path, owner)
            if read is not None:
                self.holder_cut = is_partial(holder)
                return read
        return None

    def _from_last_applied(self, applied: LastApplied) -> Optional[_Decision]:
        hostnet = applied.hostnet
        if hostnet == FALSE and self.holder_cut:
            hostnet = UNKNOWN  # rule 5: the object holding it was cut, so its own spec may say otherwise
        if hostnet not in (TRUE, FALSE):
            hostnet = UNKNOWN
        return self._decided(
            hostnet,
            LAST_APPLIED,
            applied.where,
            applied.spec,
            applied.reason or "last-applied annotation does not set hostNetwork",
        )

    def _no_body_reason(self) -> str:
        level, stage = self.event.get("level"), self.event.get("stage")
        detail = ", ".join(
            f"{name} {value}"
            for name, value in (("level", level), ("stage", stage))
            if isinstance(value, str)
        )
        return f"{_NO_BODY} ({detail})" if detail else _NO_BODY
