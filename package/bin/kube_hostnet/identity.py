"""Names the object of an event for the analyst: its namespace and its workload (`Kind/name`)."""

from typing import Any, Iterable, Optional, Sequence

from kube_hostnet.resources import KIND_OF_RESOURCE
from kube_hostnet.safetext import clean


def _text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value else None


def _metadata(obj: Any) -> Any:
    return obj.get("metadata") if isinstance(obj, dict) else None


def _field(mapping: Any, key: str) -> Optional[str]:
    return _text(mapping.get(key)) if isinstance(mapping, dict) else None


def namespace(object_ref: Any, objects: Iterable[Any]) -> str:
    """objectRef.namespace, else the first object's metadata.namespace."""
    found = _field(object_ref, "namespace")
    for obj in objects:
        if found:
            break
        found = _field(_metadata(obj), "namespace")
    return clean(found) if found else ""


def controller_of(obj: Any) -> Optional[str]:
    """`Kind/name` of the ownerReference with controller: true."""
    owners = _metadata(obj).get("ownerReferences") if isinstance(_metadata(obj), dict) else None
    if not isinstance(owners, list):
        return None
    for owner in owners:
        if isinstance(owner, dict) and owner.get("controller") is True:
            kind, name = _field(owner, "kind"), _field(owner, "name")
            if kind and name:
                return f"{kind}/{name}"
    return None


def workload(resource: Any, object_ref: Any, objects: Sequence[Any]) -> str:
    """A pod's controlling owner, else the object itself; objects: the full objects the event carries,
    best first (a cut response may lack what the request has)."""
    if resource == "pods":
        for candidate in objects:
            owner = controller_of(candidate)
            if owner:
                return clean(owner)
    obj = next((candidate for candidate in objects if isinstance(candidate, dict)), None)
    kind = _field(obj, "kind") or KIND_OF_RESOURCE.get(resource if isinstance(resource, str) else "")
    metadata = _metadata(obj)
    name = _field(metadata, "name") or _field(object_ref, "name")
    if not name:
        generate_name = _field(metadata, "generateName")
        name = f"{generate_name}*" if generate_name else None
    return clean(f"{kind}/{name}") if kind and name else ""
