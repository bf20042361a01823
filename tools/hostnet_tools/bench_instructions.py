"""`make bench-instructions`: the same contenders on the same stored chunks, counted in instructions.

CPU time on a shared virtual machine moves 20-30% between two runs of one program (docs/performance.md), more
than the differences the record path's targets are about. The number of instructions a process executes
does not: valgrind's cachegrind (`--cache-sim=no`) counts them, the same count on every run of the same
input. It is not CPU time (a cache miss costs more than an addition, so the ratio of instructions is not the
ratio of time), but two builds, or a contender and its floor, compared by it differ only by what they do.

Each contender runs once per input under valgrind, as splunkd runs it (getinfo, one execute chunk, the
closing `finished` chunk, from the stored frames of bench_inputs), in parallel up to --jobs; the table gives
its instructions and their ratio to the parse floor's on the same input. A run takes about 40x its CPU time.

--engine adds the engine's own count: a script that reads the same chunk's rows with the csv module and
hands each event field to the app's `kube_hostnet.assess`, less the same script without the call, per
event (the figure to compare between two builds: "the engine's own cost not worse").
"""

import argparse
import concurrent.futures
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from hostnet_tools import bench, bench_inputs, bench_measure, bench_tables, bench_workload, scp

_REFS = re.compile(r"^==\d+== I\s+refs:\s+([\d,]+)\s*$", re.MULTILINE)
DEFAULT_CONTENDERS = (bench_tables.HOSTNETCHECK, bench_tables.PARSE_FLOOR, bench_tables.PATH_FLOOR)
ENGINE, ENGINE_FLOOR = "engine", "engine floor"
_ENGINE_SCRIPT = '''"""The engine over one stored chunk's events (bench_instructions --engine)."""
import csv
import io
import sys

sys.path.insert(0, {bin!r})
from kube_hostnet import assess  # noqa: E402

csv.field_size_limit(2**31 - 1)
with open({frame!r}, "rb") as stored:
    frame = stored.read()
header, rest = frame.split(b"\\n", 1)
metadata_length = int(header.split(b",")[1])
rows = csv.reader(io.StringIO(rest[metadata_length:].decode("utf-8"), newline=""))
column = next(rows).index("_raw")
judged = 0
for row in rows:
    if {judge!r}:
        judged += assess(row[column]).hostnet != "unknown"
print(judged)
'''


class Count(NamedTuple):
    contender: str
    workload: str
    shape: str
    events: int
    instructions: int


def instructions_of(valgrind_log: str) -> int:
    """The `I refs` total of a cachegrind run's log."""
    match = _REFS.search(valgrind_log)
    if match is None:
        raise ValueError(f"no instruction count in valgrind's output: {valgrind_log[-500:]!r}")
    return int(match.group(1).replace(",", ""))


def count(
    valgrind: str, contender: bench.Contender, python: str, files: bench_inputs.ChunkFiles
) -> Tuple[int, str]:
    """(instructions, valgrind's log) of one run of the contender over one stored chunk."""
    with tempfile.TemporaryDirectory(prefix="hostnet-instructions-") as dispatch_dir:
        script = contender.script
        getinfo = scp.getinfo_metadata(
            [], dispatch_dir=dispatch_dir, app=scp.app_of(script), command=scp.command_of(script)
        )
        stdin_path = os.path.join(dispatch_dir, "stdin")
        with open(stdin_path, "wb") as stdin:
            for frame in bench_inputs.frames(scp.encode_chunk(getinfo), [files]):
                stdin.write(frame)
        with open(stdin_path, "rb") as stdin:
            log = _under_valgrind(valgrind, [python, script], stdin, dispatch_dir, contender.name)
    return instructions_of(log), log


def engine_script(app: str, frame: str, judge: bool) -> str:
    """The script's source: over the stored execute frame, judging each event or not; prints how many it
    judged true or false."""
    return _ENGINE_SCRIPT.format(bin=os.path.join(app, "bin"), frame=frame, judge=judge)


def engine_count(valgrind: str, python: str, app: str, files: bench_inputs.ChunkFiles, judge: bool) -> int:
    """Instructions of the engine script over one stored chunk, with or without the engine's calls."""
    with tempfile.TemporaryDirectory(prefix="hostnet-instructions-") as work:
        script = os.path.join(work, "engine.py")
        with open(script, "w", encoding="utf-8") as out:
            out.write(engine_script(app, files.frame, judge))
        log = _under_valgrind(valgrind, [python, script], subprocess.DEVNULL, work, "engine script")
    return instructions_of(log)


