"""Protocol faults through the built command under Python 3.9 and 3.13 (the `python` fixture): each test
asserts the behaviour docs/protocol-faults.md documents, so the table and the command cannot drift apart.

Frames are built with hostnet_tools.scp's encoders; the faults that are not valid SCP v2 (a cut stream,
a blank line, bytes that are not UTF-8) are made by editing those bytes.
"""

from typing import Callable, Dict, Iterator, Sequence

import pytest

from hostnet_tools import scp
from kube_hostnet import FIELD_NAMES
from tests.support.paths import K8S_AUDIT

# splunklib 2.1.1, searchcommands/internals.py: csv.field_size_limit(10485760), in characters.
SDK_CSV_FIELD_LIMIT = 10485760
MAX_RESULT_ROWS = 50_000


def _event(name: str) -> str:
    return (K8S_AUDIT / name).read_text(encoding="utf-8").rstrip("\r\n")


def _execute(records: Sequence[scp.InRecord], finished: bool = False) -> bytes:
    body = scp.encode_records(records) if records else b""
    return scp.encode_chunk({"action": "execute", "finished": finished}, body)


def _run(script: str, python: str, frames: Sequence[bytes]) -> scp.Collected:
    """Sends getinfo, then the given frames byte for byte, lock-step as splunkd does."""

    def requests(dispatch_dir: str) -> Iterator[bytes]:
        yield scp.encode_chunk(scp.getinfo_metadata([], dispatch_dir=dispatch_dir, app=scp.app_of(script)))
        yield from frames

    return scp.CommandRun(script, python, requests).collect()


def _judged(records: Sequence[scp.Record]) -> bool:
    return all(set(FIELD_NAMES) <= set(record) for record in records)


def test_empty_chunk_between_chunks_is_answered_empty(command_script: str, python: str) -> None:
    records = [{"_raw": _event("falco_create_nginx_pod_hostnetwork.json")}]
    frames = [_execute(records), _execute([]), _execute(records), _execute([], finished=True)]

    run = _run(command_script, python, frames)

    assert run.returncode == 0, run.stderr
    assert run.errors == []
    assert [len(reply.records()) for reply in run.replies] == [1, 0, 1, 0]
    assert [reply.records()[0]["hostnet"] for reply in (run.replies[0], run.replies[2])] == ["true", "true"]


def test_chunk_of_50000_events_comes_back_whole_and_in_order(command_script: str, python: str) -> None:
    read = '{{"verb":"get","objectRef":{{"resource":"pods","name":"p{}"}}}}'
    records = [{"_raw": read.format(index), "n": str(index)} for index in range(MAX_RESULT_ROWS)]

    run = _run(command_script, python, [_execute(records), _execute([], finished=True)])

    assert run.returncode == 0, run.stderr
    received = run.replies[0].records()
    assert [record["n"] for record in received] == [str(index) for index in range(MAX_RESULT_ROWS)]
    assert [record[scp.CHUNKED_IDX] for record in received] == [str(i) for i in range(MAX_RESULT_ROWS)]
    assert {record["hostnet"] for record in received} == {"false"}


def test_field_at_the_sdk_csv_limit_is_judged(command_script: str, python: str) -> None:
    raw = '{"kind":"Event","pad":"' + "x" * (SDK_CSV_FIELD_LIMIT - 25) + '"}'
    assert len(raw) == SDK_CSV_FIELD_LIMIT

    run = _run(command_script, python, [_execute([{"_raw": raw}]), _execute([], finished=True)])

    assert run.returncode == 0, run.stderr
    (record,) = run.replies[0].records()
    assert record["_raw"] == raw
    assert record["hostnet"] == "unknown" and record["hostnet_error"]


def test_field_above_the_sdk_csv_limit_is_judged_and_loses_no_other_event(
    command_script: str, python: str
) -> None:
    """splunklib alone fails the whole chunk above its 10 MiB CSV field limit; the command lifts the limit,
    so the oversized event is `unknown` (above the engine's size bound) and the hostNetwork pod beside it is
    still judged."""
    hostnet_pod = {"_raw": _event("falco_create_nginx_pod_hostnetwork.json")}
    too_big = {"_raw": "x" * (SDK_CSV_FIELD_LIMIT + 1)}

    run = _run(command_script, python, [_execute([hostnet_pod, too_big]), _execute([], finished=True)])

    assert run.returncode == 0, run.stderr
    assert run.errors == []
    pod, big = run.replies[0].records()
    assert pod["hostnet"] == "true"
    assert big["_raw"] == too_big["_raw"]
    assert big["hostnet"] == "unknown" and big["hostnet_error"]


def test_bytes_that_are_not_utf8_become_replacement_characters(command_script: str, python: str) -> None:
    raw = _event("falco_create_nginx_pod_hostnetwork.json")
    marker = '"image":"nginx"'
    assert marker in raw
    body = scp.encode_records([{"_raw": raw}])
    broken = body.replace(marker.replace('"', '""').encode(), b'""image"":""ngi\xff\xfenx""', 1)
    assert broken != body
    frame = scp.encode_chunk({"action": "execute", "finished": False}, broken)

    run = _run(command_script, python, [frame, _execute([], finished=True)])

    assert run.returncode == 0, run.stderr
    (record,) = run.replies[0].records()
    assert record["_raw"] == raw.replace(marker, '"image":"ngi\ufffd\ufffdnx"', 1)
    assert record["hostnet"] == "true"


