"""Real splunkd streams (Splunk 6.3 recordings, tests/fixtures/splunkd) replayed into the built command.

Only the getinfo args, app and dispatch_dir are replaced; every other byte is what splunkd wrote. The
records must come back exactly as recorded, in order, with the hostnet fields added.
"""

from typing import Callable, Dict, List

from hostnet_tools import scp
from kube_hostnet import FIELD_NAMES


def _recorded_records(transcript: bytes) -> List[scp.Record]:
    """The records splunkd sent, read from the recording itself."""
    frames = scp.split_frames(transcript)
    execute = [chunk for chunk, _raw in frames if chunk.metadata.get("action") == "execute"]
    return [record for chunk in execute for record in chunk.records()]


def _assert_unchanged_plus_fields(recorded: List[scp.Record], received: List[scp.Record]) -> None:
    assert len(received) == len(recorded)
    for sent, got in zip(recorded, received):
        assert list(got) == [*sent, *FIELD_NAMES]
        assert {name: got[name] for name in sent} == sent


def test_countmatches_recording_comes_back_unchanged(
    command_script: str, python: str, splunkd_transcript: Callable[[str], bytes]
) -> None:
    transcript = splunkd_transcript("countmatches")

    with scp.replay_transcript(command_script, python, transcript) as run:
        assert run.getinfo.metadata.get("type") == "streaming"
        replies = list(run.replies())

    assert run.returncode == 0, run.stderr
    assert [reply.finished for reply in replies] == [True]
    received = replies[0].records()
    assert len(received) == 500
    _assert_unchanged_plus_fields(_recorded_records(transcript), received)


def test_sum_map_recording_of_50000_events_comes_back_unchanged(
    command_script: str, interpreters: Dict[str, str], splunkd_transcript: Callable[[str], bytes]
) -> None:
    # 16 MB in one chunk: run under one interpreter to keep the suite fast; countmatches covers both.
    transcript = splunkd_transcript("sum.map")

    run = scp.replay_transcript(command_script, interpreters["3.13"], transcript, args=["loglevel=WARNING"])
    result = run.collect()

    assert result.returncode == 0, result.stderr
    received = result.records
    assert len(received) == 50000
    _assert_unchanged_plus_fields(_recorded_records(transcript), received)
    # Plain-text events are not JSON audit events (docs/design.md rule 8).
    assert {record["hostnet"] for record in received} == {"unknown"}