def _under_valgrind(valgrind: str, argv: List[str], stdin: Any, cwd: str, what: str) -> str:
    """valgrind's log of one run of argv under cachegrind, counting instructions only."""
    run = subprocess.run(
        [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *argv],
        stdin=stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=cwd,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"{what}: exit code {run.returncode}: {run.stderr[-1500:]}")
    return run.stderr


def engine_lines(counts: Sequence[Count]) -> List[str]:
    found = {(c.workload, c.shape, c.contender): c for c in counts}
    lines = []
    for c in sorted(counts, key=lambda c: (c.workload, c.shape)):
        floor = found.get((c.workload, c.shape, ENGINE_FLOOR))
        if c.contender == ENGINE and floor:
            per_event = (c.instructions - floor.instructions) / c.events
            lines.append(f"- engine, {c.workload}/{c.shape}: {per_event:,.0f} instructions per event")
    return lines


def _instructions(
    valgrind: str, contender: bench.Contender, python: str, files: bench_inputs.ChunkFiles
) -> int:
    return count(valgrind, contender, python, files)[0]


def table(counts: Sequence[Count]) -> List[str]:
    floors = {
        (c.events, c.workload, c.shape): c.instructions
        for c in counts
        if c.contender == bench_tables.PARSE_FLOOR
    }
    lines = [
        "| events | workload | record | contender | instructions (G) | x parse floor |",
        "|---:|---|---|---|---:|---:|",
    ]
    order = (*bench_tables.CONTENDERS, ENGINE, ENGINE_FLOOR)
    for c in sorted(counts, key=lambda c: (c.events, c.workload, c.shape, order.index(c.contender))):
        floor = floors.get((c.events, c.workload, c.shape))
        share = f"{c.instructions / floor:.3f}x" if floor else "-"
        cells = [f"{c.events:,}", c.workload, c.shape, c.contender, f"{c.instructions / 1e9:.2f}", share]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hostnet_tools.bench_instructions", description=__doc__.split("\n\n")[0]
    )
    add = parser.add_argument
    bench.add_app_arguments(parser)
    add("--valgrind", default=shutil.which("valgrind"), help="valgrind's path")
    add("--events", type=int, default=10000, help="events of the one chunk of each run")
    add("--workloads", default=",".join(bench_workload.WORKLOADS))
    add("--shapes", default=bench_inputs.BASE, help="of: " + ", ".join(bench_inputs.SHAPES))
    add(
        "--contenders", default=",".join(DEFAULT_CONTENDERS), help="of: " + ", ".join(bench_tables.CONTENDERS)
    )
    add("--engine", action="store_true", help="also count the engine's own instructions per event")
    add("--jobs", type=int, default=os.cpu_count() or 1)
    add("--seed", type=int, default=1)
    add("--work-dir", default=bench.DEFAULT_WORK_DIR, help="generated inputs are cached here")
    args = parser.parse_args(argv)
    args.workload_names = bench._names(args.workloads, bench_workload.WORKLOADS, "workloads", parser)
    args.shape_names = bench._names(args.shapes, bench_inputs.SHAPES, "shapes", parser)
    args.contender_names = bench._names(args.contenders, bench_tables.CONTENDERS, "contenders", parser)
    if not args.valgrind:
        parser.error("valgrind is not installed (apt-get install valgrind), or give --valgrind")
    bench.check_app(args, parser)
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    work_dir = os.path.abspath(args.work_dir)
    players = [
        p for p in bench.contenders(os.path.abspath(args.app), work_dir) if p.name in args.contender_names
    ]
    inputs: Dict[Tuple[str, str], bench_inputs.ChunkFiles] = {}
    for workload in args.workload_names:
        files = bench_inputs.chunk_files(work_dir, workload, 1, args.events, seed=args.seed)
        inputs.update({(workload, shape): files[shape][0] for shape in args.shape_names})
    app = os.path.abspath(args.app)
    bench_measure.cache_bytecode(args.python, app)
    jobs: List[Tuple[str, str, str, Callable[[], int]]] = [
        (player.name, *key, functools.partial(_instructions, args.valgrind, player, args.python, files))
        for key, files in inputs.items()
        for player in players
    ]
    if args.engine:
        jobs += [
            (name, *key, functools.partial(engine_count, args.valgrind, args.python, app, files, judge))
            for key, files in inputs.items()
            for name, judge in ((ENGINE, True), (ENGINE_FLOOR, False))
        ]
    counts: List[Count] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = {pool.submit(job): (name, workload, shape) for name, workload, shape, job in jobs}
        for done in concurrent.futures.as_completed(runs):
            name, workload, shape = runs[done]
            counts.append(Count(name, workload, shape, args.events, done.result()))
            bench._log(f"{name:18} {workload:6} {shape:6} {done.result():,} instructions")
    print("\n".join([*table(counts), "", *engine_lines(counts)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
