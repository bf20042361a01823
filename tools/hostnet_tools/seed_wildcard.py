"""The seed detection's filter, evaluated the way SPL evaluates it, on the fields Splunk extracts.

The seed (ESCU "Kubernetes Pod With Host Network Attachment" version 3, splunk/security_content
`detections/cloud/kubernetes_pod_with_host_network_attachment.yml`) searches

    `kube_audit` objectRef.resource=pods verb=create OR verb=update
    requestObject.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration=*\\"hostNetwork\\":true*

In the search command OR binds tighter than the implied AND, so an event matches when
`objectRef.resource` is `pods`, `verb` is `create` or `update`, and the annotation's value matches the
wildcard. SPL compares field values case-insensitively (field names case-sensitively), `*` matches any run
of characters, `\\"` in the search string is a literal `"`, and a multivalue field matches when any of its
values does. The annotation field's value is the decoded JSON string (the manifest as text), so the
wildcard sees `"hostNetwork":true` exactly when kubectl wrote the manifest compactly with that key.

What the seed does after the filter (fillnull, stats by many fields, the filter macro) groups matches into
rows; it drops none of the events that carry every by-field, so each matching event is one detection here.
"""

import re
from typing import Mapping, Pattern, Sequence, Union

Value = Union[str, Sequence[str]]

ANNOTATION_FIELD = "requestObject.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration"
RESOURCE_FIELD = "objectRef.resource"
VERB_FIELD = "verb"
# The seed's term, with SPL's \" already read as ".
SEED_TERMS = (
    (RESOURCE_FIELD, ("pods",)),
    (VERB_FIELD, ("create", "update")),
    (ANNOTATION_FIELD, ('*"hostNetwork":true*',)),
)


def spl_wildcard(pattern: str, *, case_sensitive: bool = False) -> Pattern[str]:
    """A wildcard value as Splunk matches it (use `fullmatch`): `*` any run, everything else literal.

    A search's `field=value` term is case-insensitive; a lookup's WILDCARD match is case-sensitive unless
    its `case_sensitive_match` is off.
    """
    literal_parts = (re.escape(part) for part in pattern.split("*"))
    flags = re.DOTALL if case_sensitive else re.IGNORECASE | re.DOTALL
    return re.compile(".*".join(literal_parts), flags)


_COMPILED = tuple((field, tuple(spl_wildcard(value) for value in values)) for field, values in SEED_TERMS)


def _values(value: Value) -> Sequence[str]:
    return (value,) if isinstance(value, str) else value


def field_matches(record: Mapping[str, Value], field: str, patterns: Sequence[Pattern[str]]) -> bool:
    value = record.get(field)
    if value is None:
        return False
    return any(pattern.fullmatch(text) for text in _values(value) for pattern in patterns)


def seed_matches(record: Mapping[str, Value]) -> bool:
    """Whether the seed's search returns this event (a record as `flatten.splunk_record` builds it)."""
    return all(field_matches(record, field, patterns) for field, patterns in _COMPILED)
