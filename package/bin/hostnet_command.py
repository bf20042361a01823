"""A splunklib StreamingCommand whose execute chunks go through hostnet_recordpath, not splunklib's records.

Only the execute loop is replaced (hostnet_sdk.OVERRIDDEN); getinfo, options, messages and `finished` stay
splunklib's. The loop also guards what splunklib gets wrong on the wire (docs/protocol-faults.md):

- a blank line between chunks is skipped (splunklib fails on it and its message is lost);
- anything else that is not a chunk header, and input that ends inside a chunk, fail the search with a
  message that is sent (splunklib sends none after an answered chunk; on a short chunk it answers as if
  the chunk were whole);
- a positional argument (`hostnetcheck log`) is an error, not silently ignored.

A subclass gives the record path what it needs: `record_path_names()` (the columns it adds),
`record_path_field()` (the event field), `record_path_judge(value, record_of)` (the new columns' values for
one row, in that order), and keeps `stream()` for the rows splunklib's own path handles.
"""

import sys
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from splunklib.searchcommands import StreamingCommand

import hostnet_recordpath
import hostnet_rows
import hostnet_sdk

_MAX_HEADER_LINE = 4096  # a chunk header is ~30 bytes; more without a line feed is not a header


class ProtocolFault(RuntimeError):
    """splunkd's input is not SCP v2 at this point: the search cannot go on."""


def read_header(istream: Any) -> Optional[Tuple[int, int]]:
    """(metadata length, body length) of the next chunk; None at the end of the input."""
    while True:
        line = istream.readline(_MAX_HEADER_LINE)
        if not line:
            return None
        if not line.strip():
            continue  # a blank line carries nothing; the next line is still a header
        match = hostnet_sdk.HEADER.match(line.decode("utf-8", "replace"))
        if match is None:
            raise ProtocolFault(f"expected a chunk header from splunkd, got {line[:80]!r}")
        return int(match.group(1)), int(match.group(2))


def read_exactly(istream: Any, size: int, what: str) -> bytes:
    data = istream.read(size) if size else b""
    if len(data) != size:
        raise ProtocolFault(f"input ended {size - len(data)} bytes before the end of a chunk's {what}")
    return data


class RecordPathCommand(StreamingCommand):  # type: ignore[misc]
    def record_path_names(self) -> Sequence[str]:
        raise NotImplementedError

    def record_path_field(self) -> str:
        raise NotImplementedError

    def record_path_judge(self, value: Any, record_of: Callable[[], Dict[str, Any]]) -> Sequence[Any]:
        raise NotImplementedError

    def record_path_done(self) -> None:
        """Called after each chunk is answered."""

    def prepare(self) -> None:
        if self.fieldnames:
            given = " ".join(self.fieldnames)
            self.write_error(
                f"{self.name} takes only name=value options, not {given!r}"
                f" (to read the event from a field, write field={self.fieldnames[0]})"
            )
            sys.exit(1)

    def _execute_v2(self, ifile: Any, process: Any) -> None:
        if not hostnet_sdk.SUPPORTED:
            super()._execute_v2(ifile, process)
            return
        istream = hostnet_sdk.binary_stream(ifile)
        while True:
            try:
                header = read_header(istream)
                if header is None:
                    return
                metadata_length, body_length = header
                metadata = hostnet_sdk.decode_metadata(
                    read_exactly(istream, metadata_length, "metadata").decode("utf-8")
                )
            except Exception:
                hostnet_sdk.mark_unanswered(self)  # so that finish() sends the error message
                raise
            action = getattr(metadata, "action", None)
            if action != "execute":
                hostnet_sdk.mark_unanswered(self)
                raise ProtocolFault(f"Expected execute action, not {action}")
            hostnet_sdk.start_chunk(self, metadata)
            if body_length <= 0 and not hostnet_sdk.allow_empty_input(self):
                raise ValueError("No records found to process.")
            lines = hostnet_rows.Lines(istream, body_length)
            try:
                hooks = hostnet_recordpath.Hooks(
                    self.record_path_names(), self.record_path_field(), self.record_path_judge, process
                )
                hostnet_recordpath.answer(self, lines, hooks)
            except hostnet_rows.ShortBody as short:
                raise ProtocolFault(f"{short}; the chunk is not answered") from None
            lines.drain()
            self.record_path_done()
