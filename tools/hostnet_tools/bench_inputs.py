"""The bytes `make bench` feeds every contender: SCP v2 execute frames of generated audit events.

Each chunk of events is generated, shaped as Splunk presents it (`flatten.splunk_record`) and framed by the
protocol driver (`scp.execute_frames`) once, then stored as a file, so every contender reads identical input
bytes and no run pays for encoding. Chunks are independent (own seed), so they are built in parallel and a
run of N chunks is the first N files of the workload. Files are cached under the work directory, keyed by
everything that shapes them (including the source of the generator and of the flattener).

Three record shapes per chunk:
- FULL: every field Splunk's JSON extraction gives (hundreds of columns per chunk: what makes the SDK's
  own cost realistic);
- FIELDS: what `| fields <FIELDS_CLAUSE> | hostnetcheck` would hand the command: `_raw`, `_time` and what
  the correlation search's stats needs afterwards;
- BASE: only the fields every event has before extraction (BASE_FIELDS): the least a search can hand it.
"""

import hashlib
import multiprocessing
import os
from typing import Dict, Iterator, List, NamedTuple, Sequence, Tuple

from hostnet_tools import bench_workload, flatten, scp

_DIGEST_SAMPLE_EVENTS = 40
FULL = "full"
FIELDS = "fields"
BASE = "base"
SHAPES = (FULL, FIELDS, BASE)
# The stats by-fields of the correlation search, its values(), and the internal fields `fields` keeps.
FIELDS_CLAUSE = (
    "_raw",
    "_time",
    "kind",
    "objectRef.name",
    "objectRef.namespace",
    "objectRef.resource",
    "requestObject.kind",
    "responseStatus.code",
    "sourceIPs{}",
    "stage",
    "user.username",
    "userAgent",
    "verb",
    "user.groups{}",
)
BASE_FIELDS = ("_time", "_raw", "host", "source", "sourcetype", "index")


class ChunkFiles(NamedTuple):
    """One stored chunk: its execute frame, and the closing `finished` frame that would follow it."""

    frame: str
    final: str

    @property
    def size(self) -> int:
        """Bytes of the execute frame: the chunk splunkd sends."""
        return os.path.getsize(self.frame)


def records(workload: str, events: int, seed: int, first: int = 0) -> Iterator[Dict[str, flatten.Value]]:
    """Generated audit events as the records a search command receives."""
    for raw in bench_workload.audit_events(workload, events, seed, first=first):
        yield flatten.splunk_record(raw)


def reduce_to_fields_clause(record: Dict[str, flatten.Value]) -> Dict[str, flatten.Value]:
    return {name: record[name] for name in FIELDS_CLAUSE if name in record}


def reduce_to(shape: str, record: Dict[str, flatten.Value]) -> Dict[str, flatten.Value]:
    """The record as `shape` hands it to the command."""
    if shape == FULL:
        return record
    names = FIELDS_CLAUSE if shape == FIELDS else BASE_FIELDS
    return {name: record[name] for name in names if name in record}


def _content_digest() -> str:
    """A fingerprint of what the generator, flattener and framer produce now: a change to any of them
    that changes their output gives new cache files, a change that does not (a comment) keeps them."""
    digest = hashlib.sha256()
    for workload in bench_workload.WORKLOADS:
        for shape in SHAPES:
            for frame in scp.execute_frames([[reduce_to(shape, r) for r in _sample_records(workload)]]):
                digest.update(frame)
    return digest.hexdigest()[:12]


def _sample_records(workload: str) -> List[Dict[str, flatten.Value]]:
    return list(records(workload, _DIGEST_SAMPLE_EVENTS, seed=0))


def _paths(stem: str, shape: str) -> ChunkFiles:
    return ChunkFiles(f"{stem}.{shape}.frame", f"{stem}.{shape}.final")


def _write_atomically(path: str, data: bytes) -> None:
    partial = f"{path}.partial-{os.getpid()}"
    with open(partial, "wb") as out:
        out.write(data)
    os.replace(partial, path)


def _build_chunk(job: Tuple[str, str, int, int, int]) -> None:
    stem, workload, seed, chunk_events, index = job
    full = list(records(workload, chunk_events, seed, first=index * chunk_events))
    for shape in SHAPES:
        frame, final = scp.execute_frames([[reduce_to(shape, record) for record in full]])
        paths = _paths(stem, shape)
        _write_atomically(paths.frame, frame)
        _write_atomically(paths.final, final)


def chunk_files(
    work_dir: str, workload: str, chunks: int, chunk_events: int, *, seed: int = 1, processes: int = 2
) -> Dict[str, List[ChunkFiles]]:
    """The stored chunks (built if missing) of a workload, by shape: chunk i holds events i*n..(i+1)*n-1."""
    os.makedirs(work_dir, exist_ok=True)
    name = f"{workload}-s{seed}-n{chunk_events}"
    digest = _content_digest()
    stems = [os.path.join(work_dir, f"{name}-c{index:03d}-{digest}") for index in range(chunks)]
    missing = [
        (stem, workload, seed, chunk_events, index)
        for index, stem in enumerate(stems)
        if not all(os.path.exists(path) for shape in SHAPES for path in _paths(stem, shape))
    ]
    if len(missing) > 1 and processes > 1:
        with multiprocessing.get_context("spawn").Pool(min(processes, len(missing))) as pool:
            pool.map(_build_chunk, missing, chunksize=1)
    else:
        for job in missing:
            _build_chunk(job)
    return {shape: [_paths(stem, shape) for stem in stems] for shape in SHAPES}


def frames(getinfo: bytes, chunks: Sequence[ChunkFiles]) -> Iterator[bytes]:
    """What splunkd sends: getinfo, each stored execute frame (read when the driver asks), then finished."""
    yield getinfo
    for chunk in chunks:
        with open(chunk.frame, "rb") as stored:
            yield stored.read()
    if chunks:
        with open(chunks[-1].final, "rb") as stored:
            yield stored.read()


def input_bytes(chunks: Sequence[ChunkFiles]) -> int:
    return sum(os.path.getsize(chunk.frame) for chunk in chunks)
