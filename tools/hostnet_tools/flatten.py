"""An audit event as Splunk's JSON extraction presents it to a search command.

The seed detection reads Kubernetes audit events indexed with `source="kubernetes"`, `sourcetype="_json"`
(JSON extraction: INDEXED_EXTRACTIONS=json for `_json`, or KV_MODE=json / `spath` at search time), and
names fields `objectRef.resource`, `user.groups{}`, `sourceIPs{}` and
`requestObject.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration`. `splunk_record`
builds that record: `_raw` (the exact event text), `_time`, `host`, `index`, `source`, `sourcetype`, then
every extracted field, so `make run`, the benchmark and the tests feed the command what a search would.

Flattening rules, and where each comes from:

- Object keys are joined with "." and keys are used as written, dots included:
  `metadata.annotations` + `kubectl.kubernetes.io/last-applied-configuration` ->
  `...annotations.kubectl.kubernetes.io/last-applied-configuration` (Splunk Search Reference, spath:
  "a location path is composed of one or more location steps, separated by periods"; the field name is the
  one the seed detection searches, ESCU "Kubernetes Pod With Host Network Attachment").
- An array adds `{}` to the name and each element is extracted under it, so values from every element of
  an array become one multivalue field: `user.groups{}`, `requestObject.spec.containers{}.image`
  (spath docs example `commits{}.author.name`; the seed's `user.groups{}` and `sourceIPs{}`).
- Scalars become strings: a string's decoded text, a number's text exactly as written (`1.50` stays
  `1.50`), `true`/`false`, and `null` as the text `null`. A field with one value is a str, with more a
  list (a multivalue field). The value of the last-applied annotation is the decoded JSON string: the
  whole object as text, which is what the seed's wildcard `*\\"hostNetwork\\":true*` matches.
- Not in Splunk's documentation, chosen to match what Splunk shows for such events (not checked against a
  running Splunk): an array of arrays adds `{}` once per level (`a{}{}`); an empty array or
  object yields no field; a key repeated in one object yields every occurrence, in order.
- Not modelled: extraction limits (spath auto-extract reads the first 5,000 characters by default, limits.conf
  `[spath] extraction_cutoff`; search-time KV reads `[kv] maxchars`) and index-time TRUNCATE (10,000 bytes by
  default). Pass the cut text to `splunk_record` to model a cut event: text that is not JSON yields only the
  metadata fields, as a failed JSON extraction does.

`_time` is the event's `requestReceivedTimestamp` (else `stageTimestamp`, `timestamp`,
`metadata.creationTimestamp`) as epoch seconds, the form splunkd sends (`1540544968.664442`).
`event_text` serialises a parsed event the way the API server writes audit lines (Go encoding/json:
compact, `<`, `>`, `&`, U+2028 and U+2029 escaped), for callers that hold dicts rather than log lines.
"""

import calendar
import json
import re
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple, Union

Value = Union[str, List[str]]
SOURCE = "kubernetes"
SOURCETYPE = "_json"
DEFAULT_HOST = "minikube"
DEFAULT_INDEX = "main"
_TIME_PATHS = (
    ("requestReceivedTimestamp",),
    ("stageTimestamp",),
    ("timestamp",),
    ("metadata", "creationTimestamp"),
)
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))\Z"
)
_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class _Number(str):
    """A JSON number, kept as the text it was written as."""


class _Pairs(List[Tuple[str, Any]]):
    """A JSON object as its (key, value) pairs in document order, repeated keys included."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_event(text: str) -> Any:
    """Parses JSON as extraction sees it: number text, key order, repeated keys. ValueError if not JSON."""
    return json.loads(
        text,
        parse_int=_Number,
        parse_float=_Number,
        parse_constant=_reject_constant,
        object_pairs_hook=_Pairs,
    )


def _scalar_text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return str(value)


def _leaves(value: Any, name: str) -> Iterator[Tuple[str, str]]:
    # Explicit stack: audit events can nest deeper than Python's recursion limit.
    stack: List[Tuple[Any, str]] = [(value, name)]
    while stack:
        current, path = stack.pop()
        if isinstance(current, _Pairs):
            stack.extend((child, f"{path}.{key}" if path else key) for key, child in reversed(current))
        elif isinstance(current, list):
            stack.extend((item, path + "{}") for item in reversed(current))
        elif path:
            yield path, _scalar_text(current)


def flatten(parsed: Any) -> Dict[str, Value]:
    """The extracted fields of a parsed event (from `parse_event`), in document order."""
    collected: Dict[str, List[str]] = {}
    for path, text in _leaves(parsed, ""):
        collected.setdefault(path, []).append(text)
    return {path: values[0] if len(values) == 1 else values for path, values in collected.items()}


def _lookup(parsed: Any, path: Tuple[str, ...]) -> Any:
    current = parsed
    for key in path:
        if not isinstance(current, _Pairs):
            return None
        current = next((child for name, child in reversed(current) if name == key), None)
    return current


def epoch_text(timestamp: str) -> Optional[str]:
    """RFC 3339 -> epoch seconds as splunkd writes `_time` (`1540544968.664442`); None if not RFC 3339."""
    match = _RFC3339.match(timestamp)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, sign, offset_hours, offset_minutes = match.groups()[6:]
    try:
        seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    except (ValueError, OverflowError):  # shaped like a date but not one (month 14): Splunk finds no time
        return None
    if sign:
        offset = int(offset_hours) * 3600 + int(offset_minutes) * 60
        seconds -= offset if sign == "+" else -offset
    digits = (fraction or "")[:6].rstrip("0")
    return f"{seconds}.{digits}" if digits else str(seconds)


def event_time(parsed: Any) -> Optional[str]:
    for path in _TIME_PATHS:
        value = _lookup(parsed, path)
        if isinstance(value, str) and not isinstance(value, _Number):
            epoch = epoch_text(value)
            if epoch is not None:
                return epoch
    return None


def event_text(event: Mapping[str, Any]) -> str:
    """An event as the API server writes it to the audit log (one line, Go encoding/json escaping)."""
    text = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in _GO_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def splunk_record(
    raw: str,
    *,
    host: str = DEFAULT_HOST,
    index: str = DEFAULT_INDEX,
    source: str = SOURCE,
    sourcetype: str = SOURCETYPE,
    default_time: str = "0",
) -> Dict[str, Value]:
    """The record a search command receives for one audit log line `raw` (see the module docstring)."""
    try:
        parsed: Any = parse_event(raw)
    except (ValueError, RecursionError):
        parsed = None
    record: Dict[str, Value] = {
        "_raw": raw,
        "_time": (event_time(parsed) if parsed is not None else None) or default_time,
        "host": host,
        "index": index,
        "source": source,
        "sourcetype": sourcetype,
    }
    if parsed is not None:
        for name, value in flatten(parsed).items():
            # Splunk's own fields win over an event key of the same name.
            record.setdefault(name, value)
    return record
