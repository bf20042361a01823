"""`make bench`: hostnetcheck against the SDK floor and the parse floor, run as splunkd runs them.

    make bench    # = python -m hostnet_tools.bench --app <built app> --python <Splunk's python3.13>

Every contender (bench_floors) reads the same stored input bytes (bench_inputs), one SCP v2 chunk per timed
run, in its own process, measured by its own CPU time (bench_measure). Contenders are interleaved, so a
noisy neighbour slows all of them alike rather than one, and a target reads the median of the per-repeat
ratios of two contenders' runs, the two of a repeat mostly adjacent (bench_tables says why).

Figures, per chunk size (--timed-chunks), workload (bench_workload: MIXED, about 3% hostNetwork; WORST,
every event mentions it) and record shape (bench_inputs: full, fields, base): CPU time and its ratio to the
SDK floor and the parse floor; the engine's own cost (bench_engine: the CPU time inside kube_hostnet.assess
behind the record path and behind splunklib's, in one process, by turns) at --engine-events; peak RSS per
single chunk of --memory-events events beside the chunk's bytes. Targets: CPU at most TARGET_PARSE_RATIO
of the parse floor's on every shape; peak RSS above the interpreter's start at most TARGET_RSS_RATIO of the
largest chunk's bytes; the engine's cost at most bench_engine.ENGINE_TOLERANCE of what it is behind
splunklib's path; answers equal to the SDK path's. The report ends with one line saying whether all held.
"""

import argparse
import json
import os
import sys
import tempfile
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from hostnet_tools import bench_engine, bench_floors, bench_inputs, bench_measure, bench_workload
from hostnet_tools.bench_tables import (
    CONTENDERS,
    HOSTNETCHECK,
    PARSE_FLOOR,
    PATH_FLOOR,
    REFERENCES,
    SDK_FLOOR,
    SDK_PATH,
    Key,
    Row,
    memory_table,
    targets_table,
    timing_table,
    verdicts,
)

HOSTNET_VALUES = ("true", "false", "unknown")
DEFAULT_WORK_DIR = os.path.join(tempfile.gettempdir(), "hostnet-bench")
_TOOLS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Contender(NamedTuple):
    name: str
    script: str
    check_field: str
    allowed_values: Tuple[str, ...]


def contenders(app_dir: str, work_dir: str) -> List[Contender]:
    floors = bench_floors.write_floors(work_dir, app_dir)
    constant = (bench_floors.FLOOR_VALUE,)
    command = os.path.join(app_dir, "bin", "hostnetcheck.py")
    return [
        Contender(HOSTNETCHECK, command, "hostnet", HOSTNET_VALUES),
        Contender(SDK_FLOOR, floors.sdk, bench_floors.FLOOR_FIELD, constant),
        Contender(PARSE_FLOOR, floors.parse, bench_floors.FLOOR_FIELD, constant),
        Contender(SDK_PATH, floors.sdk_path, "hostnet", HOSTNET_VALUES),
        Contender(PATH_FLOOR, floors.path_floor, bench_floors.FLOOR_FIELD, constant),
    ]


def run_once(
    contender: Contender, python: str, chunks: Sequence[bench_inputs.ChunkFiles], events: int
) -> Dict[str, Any]:
    """One measured run (bench_measure.run_in_helper); raises if the run is not usable."""
    job = {"script": contender.script, "python": python, "chunks": chunks, "events": events}
    result = bench_measure.run_in_helper({**job, "check_field": contender.check_field}, _TOOLS_DIR)
    problems = bench_measure.Measurement(**result).problems(contender.allowed_values)
    if problems:
        raise RuntimeError(f"{contender.name} on {events} events: {'; '.join(problems)}")
    return result


def interleaved(items: Sequence[Any], repeats: int, once: Sequence[Any] = ()) -> Iterator[Any]:
    """Every item once per repeat, each repeat starting one further along, so no item always runs first;
    an item in `once` only in the first repeat."""
    for repeat in range(repeats):
        kept = [item for item in items if not repeat or item not in once] if once else list(items)
        offset = repeat % len(kept) if kept else 0
        yield from kept[offset:] + kept[:offset]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measured_rows(
    players: Sequence[Contender],
    python: str,
    inputs: Dict[Key, bench_inputs.ChunkFiles],
    repeats: int,
    *,
    label: str = "",
    references_once: bool = False,
) -> List[Row]:
    """Each contender on each input (one chunk), --repeats times, interleaved; with references_once, the
    contenders no target reads (REFERENCES) run only in the first repeat."""
    rows = {
        (player.name, key): Row(player.name, key[1], key[2], key[0], [], files.size)
        for key, files in inputs.items()
        for player in players
    }
    plan = [(player, key) for key in inputs for player in players]
    once = [item for item in plan if item[0].name in REFERENCES] if references_once else []
    total = len(plan) * repeats - len(once) * (repeats - 1)
    for number, (player, key) in enumerate(interleaved(plan, repeats, once), 1):
        result = run_once(player, python, [inputs[key]], key[0])
        rows[(player.name, key)].runs.append(result)
        _log(
            f"{label}[{number}/{total}] {player.name:18} {key[0]:>6} {key[1]:6} {key[2]:6} "
            f"cpu {result['cpu_seconds']:7.2f}s rss {result['peak_rss_kb'] / 1024:8.1f} MiB"
        )
    return [row for row in rows.values() if row.runs]


