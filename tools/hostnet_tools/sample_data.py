"""The bundled sample's scenarios as data: samples/scenarios.jsonl, one request (a scenario step) a line.

Each line is a JSON object with named fields; a field left out takes the default below. The request:
  scenario                 which part of the cluster session the step belongs to (bootstrap, patches, ...)
  truth, category, reason  the label of the step's final event (what a perfect detector answers)
  verb, resource           the request's verb and objectRef.resource
  namespace, name          objectRef's (a create posts to the collection: the object's name is in `object`)
  apiGroup                 default: the group that serves `resource` today (kube_hostnet.resources), else ""
  apiVersion               default "v1"
  subresource, query       objectRef.subresource; the query string appended to the URI ("?..." or "")
  level                    the audit policy's level: Metadata, Request, RequestResponse (the default)
  code                     the response code, default 200
  user, sourceIPs, userAgent   who asked, as the Event carries them
  auditID, requestReceivedTimestamp, stageTimestamp   what the server assigned to the request
  received                 true: the RequestReceived stage is logged first (default false)
  responseStatus           default {"metadata": {}, "code": code}
  annotations              audit annotations besides the authorizer's (e.g. Pod Security's)
  truncate                 true: the event is longer than Splunk's TRUNCATE and indexed cut
The bodies (all optional; the policy level decides which are logged):
  object            what the client sent for a create or update of a pod or a workload (`resources`):
                    spec (the manifest's pod spec), name or generateName, labels, annotations, owner,
                    manager, nodeName, restartPolicy, replicas, and `assigned` (uid, resourceVersion,
                    creationTimestamp, a generated name); sample_objects builds both bodies from it
  requestObject     the request body as JSON, instead of the one built from `object`
  requestBody       the request body as its exact text (raw patches: repeated keys, escapes, spacing)
  responseObject    the response body as JSON, instead of the one built from `object`
  statusResponse    true: the response body is the Status of responseStatus (a refused request)
"""

import json
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from hostnet_tools.evaluate import Label
from kube_hostnet.resources import BY_RESOURCE

JSON = Dict[str, Any]
TRUTHS = ("true", "false", "unknown")
LEVELS = ("Metadata", "Request", "RequestResponse")
REQUIRED = (
    "scenario",
    "truth",
    "category",
    "reason",
    "verb",
    "resource",
    "user",
    "sourceIPs",
    "userAgent",
    "auditID",
    "requestReceivedTimestamp",
    "stageTimestamp",
)
_OPTIONAL = (
    "namespace",
    "name",
    "apiGroup",
    "apiVersion",
    "subresource",
    "query",
    "level",
    "code",
    "received",
    "responseStatus",
    "annotations",
    "truncate",
    "object",
    "requestObject",
    "requestBody",
    "responseObject",
    "statusResponse",
)
FIELDS = REQUIRED + _OPTIONAL
_POD_OBJECT = ("name", "generateName", "manager", "nodeName", "restartPolicy")
_WORKLOAD_OBJECT = ("name", "replicas")
_ANY_OBJECT = ("spec", "labels", "annotations", "owner", "assigned", "managedFieldsCopies", "requestSpecHead")


class SampleDataError(ValueError):
    """A line of the scenario data is not a valid step; the message names the file and line."""


class Step(NamedTuple):
    line: int  # in the data file, for messages
    scenario: str
    label: Label
    verb: str
    resource: str
    namespace: Optional[str]
    name: Optional[str]
    api_group: str
    api_version: str
    subresource: Optional[str]
    query: str
    level: str
    code: int
    user: JSON
    source_ips: Tuple[str, ...]
    user_agent: str
    audit_id: str
    received_at: str
    stage_at: str
    logs_received: bool
    response_status: Optional[JSON]
    annotations: Dict[str, str]
    truncate: bool
    object: Optional[JSON]
    request_object: Optional[JSON]
    request_body: Optional[str]
    response_object: Optional[JSON]
    status_response: bool


def load_steps(path: str) -> List[Step]:
    """Every step of the data file, in order; SampleDataError on the first line that is not one."""
    with open(path, encoding="utf-8") as lines:
        return [parse_step(text, f"{path}:{number}", number) for number, text in enumerate(lines, 1)]


def parse_step(text: str, where: str = "<step>", line: int = 0) -> Step:
    try:
        record = json.loads(text)
    except ValueError as error:
        raise SampleDataError(f"{where}: not JSON: {error}") from None
    if not isinstance(record, dict):
        raise SampleDataError(f"{where}: a step is a JSON object")
    unknown = sorted(set(record) - set(FIELDS))
    missing = [key for key in REQUIRED if key not in record]
    if unknown or missing:
        raise SampleDataError(f"{where}: unknown fields {unknown}, missing fields {missing}")
    _check(record["truth"] in TRUTHS, where, f"truth must be one of {', '.join(TRUTHS)}")
    level = record.get("level", "RequestResponse")
    _check(level in LEVELS, where, f"level must be one of {', '.join(LEVELS)}")
    _check(isinstance(record.get("code", 200), int), where, "code must be a number")
    bodies = [key for key in ("requestObject", "requestBody") if key in record]
    _check(len(bodies) <= 1, where, "give requestObject or requestBody, not both")
    _check(
        not ("responseObject" in record and record.get("statusResponse")),
        where,
        "give responseObject or statusResponse, not both",
    )
    resource = record["resource"]
    sent = record.get("object")
    if sent is not None:
        _check_object(sent, resource, where)
    default_group = BY_RESOURCE[resource].group if resource in BY_RESOURCE else ""
    return Step(
        line=line,
        scenario=record["scenario"],
        label=Label(record["truth"], record["category"], record["reason"]),
        verb=record["verb"],
        resource=resource,
        namespace=record.get("namespace"),
        name=record.get("name"),
        api_group=record.get("apiGroup", default_group),
        api_version=record.get("apiVersion", "v1"),
        subresource=record.get("subresource"),
        query=record.get("query", ""),
        level=level,
        code=record.get("code", 200),
        user=record["user"],
        source_ips=tuple(record["sourceIPs"]),
        user_agent=record["userAgent"],
        audit_id=record["auditID"],
        received_at=record["requestReceivedTimestamp"],
        stage_at=record["stageTimestamp"],
        logs_received=record.get("received", False),
        response_status=record.get("responseStatus"),
        annotations=record.get("annotations", {}),
        truncate=record.get("truncate", False),
        object=sent,
        request_object=record.get("requestObject"),
        request_body=record.get("requestBody"),
        response_object=record.get("responseObject"),
        status_response=record.get("statusResponse", False),
    )


def _check_object(sent: Any, resource: str, where: str) -> None:
    _check(isinstance(sent, dict), where, "object must be a JSON object")
    allowed: Tuple[str, ...]
    if resource == "pods":
        allowed = _POD_OBJECT + _ANY_OBJECT
    else:
        _check(resource in BY_RESOURCE, where, f"object given for {resource}, which has no pod spec")
        allowed = _WORKLOAD_OBJECT + _ANY_OBJECT
    unknown = sorted(set(sent) - set(allowed))
    _check(not unknown, where, f"object: unknown fields {unknown} for {resource}")
    _check("spec" in sent and "assigned" in sent, where, "object needs spec and assigned")
    if resource != "pods":
        _check("name" in sent and "labels" in sent, where, "a workload object needs name and labels")
    elif "name" not in sent:
        _check("generateName" in sent, where, "a pod object needs name or generateName")
        _check("name" in sent["assigned"], where, "a generated pod name is assigned: object.assigned.name")


def _check(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise SampleDataError(f"{where}: {message}")
