"""The SCP v2 driver's encoder and decoder, checked against splunklib's own reader and writer and against
the bytes real splunkd wrote (tests/fixtures/splunkd)."""

import csv
import io
import json
from collections import OrderedDict
from typing import Callable, Dict, List, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from splunklib.searchcommands import StreamingCommand
from splunklib.searchcommands.internals import RecordWriterV2
from splunklib.searchcommands.search_command import SearchCommand

from hostnet_tools import scp

_characters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
_text = st.text(_characters, max_size=30)
_dollar_heavy = st.text(st.sampled_from("$;a\n\""), max_size=8)  # the multivalue escape's edge cases
_value_text = st.one_of(_text, _dollar_heavy)
_multivalue = st.lists(_value_text, min_size=2, max_size=5)
_names = st.text(_characters, min_size=1, max_size=15).filter(lambda name: not name.startswith(scp.MV_PREFIX))
_records = st.lists(
    st.dictionaries(_names, st.one_of(_value_text, _multivalue), max_size=6), min_size=0, max_size=8
)


class _ReaderOnly(StreamingCommand):
    """Gives access to splunklib's CSV reader, the one the command uses on what the driver sends."""

    def stream(self, records):  # type: ignore[no-untyped-def]
        return records


def _splunklib_reads(body: bytes) -> List[Dict[str, object]]:
    reader = _ReaderOnly()
    return [dict(record) for record in reader._read_csv_records(io.StringIO(body.decode("utf-8")))]


def _splunklib_writes(records: Sequence[Dict[str, object]]) -> scp.Chunk:
    out = io.BytesIO()
    writer = RecordWriterV2(out)
    writer.write_records([OrderedDict(record) for record in records])
    writer.write_chunk(finished=True)
    chunk = scp.read_chunk(io.BytesIO(out.getvalue()))
    assert chunk is not None
    return chunk


# --- multivalue encoding -----------------------------------------------------------------------------------


@given(values=_multivalue)
def test_multivalue_encoding_is_splunklibs(values: List[str]) -> None:
    written = _splunklib_writes([{"field": values}]).body.decode("utf-8")
    header, row = list(csv.reader(io.StringIO(written, newline="")))

    assert header == ["field", "__mv_field"]
    assert tuple(row) == scp.encode_multivalue(values)
    assert SearchCommand._decode_list(row[1]) == values


@given(values=_multivalue)
def test_multivalue_decoding_inverts_encoding(values: List[str]) -> None:
    assert scp.decode_multivalue(scp.encode_multivalue(values)[1]) == values


@pytest.mark.parametrize("broken", ["$a", "a$", "$a$;b$", "$a$;", "$a$$", "$"])
def test_malformed_multivalue_is_a_protocol_error(broken: str) -> None:
    with pytest.raises(scp.ProtocolError):
        scp.decode_multivalue(broken)


# --- records -----------------------------------------------------------------------------------------------


@settings(max_examples=150)
@given(
    records=_records,
    mv_layout=st.sampled_from(["grouped", "interleaved"]),
    line_terminator=st.sampled_from(["\n", "\r\n"]),
)
def test_records_round_trip(
    records: List[Dict[str, scp.InValue]], mv_layout: str, line_terminator: str
) -> None:
    body = scp.encode_records(records, mv_layout=mv_layout, line_terminator=line_terminator)

    assert list(scp.decode_records(body)) == scp.as_read(records)


@settings(max_examples=150)
@given(records=_records)
def test_splunklib_reads_what_the_driver_sends(records: List[Dict[str, scp.InValue]]) -> None:
    assert _splunklib_reads(scp.encode_records(records)) == scp.as_read(records)


@settings(max_examples=150)
@given(records=st.lists(st.dictionaries(_names, st.one_of(_value_text, _multivalue), min_size=1), min_size=1))
def test_driver_reads_what_splunklib_writes(records: List[Dict[str, scp.InValue]]) -> None:
    # splunklib takes its header from the first record of a chunk, so give every record the same fields.
    names = scp.chunk_fieldnames(records, chunked_idx=False)
    uniform: List[Dict[str, object]] = [{name: record.get(name, "") for name in names} for record in records]

    assert _splunklib_writes(uniform).records() == uniform


def test_one_value_lists_and_absent_fields_encode_as_splunklib_does() -> None:
    body = scp.encode_records([{"a": ["only"], "b": []}, {"c": None}], chunked_idx=False)

    assert body == b"a,b,c,\"__mv_a\",\"__mv_b\",\"__mv_c\"\nonly,,,,,\n,,,,,\n"


