"""Realistic Kubernetes audit events for `make bench`, generated deterministically from a seed.

RequestResponse-level creates, updates and patches of pods and of the workloads that carry a pod template
(bench_event: the event, sized between MIN_EVENT_BYTES and MAX_EVENT_BYTES; bench_objects: the object in it,
with what real objects carry, some with a last-applied annotation holding the whole manifest again).

Two workloads:
- MIXED: about HOSTNET_SHARE of the events set `hostNetwork: true`; the others never mention it, as most
  real traffic does not (the API server omits `hostNetwork: false`).
- WORST: every event mentions hostNetwork somewhere (explicit `false`, inside the last-applied annotation,
  a JSON Patch op on the path, a `\\u`-escaped key, the word inside an annotation value, or `true`), so no
  cheap test on the text can skip any of them: each must be parsed.
"""

import random
from typing import Iterator, Tuple

from hostnet_tools.bench_event import MAX_EVENT_BYTES, MIN_EVENT_BYTES, BenchEvent, weighted

MIXED = "mixed"
WORST = "worst"
WORKLOADS = (MIXED, WORST)
HOSTNET_SHARE = 0.03

# How the WORST workload mentions hostNetwork, with weights; `true` keeps the same share as MIXED.
WORST_MENTIONS: Tuple[Tuple[str, float], ...] = (
    ("explicit_false", 0.35),
    ("last_applied", 0.22),
    ("json_patch", 0.15),
    ("annotation_text", 0.12),
    ("escaped_key", 0.13),
    ("true", HOSTNET_SHARE),
)


def audit_events(workload: str, count: int, seed: int = 1, first: int = 0) -> Iterator[str]:
    """Event texts number `first` to `first + count - 1` of `workload`, the same for the same arguments.

    A different `first` starts an independent stream (its own random state), so chunks of a large
    workload can be generated separately, in parallel, and still be reproducible one by one.
    """
    if workload not in WORKLOADS:
        raise ValueError(f"unknown workload {workload!r}; expected one of {', '.join(WORKLOADS)}")
    rng = random.Random(f"{workload}:{seed}:{first}")  # noqa: S311 (reproducible test data, not secrets)
    for number in range(first, first + count):
        yield BenchEvent(rng, number, _mention(rng, workload)).text()


def _mention(rng: random.Random, workload: str) -> str:
    if workload == MIXED:
        return "true" if rng.random() < HOSTNET_SHARE else "none"
    return weighted(rng, WORST_MENTIONS)


__all__ = ["MAX_EVENT_BYTES", "MIN_EVENT_BYTES", "MIXED", "WORKLOADS", "WORST", "audit_events"]
