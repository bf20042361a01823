"""`make run`: replays an audit log through the built hostnetcheck command and prints what it detects.

    python -m hostnet_tools.replay --app <built app> --python <interpreter> [--format table|csv|json]
                                   [--truncate BYTES] [--progress|--no-progress] AUDIT_LOG

Each event goes to the command as splunkd would send it: Splunk's TRUNCATE applied, the JSON extraction's
fields (hostnet_tools.flatten), over SCP v2 to the built app's bin/hostnetcheck.py and its vendored lib/
(hostnet_tools.scp). The verdicts are the command's output only; nothing here judges an event.

Output: one row per event whose verdict is `hostnet=true`, with the correlation search's columns, then the
coverage summary (hostnet_tools.coverage: the in-scope writes by verdict and gap, with each gap's fix), and
the line `detections: N of M events` (M: events read, i.e. the non-blank lines of a JSON-lines file; N: events
the command says are true, whether or not the allowlist matches them). The allowlist column applies the
shipped lookup for display only. With --format csv or json (JSON lines) stdout holds only the rows and the
summary goes to stderr, so the output stays parseable; it is still the last line written.

Exit status: 0 after a replay, 2 when the file cannot be read, 3 when the command fails.
"""

import argparse
import collections
import csv
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Callable, Deque, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from hostnet_tools import coverage, flatten, scp
from hostnet_tools.allowlist import ALLOWLIST_CSV, AllowlistRow, allowlisted, load_allowlist
from hostnet_tools.auditlog import SPLUNK_TRUNCATE, AuditEvent, AuditLogError, read_events, splunk_truncate
from hostnet_tools.progress import Progress

COMMAND_SCRIPT = os.path.join("bin", "hostnetcheck.py")
CHUNK_RECORDS = 5000  # records per execute chunk: well under splunkd's 50,000, so memory stays small
PROGRESS_MIN_BYTES = 32 * 1024 * 1024
FORMATS = ("table", "csv", "json")
EXIT_UNREADABLE = 2
EXIT_COMMAND_FAILED = 3
# What a record holds when JSON extraction found nothing: the fields Splunk adds to every event.
_SPLUNK_ONLY_FIELDS = frozenset(flatten.splunk_record("not json"))

Record = scp.Record
Observer = Callable[[int, Record], None]


class ReplayError(Exception):
    """The command did not run to the end as splunkd expects (exit status, protocol, lost records)."""


class Tally:
    """What the input looked like: counted as the events are sent, read after the run."""

    def __init__(self) -> None:
        self.events = 0
        self.not_json = 0
        self.truncated = 0


def summary_line(detections: int, events: int) -> str:
    return f"detections: {detections} of {events} events"


# --- running the command -----------------------------------------------------------------------------------


def command_script(app_dir: str) -> str:
    return os.path.join(app_dir, COMMAND_SCRIPT)


def replay_records(
    app_dir: str,
    python: str,
    events: Iterable[AuditEvent],
    *,
    truncate: int = SPLUNK_TRUNCATE,
    tally: Optional[Tally] = None,
    observe: Optional[Observer] = None,
    args: Sequence[str] = (),
) -> Iterator[Tuple[int, Record]]:
    """(event number, the command's output record) for each event, in order, streaming.

    `observe(number, record)` sees each record as it is sent (on the writer thread).
    """
    counts = tally if tally is not None else Tally()
    in_flight: Deque[int] = collections.deque()

    def records() -> Iterator[Record]:
        for event in events:
            text = splunk_truncate(event.raw, truncate)
            record = flatten.splunk_record(text)
            counts.events += 1
            counts.truncated += text is not event.raw
            counts.not_json += _SPLUNK_ONLY_FIELDS.issuperset(record)
            if observe is not None:
                observe(event.number, record)
            in_flight.append(event.number)
            yield record

    script = command_script(app_dir)
    if not os.path.isfile(script):
        raise ReplayError(f"{script}: no such command (build the add-on first: make package)")
    run = scp.run_command(script, python, scp.batched(records(), CHUNK_RECORDS), args, timeout=None)
    try:
        with run:
            for record in run.records():
                if not in_flight:
                    raise ReplayError("the command returned more records than it was sent")
                yield in_flight.popleft(), record
    except scp.ProtocolError as error:
        raise ReplayError(f"protocol error: {error}; stderr: {_last_line(run.stderr)}") from None
    if run.returncode:
        raise ReplayError(f"exit status {run.returncode}: {_last_line(run.stderr)}")
    if in_flight:
        raise ReplayError(f"the command dropped {len(in_flight)} of {counts.events} records")


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(nothing on stderr)"


