"""The built command's record path against splunklib's own, both run as splunkd runs them, under Python 3.9
and 3.13: generated chunks, the real splunkd transcripts, realistic audit records with NUL in them.

The reference is hostnetcheck 1.0.0's command (splunklib's StreamingCommand calling hostnetcheck_stream)
over the same built lib/ and bin/. Answers are compared as splunklib's reader reads them
(tests/support/recordpath_cases.py), with the documented differences stated there.
"""

from pathlib import Path
from typing import Callable, Dict, Iterator, List, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostnet_tools import bench_inputs, bench_workload, scp
from tests.support.recordpath_cases import Chunk, chunk_bodies, documented_difference, read

_REFERENCE = '''"""hostnetcheck 1.0.0: splunklib's own record path over the built add-on's lib/ and bin/."""
import sys

sys.path[:0] = [{lib!r}, {bin!r}]
from splunklib.searchcommands import Configuration, Option, StreamingCommand, dispatch, validators

import hostnetcheck_stream  # noqa: E402


@Configuration()
class HostnetcheckCommand(StreamingCommand):
    field = Option(name="field", require=False, validate=validators.Fieldname(), default="_raw")
    loglevel = Option(name="loglevel", require=False)

    def stream(self, records):
        return hostnetcheck_stream.stream(self, records)


dispatch(HostnetcheckCommand, sys.argv, sys.stdin, sys.stdout, __name__)
'''


@pytest.fixture(scope="module")
def reference_script(app_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    bin_dir = tmp_path_factory.mktemp("reference") / "TA-kubernetes-hostnet" / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "hostnetcheck.py"
    script.write_text(_REFERENCE.format(lib=str(app_dir / "lib"), bin=str(app_dir / "bin")), encoding="utf-8")
    return str(script)


def _run(script: str, python: str, bodies: Sequence[bytes], args: Sequence[str] = ()) -> scp.Collected:
    def requests(dispatch_dir: str) -> Iterator[bytes]:
        yield scp.encode_chunk(
            scp.getinfo_metadata(list(args), dispatch_dir=dispatch_dir, app=scp.app_of(script))
        )
        for body in bodies:
            yield scp.encode_chunk({"action": "execute", "finished": False}, body)
        yield scp.encode_chunk({"action": "execute", "finished": True})

    return scp.CommandRun(script, python, requests).collect()


def _assert_same_answers(ours: scp.Collected, theirs: scp.Collected, bodies: Sequence[bytes]) -> None:
    assert ours.returncode == 0, ours.stderr
    assert ours.errors == []
    if theirs.returncode or theirs.errors:
        return  # splunklib lost the chunk (a csv error); the new path answered it
    assert [reply.metadata for reply in ours.replies] == [reply.metadata for reply in theirs.replies]
    for body, mine, reference in zip(bodies, ours.replies, theirs.replies):
        why = documented_difference(body)
        if why is None:
            assert read(mine.body) == read(reference.body), body[:300]
        else:
            assert len(read(mine.body)) == len(read(reference.body)), why


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunks=st.lists(chunk_bodies(), min_size=1, max_size=4))
def test_generated_chunks_are_answered_as_splunklib_answers_them(
    command_script: str, reference_script: str, python: str, chunks: List[Chunk]
) -> None:
    bodies = [chunk.body for chunk in chunks]

    _assert_same_answers(_run(command_script, python, bodies), _run(reference_script, python, bodies), bodies)


def _transcript_bodies(transcript: bytes) -> List[bytes]:
    return [
        chunk.body
        for chunk, _raw in scp.split_frames(transcript)
        if chunk.metadata.get("action") == "execute"
    ]


def _replayed(script: str, python: str, transcript: bytes) -> List[scp.Chunk]:
    with scp.replay_transcript(script, python, transcript) as run:
        replies = list(run.replies())
    assert run.returncode == 0, run.stderr
    return replies


def _assert_transcript_answered_alike(command: str, reference: str, python: str, transcript: bytes) -> int:
    ours, theirs = _replayed(command, python, transcript), _replayed(reference, python, transcript)
    assert [reply.metadata for reply in ours] == [reply.metadata for reply in theirs]
    for mine, their in zip(ours, theirs):
        assert read(mine.body) == read(their.body)
    return sum(len(read(reply.body)) for reply in ours)


def test_countmatches_transcript_is_answered_as_splunklib_answers_it(
    command_script: str, reference_script: str, python: str, splunkd_transcript: Callable[[str], bytes]
) -> None:
    transcript = splunkd_transcript("countmatches")

    assert _assert_transcript_answered_alike(command_script, reference_script, python, transcript) == 500


def test_sum_map_transcript_is_answered_as_splunklib_answers_it(
    command_script: str,
    reference_script: str,
    interpreters: Dict[str, str],
    splunkd_transcript: Callable[[str], bytes],
) -> None:
    # 16 MB in one chunk: one interpreter keeps the suite fast; countmatches runs under both.
    transcript = splunkd_transcript("sum.map")

    answered = _assert_transcript_answered_alike(
        command_script, reference_script, interpreters["3.13"], transcript
    )
    assert answered == 50000


@pytest.mark.parametrize("shape", bench_inputs.SHAPES)
def test_nul_anywhere_in_audit_records_loses_nothing_under_39(
    command_script: str, reference_script: str, interpreters: Dict[str, str], shape: str
) -> None:
    """Under 3.9 splunklib loses a chunk with a NUL in any field; the new path answers it as splunklib
    answers it under 3.13, whose csv module accepts NUL."""
    records = [
        bench_inputs.reduce_to(shape, record) for record in bench_inputs.records(bench_workload.MIXED, 6, 2)
    ]
    for number, record in enumerate(records):
        name = sorted(record)[number * 7 % len(record)]
        value = record[name]
        record[name] = [item + "\x00" for item in value] if isinstance(value, list) else "\x00" + value
    bodies = [scp.encode_records(records)]

    ours = _run(command_script, interpreters["3.9"], bodies)
    theirs = _run(reference_script, interpreters["3.13"], bodies)
    lost = _run(reference_script, interpreters["3.9"], bodies)

    assert any("line contains NUL" in text for text in lost.errors)
    _assert_same_answers(ours, theirs, bodies)
    assert len(read(ours.replies[0].body)) == len(records)


def test_a_second_hostnetcheck_replaces_the_first_ones_columns_as_splunklib_does(
    command_script: str, reference_script: str, python: str, audit_events: Dict[str, str]
) -> None:
    """`... | hostnetcheck | hostnetcheck`: the second one gets the first one's answer, stale verdict columns
    included, and answers it as splunklib's record.update would."""
    records = [{"_raw": raw, "n": str(number)} for number, raw in enumerate(audit_events.values())]
    first = _run(command_script, python, [scp.encode_records(records)])
    assert first.returncode == 0, first.stderr
    bodies = [first.replies[0].body]

    ours, theirs = _run(command_script, python, bodies), _run(reference_script, python, bodies)

    _assert_same_answers(ours, theirs, bodies)
    assert read(ours.replies[0].body) == read(first.replies[0].body)


def test_a_positional_argument_is_an_error(command_script: str, python: str) -> None:
    run = scp.run_command(command_script, python, [[{"_raw": "{}", "log": "{}"}]], args=["log"]).collect()

    assert run.returncode == 1
    assert run.records == []
    assert any("'log'" in text and "field=log" in text for text in run.errors), run.errors
