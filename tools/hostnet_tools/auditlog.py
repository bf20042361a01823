"""Reads a Kubernetes API server audit log as the events Splunk would index from it.

Accepted shapes, plain or gzip (recognised by content, not by name): JSON lines as the API server writes
them with --audit-log-path; a JSON array of events; an `EventList` object (what the audit webhook posts);
pretty-printed events; several of these documents one after another.

JSON lines are read line by line and every non-blank line is an event, even when it is not JSON or was
cut: the command must see exactly what Splunk would index, so nothing is repaired or dropped here. An
event's number is its line. Documents are parsed one item at a time, so a file of hundreds of MB never
has to fit in memory as Python objects; each item becomes the line the API server would have written
for it (flatten.event_text), numbered in order. Where a document stops being JSON, the rest of the file
is one more event, so a cut array still shows as a cut event.
"""

import gzip
import io
import json
import zlib
from typing import IO, Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple

from hostnet_tools.flatten import event_text

GZIP_MAGIC = b"\x1f\x8b"
READ_CHUNK = 1 << 20
SPLUNK_TRUNCATE = 10000  # bytes: props.conf TRUNCATE's default, where Splunk cuts long events at index time
_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"


class AuditLogError(Exception):
    """The file cannot be read (missing, a directory, no permission, gzip data corrupt or cut). One line."""


class AuditEvent(NamedTuple):
    number: int  # 1-based: the line in a JSON-lines file, the item in a document
    raw: str  # the event text as it is in the file (a document's items as the API server writes lines)


class _ByteCounter(io.RawIOBase):
    """Counts bytes read from the file on disk (compressed when gzip), for the progress indicator."""

    def __init__(self, raw: IO[bytes], on_read: Optional[Callable[[int], None]]) -> None:
        super().__init__()
        self._raw = raw
        self._on_read = on_read

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if self._on_read is not None and count:
            self._on_read(count)
        return count or 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()
        super().close()


def splunk_truncate(text: str, limit: int = SPLUNK_TRUNCATE) -> str:
    """The event as Splunk indexes it with TRUNCATE=limit: at most `limit` bytes, cut on a UTF-8 boundary.

    limit 0 means no limit, as in props.conf.
    """
    if limit <= 0 or len(text) * 4 <= limit:
        return text
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore")


def read_events(path: str, on_read: Optional[Callable[[int], None]] = None) -> Iterator[AuditEvent]:
    """Every event of the file, in order. on_read(n) is called as n more bytes of the file are read.

    The file is opened here, so a missing or unreadable file raises AuditLogError before any event is
    asked for; an error while reading raises it from the iterator.
    """
    return _events(path, _open_text(path, on_read))


def _events(path: str, stream: IO[str]) -> Iterator[AuditEvent]:
    try:
        first_lines, shape = _sniff(stream)
        if shape == "lines":
            yield from _json_lines(first_lines, stream)
        else:
            yield from _document(first_lines, stream)
    except (OSError, EOFError, zlib.error) as error:
        # A gzip file cut short or corrupt: what came before was read; the rest cannot be.
        raise AuditLogError(f"{path}: cannot read: {_reason(error)}") from None
    finally:
        stream.close()


def _open_text(path: str, on_read: Optional[Callable[[int], None]]) -> IO[str]:
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- the event iterator closes it when it ends
    except OSError as error:
        raise AuditLogError(f"{path}: cannot open: {_reason(error)}") from None
    try:
        magic = handle.peek(2)[:2]
    except OSError as error:
        handle.close()
        raise AuditLogError(f"{path}: cannot read: {_reason(error)}") from None
    counted = _ByteCounter(handle, on_read)
    binary: Any = gzip.GzipFile(fileobj=counted) if magic == GZIP_MAGIC else io.BufferedReader(counted)
    # Splunk replaces bytes that are not UTF-8 rather than refusing the event; so does the reader.
    return io.TextIOWrapper(binary, encoding="utf-8", errors="replace", newline="")


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _sniff(stream: IO[str]) -> Tuple[List[str], str]:
    """Reads up to the first two non-blank lines and decides whether this is JSON lines or a document."""
    lines: List[str] = []
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
        parsed = _json_object(first)
        if parsed is not None:
            return lines, "document" if _is_event_list(parsed) else "lines"
        # A line that opens an object without closing it, followed by an indented key, is a
        # pretty-printed document; a cut JSON line is followed by another event or by nothing.
        following = non_blank[1] if len(non_blank) > 1 else ""
        if first == "{" or following.startswith('"'):
            return lines, "document"
    return lines, "lines"


def _json_object(text: str) -> Optional[Dict[str, Any]]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _is_event_list(value: Dict[str, Any]) -> bool:
    return value.get("kind") == "EventList" or ("items" in value and "auditID" not in value)


def _json_lines(first_lines: List[str], stream: IO[str]) -> Iterator[AuditEvent]:
    number = 0
    for source in (first_lines, stream):
        for line in source:
            number += 1
            text = line.rstrip("\r\n")
            if text.strip():
                yield AuditEvent(number, text)


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


class _Malformed(Exception):
    pass


def _document(first_lines: List[str], stream: IO[str]) -> Iterator[AuditEvent]:
    """Items of each top-level value in turn: one document, or several one after another (EventLists a
    webhook receiver wrote one per line, events pretty-printed by `jq .`)."""
    buffer = _Buffer("".join(first_lines), stream)
    number = 0
    try:
        while True:
            opening = buffer.skip_whitespace()
            if not opening:
                return
            items = _array_items(buffer) if opening == "[" else _object_items(buffer)
            for item in items:
                number += 1
                yield _document_event(number, item)
    except (_Malformed, ValueError, RecursionError):
        # What could not be parsed is still one event: the command decides what a broken event means.
        rest = buffer.rest().strip()
        if rest:
            yield AuditEvent(number + 1, rest)


def _document_event(number: int, item: Any) -> AuditEvent:
    # Each item becomes the line the API server would have written for it with --audit-log-path.
    raw = event_text(item) if isinstance(item, dict) else json.dumps(item, ensure_ascii=False)
    return AuditEvent(number, raw)


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
        if _at_close(buffer, "]"):
            return


def _at_close(buffer: _Buffer, closer: str) -> bool:
    """After a member: True at the container's closer, False after a comma; past either way."""
    separator = buffer.skip_whitespace()
    if separator not in (closer, ","):
        raise _Malformed(separator)
    buffer.pos += 1
    return separator == closer


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
        if _at_close(buffer, "}"):
            break
    if not streamed:
        yield members
