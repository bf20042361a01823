"""Wires the hostnetcheck search command to the detection engine.

UCC generates bin/hostnetcheck.py (the splunklib StreamingCommand and its options) from globalConfig.json;
it calls stream() here for each chunk of records. This module only reads options and records and writes the
verdict's fields; the decision itself is kube_hostnet.assess.
"""

import csv
import gc
from typing import Any, Dict, Iterable, Iterator, Optional

import hostnet_logging
from kube_hostnet import Verdict, assess
from kube_hostnet.verdict import UNKNOWN, unknown

_SEARCH_STATE_ATTR = "_hostnet_search_state"

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


def verdict_for(record: Dict[str, Any], field: str) -> Verdict:
    value = record.get(field)
    if isinstance(value, list):
        return unknown(f"field {field} is multivalue ({len(value)} values); expected one event")
    return assess(value if value else None, record)


def stream(command: Any, records: Iterable[Dict[str, Any]]) -> Iterator[Dict[str, Any]]:
    state = _state(command)
    yield from _judged(state, records)
    state.logger.debug("hostnetcheck chunk done: %d events so far, %d unknown", state.events, state.unknown)


def _judged(state: _SearchState, records: Iterable[Dict[str, Any]]) -> Iterator[Dict[str, Any]]:
    for record in records:
        try:
            verdict = verdict_for(record, state.field)
        except Exception:  # a search must never fail because of one event
            state.logger.exception("hostnetcheck: internal error on an event; reported as unknown")
            verdict = unknown("internal error (see the add-on's log)")
        state.events += 1
        if verdict.hostnet == UNKNOWN:
            state.unknown += 1
        record.update(verdict.as_fields())
        if state.events % COLLECT_EVERY_EVENTS == 0:
            gc.collect()
        yield record


__all__ = ["stream", "verdict_for"]
