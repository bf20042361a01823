"""The native audit.k8s.io Event (v1 and v1beta1), as the API server's log and webhook backends write it."""

from typing import Any, Dict

from kube_hostnet.jsondecode import number_value
from kube_hostnet.jsonread import PartialDict
from kube_hostnet.readers.describe import code, member, text, texts
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


# A record read on its own: no envelope, no text.
_BARE = ReadContext(SHAPE)


def read(record: Dict[str, Any], context: ReadContext = _BARE) -> AuditRequest:
    """record: a JSON object; a PartialDict when its text was cut."""
    event_cut = isinstance(record, PartialDict)
    object_ref = record.get("objectRef", MISSING)
    if object_ref is MISSING:
        object_ref = PartialDict() if event_cut else {}
    status = record.get("responseStatus")
    response_code = number_value(member(status, "code"), 3)
    user = record.get("user")
    impersonated = record.get("impersonatedUser")
    ref = object_ref if isinstance(object_ref, dict) else {}
    description = Description(
        shape=context.shape,
        user=text(member(user, "username")),
        groups=texts(member(user, "groups")),
        impersonated_user=text(member(impersonated, "username")),
        src_ip=texts(record.get("sourceIPs")),
        user_agent=text(record.get("userAgent")),
        verb=text(record.get("verb")),
        resource=text(ref.get("resource")),
        subresource=text(ref.get("subresource")),
        namespace=text(ref.get("namespace")),
        name=text(ref.get("name")),
        response_code=code(response_code),
        stage=text(record.get("stage")),
        audit_id=text(record.get("auditID")),
        cluster=context.cluster,
    )
    return AuditRequest(
        verb=record.get("verb", MISSING),
        object_ref=object_ref,
        request_body=record.get("requestObject", MISSING),
        body_keys=(*context.text_keys, "requestObject"),
        response_body=record.get("responseObject", MISSING),
        audit_annotations=record.get("annotations", MISSING),
        response_code=response_code,
        level=record.get("level", MISSING),
        stage=record.get("stage", MISSING),
        description=description,
        event_cut=event_cut,
        notes=context.notes,
        text=context.text,
    )
