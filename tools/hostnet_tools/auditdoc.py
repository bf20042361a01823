"""The JSON documents an audit log can come as, read one record at a time, as the events Splunk indexes.

Which document it is is told by its content, and each record becomes the event text the platform's Splunk
add-on would index for it:

- a JSON array: its items. An audit event becomes the line the API server writes (flatten.event_text);
  a GKE LogEntry (`gcloud logging read --format=json`; it has `protoPayload`) the entry as one compact JSON
  object, as Dataflow sends it to HEC (the Pub/Sub input would put it under `data`).
- an `EventList` (what the audit webhook posts): its `items`, as the API server writes them.
- Azure diagnostic blobs `{"records": [...]}`: each record as one compact JSON object (for AKS its
  properties.log keeps the audit event as a JSON string).
- `aws logs filter-log-events` output `{"events": [...]}`: each `message` string, as CloudWatch holds it
  (and the AWS add-on indexes it).
- CloudWatch Logs subscription data `{"logEvents": [...]}` (Firehose: several, one after another, each
  gzip): each `message` string; a CONTROL_MESSAGE (CloudWatch's health check) has none. The same in a
  Lambda event, base64 under `{"awslogs": {"data": ...}}`.
- one event or envelope, pretty-printed: itself, as the API server writes it.

Several documents may follow one another. Arrays are streamed, so a file of hundreds of MB never has to
fit in memory as Python objects. Where a document stops being JSON, the rest of the file is one more event
(a cut export still shows as a cut event). A document of another kind is a FormatError.
"""

import base64
import binascii
import gzip
import json
import zlib
from typing import IO, Any, Callable, Dict, Iterator, Optional, Tuple

from hostnet_tools.flatten import event_text

READ_CHUNK = 1 << 20
_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"
# Keys one of which every single event or envelope carries: an audit event, a GKE LogEntry, an AKS record,
# a Fluent Bit / OpenShift / OTel envelope.
_EVENT_KEYS = frozenset(
    {"kind", "apiVersion", "level", "auditID", "stage", "requestURI", "verb", "user", "impersonatedUser",
     "sourceIPs", "userAgent", "objectRef", "responseStatus", "requestObject", "responseObject",
     "annotations", "protoPayload", "logName", "insertId", "log", "properties", "category", "message", "data"}
)
# Container key -> how each of its records becomes an event text.
_MESSAGE_KEYS = ("events", "logEvents")
_CONTAINER_KEYS = ("items", "records", *_MESSAGE_KEYS)
_CONTROL_MESSAGE = "CONTROL_MESSAGE"
KNOWN = (
    "JSON lines, a JSON array, an EventList, gcloud logging read output, Azure {\"records\": [...]}, "
    "aws logs filter-log-events output or CloudWatch Logs subscription data"
)


class FormatError(Exception):
    """The content is no audit log nor export this reader knows. One line."""


class _Malformed(Exception):
    pass


def is_container(value: Dict[str, Any]) -> bool:
    """A document of records rather than one event: its first line is not a JSON-lines event."""
    return value.get("kind") == "EventList" or any(
        isinstance(value.get(key), list) and "auditID" not in value for key in _CONTAINER_KEYS
    ) or isinstance(value.get("awslogs"), dict)


def is_event(value: Dict[str, Any]) -> bool:
    """One event or envelope: it has a key every audit shape or envelope has."""
    return bool(value.keys() & _EVENT_KEYS)


def not_an_event(value: Dict[str, Any]) -> str:
    return f"a JSON object with keys {', '.join(sorted(value)[:5])}: not {KNOWN}"


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def item_text(item: Any, position: int) -> str:
    """An array's or EventList's item as the event text."""
    if not isinstance(item, dict):
        raise FormatError(f"item {position} of the JSON array is a {type(item).__name__}, not an object")
    return compact(item) if "protoPayload" in item else event_text(item)


def _message(record: Any, key: str, position: int) -> str:
    message = record.get("message") if isinstance(record, dict) else None
    if not isinstance(message, str):
        raise FormatError(f"{key}[{position}] has no message string")
    return message


