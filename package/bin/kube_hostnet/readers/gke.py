"""A GKE Cloud Audit LogEntry: the API server's audit event as GKE writes it to Cloud Logging.

GKE re-expresses each audit.k8s.io Event as a google.cloud.audit.AuditLog in the entry's `protoPayload`
(serviceName `k8s.io`), bare as `gcloud logging read --format=json` prints it or under the GCP add-on's
Pub/Sub `data` (readers.envelope). docs/design.md ("GKE Cloud Audit LogEntry") says what each field maps
to and why; in short:
- `methodName` `io.k8s.<group>.<version>.<resource>[.<subresource>].<verb>` and `resourceName`
  `<group>/<version>[/namespaces/<ns>]/<resource>[/<name>[/<subresource>]]` are the objectRef and verb.
  The group is spelled as the API path spells it in resourceName (`core` is the legacy group ""), while
  methodName reverses dotted groups and drops `.k8s.io`, so it is read only when resourceName is missing;
- `request` and `response` are the bodies, each a protobuf Struct with an `@type` GKE adds
  (`core.k8s.io/v1.Pod`, `k8s.io/Patch` for every merge, strategic-merge and apply patch body,
  `core.k8s.io/v1.Status` for a failure), which is dropped;
- the entry's `labels` are the audit annotations (webhook records, `audit.k8s.io/truncated`);
- `status` is a google.rpc.Status: the HTTP code is taken from a Status response, else only from the
  gRPC codes that a single HTTP code maps to (PERMISSION_DENIED 403, UNAUTHENTICATED 401); OK alone does
  not tell 200 from 201.
GKE carries no level, stage, user groups or impersonated user; those stay MISSING or "".
"""

import re
from typing import Any, Dict, NamedTuple, Optional

from kube_hostnet.jsondecode import number_value
from kube_hostnet.jsonread import PartialDict
from kube_hostnet.readers.describe import code, member, text, texts
from kube_hostnet.request import MISSING, AuditRequest, Description, ReadContext
from kube_hostnet.safetext import clean

SHAPE = "gke_audit"
AUDIT_LOG_TYPE = "type.googleapis.com/google.cloud.audit.AuditLog"
SERVICE_NAME = "k8s.io"
METHOD_PREFIX = "io.k8s."
CORE_GROUP = "core"  # how resourceName and methodName spell the legacy group ""
AT_TYPE = "@type"
STATUS_TYPE = "core.k8s.io/v1.Status"
# google.rpc.Code -> the HTTP code, only where no other HTTP code maps to the same gRPC code.
HTTP_OF_GRPC = {7: 403, 16: 401}

_VERSION = re.compile(r"v[0-9]+(?:(?:alpha|beta)[0-9]+)?\Z")


class Target(NamedTuple):
    """What methodName or resourceName says of the request's object ("" where it says nothing)."""

    group: str
    version: str
    resource: str
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    verb: str = ""


def is_entry(record: Dict[str, Any]) -> bool:
    payload = record.get("protoPayload")
    if not isinstance(payload, dict) or payload.get(AT_TYPE) != AUDIT_LOG_TYPE:
        return False
    service = payload.get("serviceName", MISSING)
    if service is MISSING:
        # gcloud sorts keys, so a cut entry can have lost serviceName (after the bodies) but not methodName.
        method = payload.get("methodName")
        return isinstance(method, str) and method.startswith(METHOD_PREFIX)
    return service == SERVICE_NAME  # type: ignore[no-any-return]


# A record read on its own: no envelope, no text.
_BARE = ReadContext(SHAPE)


def read(record: Dict[str, Any], context: ReadContext = _BARE) -> AuditRequest:
    """record: a JSON object is_entry recognized; a PartialDict when its text was cut."""
    event_cut = isinstance(record, PartialDict)
    payload = record["protoPayload"]
    method = method_target(payload.get("methodName"))
    path = resource_target(payload.get("resourceName"), method)
    object_ref = _object_ref(method, path, lost=event_cut and path is None)
    response = payload.get("response", MISSING)
    response_code = _response_code(payload.get("status"), response)
    ref = object_ref
    authentication = payload.get("authenticationInfo")
    metadata = payload.get("requestMetadata")
    description = Description(
        shape=context.shape,
        user=text(member(authentication, "principalEmail")),
        src_ip=texts([member(metadata, "callerIp")]),
        user_agent=text(member(metadata, "callerSuppliedUserAgent")),
        verb=text(method.verb) if method else "",
        resource=text(ref.get("resource")),
        subresource=text(ref.get("subresource")),
        namespace=text(ref.get("namespace")),
        name=text(ref.get("name")),
        response_code=code(response_code),
        audit_id=text(record.get("insertId")) or text(member(record.get("operation"), "id")),
        cluster=_cluster(record.get("resource")) or context.cluster,
    )
    return AuditRequest(
        verb=method.verb if method else MISSING,
        object_ref=object_ref,
        request_body=_body(payload.get("request", MISSING)),
        body_keys=(*context.text_keys, "protoPayload", "request"),
        response_body=_body(response),
        audit_annotations=record.get("labels", MISSING),
        response_code=response_code,
        level=MISSING,
        stage=MISSING,
        description=description,
        event_cut=event_cut,
        notes=context.notes,
        text=context.text,
    )


