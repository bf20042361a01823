"""The fields a Kubernetes audit event (audit.k8s.io/v1 Event) has once Splunk extracts its JSON.

From the Event type of the Kubernetes API reference: top-level keys, objectRef's and user's keys by name;
requestObject, responseObject and annotations are free-form objects. Arrays get Splunk's `{}` suffix.
"""

import re

from tests.support.spl_check import SPLUNK_EVENT_FIELDS

_TOP = {
    "kind", "apiVersion", "level", "auditID", "stage", "requestURI", "verb", "userAgent", "sourceIPs{}",
    "requestReceivedTimestamp", "stageTimestamp",
}
_OBJECT_REF = {
    "resource", "namespace", "name", "uid", "apiGroup", "apiVersion", "resourceVersion", "subresource",
}
_USER = {"username", "uid", "groups{}"}
_RESPONSE_STATUS = {"code", "status", "reason", "message"}
_FREE_FORM = re.compile(r"(requestObject|responseObject|annotations|user\.extra|impersonatedUser)\..+")


def is_audit_event_field(name: str) -> bool:
    head, _, rest = name.partition(".")
    return (
        name in _TOP
        or name in SPLUNK_EVENT_FIELDS
        or (head == "objectRef" and rest in _OBJECT_REF)
        or (head == "user" and rest in _USER)
        or (head == "responseStatus" and rest in _RESPONSE_STATUS)
        or _FREE_FORM.fullmatch(name) is not None
    )
