"""The built command under SCP v2, as splunkd drives it: every field it is given comes back untouched.

Each test runs under Python 3.9 and 3.13 (the `python` fixture). docs/design.md: every other field of the
event is passed through unchanged and every output field is always present.
"""

from typing import Dict, List, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostnet_tools import scp
from kube_hostnet import FIELD_NAMES

# Every shape splunkd can put in a CSV cell: quotes, separators, line breaks, `$` (the multivalue escape),
# multibyte UTF-8 (2-, 3- and 4-byte sequences, combining marks), leading/trailing blanks, empty.
AWKWARD_VALUES = [
    "",
    "plain",
    'say "hi", then leave',
    "line one\nline two",
    "windows\r\nline end",
    "trailing\n",
    "a,b,,c",
    "$dollar$;$",
    "ünïcödé é",  # e + combining acute
    "日本語テキスト",
    "emoji 🚀🛰️",
    "  padded  ",
    '{"json": ["inside", 1]}',
]
AWKWARD_MULTIVALUES = [
    ["a", "b"],
    ["", "only second"],
    ["$a$", "$$", ";", "$;$"],
    ["multi\nline", "with, comma", 'and "quotes"'],
    ["🚀", "日本", "ü"],
]


def _records(count: int, offset: int = 0) -> List[Dict[str, scp.InValue]]:
    records: List[Dict[str, scp.InValue]] = []
    for number in range(offset, offset + count):
        records.append(
            {
                "_raw": AWKWARD_VALUES[number % len(AWKWARD_VALUES)],
                "_time": f"{1700000000 + number}.{number:03d}",
                "awkward": AWKWARD_VALUES[(number * 7) % len(AWKWARD_VALUES)],
                "user.groups{}": AWKWARD_MULTIVALUES[number % len(AWKWARD_MULTIVALUES)],
                "objectRef.resource": "pods",
                "name with spaces, and ünïcode": AWKWARD_VALUES[(number * 3) % len(AWKWARD_VALUES)],
            }
        )
    return records


def _assert_passed_through(sent: Sequence[scp.InRecord], received: Sequence[scp.Record]) -> None:
    expected = scp.as_read(sent)
    assert len(received) == len(expected)
    for want, got in zip(expected, received):
        assert list(got) == [*want, *FIELD_NAMES], "input fields first, in order, then every hostnet field"
        assert {name: got[name] for name in want} == want


def test_getinfo_answers_a_streaming_command(command_script: str, python: str) -> None:
    run = scp.run_command(command_script, python, []).collect()

    assert run.getinfo.metadata.get("type") == "streaming"
    assert run.returncode == 0, run.stderr
    assert run.errors == []


@pytest.mark.parametrize(
    ("mv_layout", "line_terminator"),
    [("grouped", "\n"), ("interleaved", "\r\n")],
    ids=["splunkd-layout", "splunklib-layout"],
)
def test_every_field_comes_back_unchanged_across_chunks(
    command_script: str, python: str, mv_layout: str, line_terminator: str
) -> None:
    chunks = [_records(40), _records(1, offset=40), _records(25, offset=41)]

    run = scp.run_command(
        command_script, python, chunks, mv_layout=mv_layout, line_terminator=line_terminator
    ).collect()

    assert run.returncode == 0, run.stderr
    assert [reply.finished for reply in run.replies] == [False, False, False, True]
    for sent, reply in zip(chunks, run.replies):
        _assert_passed_through(sent, reply.records())
    assert run.replies[-1].records() == []


def test_header_only_chunks_give_empty_answers(command_script: str, python: str) -> None:
    records = _records(3)
    names = scp.chunk_fieldnames(records)
    chunks = [records, [], records]

    run = scp.run_command(command_script, python, chunks, fieldnames=names).collect()

    assert run.returncode == 0, run.stderr
    assert [len(reply.records()) for reply in run.replies] == [3, 0, 3, 0]
    assert [reply.finished for reply in run.replies] == [False, False, False, True]
    _assert_passed_through(records, run.replies[2].records())


# NUL included: Python 3.9's csv module rejects it, and the command's record path guards its reader
# (docs/protocol-faults.md), so it must come back like any other character.
_characters = st.characters(blacklist_categories=("Cs",))
_text = st.text(_characters | st.just("\x00"), max_size=20)
# Field names splunkd can send: not empty, not `__mv_`-prefixed (its own columns), not an output field.
_names = st.text(_characters, min_size=1, max_size=12).filter(
    lambda name: not name.startswith(scp.MV_PREFIX) and name not in FIELD_NAMES and name != scp.CHUNKED_IDX
)
_values = st.one_of(_text, st.lists(_text, min_size=2, max_size=4))
_record_batches = st.lists(st.dictionaries(_names, _values, max_size=5), min_size=1, max_size=15)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=_record_batches)
def test_any_fields_and_values_come_back_unchanged(
    command_script: str, python: str, records: List[Dict[str, scp.InValue]]
) -> None:
    run = scp.run_command(command_script, python, [records]).collect()

    assert run.returncode == 0, run.stderr
    _assert_passed_through(records, run.replies[0].records())