# --- the allowlist (display only) --------------------------------------------------------------------------


def allowlist_reason(record: Record, rows: Sequence[AllowlistRow]) -> str:
    """The reason of the lookup row that allowlists this event, or "" (the rule: hostnet_tools.allowlist)."""
    # Over SCP's CSV an empty or absent field reads as "": that is no image to judge, not an image named "".
    images = [image for image in _multi(record.get("hostnet_images")) if image]
    reason = allowlisted(
        rows,
        single_value(record.get("hostnet_namespace")),
        single_value(record.get("hostnet_workload")),
        single_value(record.get("hostnet_req_user")),  # as the macro: the requester in every shape
        images,
    )
    return reason or ""


def single_value(value: Optional[scp.Value]) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else (value[0] if value else "")


def _multi(value: Optional[scp.Value]) -> List[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# --- rows --------------------------------------------------------------------------------------------------

COLUMNS = (
    "line",
    "time",
    "user",
    "src_ip",
    "verb",
    "resource",
    "namespace",
    "name",
    "code",
    "evidence",
    "annotation_mismatch",
    "allowlisted",
    "workload",
    "allowlist_reason",
)
# The terminal shows the first columns, namespace/name joined, at these widths (longer values are cut).
TABLE_COLUMNS: Tuple[Tuple[str, int], ...] = (
    ("line", 5),
    ("time", 20),
    ("user", 32),
    ("src_ip", 15),
    ("verb", 6),
    ("resource", 12),
    ("namespace/name", 34),
    ("code", 4),
    ("evidence", 14),
    ("mismatch", 8),
    ("allowlisted", 11),
)
_NAME_FIELDS = ("responseObject.metadata.name", "requestObject.metadata.name")


def detection_row(number: int, record: Record, allowlist: Sequence[AllowlistRow]) -> Dict[str, str]:
    reason = allowlist_reason(record, allowlist)
    resource = _request(record, "resource")
    subresource = _request(record, "subresource")
    return {
        "line": str(number),
        "time": _iso_time(single_value(record.get("_time"))),
        "user": _request(record, "user"),
        "src_ip": " ".join(_multi(record.get("hostnet_req_src_ip") or record.get("sourceIPs{}"))),
        "verb": _request(record, "verb"),
        "resource": f"{resource}/{subresource}" if subresource else resource,
        "namespace": _request(record, "namespace") or single_value(record.get("hostnet_namespace")),
        "name": _request(record, "name") or _object_name(record),
        "code": _request(record, "response_code"),
        "evidence": single_value(record.get("hostnet_evidence")),
        "annotation_mismatch": single_value(record.get("hostnet_annotation_mismatch")),
        "allowlisted": "true" if reason else "false",
        "workload": single_value(record.get("hostnet_workload")),
        "allowlist_reason": reason,
    }


# hostnet_req_<name> describes the request in every audit shape; a command that does not give it yet
# leaves the field Splunk extracts from a bare audit event.
_EXTRACTED = {
    "user": "user.username", "verb": "verb", "resource": "objectRef.resource",
    "subresource": "objectRef.subresource", "namespace": "objectRef.namespace", "name": "objectRef.name",
    "response_code": "responseStatus.code",
}


def _request(record: Record, name: str) -> str:
    return single_value(record.get(f"hostnet_req_{name}")) or single_value(record.get(_EXTRACTED[name]))


def _object_name(record: Record) -> str:
    for field in _NAME_FIELDS:
        name = single_value(record.get(field))
        if name:
            return name
    generate = single_value(record.get("requestObject.metadata.generateName"))
    return generate + "*" if generate else ""


def _iso_time(epoch: str) -> str:
    try:
        seconds = float(epoch)
    except ValueError:
        return ""
    if seconds <= 0:
        return ""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class RowWriter:
    """Writes detection rows as they come, in one of FORMATS."""

    def __init__(self, out: IO[str], fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}")
        self.out = out
        self.fmt = fmt
        self._csv = csv.DictWriter(out, COLUMNS, lineterminator="\n") if fmt == "csv" else None
        self._started = False

    def row(self, row: Dict[str, str]) -> None:
        if not self._started:
            self._header()
            self._started = True
        if self._csv is not None:
            self._csv.writerow(row)
        elif self.fmt == "json":
            self.out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            self.out.write(_table_line(_table_cells(row)) + "\n")

    def finish(self) -> None:
        if not self._started:
            self._header()

    def _header(self) -> None:
        if self._csv is not None:
            self._csv.writeheader()
        elif self.fmt == "table":
            self.out.write(_table_line([name for name, _ in TABLE_COLUMNS]) + "\n")


def _table_cells(row: Dict[str, str]) -> List[str]:
    shown = dict(row)
    shown["time"] = row["time"][:19] + "Z" if row["time"] else ""
    shown["namespace/name"] = "/".join(part for part in (row["namespace"], row["name"]) if part)
    shown["mismatch"] = "yes" if row["annotation_mismatch"] == "true" else "no"
    shown["allowlisted"] = "yes" if row["allowlisted"] == "true" else "no"
    return [shown[name] for name, _ in TABLE_COLUMNS]


def _table_line(cells: Sequence[str]) -> str:
    return "  ".join(_fit(cell, width) for (_, width), cell in zip(TABLE_COLUMNS, cells)).rstrip()


def _fit(cell: str, width: int) -> str:
    text = " ".join(cell.split())  # one line per row, whatever the event held
    if len(text) > width:
        # Keep both ends: service account names and generated pod names differ at the end.
        head = (width - 1) // 2
        text = text[:head] + "~" + text[len(text) - (width - 1 - head) :]
    return text.ljust(width)


# --- command line ------------------------------------------------------------------------------------------


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hostnet_tools.replay",
        description="Replay a Kubernetes audit log through the built hostnetcheck command.",
    )
    parser.add_argument("audit_log", help="an audit log, or a platform's export of one (see README)")
    parser.add_argument("--app", required=True, help="the built add-on: output/TA-kubernetes-hostnet")
    parser.add_argument("--python", default=sys.executable, help="the interpreter Splunk would run it with")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument(
        "--truncate",
        type=int,
        default=SPLUNK_TRUNCATE,
        help=f"cut longer events as Splunk's TRUNCATE does (default {SPLUNK_TRUNCATE} bytes; 0: never)",
    )
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help=f"show how much was read on stderr (default: for files over {PROGRESS_MIN_BYTES >> 20} MiB)",
    )
    progress.add_argument("--no-progress", dest="progress", action="store_false")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None, out: IO[str] = sys.stdout, err: IO[str] = sys.stderr) -> int:
    options = parse_args(argv)
    path: str = options.audit_log
    progress: Optional[Progress] = None
    try:
        size = os.path.getsize(path) if os.path.isfile(path) else 0
        show = options.progress if options.progress is not None else size >= PROGRESS_MIN_BYTES
        progress = Progress(size, err) if show else None
        events = read_events(path, progress.on_read if progress else None)
    except AuditLogError as error:
        err.write(f"replay: error: {error}\n")
        return EXIT_UNREADABLE
    tally = Tally()
    writer = RowWriter(out, options.format)
    allowlist = load_allowlist(options.app)
    detections = 0
    covered = coverage.Coverage()
    try:
        for number, record in replay_records(
            options.app, options.python, events, truncate=options.truncate, tally=tally
        ):
            covered.add(record)
            if single_value(record.get("hostnet")) == "true":
                detections += 1
                writer.row(detection_row(number, record, allowlist))
    except AuditLogError as error:
        out.flush()
        err.write(f"replay: error: {error}\n")
        return EXIT_UNREADABLE
    except ReplayError as error:
        out.flush()
        err.write(f"replay: error: hostnetcheck failed: {error}\n")
        return EXIT_COMMAND_FAILED
    writer.finish()
    out.flush()
    for line in coverage.lines(covered, coverage.load_gaps(options.app)):
        err.write(f"replay: {line}\n")
    for note in _notes(tally, allowlist, options.app):
        err.write(f"replay: {note}\n")
    err.flush()
    summary = summary_line(detections, tally.events)
    (out if options.format == "table" else err).write(summary + "\n")
    return 0


def _notes(tally: Tally, allowlist: Sequence[AllowlistRow], app_dir: str) -> Iterator[str]:
    if tally.not_json:
        yield f"{tally.not_json} of {tally.events} events are not JSON objects (invalid or cut), judged too"
    if tally.truncated:
        yield f"{tally.truncated} events were longer than TRUNCATE and were cut, as Splunk would index them"
    if not allowlist:
        yield f"no allowlist in {Path(app_dir) / ALLOWLIST_CSV}: the allowlisted column is always false"


if __name__ == "__main__":
    sys.exit(main())
