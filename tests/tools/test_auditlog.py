"""The audit log reader: every shape an audit log comes in, blank and broken lines, and unreadable files."""

import errno
import gzip
import json
import os
from pathlib import Path
from typing import Any, Dict, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostnet_tools import auditlog
from hostnet_tools.auditlog import AuditLogError, read_events, splunk_truncate
from hostnet_tools.flatten import event_text

EVENTS: List[Dict[str, Any]] = [
    {"kind": "Event", "auditID": "a1", "verb": "create", "objectRef": {"resource": "pods"}},
    {"kind": "Event", "auditID": "a2", "verb": "get", "note": "<é & \u2028>", "n": [1, 2.5, None]},
    {
        "kind": "Event",
        "auditID": "a3",
        "requestObject": {"spec": {"hostNetwork": True}},
        "responseObject": {},
    },
]


def lines_of(path: Path) -> List[str]:
    return [event.raw for event in read_events(str(path))]


def numbers_of(path: Path) -> List[int]:
    return [event.number for event in read_events(str(path))]


def write_jsonl(path: Path, lines: List[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_json_lines_are_read_as_written(tmp_path: Path) -> None:
    # The text goes to Splunk as it is: spacing and key order are the event, not noise to normalise.
    lines = [json.dumps(EVENTS[0]), '{ "kind" : "Event",  "auditID":"x" }', json.dumps(EVENTS[2])]
    path = write_jsonl(tmp_path / "audit.log", lines)
    assert lines_of(path) == lines
    assert numbers_of(path) == [1, 2, 3]


def test_gzip_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    lines = [json.dumps(event) for event in EVENTS]
    path = tmp_path / "audit-2024-11-14.log"  # no .gz suffix: rotated logs are often named like this
    path.write_bytes(gzip.compress("".join(line + "\n" for line in lines).encode()))
    assert lines_of(path) == lines


def test_blank_lines_are_skipped_and_line_numbers_kept(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    path.write_text('\n{"kind":1}\n   \n\t\r\n{"b":2}\r\n\n', encoding="utf-8")
    events = list(read_events(str(path)))
    assert [(event.number, event.raw) for event in events] == [(2, '{"kind":1}'), (5, '{"b":2}')]


def test_invalid_and_cut_lines_are_events(tmp_path: Path) -> None:
    lines = [json.dumps(EVENTS[0]), "not json at all", json.dumps(EVENTS[2])[:40], "[1, 2]", "null"]
    path = write_jsonl(tmp_path / "audit.log", lines)
    assert lines_of(path) == lines


def test_cut_first_line_is_still_json_lines(tmp_path: Path) -> None:
    # A log whose first event was cut must not be mistaken for a pretty-printed document.
    lines = [json.dumps(EVENTS[0])[:30], json.dumps(EVENTS[1])]
    path = write_jsonl(tmp_path / "audit.log", lines)
    assert lines_of(path) == lines


def test_bytes_that_are_not_utf8_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    path.write_bytes(b'{"user":"caf\xe9"}\n{"ok":true}\n')
    assert lines_of(path) == ['{"user":"caf\ufffd"}', '{"ok":true}']


@pytest.mark.parametrize("indent", [None, 2])
def test_json_array(tmp_path: Path, indent: Any) -> None:
    path = tmp_path / "events.json"
    path.write_text(json.dumps(EVENTS, indent=indent), encoding="utf-8")
    # Each item becomes the line the API server would have written for it.
    assert lines_of(path) == [event_text(event) for event in EVENTS]
    assert [json.loads(raw) for raw in lines_of(path)] == EVENTS


@pytest.mark.parametrize("indent", [None, 1])
def test_event_list(tmp_path: Path, indent: Any) -> None:
    document = {"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "metadata": {}, "items": EVENTS}
    path = tmp_path / "eventlist.json"
    path.write_text(json.dumps(document, indent=indent), encoding="utf-8")
    assert lines_of(path) == [event_text(event) for event in EVENTS]
    assert numbers_of(path) == [1, 2, 3]


def test_event_list_with_items_before_kind(tmp_path: Path) -> None:
    document = {"items": EVENTS[:2], "metadata": {}, "kind": "EventList"}
    path = tmp_path / "eventlist.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert [json.loads(raw) for raw in lines_of(path)] == EVENTS[:2]


def test_documents_one_after_another(tmp_path: Path) -> None:
    # EventLists as a webhook receiver logs them, one per line, and events pretty-printed by `jq .`.
    batches = [{"kind": "EventList", "items": EVENTS[:2]}, {"kind": "EventList", "items": EVENTS[2:]}]
    path = tmp_path / "batches.log"
    path.write_text("".join(json.dumps(batch) + "\n" for batch in batches), encoding="utf-8")
    assert [json.loads(raw) for raw in lines_of(path)] == EVENTS
    path.write_text("".join(json.dumps(event, indent=2) + "\n" for event in EVENTS), encoding="utf-8")
    assert [json.loads(raw) for raw in lines_of(path)] == EVENTS
    assert numbers_of(path) == [1, 2, 3]


def test_one_pretty_printed_event(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(EVENTS[2], indent=2), encoding="utf-8")
    assert [json.loads(raw) for raw in lines_of(path)] == [EVENTS[2]]


def test_cut_array_keeps_complete_items_and_counts_the_rest_as_one_event(tmp_path: Path) -> None:
    text = json.dumps(EVENTS, indent=2)
    cut_at = text.index('"a3"')
    path = tmp_path / "events.json"
    path.write_text(text[:cut_at], encoding="utf-8")
    raws = lines_of(path)
    assert [json.loads(raw) for raw in raws[:2]] == EVENTS[:2]
    assert len(raws) == 3
    assert raws[2].startswith("{") and "auditID" in raws[2]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"[]", b'{"kind":"EventList","items":[]}'])
def test_no_events(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "audit.log"
    path.write_bytes(content)
    assert lines_of(path) == []


def test_empty_gzip(tmp_path: Path) -> None:
    path = tmp_path / "audit.log.gz"
    path.write_bytes(gzip.compress(b""))
    assert lines_of(path) == []


def test_missing_file_fails_when_opened_with_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.log"
    with pytest.raises(AuditLogError) as raised:
        read_events(str(missing))  # not iterated: the error comes before any event is asked for
    message = str(raised.value)
    assert str(missing) in message and "\n" not in message


def test_directory_is_not_readable(tmp_path: Path) -> None:
    with pytest.raises(AuditLogError, match="cannot"):
        list(read_events(str(tmp_path)))


def test_file_without_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_jsonl(tmp_path / "audit.log", ['{"a":1}'])

    # CI runs as root, which reads a file whatever its mode: the refusal is made by the opener instead.
    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)

    monkeypatch.setattr(auditlog, "open", refuse, raising=False)
    with pytest.raises(AuditLogError) as raised:
        read_events(str(path))
    assert str(raised.value) == f"{path}: cannot open: {os.strerror(errno.EACCES)}"


def test_gzip_cut_short_reads_what_it_can_then_fails(tmp_path: Path) -> None:
    lines = [json.dumps({"auditID": str(index), "pad": "x" * 200}) for index in range(200)]
    compressed = gzip.compress("".join(line + "\n" for line in lines).encode())
    path = tmp_path / "audit.log.gz"
    path.write_bytes(compressed[: len(compressed) // 2])
    read: List[str] = []
    with pytest.raises(AuditLogError, match="cannot read"):
        for event in read_events(str(path)):
            read.append(event.raw)
    assert read == lines[: len(read)]


def test_on_read_counts_the_bytes_on_disk(tmp_path: Path) -> None:
    plain = write_jsonl(tmp_path / "audit.log", [json.dumps(event) for event in EVENTS] * 50)
    packed = tmp_path / "audit.log.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    for path in (plain, packed):
        seen: List[int] = []
        list(read_events(str(path), seen.append))
        assert sum(seen) == path.stat().st_size


_LINE = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=40)


@settings(max_examples=60)
@given(st.lists(_LINE, max_size=12))
def test_json_lines_property(tmp_path_factory: pytest.TempPathFactory, lines: List[str]) -> None:
    # After a first event, whatever the lines hold (JSON or not), the events are exactly the non-blank ones,
    # numbered by line. (A first line that opens a document is another shape; one that is not JSON, no log.)
    lines = ['{"kind":"Event"}', *lines]
    path = write_jsonl(tmp_path_factory.mktemp("prop") / "audit.log", lines)
    expected = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    assert [(event.number, event.raw) for event in read_events(str(path))] == expected


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=40)
@given(
    st.lists(st.dictionaries(st.text(max_size=6), _JSON, max_size=4), max_size=6), st.sampled_from([None, 2])
)
def test_document_property(
    tmp_path_factory: pytest.TempPathFactory, events: List[Dict[str, Any]], indent: Any
) -> None:
    path = tmp_path_factory.mktemp("prop") / "events.json"
    path.write_text(json.dumps(events, indent=indent), encoding="utf-8")
    assert [json.loads(raw) for raw in lines_of(path)] == events


@settings(max_examples=200)
@given(st.text(max_size=60), st.integers(min_value=0, max_value=80))
def test_splunk_truncate_property(text: str, limit: int) -> None:
    text = text.encode("utf-8", "replace").decode("utf-8")  # no lone surrogates: the event text is UTF-8
    cut = splunk_truncate(text, limit)
    if limit == 0 or len(text.encode()) <= limit:
        assert cut == text
    else:
        assert text.startswith(cut)
        assert len(cut.encode()) <= limit
        assert len(cut.encode()) > limit - 4  # only a split character is dropped