@pytest.mark.parametrize("cut_from_end", [1, 40], ids=["cut-in-last-field", "cut-in-last-event"])
def test_stream_ending_mid_chunk_fails_the_search_with_a_message(
    command_script: str, python: str, cut_from_end: int
) -> None:
    """Guarded: splunklib alone parses the bytes it got as if they were the whole chunk and answers a cut
    event. The command reads the body itself, so it knows the body is short: no answer is made up, and the
    message says why."""
    records = [{"_raw": _event("falco_create_nginx_pod_hostnetwork.json"), "n": str(n)} for n in range(3)]
    frame = _execute(records)

    run = _run(command_script, python, [frame[:-cut_from_end]])

    assert run.returncode == 1
    assert [reply.records() for reply in run.replies] == [[]]
    assert any(f"input ended {cut_from_end} bytes before the end" in text for text in run.errors), run.errors


def test_blank_line_between_chunks_is_skipped(command_script: str, python: str) -> None:
    """Guarded: splunklib fails on the blank line and its message is lost (the previous answer was already
    flushed). A blank line carries nothing, so the command reads the next header after it."""
    records = [{"_raw": _event("falco_create_nginx_pod_hostnetwork.json")}]
    frames = [_execute(records), b"\n" + _execute(records), b"\r\n" + _execute([], finished=True)]

    run = _run(command_script, python, frames)

    assert run.returncode == 0, run.stderr
    assert run.errors == []
    assert [len(reply.records()) for reply in run.replies] == [1, 1, 0]
    assert [reply.records()[0]["hostnet"] for reply in run.replies[:2]] == ["true", "true"]


def test_garbage_between_chunks_fails_the_search_with_a_message(command_script: str, python: str) -> None:
    """Guarded: what is not a chunk header still ends the search, but the message now reaches it."""
    records = [{"_raw": _event("falco_create_nginx_pod_hostnetwork.json")}]
    frames = [_execute(records), b"junk\n" + _execute(records), _execute([], finished=True)]

    run = _run(command_script, python, frames)

    assert run.returncode == 1
    assert [len(reply.records()) for reply in run.replies] == [1, 0]
    assert any("expected a chunk header" in text and "junk" in text for text in run.errors), run.errors


NUL_RECORDS: Dict[str, Callable[[str], Dict[str, scp.InValue]]] = {
    "in-raw": lambda pod: {"_raw": '{"kind":"Event","note":"a\x00b"}'},
    "in-a-field": lambda pod: {"_raw": pod, "user.username": "sys\x00tem"},
    "in-a-multivalue": lambda pod: {"_raw": pod, "user.groups{}": ["a\x00", "\x00b"]},
    "only-nul": lambda pod: {"_raw": pod, "userAgent": "\x00"},
}


@pytest.mark.parametrize("where", sorted(NUL_RECORDS))
def test_nul_in_any_field_loses_no_event(command_script: str, python: str, where: str) -> None:
    """Guarded: Python 3.9's csv module raises `line contains NUL` and splunklib loses the whole chunk. The
    reader is shown the line with each NUL escaped; the answer copies the original bytes."""
    pod = _event("falco_create_nginx_pod_hostnetwork.json")
    records = [{"_raw": pod, "user.username": "before"}, NUL_RECORDS[where](pod), {"_raw": pod}]

    run = _run(command_script, python, [_execute(records), _execute([], finished=True)])

    assert run.returncode == 0, run.stderr
    assert run.errors == []
    received = run.replies[0].records()
    assert len(received) == len(records) and _judged(received)
    for sent, got in zip(scp.as_read(records), received):
        assert {name: got[name] for name in sent} == sent
    assert received[0]["hostnet"] == received[2]["hostnet"] == "true"


def test_carriage_return_outside_quotes_loses_no_event(command_script: str, python: str) -> None:
    """Guarded: a CR outside quotes followed by more of the line makes the csv reader raise ("new-line
    character seen in unquoted field") under 3.9 and 3.13, and splunklib loses the chunk. splunkd quotes
    every value with a CR, so only a damaged body has one; the row ends there, and no event is lost."""
    pod = _event("falco_create_nginx_pod_hostnetwork.json")
    body = scp.encode_records([{"_raw": pod, "n": "1"}, {"_raw": pod, "n": "2"}])
    damaged = body.replace(b",1,", b",1\r,", 1)
    assert damaged != body
    frame = scp.encode_chunk({"action": "execute", "finished": False}, damaged)

    run = _run(command_script, python, [frame, _execute([], finished=True)])

    assert run.returncode == 0, run.stderr
    assert run.errors == []
    received = run.replies[0].records()
    assert [record["hostnet"] for record in received if record["_raw"]].count("true") == 2


HOSTILE_EVENTS: Dict[str, Callable[[str], str]] = {
    "10MB-cut-event": lambda pod: pod[:-10] + "x" * 10_000_000,
    "100000-levels": lambda pod: '{"a":' * 100_000 + "1" + "}" * 100_000,
}


@pytest.mark.parametrize("hostile", sorted(HOSTILE_EVENTS))
def test_hostile_event_is_unknown_and_the_next_event_is_judged(
    command_script: str, python: str, hostile: str
) -> None:
    pod = _event("falco_create_nginx_pod_hostnetwork.json")
    records = [{"_raw": HOSTILE_EVENTS[hostile](pod)}, {"_raw": pod}]

    run = _run(command_script, python, [_execute(records), _execute([], finished=True)])

    assert run.returncode == 0, run.stderr
    assert run.errors == []
    first, second = run.replies[0].records()
    assert first["hostnet"] == "unknown" and first["hostnet_error"]
    assert "internal error" not in first["hostnet_error"]
    assert second["hostnet"] == "true"
