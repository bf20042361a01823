"""Chunks for the record path's differential tests, splunklib's own path to compare with, and one way to read
both answers.

`chunk_bodies` generates CSV bodies as splunkd could send them and as it could not: splunkd's layout
(fields, then their `__mv_` columns), splunklib's (each field followed by its own), no `__mv_` columns,
shuffled columns; multivalue fields, quotes, CR/LF/CRLF and other line breaks inside values, invalid UTF-8,
NUL, header-only and empty bodies, rows shorter or longer than the header, malformed `__mv_` encodings,
stale verdict columns, `__mv_` look-alikes and `_chunked_idx`.

`SplunklibCommand` is hostnetcheck 1.0.0: splunklib's StreamingCommand with the same options and
hostnetcheck_stream.stream, so its answers are splunklib's own record path on the same engine. `read`
reads an answer as splunklib's reader reads it, a one-value list as its value and an empty list as "" (the
writer writes both so, and splunkd reads them so).
"""

import csv
import gc
import io
import tempfile
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from hypothesis import strategies as st
from splunklib.searchcommands import Configuration, Option, StreamingCommand, validators
from splunklib.searchcommands.search_command import SearchCommand

import hostnet_recordpath
import hostnetcheck_stream
from hostnet_tools import scp
from tests.support.paths import K8S_AUDIT as FIXTURES

EVENTS = [path.read_text(encoding="utf-8").strip() for path in sorted(FIXTURES.glob("*.json"))]
OURS = list(hostnetcheck_stream.OUTPUT_NAMES)
MV = "__mv_"
Read = List[List[Tuple[str, Any]]]

_awkward = list('\r\n",$;\x00 \t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ufdd0\ufffd\u00e9\U0001f680')
_characters = st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(_awkward))
_text = st.text(_characters, max_size=10)
_names = st.one_of(
    st.sampled_from(["_raw", "_time", "host", "a", "b c", "ünï", "x,y", 'q"t', scp.CHUNKED_IDX, "log"]),
    st.sampled_from(["user.groups{}", "objectRef.resource", "verb", "__mv_a", "__mv_", "__mv__raw"]),
    st.sampled_from(OURS[:2] + OURS[-1:]),
    st.text(_characters, min_size=1, max_size=5),
)
_values = st.one_of(
    st.sampled_from([*EVENTS, "", "{}", "not json", "pods", "create"]),
    _text,
    st.lists(st.one_of(_text, st.sampled_from(EVENTS)), min_size=1, max_size=3),
)
_bad_mv = st.sampled_from(["$a", "a$", "abc", "$", "$$$", "$a$;b$", "$a$;", "$a$$;$b$"])


class Chunk(NamedTuple):
    body: bytes
    how: str  # what was done to it, for failure messages


def _cells(value: Any) -> Tuple[str, str]:
    if isinstance(value, list):
        if len(value) > 1:
            return scp.encode_multivalue(value)
        return (value[0] if value else ""), ""
    return value, ""


def _header(names: List[str], layout: str) -> List[str]:
    if layout == "grouped":
        return names + [MV + name for name in names]
    if layout == "interleaved":
        return [column for name in names for column in (name, MV + name)]
    return list(names)


def _row(record: Dict[str, Any], names: List[str], layout: str) -> List[str]:
    pairs = [_cells(record.get(name, "")) for name in names]
    if layout == "grouped":
        return [single for single, _ in pairs] + [multi for _, multi in pairs]
    if layout == "interleaved":
        return [cell for pair in pairs for cell in pair]
    return [single for single, _ in pairs]


