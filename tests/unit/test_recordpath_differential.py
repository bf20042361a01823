"""The record path against splunklib's own, in this process: on the same chunks, the new path's answer,
read back, is splunklib's answer read back, field for field and in order (recordpath_cases.read), with
the same inspector messages and `finished` flags. Where the answers differ on purpose
(recordpath_cases.documented_difference), the tests below say how.
"""

from typing import List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hostnet_rows
import hostnetcheck_stream
from tests.support.recordpath_cases import (
    MV,
    OURS,
    Chunk,
    SplunklibCommand,
    chunk_bodies,
    documented_difference,
    read,
    run,
)

NEW = hostnetcheck_stream.HostnetcheckCommand


def _compare(bodies: List[bytes], args: List[str]) -> None:
    reference = run(SplunklibCommand, bodies, args)
    answer = run(NEW, bodies, args)
    if reference.exit_code or reference.errors:
        # splunklib lost the chunk (a csv error): the new path must not.
        assert answer.exit_code == 0 and answer.errors == [], (reference.errors, answer.errors)
        return
    assert answer.exit_code == 0
    assert [reply.metadata for reply in answer.replies] == [reply.metadata for reply in reference.replies]
    for body, ours, theirs in zip(bodies, answer.replies, reference.replies):
        why = documented_difference(body)
        if why is None:
            assert read(ours.body) == read(theirs.body), body
        else:
            assert len(read(ours.body)) == len(read(theirs.body)), why


@settings(max_examples=400)
@given(chunks=st.lists(chunk_bodies(), min_size=1, max_size=3), field=st.sampled_from([[], ["field=log"]]))
def test_answers_are_splunklibs(chunks: List[Chunk], field: List[str]) -> None:
    _compare([chunk.body for chunk in chunks], field)


@settings(max_examples=60)
@given(chunks=st.lists(chunk_bodies(events_only=True), min_size=1, max_size=2))
def test_answers_are_splunklibs_on_audit_events(chunks: List[Chunk]) -> None:
    _compare([chunk.body for chunk in chunks], [])


@settings(max_examples=150)
@given(chunk=chunk_bodies())
def test_answers_are_splunklibs_where_the_reader_is_shown_escaped_lines(chunk: Chunk) -> None:
    """Python 3.9's csv rejects NUL, so there every line with one is escaped for the reader; the same
    escaping, forced here under this interpreter, must change nothing in the answer."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hostnet_rows, "_NUL_REJECTED", True)
        _compare([chunk.body], [])


def test_a_field_named_like_a_multivalue_column_is_kept() -> None:
    """splunklib reads every `__mv_` column as another field's multivalue encoding: a field literally named
    `__mv_x` is lost, and its value (not a valid encoding) blanks field `x`. In splunkd's layout each field
    has its own `__mv_` column, so the new path keeps both."""
    body = b'x,"__mv_x","__mv_x","__mv___mv_x"\nkept,literal,,\n'

    theirs = run(SplunklibCommand, [body]).replies[0]
    ours = run(NEW, [body]).replies[0]

    assert read(theirs.body)[0][0] == ("x", "")
    assert ours.body.startswith(b"x,__mv_x,__mv_x,__mv___mv_x," + f"{OURS[0]},{MV}{OURS[0]},".encode())
    assert ours.body.split(b"\r\n")[1].startswith(b"kept,literal,,,")


def test_a_first_row_shorter_than_the_header_keeps_every_column() -> None:
    """splunklib takes the answer's columns from the first record, so a short first row drops the missing
    columns from every row of the chunk; the new path keeps the header's columns."""
    body = b'a,b,"__mv_a","__mv_b"\n1\n2,3,,\n'

    theirs = read(run(SplunklibCommand, [body]).replies[0].body)
    ours = read(run(NEW, [body]).replies[0].body)

    assert [name for name, _ in theirs[1]][:1] == ["a"] and "b" not in dict(theirs[1])
    assert dict(ours[1])["b"] == "3" and dict(ours[0])["b"] == ""
