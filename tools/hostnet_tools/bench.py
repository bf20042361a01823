"""`make bench`: hostnetcheck against the SDK floor and the parse floor, run as splunkd runs them.

    make bench    # = python -m hostnet_tools.bench --app <built app> --python <Splunk's python3.13>

Every contender reads the same stored input bytes (bench_inputs) in SCP v2 chunks of up to 50,000 events,
in its own process, measured by its own CPU time (bench_measure). Contenders are interleaved and each
figure is the median of --repeats runs, so a noisy neighbour slows all of them alike rather than one.

Figures: events per second of command CPU time on two workloads (bench_workload: MIXED, about 3%
hostNetwork; WORST, every event mentions it), each with the full record and with the record a `fields`
clause would leave (bench_inputs.FIELDS_CLAUSE); ratios of CPU time to the two floors (targets: 1.10x the
SDK floor on MIXED, 1.30x on WORST); peak RSS at --memory-events totals, which must not grow with the total.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from hostnet_tools import bench_floors, bench_inputs, bench_measure, bench_workload, scp

HOSTNETCHECK = "hostnetcheck"
SDK_FLOOR = "sdk floor"
PARSE_FLOOR = "parse floor"
CONTENDERS = (HOSTNETCHECK, SDK_FLOOR, PARSE_FLOOR)
TARGETS = {bench_workload.MIXED: 1.10, bench_workload.WORST: 1.30}  # max CPU time ratio to the SDK floor
MEMORY_GROWTH_TOLERANCE = 1.10  # peak RSS at the largest total over the smallest; above: it grows
HOSTNET_VALUES = ("true", "false", "unknown")
DEFAULT_WORK_DIR = os.path.join(tempfile.gettempdir(), "hostnet-bench")
_TOOLS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Contender(NamedTuple):
    name: str
    script: str
    check_field: str
    allowed_values: Tuple[str, ...]


class Row(NamedTuple):
    contender: str
    workload: str
    shape: str
    events: int
    runs: List[Dict[str, Any]]  # bench_measure.Measurement as dicts

    def median(self, key: str) -> float:
        return float(statistics.median(run[key] for run in self.runs))

    def spread(self, key: str) -> str:
        values = [run[key] for run in self.runs]
        return f"{min(values):.2f}-{max(values):.2f}"

    @property
    def events_per_second(self) -> float:
        return self.events / self.median("cpu_seconds")


def contenders(app_dir: str, work_dir: str) -> List[Contender]:
    floors = bench_floors.write_floors(work_dir, app_dir)
    floor_values = (bench_floors.FLOOR_VALUE,)
    return [
        Contender(HOSTNETCHECK, os.path.join(app_dir, "bin", "hostnetcheck.py"), "hostnet", HOSTNET_VALUES),
        Contender(SDK_FLOOR, floors.sdk, bench_floors.FLOOR_FIELD, floor_values),
        Contender(PARSE_FLOOR, floors.parse, bench_floors.FLOOR_FIELD, floor_values),
    ]


def run_once(
    contender: Contender, python: str, chunks: Sequence[bench_inputs.ChunkFiles], events: int
) -> Dict[str, Any]:
    """One measured run in a fresh helper process (see bench_measure); raises if the run is not usable."""
    job = {
        "script": contender.script,
        "python": python,
        "chunks": chunks,
        "events": events,
        "check_field": contender.check_field,
    }
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [_TOOLS_DIR, os.environ.get("PYTHONPATH")]))
    )
    helper = subprocess.run(
        [sys.executable, "-m", "hostnet_tools.bench_measure", json.dumps(job)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if helper.returncode != 0:
        raise RuntimeError(f"{contender.name}: the measuring helper failed: {helper.stderr[-3000:]}")
    result: Dict[str, Any] = json.loads(helper.stdout)
    problems = bench_measure.Measurement(**result).problems(contender.allowed_values)
    if problems:
        raise RuntimeError(f"{contender.name} on {events} events: {'; '.join(problems)}")
    return result


def interleaved(items: Sequence[Any], repeats: int) -> Iterator[Any]:
    """Every item once per repeat, each repeat starting one further along, so no item always runs first."""
    for repeat in range(repeats):
        offset = repeat % len(items) if items else 0
        yield from list(items[offset:]) + list(items[:offset])


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timing_rows(
    players: Sequence[Contender],
    python: str,
    inputs: Dict[Tuple[str, str], List[bench_inputs.ChunkFiles]],
    events: int,
    repeats: int,
) -> List[Row]:
    rows = {
        (player.name, workload, shape): Row(player.name, workload, shape, events, [])
        for (workload, shape) in inputs
        for player in players
    }
    plan = [(player, workload, shape) for (workload, shape) in inputs for player in players]
    for number, (player, workload, shape) in enumerate(interleaved(plan, repeats), 1):
        result = run_once(player, python, inputs[(workload, shape)], events)
        rows[(player.name, workload, shape)].runs.append(result)
        _log(
            f"[{number}/{len(plan) * repeats}] {player.name:12} {workload:6} {shape:6} "
            f"cpu {result['cpu_seconds']:7.2f}s wall {result['wall_seconds']:7.2f}s"
        )
    return [row for row in rows.values() if row.runs]


def memory_rows(
    players: Sequence[Contender],
    python: str,
    chunks: List[bench_inputs.ChunkFiles],
    chunk_events: int,
    totals: Sequence[int],
) -> List[Row]:
    rows = []
    for total in totals:
        for player in players:
            result = run_once(player, python, chunks[: total // chunk_events], total)
            rows.append(Row(player.name, bench_workload.MIXED, bench_inputs.FULL, total, [result]))
            _log(
                f"memory {player.name:12} {total:>8} events: peak RSS {result['peak_rss_kb'] / 1024:8.1f} MiB"
                f" cpu {result['cpu_seconds']:7.2f}s"
            )
    return rows


def _find(rows: Sequence[Row], contender: str, workload: str, shape: str) -> Optional[Row]:
    return next(
        (row for row in rows if (row.contender, row.workload, row.shape) == (contender, workload, shape)),
        None,
    )


def ratio(rows: Sequence[Row], row: Row, floor: str, shape: Optional[str] = None) -> Optional[float]:
    """CPU time of `row` over the floor's on the same workload (and shape, unless another is given)."""
    base = _find(rows, floor, row.workload, shape or row.shape)
    return row.median("cpu_seconds") / base.median("cpu_seconds") if base else None