class Buffer:
    """Text of a document, read in chunks, with the position of the next unread character."""

    def __init__(self, start: str, stream: IO[str]) -> None:
        self.text = start
        self.pos = 0
        self._stream = stream
        self.eof = False

    def more(self) -> bool:
        if self.eof:
            return False
        chunk = self._stream.read(READ_CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.text = self.text[self.pos :] + chunk
        self.pos = 0
        return True

    def skip_whitespace(self) -> str:
        """The next significant character ('' at the end of the file), without consuming it."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def value(self) -> Any:
        """Decodes the next JSON value, reading more of the file while the value is incomplete."""
        self.skip_whitespace()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError:
                if self.more():
                    continue
                raise
            # A number at the end of the buffer may continue in the next chunk.
            if end == len(self.text) and self.more():
                continue
            self.pos = end
            return value

    def rest(self) -> str:
        while self.more():
            pass
        rest = self.text[self.pos :]
        self.pos = len(self.text)
        return rest


def documents(buffer: Buffer) -> Iterator[str]:
    """The event texts of each top-level value in turn (see the module docstring)."""
    try:
        while True:
            opening = buffer.skip_whitespace()
            if not opening:
                return
            if opening == "[":
                yield from _array_items(buffer, item_text)
            elif opening == "{":
                yield from _object_records(buffer)
            else:
                raise FormatError(f"a top-level value starts with {opening!r}: not {KNOWN}")
    except (_Malformed, ValueError, RecursionError):
        # What could not be parsed is still one event: the command decides what a broken event means.
        rest = buffer.rest().strip()
        if rest:
            yield rest


def _expect(buffer: Buffer, char: str) -> None:
    if buffer.skip_whitespace() != char:
        raise _Malformed(char)
    buffer.pos += 1


def _at_close(buffer: Buffer, closer: str) -> bool:
    """After a member: True at the container's closer, False after a comma; past either way."""
    separator = buffer.skip_whitespace()
    if separator not in (closer, ","):
        raise _Malformed(separator)
    buffer.pos += 1
    return separator == closer


def _array_items(buffer: Buffer, text_of: Callable[[Any, int], str]) -> Iterator[str]:
    _expect(buffer, "[")
    if buffer.skip_whitespace() == "]":
        buffer.pos += 1
        return
    position = 0
    while True:
        yield text_of(buffer.value(), position)
        position += 1
        if _at_close(buffer, "]"):
            return


def _object_records(buffer: Buffer) -> Iterator[str]:
    """The records of a container object, or the object itself when it is one event."""
    _expect(buffer, "{")
    members: Dict[str, Any] = {}
    streamed = False
    if buffer.skip_whitespace() == "}":
        buffer.pos += 1
        raise FormatError(f"an empty JSON object: not {KNOWN}")
    while True:
        key = buffer.value()
        if not isinstance(key, str):
            raise _Malformed("key")
        _expect(buffer, ":")
        streams = _stream_for(key, members)
        if streams is not None and buffer.skip_whitespace() == "[":
            yield from _array_items(buffer, streams)
            streamed = True
        else:
            members[key] = buffer.value()
        if _at_close(buffer, "}"):
            break
    if streamed:
        return
    lambda_data = members.get("awslogs")
    if isinstance(lambda_data, dict) and len(members) == 1:
        yield from _lambda_records(lambda_data)
    elif is_event(members):
        yield event_text(members)
    else:
        raise FormatError(not_an_event(members))


def _stream_for(key: str, members: Dict[str, Any]) -> Optional[Callable[[Any, int], str]]:
    """How to turn each item of member `key` into an event text, when `key` holds the records."""
    if "auditID" in members or "protoPayload" in members:
        return None  # an event's own keys, never records
    if key == "items":
        return item_text
    if key == "records":
        return _record
    if key in _MESSAGE_KEYS:
        if members.get("messageType") == _CONTROL_MESSAGE:
            return lambda record, position: ""  # CloudWatch's health check; filtered below
        return lambda record, position: _message(record, key, position)
    return None


def _record(record: Any, position: int) -> str:
    if not isinstance(record, dict):
        raise FormatError(f"records[{position}] is a {type(record).__name__}, not an object")
    return compact(record)


def _lambda_records(awslogs: Dict[str, Any]) -> Iterator[str]:
    """CloudWatch Logs subscription data as a Lambda function receives it: base64 of the gzip."""
    try:
        decoded = gzip.decompress(base64.b64decode(awslogs.get("data", ""), validate=True))
        data = json.loads(decoded.decode("utf-8", errors="replace"))
    except (binascii.Error, OSError, EOFError, zlib.error, ValueError, TypeError) as error:
        raise FormatError(f"awslogs.data is not base64 gzip JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("logEvents"), list):
        raise FormatError("awslogs.data holds no logEvents")
    if data.get("messageType") == _CONTROL_MESSAGE:
        return
    for position, record in enumerate(data["logEvents"]):
        yield _message(record, "logEvents", position)


def first_value(line: str) -> Tuple[Optional[Dict[str, Any]], str]:
    """The JSON object a line starts with (None if it does not) and what follows it on the line."""
    try:
        value, end = _DECODER.raw_decode(line)
    except (ValueError, RecursionError):
        return None, ""
    return (value if isinstance(value, dict) else None), line[end:]
