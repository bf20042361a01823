"""The record path's parts against what they stand in for: splunklib's writer (cells), the csv reader's
record ends (split_lines), bounded reads (Lines), and splunklib's reader (record_of)."""

import csv
import io
import json
import subprocess
from collections import OrderedDict
from pathlib import Path
from typing import Any, Dict, List

from hypothesis import given, settings
from hypothesis import strategies as st
from splunklib.searchcommands.internals import RecordWriterV2

import hostnet_recordpath
import hostnet_rows
import hostnet_sdk
from hostnet_tools import scp
from tests.support.recordpath_cases import SplunklibCommand, chunk_bodies

_text = st.text(
    st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from('$;\r\n"')), max_size=8
)
_cell_values = st.one_of(
    st.none(),
    _text,
    st.booleans(),
    st.integers(),
    st.lists(st.one_of(_text, st.none(), st.integers(), st.booleans()), max_size=4),
)


def _splunklib_cells(fields: Dict[str, Any]) -> List[str]:
    out = io.BytesIO()
    writer = RecordWriterV2(out)
    writer.write_records([OrderedDict(fields)])
    writer.write_chunk(finished=True)
    chunk = scp.read_chunk(io.BytesIO(out.getvalue()))
    assert chunk is not None
    rows = list(csv.reader(io.StringIO(chunk.body.decode("utf-8"), newline="")))
    return rows[1]


_quoted = st.sampled_from(',"\r\n\x00')  # what makes the writer quote a value (NUL under 3.9 only)
_line_values = st.lists(
    st.text(st.one_of(st.characters(blacklist_categories=("Cs",)), _quoted), max_size=5), max_size=6
)


@settings(max_examples=300)
@given(values=_line_values)
def test_a_line_is_what_the_c_writer_writes_character_for_character(values: List[str]) -> None:
    # Rows that need no quoting are joined rather than written: the same text, under this interpreter
    # (Python 3.9's writer quotes a NUL, 3.13's does not).
    expected = io.StringIO()
    csv.writer(expected, dialect=hostnet_sdk.DIALECT).writerow(values)
    assert hostnet_recordpath._LineWriter().line(values) == expected.getvalue()


@settings(max_examples=300)
@given(fields=st.dictionaries(st.sampled_from(["a", "b", "c"]), _cell_values, min_size=1))
def test_cells_are_what_splunklibs_writer_writes(fields: Dict[str, Any]) -> None:
    line = hostnet_recordpath._LineWriter().line(hostnet_recordpath.cells(list(fields.values())))

    assert next(csv.reader(io.StringIO(line, newline=""))) == _splunklib_cells(fields)


_verdict_like = st.one_of(_text, st.lists(_text, max_size=4).map(tuple), st.lists(_text, max_size=4))


@settings(max_examples=500)
@given(values=st.lists(st.one_of(_verdict_like, _cell_values), min_size=1, max_size=6))
def test_new_columns_are_the_line_the_c_writer_writes_for_their_cells(values: List[Any]) -> None:
    # Under this interpreter, character for character: the quick paths (a str is its own cell; a value of
    # several str items is always quoted) and the careful one give the writer's line.
    expected = io.StringIO()
    csv.writer(expected, dialect=hostnet_sdk.DIALECT).writerow(hostnet_recordpath.cells(values))

    assert hostnet_recordpath._LineWriter().new_columns(values) == expected.getvalue()


def _writers_line(values: List[Any]) -> str:
    expected = io.StringIO()
    csv.writer(expected, dialect=hostnet_sdk.DIALECT).writerow(hostnet_recordpath.cells(values))
    return expected.getvalue()


@settings(max_examples=200)
@given(rows=st.lists(st.lists(st.one_of(_verdict_like, _cell_values), min_size=1, max_size=6), max_size=8))
def test_one_writer_over_many_rows_writes_each_rows_line(rows: List[List[Any]]) -> None:
    # A row's line never depends on what the writer kept from the rows before it (value types, multivalue
    # cells): one writer over the rows, each written twice, gives every row the C writer's line.
    writer = hostnet_recordpath._LineWriter()
    for values in rows + rows:
        assert writer.new_columns(values) == _writers_line(values)


def test_the_writers_stores_stay_bounded_and_right_when_full() -> None:
    writer = hostnet_recordpath._LineWriter()
    kept = hostnet_recordpath._MAX_MULTIVALUES_KEPT
    for number in range(2 * kept + 3):
        values = [f"v{number}", (f"a{number}", 'b"$'), *([()] * (number % 70))]
        assert writer.new_columns(values) == _writers_line(values)
    assert len(writer._multivalues) <= kept


