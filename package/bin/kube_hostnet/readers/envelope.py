"""Envelopes: the audit record inside a field that a collector or a platform wrapped around it, as a JSON
object or as a JSON string.

Tried in ENVELOPES' order, only when the record itself is no audit shape, at most MAX_ENVELOPE_DEPTH deep
(the Pub/Sub add-on's `data` around a GKE LogEntry is two levels). `hostnetcheck field=<name>` remains for
an envelope nobody could guess.
"""

from typing import Any, Dict, Iterator, NamedTuple, Optional, Tuple

from kube_hostnet import jsonread
from kube_hostnet.readers.describe import member, text


class Envelope(NamedTuple):
    keys: Tuple[str, ...]
    written_by: str


ENVELOPES = (
    Envelope(("properties", "log"), "AKS diagnostic settings (categories kube-audit, kube-audit-admin)"),
    Envelope(("log",), "Fluent Bit and Fluentd tailing the audit log file"),
    Envelope(("data",), "the Splunk Add-on for Google Cloud Platform's Pub/Sub input"),
    Envelope(("message",), "CloudWatch Logs exports and syslog-style forwarders"),
    Envelope(("event",), "HEC-style exports that keep the event under `event`"),
)

MAX_ENVELOPE_DEPTH = 3


class Wrapped(NamedTuple):
    record: Dict[str, Any]
    path: str  # the dotted keys from the outer record to this one, e.g. "properties.log"
    keys: Tuple[str, ...]  # the same keys
    cluster: str  # the cluster the outer record names (AKS's resourceId, OpenShift's cluster_id)
    text: Optional[str]  # the JSON string the record was parsed from; None when it was an object


def unwrap(record: Dict[str, Any]) -> Iterator[Wrapped]:
    """Every record inside a known envelope field of record, outermost first, in ENVELOPES' order."""
    for envelope in ENVELOPES:
        value: Any = record
        for key in envelope.keys:
            value = member(value, key)
        text: Optional[str] = None
        if isinstance(value, str):
            text = value
            value = _parsed(value)
        if isinstance(value, dict):
            yield Wrapped(value, ".".join(envelope.keys), tuple(envelope.keys), cluster_of(record), text)


def _parsed(value: str) -> Any:
    """A JSON string of the record was read to its closing quote, so it is whole: json.loads alone reads
    it (the tolerant parser is for the event text only, kube_hostnet.jsonread)."""
    if not value.lstrip().startswith("{"):
        return None
    parsed = jsonread.parse_complete(value)
    return None if parsed.error else parsed.value


def cluster_of(record: Dict[str, Any]) -> str:
    """The cluster an outer record names: AKS's ARM resourceId, OpenShift's collector cluster_id."""
    resource_id, openshift = record.get("resourceId"), record.get("openshift")
    if resource_id is None and openshift is None:
        return ""  # a native event's record names no cluster
    return text(resource_id) or text(member(openshift, "cluster_id"))