def method_target(method: Any) -> Optional[Target]:
    """`io.k8s.core.v1.pods.status.patch` -> group core, version v1, pods, status, verb patch."""
    if not isinstance(method, str) or not method.startswith(METHOD_PREFIX):
        return None
    tokens = method[len(METHOD_PREFIX) :].split(".")
    at = next((i for i, token in enumerate(tokens) if i > 0 and _VERSION.match(token)), -1)
    after = tokens[at + 1 :] if at > 0 else []
    if len(after) not in (2, 3) or not all(after):
        return None
    group = tokens[:at]
    # `authorization.rbac` is rbac.authorization.k8s.io; a one-word group may or may not end in .k8s.io,
    # which only resourceName says (read first): as written, it is one of the groups that serve pod specs.
    spelled = group[0] if len(group) == 1 else ".".join(reversed(group)) + "." + SERVICE_NAME
    subresource = after[1] if len(after) == 3 else ""
    return Target(spelled, tokens[at], after[0], subresource, verb=after[-1])


def resource_target(name: Any, method: Optional[Target]) -> Optional[Target]:
    """`core/v1/namespaces/<ns>/pods/<name>/status`, `apps/v1/namespaces/<ns>/deployments`,
    `core/v1/nodes/<name>`, `core/v1/namespaces/<ns>` (the namespace itself: methodName says so)."""
    if not isinstance(name, str):
        return None
    parts = name.split("/")
    if len(parts) < 3 or not all(parts[:3]):
        return None
    group, version, rest = parts[0], parts[1], parts[2:]
    namespace = ""
    namespaced = rest[0] == "namespaces" and len(rest) >= 3
    if namespaced and not (method is not None and method.resource == "namespaces"):
        namespace, rest = rest[1], rest[2:]
    if method is not None and rest and rest[0] == method.resource:
        # methodName comes from the request's URL, resourceName's name from the body of a create: a client
        # that names its pod `web/status` must not turn a pod create into a status write.
        named = rest[1:]
        if not all(named):
            return None
        if method.subresource and len(named) > 1 and named[-1] == method.subresource:
            named = named[:-1]
        return Target(group, version, rest[0], method.subresource, namespace, "/".join(named))
    if len(rest) > 3 or not all(rest):
        return None
    resource, named = rest[0], rest[1:]
    return Target(
        group,
        version,
        resource,
        named[1] if len(named) > 1 else "",
        namespace,
        named[0] if named else "",
    )


def _object_ref(method: Optional[Target], path: Optional[Target], lost: bool) -> Dict[str, Any]:
    """objectRef as audit.k8s.io spells it. lost: the entry was cut before resourceName, so its
    namespace and name may be missing (a PartialDict, as a cut native objectRef)."""
    target = path or method
    ref: Dict[str, Any] = PartialDict() if lost else {}
    if target is None:
        return ref
    ref["resource"] = target.resource
    ref["apiGroup"] = "" if target.group == CORE_GROUP else target.group
    ref["apiVersion"] = target.version
    ref["subresource"] = target.subresource
    if target.namespace:
        ref["namespace"] = target.namespace
    if target.name:
        ref["name"] = target.name
    return ref


def _body(value: Any) -> Any:
    """The body without the `@type` GKE adds; a cut body stays a PartialDict."""
    if not isinstance(value, dict) or AT_TYPE not in value:
        return value
    body: Dict[str, Any] = PartialDict() if isinstance(value, PartialDict) else {}
    for key, item in value.items():
        if key != AT_TYPE:
            body[key] = item
    return body


def _response_code(status: Any, response: Any) -> Any:
    is_status = isinstance(response, dict) and STATUS_TYPE in (response.get(AT_TYPE), _type_of(response))
    if is_status:
        reported = number_value(response.get("code"), 3)
        if reported is not None:
            return reported  # the API server's own answer
    grpc = number_value(member(status, "code"), 2)
    if grpc is not None and grpc in HTTP_OF_GRPC:
        return HTTP_OF_GRPC[grpc]
    return MISSING


def _type_of(obj: Dict[str, Any]) -> str:
    """The `@type` GKE gives a core object: `core.k8s.io/v1.Status` for apiVersion v1, kind Status."""
    return f"{CORE_GROUP}.{SERVICE_NAME}/{obj.get('apiVersion')}.{obj.get('kind')}"


def _cluster(resource: Any) -> str:
    labels = member(resource, "labels")
    project, name = text(member(labels, "project_id")), text(member(labels, "cluster_name"))
    # each is within the output bound; the two together may not be
    return clean(f"{project}/{name}") if project and name else project or name
