"""Every private part of splunklib the command relies on, in one place, with the splunklib it was written for.

splunklib 2.1.1 has no public hook between reading a chunk and parsing it: a StreamingCommand is handed
records only after the whole body has been decoded, parsed into dicts and listed. The command therefore
replaces the execute loop (SearchCommand._execute_v2) with its own record path (hostnet_recordpath) and
keeps everything else splunklib does: options and validators, getinfo and the configuration reply,
messages and the Job Inspector, `finished` handling. What that loop touches inside splunklib is reached
only through the names below; tests/unit/test_recordpath_sdk.py fails when the vendored splunklib is not
WRITTEN_AGAINST or when any of these is missing or has changed.
"""

import hashlib
import importlib
import inspect
import sys
import types
from typing import Any, Callable, Dict, List, Optional

WRITTEN_AGAINST = "2.1.1"
_CLIENT = "splunklib.client"


_PLACEHOLDER_MARK = "__hostnet_placeholder__"


def _real_client() -> Any:
    """splunklib.client itself, imported now if only the placeholder stands for it."""
    module = sys.modules.get(_CLIENT)
    if module is None or getattr(module, _PLACEHOLDER_MARK, False):
        sys.modules.pop(_CLIENT, None)
        module = importlib.import_module(_CLIENT)
    return module


def _client_service(*args: Any, **kwargs: Any) -> Any:
    """splunklib.client.Service, the module imported on first use."""
    return _real_client().Service(*args, **kwargs)


def _client_attribute(name: str) -> Any:
    if name.startswith("__"):  # what the import system asks of any module (__path__, ...): not client's
        raise AttributeError(f"module {_CLIENT!r} has no attribute {name!r}")
    return getattr(_real_client(), name)


def _import_searchcommands_without_client() -> None:
    """splunklib.searchcommands imports splunklib.client (and with it binding, ssl, http.client, email and
    xml) only to bind `Service`, which SearchCommand.service alone calls and hostnetcheck never does: about
    40 ms of CPU at every start of the command, 2% of a 10,000-event chunk. While searchcommands is first
    imported, `splunklib.client` is a placeholder whose Service imports the real module when called; the
    placeholder is then removed, so any later import of splunklib.client gets the real one. Code that
    imports it during that window (a logging handler named by an admin's logging.conf, which
    searchcommands loads as it is imported) gets the placeholder, which hands every other name over to the
    real module (PEP 562). Another splunklib may import more of splunklib.client than Service: it is
    imported as it is."""
    if _CLIENT in sys.modules or "splunklib.searchcommands" in sys.modules:
        return
    if str(importlib.import_module("splunklib").__version__) != WRITTEN_AGAINST:
        return
    placeholder = types.ModuleType(_CLIENT)
    setattr(placeholder, _PLACEHOLDER_MARK, True)
    placeholder.Service = _client_service  # type: ignore[attr-defined]
    placeholder.__getattr__ = _client_attribute  # type: ignore[method-assign]
    sys.modules[_CLIENT] = placeholder
    try:
        importlib.import_module("splunklib.searchcommands")
    finally:
        if sys.modules.get(_CLIENT) is placeholder:
            del sys.modules[_CLIENT]


_import_searchcommands_without_client()

import splunklib  # noqa: E402 -- after the placeholder above
from splunklib.searchcommands.internals import (  # noqa: E402
    CsvDialect,
    MetadataDecoder,
    RecordWriter,
    RecordWriterV2,
)
from splunklib.searchcommands.search_command import SearchCommand  # noqa: E402

# Private methods of splunklib the command overrides, with the first 16 hex digits of the sha256 of their
# source in WRITTEN_AGAINST: the override replaces what they do, so a change to them must be read.
OVERRIDDEN = {"SearchCommand._execute_v2": "7934dfb05b1840f1"}
# What the override does in their place, the same way (hostnet_command, hostnet_recordpath): pinned alike.
MIRRORED = {
    "SearchCommand._read_chunk": "3ba5c4f21afeb44d",  # chunk header, metadata and body
    "SearchCommand._execute_chunk_v2": "c1f9efeb60af5f50",  # allow_empty_input
    "SearchCommand._read_csv_records": "f7d26b02136f3d5d",  # hostnet_recordpath.record_of
    "RecordWriter._write_record": "cffc814c7f073a9f",  # hostnet_recordpath.cells
    "RecordWriterV2.write_chunk": "cba9b58379dabb86",  # answer_with_body
    "RecordWriterV2._write_chunk": "57e4b45ca283839c",
}
# The only caller of the `Service` that _import_searchcommands_without_client defers: pinned alike.
DEFERRED = {"SearchCommand.service": "36f9772ac96a34fe"}
_CLASSES = {"SearchCommand": SearchCommand, "RecordWriter": RecordWriter, "RecordWriterV2": RecordWriterV2}

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


# Checked once per process: with another splunklib the command leaves splunklib's own loop in place.
SUPPORTED = version() == WRITTEN_AGAINST


def _source_digest(qualified: str) -> str:
    owner, name = qualified.split(".")
    member = getattr(_CLASSES[owner], name)
    source = inspect.getsource(member.fget if isinstance(member, property) and member.fget else member)
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def _exists(qualified: str) -> bool:
    owner, name = qualified.split(".")
    cls = _CLASSES[owner]
    return hasattr(cls, name) or f"self.{name} = " in inspect.getsource(cls.__init__)


def problems() -> List[str]:
    """Why this splunklib is not the one the override was written against; empty when it is."""
    found = [] if SUPPORTED else [f"splunklib {version()} is not {WRITTEN_AGAINST}"]
    pinned = {**OVERRIDDEN, **MIRRORED, **DEFERRED}
    found += [f"splunklib has no {name}" for name in (*pinned, *USED) if not _exists(name)]
    for name, digest in pinned.items():
        if _exists(name) and _source_digest(name) != digest:
            found.append(f"splunklib's {name} is not the one of splunklib {WRITTEN_AGAINST}")
    return found


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
