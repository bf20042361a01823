"""What a pod spec says: hostNetwork and the images (where each resource keeps it: kube_hostnet.resources)."""

from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from kube_hostnet.jsonread import PartialDict
from kube_hostnet.limits import MAX_CONTAINERS_WALKED, MAX_IMAGES
from kube_hostnet.request import ExtractedDict
from kube_hostnet.resources import SpecPath
from kube_hostnet.safetext import clean
from kube_hostnet.verdict import FALSE, TRUE, UNKNOWN

HOST_NETWORK = "hostNetwork"

CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def dotted(path: SpecPath) -> str:
    return ".".join(path)


class SpecRead(NamedTuple):
    """What one complete-or-cut object says about hostNetwork at its pod-spec path."""

    hostnet: str
    reason: str = ""
    spec: Optional[Dict[str, Any]] = None


def host_network_value(spec: Dict[str, Any]) -> Optional[str]:
    """TRUE/FALSE when the spec settles hostNetwork, None when the key is absent."""
    if HOST_NETWORK not in spec:
        return None
    return TRUE if spec[HOST_NETWORK] is True else FALSE


def plain_spec(obj: Any, path: SpecPath) -> Optional[Dict[str, Any]]:
    """The pod spec at path when every object on the way, and the spec, is a plain JSON object (not cut,
    not extracted fields); None otherwise. The walk every in-scope event takes."""
    node = obj
    for key in path:
        if type(node) is not dict or key not in node:
            return None
        node = node[key]
    return node if type(node) is dict else None


def read_object(obj: Any, path: SpecPath, where: str) -> SpecRead:
    """Reads a whole object (not a patch): a missing pod spec or key in a complete object means false."""
    node = plain_spec(obj, path)
    if node is None:
        return _read_object_closely(obj, path, where)  # it says what it met on the way
    if HOST_NETWORK not in node:
        return SpecRead(FALSE, "", node)
    return SpecRead(TRUE if node[HOST_NETWORK] is True else FALSE, "", node)


def _read_object_closely(obj: Any, path: SpecPath, where: str) -> SpecRead:
    """read_object where the walk met a cut or extracted object, a missing key or a value of another type:
    the reason says which."""
    node = obj
    for depth, key in enumerate(path):
        if not isinstance(node, dict):
            return SpecRead(UNKNOWN, f"{_at(where, path[:depth])} is not an object")
        if key not in node:
            if isinstance(node, ExtractedDict):
                return SpecRead(UNKNOWN, _not_extracted(where, path))
            if isinstance(node, PartialDict):
                return SpecRead(UNKNOWN, f"{where} cut before {dotted(path)}")
            return SpecRead(FALSE, f"{where} has no {dotted(path)}")
        node = node[key]
    if not isinstance(node, dict):
        return SpecRead(UNKNOWN, f"{_at(where, path)} is not an object")
    value = host_network_value(node)
    if value is None:
        if isinstance(node, ExtractedDict):
            return SpecRead(UNKNOWN, _not_extracted(where, path), node)
        if isinstance(node, PartialDict):
            return SpecRead(UNKNOWN, f"{where} cut inside {dotted(path)}", node)
        return SpecRead(FALSE, "", node)
    return SpecRead(value, "", node)


def _not_extracted(where: str, path: SpecPath) -> str:
    return f"no extracted {HOST_NETWORK} field at {where}.{dotted(path)}"


def _at(where: str, keys: SpecPath) -> str:
    return ".".join((where, *keys)) if keys else where


def images(spec: Optional[Dict[str, Any]]) -> Tuple[str, ...]:
    """Distinct images of the spec's containers, initContainers and ephemeralContainers, in order."""
    found: List[str] = []
    if spec is None:
        return ()
    for list_name in CONTAINER_LISTS:
        containers = spec.get(list_name)
        if not isinstance(containers, list):
            continue
        for container in containers[:MAX_CONTAINERS_WALKED]:
            image = container.get("image") if isinstance(container, dict) else None
            if isinstance(image, str) and image:
                image = clean(image)
                if image not in found:
                    found.append(image)
                    if len(found) >= MAX_IMAGES:
                        return tuple(found)
    return tuple(found)
