"""SCP v2 on the wire: chunk framing, CSV bodies as splunkd writes and splunklib answers them, `__mv_`.

Pure: bytes and records in, bytes and records out; no process, no I/O beyond the stream handed in.

Framing (from the recordings in tests/fixtures/splunkd and the splunkd 8.2.1 transcripts in
NDietrich/Splunk-CustomSearchProtocol-v2 `example_messages/`): every message is
`chunked 1.0,<metadata bytes>,<body bytes>\\n` then the JSON metadata, then the body.

CSV as splunkd writes it: LF line ends (splunklib answers with CRLF; the decoder reads both); a field is
quoted unless it is empty or only ASCII letters and digits (header names too: `"_serial"`, `text`); every
field has a `__mv_<name>` column, grouped after all the fields (splunklib's writer interleaves them:
`mv_layout="interleaved"`); splunkd 8.x+ adds `_chunked_idx` (row number within the chunk) that the
command passes back. A multivalue field is written as its values joined by "\\n" plus `__mv_` = `$v1$;$v2$`
with `$` doubled inside values, exactly splunklib's encoder (splunklib/searchcommands/internals.py,
RecordWriter._write_record); a field with one value has an empty `__mv_` column. When `__mv_` is set,
splunklib reads only it and ignores the single-value column.

Records are dicts of field name -> str, or list of str for a multivalue field. Decoding gives a list
whenever `__mv_` is non-empty, else a str ("" for an empty or absent field: CSV cannot tell them apart).
Encoding writes a one-item list as a plain value, as splunklib does.
"""

