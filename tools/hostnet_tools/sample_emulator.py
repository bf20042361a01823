"""What a Kubernetes API server writes to its audit log for one scenario step of the bundled sample.

Given a step (hostnet_tools.sample_data.Step: who asked for what, what the server assigned, the label), the
emulator applies the API server's audit rules: the URI and objectRef of the request, the authorizer's
annotations (an RBAC denial is decided before the body is read, so it logs none), the stage (101 upgrades
stop at ResponseStarted), the policy level (Metadata logs no body, Request no responseObject), a
RequestReceived event first when the step asks for it, and the objects of a create or update
(hostnet_tools.sample_objects).

The seam for other platforms' shapes: `audit_events(step)` returns, for each event the step logs, a
`Logged` with `event`, the native audit.k8s.io/v1 Event as a plain dict in the API server's key order,
and beside it `label` (truth, category, reason) and `truncate`. Nothing in the event is specific to the
API server's log file, so a writer for another platform maps or wraps it and keeps the label:

    for step in sample_data.load_steps(path):
        for logged in sample_emulator.audit_events(step):
            record = wrap(logged.event)            # e.g. an AKS record, properties.log = event_text(event)
            write(record, logged.label)

A request body a dict cannot hold (a patch with a repeated key, a `\\u`-escaped key, spacing) is a
`RawJSON` value, the exact text; `event_text(event)` writes the Event as the API server does with that text
in place. A writer that re-encodes the event (a GKE LogEntry's protoPayload) parses it with json.loads,
which is what that platform's ingestion does to the text too. `log_line(logged)` is the native writer: the
event's line in audit.log, cut where Splunk's TRUNCATE cuts when the step says so.
"""

import json
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from hostnet_tools.auditlog import SPLUNK_TRUNCATE, splunk_truncate
from hostnet_tools.evaluate import Label
from hostnet_tools.sample_data import Step
from hostnet_tools.sample_objects import built_objects

JSON = Dict[str, Any]
_COMPACT = (",", ":")
RECEIVED_LABEL = Label(
    "unknown",
    "request-received",
    "RequestReceived stage: no body is logged yet, so nothing says what the pod spec is",
)


class RawJSON(str):
    """The exact JSON text of a value, written as it is (a dict would lose repeated keys and escapes)."""


class Logged(NamedTuple):
    event: JSON  # the audit.k8s.io/v1 Event; a body given as exact text is a RawJSON
    label: Label  # what a perfect detector answers for this event (docs/design.md)
    truncate: bool  # Splunk indexes this event cut at TRUNCATE (the native writer cuts it)


def audit_events(step: Step) -> Tuple[Logged, ...]:
    """The events the API server logs for `step`, in order: RequestReceived first when it is logged."""
    object_ref = _object_ref(step)
    head: JSON = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": step.level,
        "auditID": step.audit_id,
    }
    who: JSON = {
        "requestURI": request_uri(object_ref, step.verb) + step.query,
        "verb": step.verb,
        "user": {"username": step.user["username"], "groups": list(step.user["groups"])},
        "sourceIPs": list(step.source_ips),
        "userAgent": step.user_agent,
        "objectRef": object_ref,
    }
    logged: List[Logged] = []
    if step.logs_received:
        early = {
            **head,
            "stage": "RequestReceived",
            **who,
            "requestReceivedTimestamp": step.received_at,
            "stageTimestamp": step.received_at,
        }
        logged.append(Logged(early, RECEIVED_LABEL, False))
    request, response = _bodies(step)
    event: JSON = {**head, "stage": "ResponseStarted" if step.code == 101 else "ResponseComplete", **who}
    event["responseStatus"] = _response_status(step)
    if step.level in ("Request", "RequestResponse") and request is not None:
        event["requestObject"] = request
    if step.level == "RequestResponse" and response is not None:
        event["responseObject"] = response
    event["requestReceivedTimestamp"] = step.received_at
    event["stageTimestamp"] = step.stage_at
    event["annotations"] = {**_authorization(step, request is None), **step.annotations}
    logged.append(Logged(event, step.label, step.truncate))
    return tuple(logged)