@st.composite
def chunk_bodies(draw: Any, events_only: bool = False) -> Chunk:
    names = draw(st.lists(_names, min_size=1, max_size=6, unique=True))
    if "_raw" not in names and draw(st.booleans()):
        names.insert(draw(st.integers(0, len(names))), "_raw")
    layout = draw(st.sampled_from(["grouped", "grouped", "interleaved", "plain", "shuffled"]))
    header = _header(names, "grouped" if layout == "shuffled" else layout)
    if layout == "shuffled":
        header = draw(st.permutations(header))
    values = st.sampled_from(EVENTS) if events_only else _values
    records = draw(st.lists(st.fixed_dictionaries(dict.fromkeys(names, values)), max_size=6))
    rows = [_row(record, names, "grouped" if layout == "shuffled" else layout) for record in records]
    how = [layout]
    for row in rows:
        if row and draw(st.integers(0, 9)) == 0:
            row[draw(st.integers(0, len(row) - 1))] = draw(_bad_mv)
            how.append("bad-cell")
        if draw(st.integers(0, 11)) == 0:
            del row[draw(st.integers(0, len(row))) :]
            how.append("short")
        elif draw(st.integers(0, 11)) == 0:
            row.extend(draw(st.lists(_text, min_size=1, max_size=2)))
            how.append("long")
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    terminator = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    writer = csv.writer(out, quoting=quoting, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows(rows)
    body = out.getvalue().encode("utf-8")
    damage = draw(st.sampled_from(["none"] * 6 + ["utf8", "nul", "empty", "no-last-line-end"]))
    if damage == "empty":
        body = b""
    elif damage == "no-last-line-end":
        body = body.rstrip(b"\r\n")
    elif damage in ("utf8", "nul") and body:
        at = draw(st.integers(0, len(body)))
        bad = (
            draw(st.sampled_from([b"\xff", b"\xe6\x97", b"\xc3", b"\xed\xa0\x80"]))
            if damage == "utf8"
            else b"\0"
        )
        body = body[:at] + bad + body[at:]
    return Chunk(body, " ".join([*how, damage, repr(quoting), repr(terminator)]))


@Configuration()
class SplunklibCommand(StreamingCommand):  # type: ignore[misc]
    """hostnetcheck 1.0.0: UCC's generated wrapper, splunklib's record path."""

    field = Option(name="field", require=False, validate=validators.Fieldname(), default="_raw")
    loglevel = Option(name="loglevel", require=False)

    def stream(self, records):  # type: ignore[no-untyped-def]
        return hostnetcheck_stream.stream(self, records)


class Answer(NamedTuple):
    exit_code: int
    getinfo: Optional[scp.Chunk]
    replies: List[scp.Chunk]  # to the execute chunks

    @property
    def errors(self) -> List[str]:
        chunks = [self.getinfo, *self.replies] if self.getinfo else self.replies
        return [text for chunk in chunks for level, text in chunk.messages if level in ("ERROR", "FATAL")]


def run(command_class: Any, bodies: Sequence[bytes], args: Sequence[str] = ()) -> Answer:
    """One search in this process: getinfo, an execute chunk per body, the final `finished` chunk."""
    with tempfile.TemporaryDirectory() as dispatch:
        frames = [scp.encode_chunk(scp.getinfo_metadata(list(args), dispatch_dir=dispatch, app="app"))]
        frames += [scp.encode_chunk({"action": "execute", "finished": False}, body) for body in bodies]
        frames.append(scp.encode_chunk({"action": "execute", "finished": True}))
        out = io.BytesIO()
        saved_tempdir = tempfile.tempdir
        code = 0
        try:
            command_class().process(["hostnetcheck.py"], io.BytesIO(b"".join(frames)), out)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        finally:
            tempfile.tempdir = saved_tempdir
            gc.unfreeze()
            gc.enable()
    answers = [chunk for chunk, _raw in scp.split_frames(out.getvalue())]
    return Answer(code, answers[0] if answers else None, answers[1:])


_READER = SplunklibCommand()


def _normal(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value) if len(value) > 1 else (value[0] if value else "")
    return value


def read(body: bytes) -> Read:
    """An answer as splunklib's reader reads it (see the module docstring)."""
    records = SearchCommand._read_csv_records(_READER, io.StringIO(body.decode("utf-8")))
    return [[(name, _normal(value)) for name, value in record.items()] for record in records]


def documented_difference(body: bytes) -> Optional[str]:
    """Why the new path answers this body otherwise than splunklib on purpose; None when it must not."""
    try:
        lines = list(csv.reader(io.StringIO(body.decode("utf-8", "replace"))))
    except csv.Error:
        return None
    if not lines:
        return None
    layout = hostnet_recordpath.layout_of(lines[0])
    if layout is None or any(
        field.name in OURS or field.name in [MV + n for n in OURS] for field in layout.fields
    ):
        return None
    if any(field.name.startswith(MV) for field in layout.fields):
        return "a field named __mv_x: splunklib reads it as x's multivalue column and loses it"
    if len(lines) > 1 and len(lines[1]) != layout.width:
        return "first row shorter or longer than the header: splunklib's columns are that row's"
    return None
