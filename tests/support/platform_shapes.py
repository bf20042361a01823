"""Audit events re-expressed as each platform delivers them to Splunk (the event text), for the tests.

A thin adapter over the project's one converter, tools/hostnet_tools/platform_shapes.py (which also writes
the platform samples): AKS (properties.log as a JSON string, or re-encoded from the parsed event), Fluent
Bit (`log`), OpenShift (the collector's fields beside the event's), GKE (a Cloud Audit LogEntry, bare or
under the Pub/Sub add-on's `data`). EKS through the AWS add-on is the bare shape.
"""

import json
from typing import Any, Callable, Dict

from hostnet_tools import platform_shapes
from hostnet_tools.flatten import event_text


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _gke_entry(event: Dict[str, Any]) -> Dict[str, Any]:
    converted = platform_shapes.gke_entry(event)
    if converted is None:  # GKE writes no entry for it (RequestReceived): the closest it has is none at all
        raise ValueError("GKE writes no entry for this event")
    return converted.entry


def gke(event: Dict[str, Any]) -> str:
    return _compact(_gke_entry(event))


def gke_pubsub(event: Dict[str, Any]) -> str:
    return _compact({"data": _gke_entry(event), "message_id": "1", "publish_time": "2024-11-14T09:00:18Z"})


# Shapes made from the event's line (so a cut line keeps its text) and from the parsed event.
FROM_LINE: Dict[str, Callable[[str], str]] = {
    "bare": lambda line: line,
    "aks": lambda line: _compact(platform_shapes.aks_record(line)),
    "fluent_bit": lambda line: _compact(platform_shapes.fluent_bit_record(line)),
}
FROM_EVENT: Dict[str, Callable[[Dict[str, Any]], str]] = {
    "openshift": lambda event: _compact(platform_shapes.openshift_record(event)),
    "gke": gke,
    "gke_pubsub": gke_pubsub,
    "aks_reencoded": lambda event: _compact(platform_shapes.aks_record(event_text(event))),
}