def event_text(event: JSON) -> str:
    """The Event as one line of compact JSON, as the API server writes it; RawJSON values verbatim."""
    raw: List[Tuple[str, str]] = []
    plain: JSON = {}
    for key, value in event.items():
        if isinstance(value, RawJSON):
            marker = {"__raw__": len(raw)}
            raw.append((_dumps(marker), str(value)))
            plain[key] = marker
        else:
            plain[key] = value
    text = _dumps(plain)
    for marker_text, body in raw:
        if text.count(marker_text) != 1:
            raise ValueError("a raw body's marker must occur once in the event text")
        text = text.replace(marker_text, body, 1)
    if "\n" in text:
        raise ValueError("an audit event is one line")
    return text


def log_line(logged: Logged) -> str:
    """The event's line in audit.log as Splunk indexes it: cut at TRUNCATE if, and only if, it says so."""
    text = event_text(logged.event)
    size = len(text.encode("utf-8"))
    if logged.truncate:
        if size <= SPLUNK_TRUNCATE:
            raise ValueError(f"{logged.label.category}: event of {size} bytes would not be cut")
        return splunk_truncate(text)
    if size > SPLUNK_TRUNCATE:
        raise ValueError(f"{logged.label.category}: event of {size} bytes would be cut by Splunk")
    return text


def request_uri(object_ref: JSON, verb: str) -> str:
    group, version = object_ref.get("apiGroup"), object_ref["apiVersion"]
    uri = f"/apis/{group}/{version}" if group else f"/api/{version}"
    if "namespace" in object_ref:
        uri += f"/namespaces/{object_ref['namespace']}"
    uri += f"/{object_ref['resource']}"
    # A create is posted to the collection; everything else, and every subresource, names the object.
    if "name" in object_ref and (verb != "create" or "subresource" in object_ref):
        uri += f"/{object_ref['name']}"
    if "subresource" in object_ref:
        uri += f"/{object_ref['subresource']}"
    return uri


def rbac_reason(username: str, groups: Tuple[str, ...]) -> str:
    """The authorizer's reason annotation: empty for system:masters and nodes (other authorizers)."""
    if "system:masters" in groups or username.startswith("system:node:"):
        return ""
    role = username.rsplit(":", 1)[-1]
    return f'RBAC: allowed by ClusterRoleBinding "{role}" of ClusterRole "{role}" to User "{username}"'


def _object_ref(step: Step) -> JSON:
    object_ref: JSON = {"resource": step.resource}
    if step.namespace:
        object_ref["namespace"] = step.namespace
    if step.name:
        object_ref["name"] = step.name
    if step.api_group:
        object_ref["apiGroup"] = step.api_group
    object_ref["apiVersion"] = step.api_version
    if step.subresource:
        object_ref["subresource"] = step.subresource
    return object_ref


def _bodies(step: Step) -> Tuple[Optional[Any], Optional[JSON]]:
    """(request body, response body) the server has for the step, before the policy level drops any."""
    built_request: Optional[JSON] = None
    built_response: Optional[JSON] = None
    if step.object is not None:
        built_request, built_response = built_objects(step.resource, step.namespace or "", step.object)
    request: Optional[Any] = built_request
    if step.request_body is not None:
        request = RawJSON(step.request_body)
    elif step.request_object is not None:
        request = step.request_object
    response = built_response
    if step.response_object is not None:
        response = step.response_object
    elif step.status_response:
        response = {"kind": "Status", "apiVersion": "v1", **_response_status(step)}
    return request, response


def _response_status(step: Step) -> JSON:
    if step.response_status is not None:
        return step.response_status
    return {"metadata": {}, "code": step.code}


def _authorization(step: Step, no_body: bool) -> Dict[str, str]:
    status = step.response_status or {}
    if step.code == 403 and status.get("reason") == "Forbidden" and no_body:
        # RBAC refuses before the body is read; admission (which did read it) is allowed by RBAC first.
        return {"authorization.k8s.io/decision": "forbid", "authorization.k8s.io/reason": ""}
    return {
        "authorization.k8s.io/decision": "allow",
        "authorization.k8s.io/reason": rbac_reason(step.user["username"], tuple(step.user["groups"])),
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=_COMPACT, ensure_ascii=False)
