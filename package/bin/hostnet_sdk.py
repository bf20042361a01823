"""Every private part of splunklib the command relies on, in one place, with the splunklib it was written for.

splunklib 2.1.1 has no public hook between reading a chunk and parsing it: a StreamingCommand is handed
records only after the whole body has been decoded, parsed into dicts and listed. The command therefore
replaces the execute loop (SearchCommand._execute_v2) with its own record path (hostnet_recordpath) and
keeps everything else splunklib does: options and validators, getinfo and the configuration reply,
messages and the Job Inspector, `finished` handling. What that loop touches inside splunklib is reached
only through the names below; tests/unit/test_recordpath_sdk.py fails when the vendored splunklib is not
WRITTEN_AGAINST or when any of these is missing or has changed.
"""

from typing import Any, Callable, Dict, List, Optional

import splunklib
from splunklib.searchcommands.internals import CsvDialect, MetadataDecoder, RecordWriter
from splunklib.searchcommands.search_command import SearchCommand

WRITTEN_AGAINST = "2.1.1"

# Private methods of splunklib the command overrides (their splunklib source is pinned by the test).
OVERRIDDEN = ("SearchCommand._execute_v2",)

# Private names the override reads or calls, as `Class.attribute` (instance attributes listed by the
# class that sets them in __init__).
USED = (
    "SearchCommand._as_binary_stream",
    "SearchCommand._decode_list",
    "SearchCommand._read_csv_records",
    "SearchCommand._record_writer",
    "SearchCommand._allow_empty_input",
    "SearchCommand._finished",
    "SearchCommand._metadata",
    "SearchCommand._header",
    "RecordWriter._inspector",
    "RecordWriter._clear",
    "RecordWriter._iterencode_json",
    "RecordWriter._chunk_count",
    "RecordWriter._committed_record_count",
)

DIALECT = CsvDialect
decode_list: Callable[[str], List[str]] = SearchCommand._decode_list
HEADER = SearchCommand._header  # the chunk header as splunklib reads it


def version() -> str:
    return str(splunklib.__version__)


def decode_metadata(text: str) -> Any:
    return MetadataDecoder().decode(text)


def binary_stream(ifile: Any) -> Any:
    return SearchCommand._as_binary_stream(ifile)


def allow_empty_input(command: Any) -> bool:
    return bool(getattr(command, "_allow_empty_input", True))


def start_chunk(command: Any, metadata: Any) -> None:
    """What splunklib's loop does when an execute chunk arrives, before reading its body."""
    command._finished = getattr(metadata, "finished", False)
    command._record_writer.is_flushed = False
    command._metadata.update(metadata)


def finished(command: Any) -> bool:
    return bool(command._finished)


def mark_unanswered(command: Any) -> None:
    """After an answer was sent, finish() writes nothing; this makes it send the error messages."""
    command._record_writer.is_flushed = False


def read_records(command: Any, lines: Any) -> Any:
    """splunklib's own CSV reader (header, then one OrderedDict per row) over an iterable of lines."""
    return command._read_csv_records(lines)


def answer_with_splunklib(command: Any, records: Any) -> None:
    """splunklib's own writer: the records, then the chunk with its inspector messages."""
    writer = command._record_writer
    writer.write_records(records)
    writer.write_chunk(finished=finished(command))


def answer_with_body(command: Any, body: "bytearray", records: int) -> None:
    """The answer RecordWriterV2.write_chunk would send, with a body already encoded as bytes."""
    writer = command._record_writer
    inspector: Optional[Dict[str, Any]] = writer._inspector or None
    pairs = (("inspector", inspector), ("finished", finished(command)))
    metadata = "".join(writer._iterencode_json({n: v for n, v in pairs if v is not None}, 0)).encode("utf-8")
    ofile = writer.ofile
    ofile.write(b"chunked 1.0,%d,%d\n" % (len(metadata), len(body)))
    ofile.write(metadata)
    ofile.write(body)
    ofile.flush()
    writer.is_flushed = True
    writer._committed_record_count += records
    writer._chunk_count += 1
    writer._clear()


__all__ = ["DIALECT", "OVERRIDDEN", "USED", "WRITTEN_AGAINST", "RecordWriter", "SearchCommand"]
