"""Reads a Kubernetes API server audit log as the events Splunk would index from it.

Accepted shapes: JSON lines as the API server writes them with --audit-log-path (plain or gzip), a JSON
array of events, an `EventList` object (what the audit webhook posts), or one pretty-printed event.

JSON lines are read line by line and every non-blank line is an event, even when it is not JSON or was
cut: the command must see exactly what Splunk would index, so nothing is repaired or dropped here.
Documents (array, EventList) are parsed one item at a time, so a file of hundreds of MB never has to fit
in memory as Python objects.
"""

import gzip
import io
import json
from typing import IO, Any, Callable, Dict, Iterator, NamedTuple, Optional, Tuple

GZIP_MAGIC = b"\x1f\x8b"
READ_CHUNK = 1 << 20
# Compact, as the API server serialises: the event text then has the same shape as a JSON-lines event.
_COMPACT = (",", ":")
_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"


class AuditLogError(Exception):
    """The file cannot be read at all (missing, unreadable, not gzip when it says so). One line."""


class AuditEvent(NamedTuple):
    number: int  # 1-based: the line in a JSON-lines file, the item in a document
    raw: str  # the event text as Splunk would index it (_raw)
    event: Optional[Dict[str, Any]]  # the parsed event, None when the text is not a JSON object


class _ByteCounter:
    """Counts bytes read from the file on disk (compressed when gzip), for the progress indicator."""

    def __init__(self, raw: IO[bytes], on_read: Optional[Callable[[int], None]]) -> None:
        self._raw = raw
        self._on_read = on_read

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self._on_read is not None and data:
            self._on_read(len(data))
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()


def parse_event(text: str) -> Optional[Dict[str, Any]]:
    """The event as a dict, or None when the text is not one JSON object (cut, invalid, another type)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def read_events(path: str, on_read: Optional[Callable[[int], None]] = None) -> Iterator[AuditEvent]:
    """Every event of the file, in order. on_read(n) is called as n more bytes of the file are read."""
    stream = _open_text(path, on_read)
    try:
        first_lines, shape = _sniff(stream)
        if shape == "lines":
            yield from _json_lines(first_lines, stream)
        else:
            yield from _document(first_lines, stream)
    except OSError as error:
        raise AuditLogError(f"{path}: cannot read: {_reason(error)}") from None
    finally:
        stream.close()


def _open_text(path: str, on_read: Optional[Callable[[int], None]]) -> IO[str]:
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- closed by read_events
    except OSError as error:
        raise AuditLogError(f"{path}: cannot open: {_reason(error)}") from None
    try:
        magic = handle.peek(2)[:2]
    except OSError as error:
        handle.close()
        raise AuditLogError(f"{path}: cannot read: {_reason(error)}") from None
    counted: Any = _ByteCounter(handle, on_read)
    binary: IO[bytes] = gzip.GzipFile(fileobj=counted) if magic == GZIP_MAGIC else io.BufferedReader(counted)
    # Splunk replaces bytes that are not UTF-8 rather than refusing the event; so does the reader.
    return io.TextIOWrapper(binary, encoding="utf-8", errors="replace", newline="")


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def _sniff(stream: IO[str]) -> Tuple[list, str]:
    """Reads up to the first two non-blank lines and decides whether this is JSON lines or a document."""
    lines: list = []
    non_blank = []
    for line in stream:
        lines.append(line)
        if line.strip():
            non_blank.append(line.strip())
            if len(non_blank) == 2:
                break
    if not non_blank:
        return lines, "lines"
    first = non_blank[0]
    if first.startswith("["):
        return lines, "document"
    if first.startswith("{"):
        parsed = parse_event(first)
        if parsed is not None:
            return lines, "document" if _is_event_list(parsed) else "lines"
        # A line that opens an object without closing it, followed by an indented key, is a
        # pretty-printed document; a cut JSON line is followed by another event or by nothing.
        following = non_blank[1] if len(non_blank) > 1 else ""
        if first == "{" or following.startswith('"'):
            return lines, "document"
    return lines, "lines"


def _is_event_list(value: Dict[str, Any]) -> bool:
    return value.get("kind") == "EventList" or ("items" in value and "auditID" not in value)


def _json_lines(first_lines: list, stream: IO[str]) -> Iterator[AuditEvent]:
    number = 0
    for source in (first_lines, stream):
        for line in source:
            number += 1
            text = line.rstrip("\r\n")
            if text.strip():
                yield AuditEvent(number, text, parse_event(text))


class _Buffer:
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


class _Malformed(Exception):
    pass


def _document(first_lines: list, stream: IO[str]) -> Iterator[AuditEvent]:
    buffer = _Buffer("".join(first_lines), stream)
    number = 0
    try:
        opening = buffer.skip_whitespace()
        if opening == "[":
            items = _array_items(buffer)
        else:
            items = _object_items(buffer)
        for item in items:
            number += 1
            yield _document_event(number, item)
    except (_Malformed, ValueError, RecursionError):
        # What could not be parsed is still one event: the command decides what a broken event means.
        rest = buffer.rest().strip()
        if rest:
            yield AuditEvent(number + 1, rest, None)


def _document_event(number: int, item: Any) -> AuditEvent:
    raw = json.dumps(item, separators=_COMPACT, ensure_ascii=False)
    return AuditEvent(number, raw, item if isinstance(item, dict) else None)


def _expect(buffer: _Buffer, char: str) -> None:
    if buffer.skip_whitespace() != char:
        raise _Malformed(char)
    buffer.pos += 1


def _array_items(buffer: _Buffer) -> Iterator[Any]:
    _expect(buffer, "[")
    if buffer.skip_whitespace() == "]":
        buffer.pos += 1
        return
    while True:
        yield buffer.value()
        separator = buffer.skip_whitespace()
        buffer.pos += 1
        if separator == "]":
            return
        if separator != ",":
            buffer.pos -= 1
            raise _Malformed(separator)


def _object_items(buffer: _Buffer) -> Iterator[Any]:
    """The items of an EventList, or the object itself when it is a single event."""
    _expect(buffer, "{")
    members: Dict[str, Any] = {}
    streamed = False
    if buffer.skip_whitespace() == "}":
        buffer.pos += 1
        yield members
        return
    while True:
        key = buffer.value()
        if not isinstance(key, str):
            raise _Malformed("key")
        _expect(buffer, ":")
        if key == "items" and buffer.skip_whitespace() == "[":
            yield from _array_items(buffer)
            streamed = True
        else:
            members[key] = buffer.value()
        separator = buffer.skip_whitespace()
        buffer.pos += 1
        if separator == "}":
            break
        if separator != ",":
            buffer.pos -= 1
            raise _Malformed(separator)
    if not streamed:
        yield members
