"""The native audit.k8s.io Event (v1 and v1beta1), as the API server's log and webhook backends write it."""

from typing import Any, Dict

from kube_hostnet.jsondecode import number_value
from kube_hostnet.jsonread import PartialDict
from kube_hostnet.readers.describe import code, member, text_values, texts
from kube_hostnet.request import MISSING, AuditRequest, Description, ReadContext

SHAPE = "k8s_audit"

# Keys only an audit Event has at its top level; one of them is enough to tell it from an envelope. An
# event cut before all of them is still read (rule 5), and then says why it cannot be judged.
_EVENT_KEYS = ("objectRef", "verb", "auditID", "requestURI", "stage")
_EVENT_KINDS = ("Event",)


def is_event(record: Dict[str, Any]) -> bool:
    kind = record.get("kind")
    if kind in _EVENT_KINDS and str(record.get("apiVersion", "")).startswith("audit.k8s.io/"):
        return True
    return not record.keys().isdisjoint(_EVENT_KEYS)


# What a field that is not a JSON object is read as: it has no members.
_NOTHING: Dict[str, Any] = {}

# A record read on its own: no envelope, no text.
_BARE = ReadContext(SHAPE)


def read(record: Dict[str, Any], context: ReadContext = _BARE) -> AuditRequest:
    """record: a JSON object; a PartialDict when its text was cut."""
    event_cut = isinstance(record, PartialDict)
    get = record.get
    object_ref = get("objectRef", MISSING)
    if object_ref is MISSING:
        object_ref = PartialDict() if event_cut else {}
    response_code = number_value(member(get("responseStatus"), "code"), 3)
    user = get("user")
    user = user if isinstance(user, dict) else _NOTHING
    impersonated = get("impersonatedUser")
    ref = object_ref if isinstance(object_ref, dict) else _NOTHING
    ref_get = ref.get
    verb = get("verb", MISSING)
    stage = get("stage", MISSING)
    # Every event is described: positional values, one text_values loop (kube_hostnet.readers.describe).
    (
        username,
        impersonated_user,
        user_agent,
        verb_text,
        resource,
        subresource,
        namespace,
        name,
        stage_text,
        audit_id,
    ) = text_values(
        (
            user.get("username"),
            member(impersonated, "username"),
            get("userAgent"),
            verb,
            ref_get("resource"),
            ref_get("subresource"),
            ref_get("namespace"),
            ref_get("name"),
            stage,
            get("auditID"),
        )
    )
    description = Description(
        context.shape,
        username,
        texts(user.get("groups")),
        impersonated_user,
        texts(get("sourceIPs")),
        user_agent,
        verb_text,
        resource,
        subresource,
        namespace,
        name,
        code(response_code),
        stage_text,
        audit_id,
        context.cluster,
    )
    return AuditRequest(
        verb,
        object_ref,
        get("requestObject", MISSING),
        get("responseObject", MISSING),
        get("annotations", MISSING),
        response_code,
        get("level", MISSING),
        stage,
        description,
        event_cut,
        context.notes,
        False,
        context.text,
        (*context.text_keys, "requestObject"),
    )