def _x(value: Optional[float]) -> str:
    return f"{value:.2f}x" if value is not None else "-"


def timing_table(rows: Sequence[Row]) -> List[str]:
    lines = [
        "| contender | workload | record | events/s (CPU, median) | CPU s | CPU s min-max | wall s "
        "| x SDK floor | x parse floor |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        cells = [
            row.contender,
            row.workload,
            row.shape,
            f"{row.events_per_second:,.0f}",
            f"{row.median('cpu_seconds'):.2f}",
            row.spread("cpu_seconds"),
            f"{row.median('wall_seconds'):.2f}",
            _x(ratio(rows, row, SDK_FLOOR)),
            _x(ratio(rows, row, PARSE_FLOOR)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def targets_table(rows: Sequence[Row]) -> Tuple[List[str], bool]:
    lines = ["| workload | hostnetcheck / SDK floor (full record) | target | met |", "|---|---:|---:|---|"]
    met_all = True
    for workload, target in TARGETS.items():
        row = _find(rows, HOSTNETCHECK, workload, bench_inputs.FULL)
        value = ratio(rows, row, SDK_FLOOR) if row else None
        met = value is not None and value <= target
        met_all = met_all and met
        lines.append(f"| {workload} | {_x(value)} | {target:.2f}x | {'yes' if met else 'NO'} |")
    return lines, met_all


def fields_clause_table(rows: Sequence[Row]) -> List[str]:
    """Item 3: the same contender with the fields-clause record over the full record."""
    lines = [
        "| contender | workload | CPU s full | CPU s fields | fields / full |",
        "|---|---|---:|---:|---:|",
    ]
    for row in rows:
        if row.shape != bench_inputs.FIELDS:
            continue
        full = _find(rows, row.contender, row.workload, bench_inputs.FULL)
        if full is None:
            continue
        full_cpu, cut_cpu = full.median("cpu_seconds"), row.median("cpu_seconds")
        cells = [row.contender, row.workload, f"{full_cpu:.2f}", f"{cut_cpu:.2f}", _x(cut_cpu / full_cpu)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def memory_table(rows: Sequence[Row]) -> Tuple[List[str], bool]:
    totals = sorted({row.events for row in rows})
    header = (
        "| contender | "
        + " | ".join(f"peak RSS MiB at {total:,}" for total in totals)
        + " | largest / smallest |"
    )
    lines = [header, "|---|" + "---:|" * (len(totals) + 1)]
    flat = True
    for name in dict.fromkeys(row.contender for row in rows):
        peaks = [
            next(r.median("peak_rss_kb") for r in rows if r.contender == name and r.events == t)
            for t in totals
        ]
        growth = peaks[-1] / peaks[0] if peaks and peaks[0] else None
        if name == HOSTNETCHECK and growth is not None and growth > MEMORY_GROWTH_TOLERANCE:
            flat = False
        lines.append(
            f"| {name} | " + " | ".join(f"{peak / 1024:,.1f}" for peak in peaks) + f" | {_x(growth)} |"
        )
    return lines, flat


def verdict_lines(rows: Sequence[Row]) -> List[str]:
    """What hostnetcheck answered per input (first run): a faster engine must answer the same."""
    lines = []
    for row in rows:
        if row.contender == HOSTNETCHECK and row.runs:
            counts = ", ".join(f"{value} {count:,}" for value, count in sorted(row.runs[0]["values"].items()))
            lines.append(f"- {row.workload}/{row.shape}, {row.events:,} events: hostnet = {counts}")
    return lines


def machine(python: str, app_dir: str) -> Dict[str, str]:
    version = subprocess.run([python, "--version"], capture_output=True, text=True, check=False)
    sdk = sorted(name for name in os.listdir(os.path.join(app_dir, "lib")) if name.startswith("splunk_sdk-"))
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": f"{cpu}, {os.cpu_count()} logical cores",
        "os": platform.platform(),
        "python": (version.stdout or version.stderr).strip(),
        "splunklib": sdk[0].replace(".dist-info", "") if sdk else "unknown",
    }


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hostnet_tools.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--app", default=os.environ.get("HOSTNET_APP_DIR"), help="the built add-on directory")
    parser.add_argument(
        "--python", default=os.environ.get("PY313") or sys.executable, help="Splunk's interpreter"
    )
    parser.add_argument("--events", type=int, default=10_000, help="events per timed run")
    parser.add_argument(
        "--chunk-events",
        type=int,
        default=scp.MAX_RESULT_ROWS,
        help="events per chunk (a timed run of fewer events is one chunk)",
    )
    parser.add_argument("--repeats", type=int, default=5, help="runs per figure; 0: memory only")
    parser.add_argument("--memory-events", default="100000,500000", help="totals for peak RSS; empty: skip")
    parser.add_argument(
        "--memory-contenders",
        default=",".join(CONTENDERS),
        help="comma-separated, of: " + ", ".join(CONTENDERS),
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work-dir", default=DEFAULT_WORK_DIR, help="generated inputs are cached here")
    parser.add_argument("--json", help="also write every run's figures to this file")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 200 events, 1 repeat, small totals"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.chunk_events, args.repeats, args.memory_events = 200, 100, 1, "200,400"
    args.memory_totals = [int(total) for total in args.memory_events.split(",") if total.strip()]
    args.memory_contenders = [name.strip() for name in args.memory_contenders.split(",") if name.strip()]
    unknown = sorted(set(args.memory_contenders) - set(CONTENDERS))
    if unknown:
        parser.error(f"unknown contenders {unknown}; expected some of {', '.join(CONTENDERS)}")
    args.timed_chunk_events = min(args.chunk_events, args.events)
    for total, size in [
        (args.events, args.timed_chunk_events),
        *((t, args.chunk_events) for t in args.memory_totals),
    ]:
        if total % size:
            parser.error(f"{total} events is not a whole number of {size}-event chunks")
    if not args.app or not os.path.isfile(os.path.join(args.app, "bin", "hostnetcheck.py")):
        parser.error("--app must be a built add-on (make package), or set HOSTNET_APP_DIR")
    return args


def reproduce_command(args: argparse.Namespace) -> str:
    options = (
        f"--events {args.events} --chunk-events {args.chunk_events} --repeats {args.repeats} "
        f"--memory-events '{args.memory_events}' --memory-contenders '{','.join(args.memory_contenders)}' "
        f"--seed {args.seed}"
    )
    return (
        "make package OUT=<dir> && PYTHONPATH=tools .venv/bin/python -m hostnet_tools.bench "
        f"--app <dir>/output/TA-kubernetes-hostnet --python <python3.13> {options}"
    )


def report(args: argparse.Namespace, timing: Sequence[Row], memory: Sequence[Row]) -> Tuple[str, bool]:
    info = machine(args.python, args.app)
    lines = ["## Machine", *[f"- {key}: {value}" for key, value in info.items()]]
    targets_met = flat = True
    if timing:
        target_lines, targets_met = targets_table(timing)
        lines += ["", "## Throughput", "", *timing_table(timing), "", "## Targets", "", *target_lines]
        lines += ["", "## Fields clause (item 3)", "", *fields_clause_table(timing)]
        lines += ["", "## hostnetcheck verdicts", "", *verdict_lines(timing)]
    if memory:
        memory_lines, flat = memory_table(memory)
        lines += ["", "## Peak RSS (mixed workload, full record)", "", *memory_lines]
    lines += ["", "## Reproduce", "", f"    {reproduce_command(args)}"]
    return "\n".join(lines) + "\n", targets_met and flat


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    app_dir = os.path.abspath(args.app)
    work_dir = os.path.abspath(args.work_dir)
    players = contenders(app_dir, work_dir)
    timed_chunks = args.events // args.timed_chunk_events if args.repeats else 0
    _log(f"preparing inputs in {work_dir} (cached between runs)")
    inputs = {
        (workload, shape): files[shape]
        for workload in bench_workload.WORKLOADS
        for files in [
            bench_inputs.chunk_files(
                work_dir, workload, timed_chunks, args.timed_chunk_events, seed=args.seed
            )
        ]
        for shape in bench_inputs.SHAPES
    }
    memory_chunks = bench_inputs.chunk_files(
        work_dir,
        bench_workload.MIXED,
        max([0, *args.memory_totals]) // args.chunk_events,
        args.chunk_events,
        seed=args.seed,
    )[bench_inputs.FULL]
    for key, chunks in inputs.items() if timed_chunks else ():
        megabytes = bench_inputs.input_bytes(chunks) / 2**20
        _log(f"input {key[0]}/{key[1]}: {args.events} events, {megabytes:,.0f} MB")
    timing = timing_rows(players, args.python, inputs, args.events, args.repeats)
    memory_players = [player for player in players if player.name in args.memory_contenders]
    memory = memory_rows(memory_players, args.python, memory_chunks, args.chunk_events, args.memory_totals)
    text, met = report(args, timing, memory)
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "args": vars(args),
                    "machine": machine(args.python, app_dir),
                    "timing": [row._asdict() for row in timing],
                    "memory": [row._asdict() for row in memory],
                },
                out,
                indent=1,
            )
    return 1 if args.check_targets and not met else 0


if __name__ == "__main__":
    sys.exit(main())
