"""Wires the hostnetcheck search command to the detection engine.

HostnetcheckCommand is the command splunkd runs (bin/hostnetcheck.py dispatches it): its options, and the
hooks of the record path (hostnet_command) that hand each row to judge(): the event field's value, and a
way to build the row's record, called only when the engine needs the extracted fields (kube_hostnet.assess
reads them only when the event field is empty). Chunks that go through splunklib's own records call
stream(). This module only reads options and values and gives the verdict's fields; the decision itself
is kube_hostnet.assess.
"""

import csv
import gc
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

from splunklib.searchcommands import Configuration, Option, validators

import hostnet_logging
from hostnet_command import RecordPathCommand
from kube_hostnet import Verdict, assess
from kube_hostnet.verdict import FIELD_NAMES, UNKNOWN, unknown

_SEARCH_STATE_ATTR = "_hostnet_search_state"
Fields = Dict[str, Union[str, List[str]]]
# The columns the command adds, in the order splunklib would write them (the keys of every verdict).
OUTPUT_NAMES = FIELD_NAMES

# splunklib 2.1.1 caps CSV fields at 10 MiB and, above it, fails the whole chunk: every other event of the
# chunk is lost with the search. The chunk is already in memory when the reader runs, so lifting the cap
# costs nothing; the engine's own bounds then judge an oversized event `unknown` and keep the rest.
# 2**31 - 1 rather than sys.maxsize, which overflows a C long on Windows. This module is imported after
# splunklib, so this runs after splunklib has set its own limit.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))

# json.loads builds about a hundred containers per audit event, all freed by reference counting (JSON trees
# hold no cycles), yet every 700 allocations start a cyclic collection: 4% of the command's CPU on
# realistic events (docs/performance.md). The command's process lives for one search, so when the search
# starts, automatic collection is turned off and what exists then is frozen (never garbage, never walked
# again); a collection every COLLECT_EVERY_EVENTS events bounds the memory of any cycle splunklib or a
# traceback does make. tests/unit/test_stream_gc.py checks that judging events leaves no cycles behind.
COLLECT_EVERY_EVENTS = 50_000


class _SearchState:
    """What is set up once per search, not once per chunk or event."""

    def __init__(self, command: Any) -> None:
        override: Optional[str] = getattr(command, "loglevel", None)
        level, warning = hostnet_logging.resolve_level(override)
        self.logger = hostnet_logging.get_logger(level)
        self.field: str = getattr(command, "field", None) or "_raw"
        self.events = 0
        self.unknown = 0
        gc.freeze()
        gc.disable()
        if warning:
            command.write_warning(warning)
            self.logger.warning(warning)
        self.logger.debug("hostnetcheck started: field=%s level=%s", self.field, level)


def _state(command: Any) -> _SearchState:
    state = getattr(command, _SEARCH_STATE_ATTR, None)
    if state is None:
        state = _SearchState(command)
        setattr(command, _SEARCH_STATE_ATTR, state)
    return state


def verdict_for(record: Mapping[str, Any], field: str) -> Verdict:
    return verdict_of(record.get(field), lambda: record, field)


def verdict_of(value: Any, record_of: Callable[[], Mapping[str, Any]], field: str) -> Verdict:
    if isinstance(value, list):
        return unknown(f"field {field} is multivalue ({len(value)} values); expected one event")
    return assess(value, None) if value else assess(None, record_of())


def event_field(command: Any) -> str:
    return _state(command).field


def judge(command: Any, value: Any, record_of: Callable[[], Mapping[str, Any]]) -> Verdict:
    """The verdict for one event: its event field's value, and how to get its record if needed."""
    state = _state(command)
    try:
        verdict = verdict_of(value, record_of, state.field)
    except Exception:  # a search must never fail because of one event
        state.logger.exception("hostnetcheck: internal error on an event; reported as unknown")
        verdict = unknown("internal error (see the add-on's log)")
    state.events += 1
    if verdict.hostnet == UNKNOWN:
        state.unknown += 1
    if state.events % COLLECT_EVERY_EVENTS == 0:
        gc.collect()
    return verdict


class _Record:
    def __init__(self, record: Mapping[str, Any]) -> None:
        self.record = record

    def __call__(self) -> Mapping[str, Any]:
        return self.record


def chunk_done(command: Any) -> None:
    state = _state(command)
    state.logger.debug("hostnetcheck chunk done: %d events so far, %d unknown", state.events, state.unknown)


def stream(command: Any, records: Iterable[Dict[str, Any]]) -> Iterator[Dict[str, Any]]:
    field = event_field(command)
    for record in records:
        record.update(judge(command, record.get(field), _Record(record)).as_fields())
        yield record
    chunk_done(command)


@Configuration()
class HostnetcheckCommand(RecordPathCommand):
    """

    ##Syntax
    hostnetcheck [field=<field>] [loglevel=<DEBUG|INFO|WARNING|ERROR|CRITICAL>]

    ##Description
    Reads each Kubernetes API server audit event as JSON, the way the API server reads objects, and adds
    hostnet (true, false or unknown) with the evidence it came from. Every other field of the event is
    passed through unchanged.

    """

    # The options globalConfig.json declares (tests/unit/test_recordpath_wrapper.py compares them).
    field = Option(name="field", require=False, validate=validators.Fieldname(), default="_raw")
    loglevel = Option(name="loglevel", require=False)

    def record_path_names(self) -> Sequence[str]:
        return OUTPUT_NAMES

    def record_path_field(self) -> str:
        return event_field(self)

    def record_path_judge(self, value: Any, record_of: Callable[[], Mapping[str, Any]]) -> Sequence[Any]:
        return judge(self, value, record_of).field_values()

    def record_path_done(self) -> None:
        chunk_done(self)

    def stream(self, records: Iterable[Dict[str, Any]]) -> Iterator[Dict[str, Any]]:
        return stream(self, records)


__all__ = ["OUTPUT_NAMES", "HostnetcheckCommand", "chunk_done", "event_field", "judge", "stream"]
