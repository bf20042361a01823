"""Rule 7: Splunk's extracted fields, when the event text is not available, as the same AuditRequest.

Splunk flattens nested keys with '.' and arrays with '{}' (`user.groups{}`), renders JSON true as the
string `true` (so it cannot be told from the string "true"), and may stop extracting on long events: an
absent field proves nothing. So the objects rebuilt here are ExtractedDicts, which the rules read like
objects cut short (a missing key is never taken as absent), and only fields that are present decide.
"""

import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from kube_hostnet.annotation import LAST_APPLIED
from kube_hostnet.podspec import CONTAINER_LISTS, HOST_NETWORK, dotted
from kube_hostnet.readers.describe import text, texts
from kube_hostnet.request import MISSING, AuditRequest, Description, ExtractedDict
from kube_hostnet.resources import BY_RESOURCE
from kube_hostnet.verdict import EVIDENCE_REQUEST_OBJECT, EVIDENCE_RESPONSE_OBJECT

# ASCII digits: str.isdigit() also takes "\u00b2" (superscript two), which int() refuses.
_STATUS_CODE = re.compile(r"[0-9]{1,3}\Z")

SHAPE = "fields"
FIELDS_NOTE = (
    'verdict from extracted fields, no event text (they cannot tell JSON true from the string "true")'
)


class MultivalueField(Exception):
    """A field the rules read as one value has several different values."""


class _Fields:
    def __init__(self, fields: Mapping[str, Any]) -> None:
        self.fields = fields

    def values(self, name: str) -> List[str]:
        value = self.fields.get(name)
        if isinstance(value, str):
            return [value]
        if isinstance(value, (list, tuple)):
            return [item for item in value if isinstance(item, str)]
        return []

    def one(self, name: str) -> Any:
        """The field's single value, MISSING when absent; several different values raise."""
        values = self.values(name)
        if not values:
            return MISSING
        if any(value != values[0] for value in values):
            raise MultivalueField(name)
        return values[0]

    def text(self, name: str) -> Optional[str]:
        value = self.one(name)
        return value if value is not MISSING and value else None


def read(fields: Mapping[str, Any]) -> AuditRequest:
    """Raises MultivalueField when a field the rules need has several values."""
    found = _Fields(fields)
    object_ref: Dict[str, Any] = {}
    for key in ("resource", "apiGroup", "subresource", "namespace", "name"):
        value = found.one(f"objectRef.{key}")
        if value is not MISSING:
            object_ref[key] = value
    row = BY_RESOURCE.get(object_ref.get("resource", ""))
    path = row.spec_path if row else ()
    code = found.text("responseStatus.code")
    code = code if isinstance(code, str) and _STATUS_CODE.match(code) else ""
    description = Description(
        shape=SHAPE,
        user=text(found.text("user.username")),
        groups=texts(found.values("user.groups{}")),
        impersonated_user=text(found.text("impersonatedUser.username")),
        src_ip=texts(found.values("sourceIPs{}")),
        user_agent=text(found.text("userAgent")),
        verb=text(found.text("verb")),
        resource=text(object_ref.get("resource")),
        subresource=text(object_ref.get("subresource")),
        namespace=text(object_ref.get("namespace")),
        name=text(object_ref.get("name")),
        response_code=code,
        stage=text(found.text("stage")),
        audit_id=text(found.text("auditID")),
    )
    return AuditRequest(
        verb=found.one("verb"),
        object_ref=object_ref,
        request_body=_object(found, EVIDENCE_REQUEST_OBJECT, path),
        response_body=_object(found, EVIDENCE_RESPONSE_OBJECT, path),
        audit_annotations=MISSING,
        response_code=int(code) if code else MISSING,
        level=found.one("level"),
        stage=found.one("stage"),
        description=description,
        notes=(FIELDS_NOTE,),
        from_extracted_fields=True,
    )


def _object(fields: _Fields, name: str, path: Tuple[str, ...]) -> Any:
    """The parts of a logged object the rules read, rebuilt from its flattened fields; MISSING when no
    field names the object."""
    obj = ExtractedDict()
    kind = fields.one(f"{name}.kind")
    if kind is not MISSING:
        obj["kind"] = kind
    metadata = ExtractedDict()
    for key in ("name", "generateName", "namespace"):
        value = fields.text(f"{name}.metadata.{key}")
        if value:
            metadata[key] = value
    owners = _owners(fields, name)
    if owners:
        metadata["ownerReferences"] = owners
    annotation = fields.one(f"{name}.metadata.annotations.{LAST_APPLIED}")
    if annotation is not MISSING:
        metadata["annotations"] = ExtractedDict({LAST_APPLIED: annotation})
    if metadata:
        obj["metadata"] = metadata
    if path:
        spec = _spec(fields, f"{name}.{dotted(path)}")
        if spec:
            node = obj
            for key in path[:-1]:
                node = node.setdefault(key, ExtractedDict())
            node[path[-1]] = spec
    return obj if len(obj) else MISSING


def _spec(fields: _Fields, spec_path: str) -> Dict[str, Any]:
    spec: Dict[str, Any] = ExtractedDict()
    value = fields.one(f"{spec_path}.{HOST_NETWORK}")
    if value is not MISSING:
        spec[HOST_NETWORK] = True if value == "true" else value
    for list_name in CONTAINER_LISTS:
        images = fields.values(f"{spec_path}.{list_name}{{}}.image")
        if images:
            spec[list_name] = [{"image": image} for image in images]
    return spec


def _owners(fields: _Fields, name: str) -> List[Dict[str, Any]]:
    owners = f"{name}.metadata.ownerReferences{{}}"
    controllers, kinds, names = (fields.values(f"{owners}.{key}") for key in ("controller", "kind", "name"))
    # Parallel multivalue fields only line up when every owner carries all three keys.
    if not len(controllers) == len(kinds) == len(names):
        return []
    return [
        {"controller": controller == "true", "kind": kind, "name": owner}
        for controller, kind, owner in zip(controllers, kinds, names)
    ]