import csv
import io
import json
import re
from typing import (
    IO,
    Any,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

Value = Union[str, List[str]]
Record = Dict[str, Value]
InValue = Union[str, Sequence[str], None]
InRecord = Mapping[str, InValue]
T = TypeVar("T")

MV_PREFIX = "__mv_"
CHUNKED_IDX = "_chunked_idx"
_MAX_HEADER_LINE = 128
_HEADER = re.compile(rb"chunked 1\.0,(\d+),(\d+)\n\Z")
# Values up to the largest event Splunk can hold must decode (splunklib itself allows 10 MB).
_CSV_FIELD_LIMIT = 256 * 1024 * 1024


class ProtocolError(Exception):
    """The other side broke the chunked protocol (bad header, short chunk, bad CSV or multivalue)."""


class Chunk(NamedTuple):
    """One SCP v2 message: its JSON metadata and its raw body."""

    metadata: Dict[str, Any]
    body: bytes

    @property
    def finished(self) -> bool:
        return bool(self.metadata.get("finished"))

    @property
    def messages(self) -> List[Tuple[str, str]]:
        """Inspector messages, (level, text), as the search job inspector shows them."""
        inspector = self.metadata.get("inspector") or {}
        return [(str(level), str(text)) for level, text in inspector.get("messages", [])]

    def fieldnames(self) -> List[str]:
        return decode_header(self.body)

    def records(self) -> List[Record]:
        return list(decode_records(self.body))


# --- framing ---------------------------------------------------------------------------------------------


def encode_chunk(metadata: Mapping[str, Any], body: bytes = b"") -> bytes:
    meta = json.dumps(metadata, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return b"chunked 1.0,%d,%d\n" % (len(meta), len(body)) + meta + body


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size) if size else b""
    if len(data) != size:
        raise ProtocolError(f"stream ended {size - len(data)} bytes before the end of a chunk")
    return data


def read_chunk(stream: IO[bytes]) -> Optional[Chunk]:
    """The next chunk of a binary stream, or None at a clean end of stream."""
    header = stream.readline(_MAX_HEADER_LINE)
    if not header:
        return None
    match = _HEADER.match(header)
    if match is None:
        raise ProtocolError(f"not a chunk header: {header[:_MAX_HEADER_LINE]!r}")
    meta_length, body_length = int(match.group(1)), int(match.group(2))
    meta = _read_exactly(stream, meta_length)
    body = _read_exactly(stream, body_length)
    try:
        metadata = json.loads(meta.decode("utf-8")) if meta else {}
    except (UnicodeDecodeError, ValueError) as error:
        raise ProtocolError(f"chunk metadata is not JSON: {meta[:200]!r}") from error
    if not isinstance(metadata, dict):
        raise ProtocolError(f"chunk metadata is not a JSON object: {meta[:200]!r}")
    return Chunk(metadata, body)


def split_frames(data: bytes) -> Iterator[Tuple[Chunk, bytes]]:
    """Each chunk of a recorded stream with the exact bytes it was recorded as."""
    stream = io.BytesIO(data)
    start = 0
    while True:
        chunk = read_chunk(stream)
        if chunk is None:
            return
        end = stream.tell()
        yield chunk, data[start:end]
        start = end


# --- multivalue and CSV ------------------------------------------------------------------------------------


def encode_multivalue(values: Sequence[str]) -> Tuple[str, str]:
    """(single-value column, `__mv_` column) for a field with these values, as splunklib writes them."""
    return "\n".join(values), "$" + "$;$".join(value.replace("$", "$$") for value in values) + "$"


def decode_multivalue(encoded: str) -> List[str]:
    """The values of a `__mv_` column: `$a$;$b$` -> ["a", "b"], `$$` inside a value is one `$`."""
    if not encoded:
        return []
    if len(encoded) < 2 or encoded[0] != "$" or encoded[-1] != "$":
        raise ProtocolError(f"not a multivalue encoding: {encoded[:80]!r}")
    values: List[str] = []
    current: List[str] = []
    index, end = 1, len(encoded)
    while index < end:
        char = encoded[index]
        if char != "$":
            current.append(char)
            index += 1
        elif index + 1 < end and encoded[index + 1] == "$":
            current.append("$")
            index += 2
        else:
            values.append("".join(current))
            current = []
            if index + 1 == end:
                return values
            if encoded[index + 1 : index + 3] != ";$":
                raise ProtocolError(f"bad separator in multivalue encoding: {encoded[:80]!r}")
            index += 3
    raise ProtocolError(f"unterminated multivalue encoding: {encoded[:80]!r}")


def _splunkd_quote(text: str) -> str:
    if not text or (text.isascii() and text.isalnum()):
        return text
    return '"' + text.replace('"', '""') + '"'


def _columns(value: InValue) -> Tuple[str, str]:
    if value is None:
        return "", ""
    if isinstance(value, str):
        return value, ""
    values = list(value)
    if len(values) == 1:
        return values[0], ""
    if not values:
        return "", ""
    return encode_multivalue(values)


def chunk_fieldnames(records: Sequence[InRecord], chunked_idx: bool = True) -> List[str]:
    """The header splunkd would use for these records: every field, first-seen order, `_chunked_idx` last."""
    names: Dict[str, None] = {}
    for record in records:
        for name in record:
            names.setdefault(name, None)
    if chunked_idx:
        names.setdefault(CHUNKED_IDX, None)
    return list(names)


def as_read(records: Sequence[InRecord]) -> List[Dict[str, Value]]:
    """What a reader decodes from `encode_records(records)`: every header field of every record (absent
    ones empty, CSV cannot tell them apart), multivalue fields as lists, `_chunked_idx` numbered by row."""
    names = chunk_fieldnames(records)
    read: List[Dict[str, Value]] = []
    for row, record in enumerate(records):
        fields: Dict[str, Value] = {}
        for name in names:
            value = record.get(name)
            if name == CHUNKED_IDX and value is None:
                value = str(row)
            fields[name] = value if isinstance(value, str) else list(value or []) or ""
        read.append(fields)
    return read


def encode_records(
    records: Sequence[InRecord],
    fieldnames: Optional[Sequence[str]] = None,
    *,
    chunked_idx: bool = True,
    mv_layout: str = "grouped",
    line_terminator: str = "\n",
) -> bytes:
    """The CSV body of one execute chunk, as splunkd writes it (see the module docstring).

    `fieldnames` defaults to `chunk_fieldnames(records)`; a record without `_chunked_idx` gets its row
    number. Pass `fieldnames` and no records for a header-only body.
    """
    names = list(fieldnames) if fieldnames is not None else chunk_fieldnames(records, chunked_idx)
    if mv_layout == "grouped":
        header = names + [MV_PREFIX + name for name in names]
    elif mv_layout == "interleaved":
        header = [column for name in names for column in (name, MV_PREFIX + name)]
    else:
        raise ValueError(f"mv_layout must be 'grouped' or 'interleaved', not {mv_layout!r}")
    lines = [",".join(_splunkd_quote(name) for name in header)]
    for row_number, record in enumerate(records):
        singles: List[str] = []
        multis: List[str] = []
        for name in names:
            value = record.get(name)
            if value is None and name == CHUNKED_IDX and chunked_idx:
                value = str(row_number)
            single, multi = _columns(value)
            singles.append(_splunkd_quote(single))
            multis.append(_splunkd_quote(multi))
        if mv_layout == "grouped":
            lines.append(",".join(singles + multis))
        else:
            lines.append(",".join(column for pair in zip(singles, multis) for column in pair))
    return (line_terminator.join(lines) + line_terminator).encode("utf-8")


def _csv_rows(body: bytes) -> Iterator[List[str]]:
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(f"CSV body is not UTF-8: {error}") from error
    try:
        yield from csv.reader(io.StringIO(text, newline=""), strict=True)
    except csv.Error as error:
        raise ProtocolError(f"bad CSV body: {error}") from error


def decode_header(body: bytes) -> List[str]:
    """The column names of a CSV body without the `__mv_` columns ([] for an empty body)."""
    header = next(_csv_rows(body), [])
    return [name for name in header if not name.startswith(MV_PREFIX)]


def decode_records(body: bytes) -> Iterator[Record]:
    """The records of a CSV body, multivalue fields as lists (see the module docstring)."""
    rows = _csv_rows(body)
    header = next(rows, None)
    if header is None:
        return
    mv_column = {
        name[len(MV_PREFIX) :]: index for index, name in enumerate(header) if name.startswith(MV_PREFIX)
    }
    plain = [
        (index, name, mv_column.get(name))
        for index, name in enumerate(header)
        if not name.startswith(MV_PREFIX)
    ]
    for row in rows:
        if len(row) != len(header):
            raise ProtocolError(f"CSV row has {len(row)} columns, header has {len(header)}")
        record: Record = {}
        for index, name, mv_index in plain:
            encoded = row[mv_index] if mv_index is not None else ""
            record[name] = decode_multivalue(encoded) if encoded else row[index]
        yield record


def batched(records: Iterable[T], size: int) -> Iterator[List[T]]:
    """Cuts a stream of records into chunks of `size` (splunkd sends at most maxresultrows per chunk)."""
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    batch: List[T] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch

