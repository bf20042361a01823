"""Runs a built search command the way splunkd runs it: SCP v2, the "chunked 1.0" protocol, over stdin/stdout.

Used by the protocol tests, `make run` (replay of audit logs) and `make bench`. Nothing here imports
splunklib: the driver speaks the wire format, so it checks the SDK instead of trusting it.

Wire format (what splunkd writes, from the recordings in tests/fixtures/splunkd and splunkd 8.2.1 transcripts
in NDietrich/Splunk-CustomSearchProtocol-v2 `example_messages/`):

- every message is `chunked 1.0,<metadata bytes>,<body bytes>\\n` then the JSON metadata, then the body;
- first a getinfo chunk (`{"action":"getinfo","preview":false,"streaming_command_will_restart":false,
  "searchinfo":{...}}`, no body); the command answers with its configuration (`{"type":"streaming",...}`);
- then execute chunks `{"action":"execute","finished":false}` whose body is CSV: a header, one row per record;
  the command answers each with one chunk (`{"finished":false}` + CSV, inspector messages in the metadata);
- splunkd 8.x/9.x ends with `{"action":"execute","finished":true}` whose body is only the CSV header;
- splunkd waits for the answer to a chunk before it sends the next one (lock-step); so does this driver.

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

Streaming and memory: records go in as an iterable of chunks (each an iterable of records; `batched`
cuts a flat stream), and come out as a generator. A writer thread encodes the next chunk while the command
works on the current one and sends it once the answer is read, so at most two input chunks and one output
chunk are in memory, and a command that writes while it reads can never deadlock on a full pipe. stderr
is drained by its own thread (the last `STDERR_KEEP` bytes are kept).

Usage::

    from hostnet_tools import scp

    with scp.run_command(app_dir + "/bin/hostnetcheck.py", "/path/python3.13",
                         scp.batched(records, 50_000), args=["loglevel=DEBUG"]) as run:
        run.getinfo.metadata["type"]           # "streaming"
        for reply in run.replies():            # one per execute chunk; reply.records(), reply.messages
            ...
    run.returncode, run.stderr, run.messages   # after the block

    result = scp.run_command(script, python, [records]).collect()   # everything in lists, for tests

    with scp.replay_transcript(script, python, gzip.open(path).read(), args=["loglevel=INFO"]) as run:
        records = list(run.records())

The child gets this process's environment without PYTHON* and SPLUNK_* variables (a developer's
PYTHONPATH would otherwise load package/bin instead of the built app), plus `env`; its working directory
is the dispatch directory (a temporary one unless given), as for a search process.
"""

import codecs
import collections
import contextlib
import csv
import gzip
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from typing import (
    IO,
    Any,
    Callable,
    Deque,
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
STDERR_KEEP = 1024 * 1024
DEFAULT_TIMEOUT = 300.0
SPLUNK_VERSION = "9.3.2"
# splunkd's default and splunklib's flush threshold.
MAX_RESULT_ROWS = 50000
_MAX_HEADER_LINE = 128
_HEADER = re.compile(rb"chunked 1\.0,(\d+),(\d+)\n\Z")
# Values up to the largest event Splunk can hold must decode (splunklib itself allows 10 MB).
_CSV_FIELD_LIMIT = 256 * 1024 * 1024
_STRIPPED_ENV_PREFIXES = ("PYTHON", "SPLUNK_")


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


# --- getinfo -----------------------------------------------------------------------------------------------


def getinfo_metadata(
    args: Sequence[str],
    *,
    dispatch_dir: str,
    app: str,
    command: str = "hostnetcheck",
    raw_args: Optional[Sequence[str]] = None,
    search: Optional[str] = None,
    sid: Optional[str] = None,
    owner: str = "admin",
    username: str = "admin",
    splunk_version: str = SPLUNK_VERSION,
    earliest_time: str = "0",
    latest_time: str = "0",
    maxresultrows: int = MAX_RESULT_ROWS,
) -> Dict[str, Any]:
    """A getinfo message with every searchinfo key splunkd 8.x/9.x sends, in splunkd's order."""
    raw = list(raw_args) if raw_args is not None else list(args)
    if search is None:
        search = " ".join(["search index=k8s sourcetype=_json |", command, *raw])
    return {
        "action": "getinfo",
        "preview": False,
        "streaming_command_will_restart": False,
        "searchinfo": {
            "args": list(args),
            "raw_args": raw,
            "dispatch_dir": dispatch_dir,
            "sid": sid if sid is not None else os.path.basename(os.path.normpath(dispatch_dir)),
            "app": app,
            "owner": owner,
            "username": username,
            "session_key": secrets.token_urlsafe(48),
            "splunkd_uri": "https://127.0.0.1:8089",
            "splunk_version": splunk_version,
            "search": urllib.parse.quote(search, safe=""),
            "command": command,
            "maxresultrows": maxresultrows,
            "earliest_time": earliest_time,
            "latest_time": latest_time,
        },
    }


def app_of(script: str) -> str:
    """The app a command belongs to: `<apps>/<app>/bin/<command>.py` -> `<app>`."""
    return os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(script))))


def command_of(script: str) -> str:
    return os.path.splitext(os.path.basename(script))[0]


def execute_frames(
    chunks: Iterable[Iterable[InRecord]],
    *,
    fieldnames: Optional[Sequence[str]] = None,
    mv_layout: str = "grouped",
    line_terminator: str = "\n",
) -> Iterator[bytes]:
    """Execute chunks for each chunk of records, then the final header-only `finished` chunk.

    A chunk is materialised only when the writer asks for it. `fieldnames` fixes the header of every chunk
    (so an empty chunk still has one); otherwise each chunk's header comes from its records and the final
    chunk repeats the last header of a chunk with records, as splunkd 8.x/9.x does.
    """
    last_names: Optional[List[str]] = list(fieldnames) if fieldnames is not None else None
    for chunk in chunks:
        records = list(chunk)
        names = list(fieldnames) if fieldnames is not None else chunk_fieldnames(records)
        if records or last_names is None:
            last_names = names
        body = encode_records(records, names, mv_layout=mv_layout, line_terminator=line_terminator)
        yield encode_chunk({"action": "execute", "finished": False}, body)
    final_body = b""
    if last_names is not None:
        final_body = encode_records([], last_names, mv_layout=mv_layout, line_terminator=line_terminator)
    yield encode_chunk({"action": "execute", "finished": True}, final_body)


# --- the process -------------------------------------------------------------------------------------------


def child_environment(env: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    child = {
        name: value for name, value in os.environ.items() if not name.startswith(_STRIPPED_ENV_PREFIXES)
    }
    child.update(env or {})
    return child


class Collected(NamedTuple):
    """A finished run, all in memory: for tests and small inputs."""

    getinfo: Chunk
    replies: List[Chunk]
    returncode: int
    stderr: str

    @property
    def records(self) -> List[Record]:
        return [record for reply in self.replies for record in reply.records()]

    @property
    def messages(self) -> List[Tuple[str, str]]:
        return [message for chunk in [self.getinfo, *self.replies] for message in chunk.messages]

    @property
    def errors(self) -> List[str]:
        """The texts of the ERROR and FATAL messages: what fails a search in the Job Inspector."""
        return [text for level, text in self.messages if level in ("ERROR", "FATAL")]


class CommandRun:
    """One run of a search command process, driven lock-step like splunkd.

    `requests(dispatch_dir)` gives the framed chunks to send, getinfo first. Enter the context to start the
    process and read the getinfo answer (`getinfo`); `replies()` yields the rest; leaving the context waits
    for the exit (or kills a command that outlives `timeout` seconds, counted from the start).
    """

    def __init__(
        self,
        script: str,
        python: str,
        requests: Callable[[str], Iterable[bytes]],
        *,
        env: Optional[Mapping[str, str]] = None,
        dispatch_dir: Optional[str] = None,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
    ) -> None:
        self.script = os.path.abspath(script)
        self.python = python
        self._requests = requests
        self._env = child_environment(env)
        self._own_dispatch_dir = dispatch_dir is None
        self.dispatch_dir = dispatch_dir or ""
        self._timeout = timeout
        self._process: Optional[subprocess.Popen[bytes]] = None
        self._may_send = threading.Semaphore(1)
        self._stop = threading.Event()
        self._writer: Optional[threading.Thread] = None
        self._stderr_reader: Optional[threading.Thread] = None
        self._stderr_tail: Deque[bytes] = collections.deque()
        self._stderr_size = 0
        self._writer_error: Optional[BaseException] = None
        self._killer: Optional[threading.Timer] = None
        self._ended = False
        self.timed_out = False
        self.returncode: Optional[int] = None
        self.messages: List[Tuple[str, str]] = []
        self._getinfo: Optional[Chunk] = None
        self._replies: Iterator[Chunk] = iter(())

    # context and lifecycle

    def __enter__(self) -> "CommandRun":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        if self._own_dispatch_dir:
            self.dispatch_dir = os.path.join(tempfile.mkdtemp(prefix="hostnet-scp-"), f"{time.time():.3f}")
            os.makedirs(self.dispatch_dir)
        frames = iter(self._requests(self.dispatch_dir))
        self._process = subprocess.Popen(
            [self.python, self.script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self._env,
            cwd=self.dispatch_dir,
        )
        if self._timeout is not None:
            self._killer = threading.Timer(self._timeout, self._kill_for_timeout)
            self._killer.daemon = True
            self._killer.start()
        self._writer = threading.Thread(
            target=self._write_all, args=(frames,), name="scp-writer", daemon=True
        )
        self._stderr_reader = threading.Thread(target=self._drain_stderr, name="scp-stderr", daemon=True)
        self._writer.start()
        self._stderr_reader.start()
        self._replies = self._read_replies()
        self._getinfo = next(self._replies, None)

    @property
    def getinfo(self) -> Chunk:
        if self._getinfo is None:
            raise ProtocolError(f"the command answered nothing to getinfo; stderr: {self.stderr[-2000:]}")
        return self._getinfo

    def replies(self) -> Iterator[Chunk]:
        """The answers to the execute chunks, in order, as they arrive."""
        return self._replies

    def records(self) -> Iterator[Record]:
        for reply in self._replies:
            yield from decode_records(reply.body)

    def close(self) -> int:
        """Reads what is left, waits for the exit, removes a temporary dispatch dir; the exit code."""
        if self.returncode is not None:
            return self.returncode
        for _ in self._replies:
            pass
        process = self._started()
        self.returncode = process.wait()
        if self._killer is not None:
            self._killer.cancel()
        for thread in (self._writer, self._stderr_reader):
            if thread is not None:
                thread.join()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        if self._own_dispatch_dir and self.dispatch_dir:
            shutil.rmtree(os.path.dirname(self.dispatch_dir), ignore_errors=True)
        if self._writer_error is not None:
            raise self._writer_error
        return self.returncode

    def collect(self) -> Collected:
        """Runs to the end and returns everything (enters the context itself when needed)."""
        if self._process is None:
            self.start()
        replies = list(self._replies)
        returncode = self.close()
        return Collected(self.getinfo, replies, returncode, self.stderr)

    @property
    def stderr(self) -> str:
        return codecs.decode(b"".join(self._stderr_tail), "utf-8", "replace")

    # threads

    def _started(self) -> "subprocess.Popen[bytes]":
        if self._process is None:
            raise RuntimeError("the command has not been started")
        return self._process

    def _kill_for_timeout(self) -> None:
        self.timed_out = True
        if self._process is not None:
            self._process.kill()

    def _write_all(self, frames: Iterator[bytes]) -> None:
        stdin = self._started().stdin
        if stdin is None:
            return
        try:
            for frame in frames:
                self._may_send.acquire()
                if self._stop.is_set():
                    break
                stdin.write(frame)
                stdin.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the command exited; the reader reports what it said before
        except Exception as error:  # noqa: BLE001 -- the caller's records raised: close() re-raises it
            self._writer_error = error
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def _drain_stderr(self) -> None:
        stderr = self._started().stderr
        while stderr is not None:
            block = stderr.read1(65536)  # type: ignore[attr-defined]
            if not block:
                return
            self._stderr_tail.append(block)
            self._stderr_size += len(block)
            while self._stderr_size - len(self._stderr_tail[0]) >= STDERR_KEEP:
                self._stderr_size -= len(self._stderr_tail.popleft())

    def _read_replies(self) -> Iterator[Chunk]:
        process = self._started()
        stdout = process.stdout
        if stdout is None:
            return
        finished = False
        try:
            while True:
                chunk = read_chunk(stdout)
                if chunk is None:
                    finished = True
                    return
                self.messages.extend(chunk.messages)
                self._may_send.release()
                yield chunk
        finally:
            self._stop.set()
            self._may_send.release()
            if not finished and process.poll() is None:
                process.kill()  # the consumer stopped early or the stream broke: splunkd would cancel


# --- entry points ------------------------------------------------------------------------------------------


def run_command(
    script: str,
    python: str,
    chunks: Iterable[Iterable[InRecord]],
    args: Sequence[str] = (),
    *,
    raw_args: Optional[Sequence[str]] = None,
    env: Optional[Mapping[str, str]] = None,
    dispatch_dir: Optional[str] = None,
    fieldnames: Optional[Sequence[str]] = None,
    mv_layout: str = "grouped",
    line_terminator: str = "\n",
    timeout: Optional[float] = DEFAULT_TIMEOUT,
    searchinfo: Optional[Mapping[str, Any]] = None,
) -> CommandRun:
    """Runs `script` on these chunks of records as splunkd would. `searchinfo` overrides getinfo keys."""

    def requests(dispatch: str) -> Iterator[bytes]:
        getinfo = getinfo_metadata(
            args, dispatch_dir=dispatch, app=app_of(script), command=command_of(script), raw_args=raw_args
        )
        getinfo["searchinfo"].update(searchinfo or {})
        yield encode_chunk(getinfo)
        yield from execute_frames(
            chunks, fieldnames=fieldnames, mv_layout=mv_layout, line_terminator=line_terminator
        )

    return CommandRun(script, python, requests, env=env, dispatch_dir=dispatch_dir, timeout=timeout)


def rewrite_transcript(
    transcript: bytes,
    args: Sequence[str],
    *,
    dispatch_dir: str,
    app: str,
    raw_args: Optional[Sequence[str]] = None,
) -> Iterator[bytes]:
    """A recorded splunkd stream with its getinfo args, raw_args, app and dispatch_dir replaced."""
    frames = split_frames(transcript)
    first = next(frames, None)
    if first is None or first[0].metadata.get("action") != "getinfo":
        raise ProtocolError("a transcript starts with a getinfo chunk")
    getinfo = dict(first[0].metadata)
    searchinfo = dict(getinfo.get("searchinfo") or {})
    searchinfo.update(
        args=list(args),
        raw_args=list(raw_args) if raw_args is not None else list(args),
        app=app,
        dispatch_dir=dispatch_dir,
    )
    getinfo["searchinfo"] = searchinfo
    yield encode_chunk(getinfo, first[0].body)
    for _chunk, raw in frames:
        yield raw


def replay_transcript(
    script: str,
    python: str,
    transcript: bytes,
    args: Sequence[str] = (),
    *,
    env: Optional[Mapping[str, str]] = None,
    dispatch_dir: Optional[str] = None,
    timeout: Optional[float] = DEFAULT_TIMEOUT,
) -> CommandRun:
    """Replays a raw recorded splunkd stream (bytes) into `script`, getinfo retargeted to it."""
    return CommandRun(
        script,
        python,
        lambda dispatch: rewrite_transcript(transcript, args, dispatch_dir=dispatch, app=app_of(script)),
        env=env,
        dispatch_dir=dispatch_dir,
        timeout=timeout,
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Usage: python -m hostnet_tools.scp SCRIPT PYTHON TRANSCRIPT.gz [ARG...] (prints the replies)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if len(arguments) < 3:
        print(main.__doc__, file=sys.stderr)
        return 2
    script, python, path, *args = arguments
    with gzip.open(path, "rb") as recorded:
        transcript = recorded.read()
    with replay_transcript(script, python, transcript, args) as run:
        print(json.dumps(run.getinfo.metadata))
        for reply in run.replies():
            print(json.dumps(reply.metadata), len(reply.records()), "records")
    print("exit", run.returncode, run.stderr[-2000:], file=sys.stderr)
    return run.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