@settings(max_examples=300)
@given(data=st.binary(max_size=60) | st.text(st.sampled_from('a\r\n"'), max_size=30).map(str.encode))
def test_lines_cut_where_splunklibs_reader_ends_records(data: bytes) -> None:
    lines = hostnet_rows.split_lines(data)

    assert b"".join(lines) == data
    assert all(line for line in lines)
    for line, following in zip(lines, lines[1:]):
        assert line.endswith(b"\n") or (line.endswith(b"\r") and following[:1] not in (b"\r", b"\n"))
        assert b"\n" not in line[:-1]
    if data.count(b"\r") == data.count(b"\r\n"):  # LF and CRLF only: where bytes.splitlines cuts
        assert lines == data.splitlines(True)


@settings(max_examples=200)
@given(chunk=chunk_bodies(), piece_bytes=st.integers(1, 64))
def test_reading_in_pieces_gives_the_lines_of_the_whole_body(chunk: Any, piece_bytes: int) -> None:
    whole = hostnet_rows.Lines(io.BytesIO(chunk.body), len(chunk.body))
    pieces = hostnet_rows.Lines(io.BytesIO(chunk.body + b"next"), len(chunk.body), piece_bytes)

    assert list(pieces) == list(whole)
    assert b"".join(pieces.raw) == chunk.body


def test_a_short_body_is_reported() -> None:
    lines = hostnet_rows.Lines(io.BytesIO(b"a,b\n1,2\n"), 20, 3)

    try:
        list(lines)
    except hostnet_rows.ShortBody as short:
        assert "12 bytes before the end of a 20-byte chunk" in str(short)
    else:
        raise AssertionError("a body shorter than announced was read as complete")


_field_names = st.lists(st.sampled_from(["a", "b", "_raw", "x y", "__mv_a", "é"]), min_size=1, unique=True)


@settings(max_examples=300)
@given(
    names=_field_names,
    rows=st.lists(st.lists(st.one_of(_text, st.sampled_from(["$a$;$b$", "$x$", "$$", "abc"])), max_size=9)),
    layout=st.sampled_from(["grouped", "interleaved", "plain"]),
)
def test_records_are_splunklibs(names: List[str], rows: List[List[str]], layout: str) -> None:
    if layout == "grouped":
        header = names + ["__mv_" + name for name in names]
    elif layout == "interleaved":
        header = [column for name in names for column in (name, "__mv_" + name)]
    else:
        header = [name for name in names if not name.startswith("__mv_")] or ["a"]
    described = hostnet_recordpath.layout_of(header)
    assert described is not None
    if any(field.name.startswith("__mv_") for field in described.fields):
        return  # splunklib loses such a field (test_recordpath_differential)
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    theirs = SplunklibCommand()._read_csv_records(io.StringIO(out.getvalue()))

    assert [hostnet_recordpath.record_of(described, row) for row in rows] == [dict(r) for r in theirs]


def test_headers_of_no_known_layout_go_to_splunklibs_path() -> None:
    assert hostnet_recordpath.layout_of(["a", "__mv_b"]) is None
    assert hostnet_recordpath.layout_of(["__mv_a", "a"]) is None
    assert hostnet_recordpath.layout_of(["a", "a", "__mv_a", "__mv_a"]) is None
    assert hostnet_recordpath.layout_of(["a", "b", "__mv_a", "__mv_b"]) is not None


_NEW_COLUMNS_UNDER = """
import csv, io, json, random, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import hostnet_recordpath, hostnet_sdk
alphabet = ["a", ",", '"', "\\r", "\\n", "\\x00", "$", ";", " ", "\\u00e9", "\\u2028"]
rnd = random.Random(7)
def text():
    return "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 5)))
def value():
    kind = rnd.random()
    if kind < 0.4:
        return text()
    if kind < 0.8:
        items = [text() for _ in range(rnd.randint(0, 4))]
        return tuple(items) if kind < 0.6 else items
    return rnd.choice([None, True, 3, [None, "a"], ("x", None), ["", ""], [""]])
differ = []
for _ in range(5000):
    values = [value() for _ in range(rnd.randint(1, 6))]
    expected = io.StringIO()
    csv.writer(expected, dialect=hostnet_sdk.DIALECT).writerow(hostnet_recordpath.cells(values))
    if hostnet_recordpath._LineWriter().new_columns(values) != expected.getvalue():
        differ.append(repr(values))
print(json.dumps(differ[:3]))
"""


def test_new_columns_are_the_c_writers_line_under_each_of_splunks_interpreters(
    app_dir: Path, interpreters: Dict[str, str]
) -> None:
    # Python 3.9's writer quotes a NUL and 3.13's does not: the quick paths must give each one's line.
    for python in interpreters.values():
        paths = [str(app_dir / "lib"), str(app_dir / "bin")]
        run = subprocess.run(
            [python, "-c", _NEW_COLUMNS_UNDER, *paths], capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == [], python
