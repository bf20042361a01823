"""Reads a Kubernetes API server audit log, or a platform's export of one, as the events Splunk would index.

Accepted shapes, plain or gzip (several gzip members too; recognised by content, not by name): JSON lines
as the API server, Fluent Bit or a HEC export writes them; and the documents of hostnet_tools.auditdoc (a
JSON array of events or of GKE LogEntries, an `EventList`, Azure `{"records": [...]}`, `aws logs
filter-log-events` output, CloudWatch Logs subscription data), one or several one after another. Anything
else (a first line that is not JSON, a JSON document of another kind) is an AuditLogError of one line.

JSON lines are read line by line and every non-blank line is an event, even when it is not JSON or was
cut: the command must see exactly what Splunk would index, so nothing is repaired or dropped here. An
event's number is its line. Documents are parsed one item at a time, so a file of hundreds of MB never
has to fit in memory as Python objects; each item becomes the line the API server would have written
for it (flatten.event_text), numbered in order. Where a document stops being JSON, the rest of the file
is one more event, so a cut array still shows as a cut event.
"""

import gzip
import io
import zlib
from typing import IO, Any, Callable, Iterator, List, NamedTuple, Optional, Tuple

from hostnet_tools import auditdoc

GZIP_MAGIC = b"\x1f\x8b"
SPLUNK_TRUNCATE = 10000  # bytes: props.conf TRUNCATE's default, where Splunk cuts long events at index time


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
        elif shape == "document":
            yield from _document(path, first_lines, stream)
        else:
            raise AuditLogError(f"{path}: unknown format: {shape}")
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
    """Reads up to the first two non-blank lines and decides: "lines", "document", or why neither."""
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
    following = non_blank[1] if len(non_blank) > 1 else ""
    if first.startswith("["):
        return lines, "document"
    if first.startswith("{"):
        parsed, after = auditdoc.first_value(first)
        if parsed is not None:
            # Objects one after another on a line (Firehose concatenates records) are documents too.
            if auditdoc.is_container(parsed) or after.strip():
                return lines, "document"
            return lines, "lines" if auditdoc.is_event(parsed) else auditdoc.not_an_event(parsed)
        # A line that opens an object without closing it, followed by an indented key, is a
        # pretty-printed document; a cut JSON line is followed by another event or by nothing.
        if first == "{" or following.startswith('"'):
            return lines, "document"
        return lines, "lines"
    if following.startswith("{"):
        return lines, "lines"  # a log copied from the middle of a line: the next line is an event
    return lines, f"the first line is not JSON (it starts with {first[:20]!r}): not {auditdoc.KNOWN}"


def _json_lines(first_lines: List[str], stream: IO[str]) -> Iterator[AuditEvent]:
    number = 0
    for source in (first_lines, stream):
        for line in source:
            number += 1
            text = line.rstrip("\r\n")
            if text.strip():
                yield AuditEvent(number, text)


def _document(path: str, first_lines: List[str], stream: IO[str]) -> Iterator[AuditEvent]:
    """The records of each document in the file, numbered in order (hostnet_tools.auditdoc)."""
    number = 0
    try:
        for text in auditdoc.documents(auditdoc.Buffer("".join(first_lines), stream)):
            if text:
                number += 1
                yield AuditEvent(number, text)
    except auditdoc.FormatError as error:
        raise AuditLogError(f"{path}: unknown format: {error}") from None
