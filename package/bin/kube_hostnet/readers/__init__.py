"""Shape readers: which audit shape a parsed record is, mapped onto the one AuditRequest.

Module map:
- native: the audit.k8s.io Event (v1, v1beta1), bare or with a collector's fields beside it (OpenShift);
- gke: the GKE Cloud Audit LogEntry (an AuditLog protoPayload of serviceName k8s.io);
- envelope: the fields platforms and collectors wrap a record in (AKS `properties.log`, Fluent Bit `log`,
  the GCP add-on's `data`, ...), as an object or a JSON string;
- fields: Splunk's extracted fields when there is no event text;
- describe: the checks every reader applies to the values it copies into the Description.

A shape is recognized from the parsed JSON alone (no option, no sourcetype): the record itself first,
then what its envelopes hold.
"""

from typing import Any, Callable, Dict, NamedTuple, Optional, Tuple

from kube_hostnet.readers import envelope, gke, native
from kube_hostnet.request import AuditRequest, ReadContext


class ShapeReader(NamedTuple):
    shape: str
    recognizes: Callable[[Dict[str, Any]], bool]
    read: Callable[[Dict[str, Any], ReadContext], AuditRequest]


SHAPE_READERS: Tuple[ShapeReader, ...] = (
    ShapeReader(native.SHAPE, native.is_event, native.read),
    ShapeReader(gke.SHAPE, gke.is_entry, gke.read),
)


class _Outer(NamedTuple):
    """What the records around one know: its envelope path, the cluster they name, the notes of their
    parse, and the JSON text it was parsed from."""

    path: str
    cluster: str
    notes: Tuple[str, ...]
    text: Optional[str]
    text_keys: Tuple[str, ...]  # the keys from the top of text to this record


def read_record(
    record: Dict[str, Any], notes: Tuple[str, ...], text: Optional[str] = None
) -> Tuple[AuditRequest, bool]:
    """The record's AuditRequest and whether a shape recognized it; an unrecognized record is read as a
    native Event (which then says what it lacks), with no shape in its description. text: the JSON text
    the record was parsed from."""
    # _recognized's first step for a record outside any envelope, without its bookkeeping: nearly every
    # record is the first shape's.
    first = SHAPE_READERS[0]
    if first.recognizes(record):
        return first.read(record, ReadContext(first.shape, envelope.cluster_of(record), notes, text)), True
    found = _recognized(record, _Outer("", "", notes, text, ()), depth=0)
    if found is not None:
        return found, True
    return native.read(record, ReadContext("", envelope.cluster_of(record), notes, text)), False


def _recognized(record: Dict[str, Any], outer: _Outer, depth: int) -> Optional[AuditRequest]:
    for reader in SHAPE_READERS:
        if reader.recognizes(record):
            shape = f"{reader.shape}:{outer.path}" if outer.path else reader.shape
            cluster = outer.cluster or envelope.cluster_of(record)
            return reader.read(record, ReadContext(shape, cluster, outer.notes, outer.text, outer.text_keys))
    if depth >= envelope.MAX_ENVELOPE_DEPTH:
        return None
    for wrapped in envelope.unwrap(record):
        inner = _Outer(
            f"{outer.path}.{wrapped.path}" if outer.path else wrapped.path,
            outer.cluster or wrapped.cluster,
            outer.notes,
            # A record inside a JSON string has that string as its text; one inside an object, the outer's.
            wrapped.text if wrapped.text is not None else outer.text,
            () if wrapped.text is not None else (*outer.text_keys, *wrapped.keys),
        )
        found = _recognized(wrapped.record, inner, depth + 1)
        if found is not None:
            return found
    return None