def start_rss(players: Sequence[Contender], python: str) -> Dict[str, float]:
    """Each contender's peak RSS (KiB) over getinfo alone: the interpreter and its imports."""
    return {player.name: float(run_once(player, python, [], 0)["peak_rss_kb"]) for player in players}


def _names(value: str, known: Sequence[str], what: str, parser: argparse.ArgumentParser) -> List[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = sorted(set(names) - set(known))
    if unknown:
        parser.error(f"unknown {what} {unknown}; expected some of {', '.join(known)}")
    return names


def _counts(value: str) -> List[int]:
    return [int(count) for count in value.split(",") if count.strip()]


def add_app_arguments(parser: argparse.ArgumentParser) -> None:
    """--app and --python, as every bench takes them."""
    add = parser.add_argument
    add("--app", default=os.environ.get("HOSTNET_APP_DIR"), help="the built add-on directory")
    add("--python", default=os.environ.get("PY313") or sys.executable, help="Splunk's interpreter")


def check_app(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if not args.app or not os.path.isfile(os.path.join(args.app, "bin", "hostnetcheck.py")):
        parser.error("--app must be a built add-on (make package), or set HOSTNET_APP_DIR")


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hostnet_tools.bench", description=__doc__.split("\n\n")[0]
    )
    add = parser.add_argument
    add_app_arguments(parser)
    add("--timed-chunks", default="10000,50000", help="events of the one chunk of each timed run")
    add("--repeats", type=int, default=9, help="runs per timing figure; 0: memory only")
    add("--workloads", default=",".join(bench_workload.WORKLOADS))
    add(
        "--shapes",
        default=",".join(bench_inputs.SHAPES),
        help="record shapes, of: " + ", ".join(bench_inputs.SHAPES),
    )
    add("--contenders", default=",".join(CONTENDERS), help="timed contenders, of: " + ", ".join(CONTENDERS))
    add(
        "--memory-events",
        default="1000,10000,50000",
        help="events of the chunk of each memory run; empty: skip",
    )
    add("--memory-shapes", default=bench_inputs.FULL)
    add(
        "--engine-events",
        default="10000",
        help="events of the chunk of each engine-cost measurement (every workload and shape); empty: skip",
    )
    add("--memory-contenders", default=",".join((HOSTNETCHECK, SDK_FLOOR, PARSE_FLOOR, SDK_PATH)))
    add("--seed", type=int, default=1)
    add("--work-dir", default=DEFAULT_WORK_DIR, help="generated inputs are cached here")
    add("--json", help="also write every run's figures to this file")
    add(
        "--references-every-repeat",
        action="store_true",
        help="time the SDK floor, 1.0.0 and the record path floor --repeats times, not once",
    )
    add("--check-targets", action="store_true", help="exit 1 when a target is missed")
    add("--quick", action="store_true", help="a smoke run: 200-event chunks, 1 repeat, memory at 100 and 200")
    args = parser.parse_args(argv)
    if args.quick:
        args.timed_chunks, args.repeats, args.memory_events, args.engine_events = "200", 1, "100,200", "200"
    args.timed = _counts(args.timed_chunks) if args.repeats else []
    args.memory_totals = _counts(args.memory_events)
    args.engine_totals = _counts(args.engine_events) if args.repeats else []
    args.workload_names = _names(args.workloads, bench_workload.WORKLOADS, "workloads", parser)
    args.shape_names = _names(args.shapes, bench_inputs.SHAPES, "shapes", parser)
    args.memory_shape_names = _names(args.memory_shapes, bench_inputs.SHAPES, "shapes", parser)
    args.contender_names = _names(args.contenders, CONTENDERS, "contenders", parser)
    args.memory_contender_names = _names(args.memory_contenders, CONTENDERS, "contenders", parser)
    check_app(args, parser)
    return args


def reproduce_command(args: argparse.Namespace) -> str:
    options = (
        f"--timed-chunks '{args.timed_chunks}' --repeats {args.repeats} --workloads '{args.workloads}' "
        f"--shapes '{args.shapes}' --contenders '{args.contenders}' --memory-events '{args.memory_events}' "
        f"--memory-shapes '{args.memory_shapes}' --memory-contenders '{args.memory_contenders}' "
        f"--engine-events '{args.engine_events}' --seed {args.seed}"
        + (" --references-every-repeat" if args.references_every_repeat else "")
    )
    return (
        "make package OUT=<dir> && PYTHONPATH=package/bin:tools .venv/bin/python -m hostnet_tools.bench "
        f"--app <dir>/output/TA-kubernetes-hostnet --python <python3.13> {options}"
    )


def report(
    args: argparse.Namespace,
    timing: Sequence[Row],
    memory: Sequence[Row],
    starts: Dict[str, float],
    engine: Sequence[bench_engine.EngineRow],
) -> Tuple[str, bool]:
    lines = [
        "## Machine",
        *[f"- {key}: {value}" for key, value in bench_measure.machine(args.python, args.app).items()],
    ]
    met = True
    if timing:
        target_lines, targets_met = targets_table(timing)
        verdict_lines, same = verdicts(timing)
        met = targets_met and same
        lines += ["", "## Throughput", "", *timing_table(timing), "", "## Targets", "", *target_lines]
        lines += ["", "## Verdicts", "", *verdict_lines]
    if engine:
        engine_lines, engine_fine = bench_engine.table(engine)
        met = met and engine_fine
        heading = "## Engine's own cost (CPU inside kube_hostnet.assess, median of the turns' ratios)"
        lines += ["", heading, "", *engine_lines]
    if memory:
        memory_lines, fine = memory_table(memory, starts)
        met = met and fine
        lines += ["", "## Peak RSS (one chunk, mixed workload)", "", *memory_lines]
    lines += ["", "## Reproduce", "", f"    {reproduce_command(args)}"]
    lines += ["", f"Every target measured here: {'met' if met else 'NOT met'}."]
    return "\n".join(lines) + "\n", met


def _inputs(
    args: argparse.Namespace,
    work_dir: str,
    sizes: Sequence[int],
    workloads: Sequence[str],
    shapes: Sequence[str],
) -> Dict[Key, bench_inputs.ChunkFiles]:
    inputs: Dict[Key, bench_inputs.ChunkFiles] = {}
    for events in sizes:
        for workload in workloads:
            files = bench_inputs.chunk_files(work_dir, workload, 1, events, seed=args.seed)
            for shape in shapes:
                inputs[(events, workload, shape)] = files[shape][0]
                _log(f"input {events} {workload}/{shape}: {files[shape][0].size / 2**20:,.0f} MiB")
    return inputs


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    args.app = os.path.abspath(args.app)
    work_dir = os.path.abspath(args.work_dir)
    players = contenders(args.app, work_dir)
    bench_measure.cache_bytecode(args.python, args.app)
    _log(f"preparing inputs in {work_dir} (cached between runs)")
    timed_inputs = _inputs(args, work_dir, args.timed, args.workload_names, args.shape_names)
    memory_inputs = _inputs(
        args, work_dir, args.memory_totals, [bench_workload.MIXED], args.memory_shape_names
    )
    timed_players = [player for player in players if player.name in args.contender_names]
    memory_players = [player for player in players if player.name in args.memory_contender_names]
    every = args.references_every_repeat
    timing = measured_rows(timed_players, args.python, timed_inputs, args.repeats, references_once=not every)
    starts = start_rss(memory_players, args.python) if memory_inputs else {}
    memory = measured_rows(memory_players, args.python, memory_inputs, 1, label="memory ")
    engine_inputs = _inputs(args, work_dir, args.engine_totals, args.workload_names, args.shape_names)
    engine = bench_engine.measure(
        args.python, args.app, work_dir, engine_inputs, repeats=args.repeats, log=_log
    )
    text, met = report(args, timing, memory, starts, engine)
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            figures = {
                "timing": [row._asdict() for row in timing],
                "memory": [row._asdict() for row in memory],
            }
            json.dump(
                {
                    "args": vars(args),
                    "machine": bench_measure.machine(args.python, args.app),
                    "starts": starts,
                    "engine": [row._asdict() for row in engine],
                    **figures,
                },
                out,
                indent=1,
            )
    return 1 if args.check_targets and not met else 0


if __name__ == "__main__":
    sys.exit(main())