@pytest.mark.parametrize("name", ["countmatches", "sum.map"])
def test_encoder_reproduces_the_bytes_splunkd_wrote(
    name: str, splunkd_transcript: Callable[[str], bytes]
) -> None:
    execute = [chunk for chunk, _raw in scp.split_frames(splunkd_transcript(name)) if chunk.body]
    assert len(execute) == 1
    recorded = execute[0].body

    records = list(scp.decode_records(recorded))
    names = scp.decode_header(recorded)

    assert scp.encode_records(records, names, chunked_idx=False) == recorded


def test_decoder_reads_crlf_and_embedded_line_breaks() -> None:
    body = b'x,"__mv_x"\r\n"a\r\nb",\r\n"$",\r\n'

    assert list(scp.decode_records(body)) == [{"x": "a\r\nb"}, {"x": "$"}]


def test_decoder_rejects_ragged_rows() -> None:
    with pytest.raises(scp.ProtocolError):
        list(scp.decode_records(b"a,b\n1\n"))


# --- framing and getinfo -----------------------------------------------------------------------------------


@given(metadata=st.dictionaries(st.text(max_size=5), _text, max_size=3), body=st.binary(max_size=200))
def test_chunks_round_trip(metadata: Dict[str, str], body: bytes) -> None:
    framed = scp.encode_chunk(metadata, body) + scp.encode_chunk({"finished": True})
    stream = io.BytesIO(framed)

    assert scp.read_chunk(stream) == scp.Chunk(metadata, body)
    assert scp.read_chunk(stream) == scp.Chunk({"finished": True}, b"")
    assert scp.read_chunk(stream) is None


@pytest.mark.parametrize(
    "broken",
    [b"chunked 2.0,2,0\n{}", b"chunked 1.0,10,0\n{}", b"chunked 1.0,2,5\n{}abc", b"chunked 1.0,2,0\n[]"],
    ids=["version", "short-metadata", "short-body", "not-an-object"],
)
def test_broken_frames_are_protocol_errors(broken: bytes) -> None:
    with pytest.raises(scp.ProtocolError):
        scp.read_chunk(io.BytesIO(broken))


def test_getinfo_has_every_key_modern_splunkd_sends() -> None:
    getinfo = scp.getinfo_metadata(["field=log"], dispatch_dir="/d/1700000000.42", app="TA-x")

    assert list(getinfo) == ["action", "preview", "streaming_command_will_restart", "searchinfo"]
    assert list(getinfo["searchinfo"]) == [
        "args", "raw_args", "dispatch_dir", "sid", "app", "owner", "username", "session_key",
        "splunkd_uri", "splunk_version", "search", "command", "maxresultrows", "earliest_time", "latest_time",
    ]  # fmt: skip
    assert getinfo["searchinfo"]["sid"] == "1700000000.42"
    search = "search%20index%3Dk8s%20sourcetype%3D_json%20%7C%20hostnetcheck%20field%3Dlog"
    assert getinfo["searchinfo"]["search"] == search


def test_execute_frames_end_with_a_header_only_finished_chunk() -> None:
    frames = list(scp.execute_frames([[{"a": "1"}, {"a": "2", "b": ["x", "y"]}]]))
    chunks = [scp.read_chunk(io.BytesIO(frame)) for frame in frames]

    assert [chunk.metadata if chunk else None for chunk in chunks] == [
        {"action": "execute", "finished": False},
        {"action": "execute", "finished": True},
    ]
    first, final = (chunk for chunk in chunks if chunk is not None)
    assert final.body == first.body.split(b"\n", 1)[0] + b"\n"
    assert final.fieldnames() == ["a", "b", scp.CHUNKED_IDX]
    assert final.records() == []


def test_rewritten_transcript_changes_only_the_getinfo_target(
    splunkd_transcript: Callable[[str], bytes],
) -> None:
    transcript = splunkd_transcript("countmatches")

    frames = list(scp.rewrite_transcript(transcript, ["loglevel=DEBUG"], dispatch_dir="/d/1", app="TA-x"))

    recorded = [raw for _chunk, raw in scp.split_frames(transcript)]
    assert frames[1:] == recorded[1:]
    getinfo = scp.read_chunk(io.BytesIO(frames[0]))
    original = json.loads(recorded[0].split(b"\n", 1)[1])
    assert getinfo is not None
    searchinfo = getinfo.metadata["searchinfo"]
    changed = {key for key, value in searchinfo.items() if original["searchinfo"].get(key) != value}
    assert changed == {"args", "raw_args", "dispatch_dir", "app"}
    assert getinfo.metadata["searchinfo"]["args"] == ["loglevel=DEBUG"]


def test_batched_cuts_a_stream_into_chunks() -> None:
    assert [len(chunk) for chunk in scp.batched(iter(range(7)), 3)] == [3, 3, 1]
    with pytest.raises(ValueError, match="at least 1"):
        list(scp.batched([], 0))
