"""The one normalized request every shape reader produces, and everything the evidence pipeline reads.

A reader (kube_hostnet.readers) maps one shape of audit record (the native audit.k8s.io Event, a GKE Cloud
Audit LogEntry, Splunk's extracted fields, an envelope around any of them) onto an AuditRequest; from then
on no code knows which shape it came in, so a rule of docs/design.md has exactly one implementation.
"""

from typing import Any, Dict, NamedTuple, Optional, Tuple

from kube_hostnet.jsonread import PartialDict

# Stands for a field the record does not carry (None is JSON null, a value).
MISSING: Any = object()


class Description(NamedTuple):
    """Who asked what, from where, of which cluster: for the analyst and the correlation search's columns.
    Every value is a clean output string (kube_hostnet.safetext) or a tuple of them; "" when unknown."""

    shape: str = ""
    user: str = ""
    groups: Tuple[str, ...] = ()
    impersonated_user: str = ""
    src_ip: Tuple[str, ...] = ()  # multivalue, as the seed's src_ip (sourceIPs{})
    user_agent: str = ""
    verb: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    response_code: str = ""
    stage: str = ""
    audit_id: str = ""
    cluster: str = ""


class ReadContext(NamedTuple):
    """What a shape reader is told of the record it reads: the shape to describe it as, and what the
    records around it know (kube_hostnet.readers)."""

    shape: str
    cluster: str = ""  # the cluster an envelope names, when the record itself does not
    notes: Tuple[str, ...] = ()  # what the parse of the text says, reported with any verdict
    text: Optional[str] = None  # the JSON text the record was parsed from
    text_keys: Tuple[str, ...] = ()  # the keys from the top of that text to the record


class AuditRequest(NamedTuple):
    """What was asked, of which resource, with which bodies, which webhook records and which outcome.

    Values keep the JSON types the record had (a reader never coerces a wrong type into a right one), and
    MISSING where the record does not carry the field, so the rules can tell absent from null from wrong.
    """

    verb: Any
    # resource, apiGroup, subresource, namespace, name, as audit.k8s.io's objectRef spells them. A
    # jsonread.PartialDict when the record was cut inside it (a missing key may have been lost).
    object_ref: Dict[str, Any]
    request_body: Any  # the object (create, update) or the patch body (patch) as the client sent it
    response_body: Any  # the object after the request, or a Status when it failed
    audit_annotations: Any  # the API server's audit annotations: webhook records, truncation marks
    response_code: Any  # the HTTP status code (an int) the API server answered with
    level: Any
    stage: Any
    description: Description
    event_cut: bool = False  # the record's text ended before it was complete (Splunk TRUNCATE)
    notes: Tuple[str, ...] = ()  # what the reader knows about the text, reported with any verdict
    # Splunk's extracted fields show objects only in part and cannot show a patch's structure, so a reader
    # of them says how bodies are to be read (kube_hostnet.readers.fields).
    from_extracted_fields: bool = False
    # The JSON text the record was parsed from, for what json.loads drops: the repeated keys of a JSON
    # Patch value, which the API server's typed decoding keeps (kube_hostnet.patches); and the keys from
    # the top of that text to request_body (() when the reader cannot say).
    text: Optional[str] = None
    body_keys: Tuple[str, ...] = ()


class ExtractedDict(PartialDict):
    """An object rebuilt from Splunk's extracted fields (kube_hostnet.readers.fields): like an object cut
    short, a key that is not there may exist, because Splunk stops extracting on long events."""
