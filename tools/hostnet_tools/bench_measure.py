"""One measured run for `make bench`: a command over stored input frames, driven by `scp` as splunkd does.

A run happens in its own helper process (`python -m hostnet_tools.bench_measure JOB`) whose only child is
the command, so the helper's RUSAGE_CHILDREN after the command exits is exactly the command's own CPU time
(user + system) and peak RSS: the driver's work (reading frames, checking answers) is not in the figure.
The answers are checked as they come (every record came back, with the contender's field) one chunk
behind, so checking overlaps the command's work on the next chunk.
"""

import collections
import csv
import io
import json
import os
import platform
import resource
import subprocess
import sys
import time
from typing import Any, Dict, List, NamedTuple, Optional, Sequence

from hostnet_tools import bench_inputs, scp

MISSING = "<missing>"  # tally key for records without the checked field


class Measurement(NamedTuple):
    events: int  # records sent
    records_out: int  # records answered
    cpu_seconds: float  # the command's user + system time
    wall_seconds: float  # start of the process to its exit
    peak_rss_kb: int
    returncode: int
    values: Dict[str, int]  # how often each value of the checked field came back
    stderr: str

    def problems(self, allowed_values: Sequence[str]) -> List[str]:
        """Why this run cannot be used as a figure; empty when it can."""
        found = []
        if self.returncode != 0:
            found.append(f"exit code {self.returncode}: {self.stderr[-500:]}")
        if self.records_out != self.events:
            found.append(f"{self.records_out} records answered for {self.events} sent")
        unexpected = sorted(set(self.values) - set(allowed_values))
        if unexpected:
            found.append(f"unexpected values of the checked field: {unexpected}")
        return found


def tally_field(body: bytes, field: str, tally: "collections.Counter[str]") -> int:
    """Counts the records of an answer body and each value of `field` in them; the record count."""
    csv.field_size_limit(2**31 - 1)
    rows = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    header = next(rows, None)
    if header is None:
        return 0
    column: Optional[int] = header.index(field) if field in header else None
    count = 0
    for row in rows:
        count += 1
        tally[row[column] if column is not None and column < len(row) else MISSING] += 1
    return count


def measure(
    script: str,
    python: str,
    *,
    chunks: Sequence[bench_inputs.ChunkFiles],
    events: int,
    check_field: str,
    args: Sequence[str] = (),
) -> Measurement:
    """Runs `script` over the stored chunks. Call from a process with no other children (see module doc)."""

    def requests(dispatch_dir: str) -> Any:
        getinfo = scp.getinfo_metadata(
            args, dispatch_dir=dispatch_dir, app=scp.app_of(script), command=scp.command_of(script)
        )
        return bench_inputs.frames(scp.encode_chunk(getinfo), chunks)

    tally: collections.Counter[str] = collections.Counter()
    records_out = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = scp.CommandRun(script, python, requests, timeout=None)
    run.start()
    pending: Optional[scp.Chunk] = None
    for reply in run.replies():
        if pending is not None:
            records_out += tally_field(pending.body, check_field, tally)
        pending = reply
    returncode = run.close()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if pending is not None:
        records_out += tally_field(pending.body, check_field, tally)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measurement(
        events, records_out, cpu, wall, after.ru_maxrss, returncode, dict(tally), run.stderr[-4000:]
    )


def run_in_helper(job: Dict[str, Any], tools_dir: str) -> Dict[str, Any]:
    """measure(**job) in a fresh helper process whose only child is the command; its Measurement as a dict."""
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [tools_dir, os.environ.get("PYTHONPATH")]))
    )
    helper = subprocess.run(
        [sys.executable, "-m", "hostnet_tools.bench_measure", json.dumps(job)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if helper.returncode != 0:
        raise RuntimeError(f"{job['script']}: the measuring helper failed: {helper.stderr[-3000:]}")
    result: Dict[str, Any] = json.loads(helper.stdout)
    return result


def cache_bytecode(python: str, app_dir: str) -> None:
    """Writes the bytecode of the add-on's modules (bin/, lib/) for `python`, as that interpreter does the
    first time splunkd runs the command from a writable app directory: every later search starts from it.
    Without it, on a machine that sets PYTHONDONTWRITEBYTECODE (this project's does), every measured run
    would compile the add-on and splunklib again: 0.06 s more CPU per start (0.15 s against 0.09 s), which
    the parse floor, standard library only, never pays. Files that do not compile under `python` (a
    vendored package for newer interpreters) are left as they are."""
    folders = [os.path.join(app_dir, folder) for folder in ("bin", "lib")]
    subprocess.run([python, "-m", "compileall", "-q", *folders], capture_output=True, check=False)


def machine(python: str, app_dir: str) -> Dict[str, str]:
    """Where the figures were taken."""
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
        "load": " ".join(f"{load:.1f}" for load in os.getloadavg()),
        "os": platform.platform(),
        "python": (version.stdout or version.stderr).strip(),
        "splunklib": sdk[0].replace(".dist-info", "") if sdk else "unknown",
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    """`python -m hostnet_tools.bench_measure JOB` (measure()'s arguments as JSON): prints the result."""
    job = json.loads((sys.argv[1:] if argv is None else argv)[0])
    job["chunks"] = [bench_inputs.ChunkFiles(*chunk) for chunk in job["chunks"]]
    result = measure(**job)
    print(json.dumps(result._asdict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
