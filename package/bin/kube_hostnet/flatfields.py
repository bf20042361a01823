"""Rule 7: the verdict from Splunk's extracted fields, when the event text is not available.

Splunk flattens nested keys with '.' and arrays with '{}' (`user.groups{}`), renders JSON true as the
string `true` (so it cannot be told from the string "true"), and may stop extracting on long events: an
absent field proves nothing, so only fields that are present decide.
"""

from typing import Any, Dict, List, Mapping, Optional

from kube_hostnet import identity, podspec
from kube_hostnet.annotation import LAST_APPLIED, LastApplied, read_text
from kube_hostnet.evidence import annotation_mismatch, join_reasons
from kube_hostnet.podspec import CONTAINER_LISTS, HOST_NETWORK, dotted
from kube_hostnet.resources import SpecPath
from kube_hostnet.scope import MISSING, decide
from kube_hostnet.verdict import FALSE, FIELDS, NONE, REQUEST_OBJECT, RESPONSE_OBJECT, TRUE, UNKNOWN, Verdict

FIELDS_NOTE = (
    'verdict from extracted fields, no event text (they cannot tell JSON true from the string "true")'
)

_OBJECTS = (RESPONSE_OBJECT, REQUEST_OBJECT)


class _Multivalue(Exception):
    pass


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
        """The field's single value, MISSING when absent; several different values raise _Multivalue."""
        values = self.values(name)
        if not values:
            return MISSING
        if any(value != values[0] for value in values):
            raise _Multivalue(name)
        return values[0]

    def text(self, name: str) -> Optional[str]:
        value = self.one(name)
        return value if value is not MISSING and value else None


def judge_fields(fields: Mapping[str, Any]) -> Verdict:
    try:
        return _judge(_Fields(fields))
    except _Multivalue as exc:
        return Verdict(UNKNOWN, error=join_reasons([FIELDS_NOTE, f"field {exc} has several values"]))


def _judge(fields: _Fields) -> Verdict:
    resource = fields.one("objectRef.resource")
    scope = decide(
        resource,
        fields.one("objectRef.apiGroup"),
        fields.one("objectRef.subresource"),
        fields.one("verb"),
        ref_cut=False,
        event_cut=False,
    )
    if scope.path is None:
        return Verdict(scope.hostnet, error=join_reasons([FIELDS_NOTE, scope.reason]))
    path = scope.path
    decided = _object_evidence(fields, path)
    applied = _last_applied(fields, path)
    object_value = decided[0] if decided else None
    if decided is None and applied is not None and applied.hostnet in (TRUE, FALSE):
        decided = (applied.hostnet, applied.where)
    reasons = [FIELDS_NOTE]
    if decided is None:
        reasons.append(f"no extracted {HOST_NETWORK} field at the pod-spec path")
        if applied is not None and applied.reason:
            reasons.append(applied.reason)
    hostnet, spec_path = decided if decided else (UNKNOWN, "")
    mismatch = annotation_mismatch(object_value, applied)
    if hostnet != TRUE:  # the object is only described when it carries host networking
        return Verdict(hostnet, FIELDS if decided else NONE, join_reasons(reasons), mismatch)
    object_ref = {"name": fields.text("objectRef.name"), "namespace": fields.text("objectRef.namespace")}
    namespaces = [{"metadata": {"namespace": fields.text(f"{obj}.metadata.namespace")}} for obj in _OBJECTS]
    obj = _logged_object(fields)
    return Verdict(
        hostnet,
        FIELDS,
        join_reasons(reasons),
        mismatch,
        spec_path,
        identity.namespace(object_ref, namespaces),
        identity.workload(resource, object_ref, [_object_from_fields(fields, obj)] if obj else []),
        podspec.images(_spec_from_fields(fields, path)),
    )


def _object_evidence(fields: _Fields, path: SpecPath) -> Optional[Any]:
    for obj in _OBJECTS:
        if obj == RESPONSE_OBJECT and fields.one(f"{obj}.kind") == "Status":
            continue
        spec_path = f"{obj}.{dotted(path)}"
        value = fields.one(f"{spec_path}.{HOST_NETWORK}")
        if value is not MISSING:
            return (TRUE if value == "true" else FALSE, spec_path)
    return None


def _last_applied(fields: _Fields, path: SpecPath) -> Optional[LastApplied]:
    for obj in (REQUEST_OBJECT, RESPONSE_OBJECT):
        text = fields.one(f"{obj}.metadata.annotations.{LAST_APPLIED}")
        if text is not MISSING:
            return read_text(text, path, obj)
    return None


def _logged_object(fields: _Fields) -> Optional[str]:
    """Which of responseObject and requestObject has extracted fields naming it, response first."""
    for obj in _OBJECTS:
        if fields.one(f"{obj}.kind") == "Status":
            continue
        if fields.values(f"{obj}.kind") or fields.values(f"{obj}.metadata.name"):
            return obj
    return None


def _object_from_fields(fields: _Fields, obj: str) -> Dict[str, Any]:
    """The parts of an object identity.workload reads, rebuilt from its flattened fields."""
    owners = f"{obj}.metadata.ownerReferences{{}}"
    controllers, kinds, names = (fields.values(f"{owners}.{key}") for key in ("controller", "kind", "name"))
    # Parallel multivalue fields only line up when every owner carries all three keys.
    aligned = len(controllers) == len(kinds) == len(names)
    metadata = {key: fields.text(f"{obj}.metadata.{key}") for key in ("name", "generateName")}
    return {
        "kind": fields.text(f"{obj}.kind"),
        "metadata": {
            **metadata,
            "ownerReferences": [
                {"controller": controller == "true", "kind": kind, "name": name}
                for controller, kind, name in zip(controllers, kinds, names)
            ]
            if aligned
            else [],
        },
    }


def _spec_from_fields(fields: _Fields, path: SpecPath) -> Optional[Dict[str, Any]]:
    for obj in _OBJECTS:
        spec_path = f"{obj}.{dotted(path)}"
        spec = {
            name: [{"image": image} for image in fields.values(f"{spec_path}.{name}{{}}.image")]
            for name in CONTAINER_LISTS
        }
        if any(spec.values()):
            return spec
    return None
