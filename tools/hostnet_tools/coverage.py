"""`make run`'s audit coverage: the writes to resources with a pod spec, by verdict and gap, with the fix.

The same as the add-on's "Audit Coverage" report, on an offline log: the candidates the report's first
line selects by index terms (hostnet_tools.indexterms), kept when hostnetcheck says they are in-scope writes
(the kubernetes_hostnet_in_scope_write macro, restated here; a test keeps the two equal), counted by
cluster, verdict and gap. The fix for each gap is read from the built app's lookup
(lookups/kubernetes_hostnet_gaps.csv), the one the report joins, so the text lives in one place.
"""

import collections
import csv
import os
from typing import Dict, FrozenSet, Iterator, List, NamedTuple, Optional, Tuple

from hostnet_tools import scp
from hostnet_tools.indexterms import selects
from kube_hostnet.resources import POD_SPEC_RESOURCES
from kube_hostnet.scope import WRITE_VERBS

GAPS_CSV = os.path.join("lookups", "kubernetes_hostnet_gaps.csv")
RESOURCE_TERMS: FrozenSet[str] = frozenset(row.resource for row in POD_SPEC_RESOURCES)
# The kubernetes_hostnet_writes_or_cut macro: a write verb, or long enough to have been cut before it.
CUT_CANDIDATE_CHARS = 2500
NO_GAP = "-"  # a decided verdict (the report's "none")
NO_CLUSTER = "-"


class Gap(NamedTuple):
    attacker_influenced: bool
    fix: str


def load_gaps(app_dir: str) -> Dict[str, Gap]:
    """gap code -> (attacker influenced, fix), from the built app's lookup; {} when it has none."""
    path = os.path.join(app_dir, GAPS_CSV)
    if not os.path.isfile(path):
        return {}
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {row["gap"]: Gap(row["attacker_influenced"] == "true", row["fix"]) for row in rows}


def is_candidate(raw: str) -> bool:
    """The report's first line: a resource term, and a write-verb term or the length of a cut event."""
    if not selects([RESOURCE_TERMS], raw):
        return False
    return len(raw) >= CUT_CANDIDATE_CHARS or selects([WRITE_VERBS], raw)


def _value(record: scp.Record, name: str) -> str:
    value: Optional[scp.Value] = record.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else (value[0] if value else "")


def is_in_scope_write(record: scp.Record) -> bool:
    """kubernetes_hostnet_in_scope_write: an unread resource or verb stays in, a subresource never."""
    resource = _value(record, "hostnet_req_resource")
    verb = _value(record, "hostnet_req_verb")
    return (
        resource in ("", *RESOURCE_TERMS)
        and verb in ("", *WRITE_VERBS)
        and not _value(record, "hostnet_req_subresource")
    )


Key = Tuple[str, str, str]  # cluster, verdict, gap


class Coverage:
    """Counts of in-scope writes by (cluster, verdict, gap), fed one command output record at a time."""

    def __init__(self) -> None:
        self.counts: collections.Counter[Key] = collections.Counter()

    def add(self, record: scp.Record) -> None:
        if not is_candidate(_value(record, "_raw")) or not is_in_scope_write(record):
            return
        verdict = _value(record, "hostnet") or "missing"
        gap = _value(record, "hostnet_gap") or (NO_GAP if verdict in ("true", "false") else "")
        self.counts[(_value(record, "hostnet_req_cluster") or NO_CLUSTER, verdict, gap)] += 1

    def rows(self) -> List[Tuple[Key, int]]:
        return sorted(self.counts.items())


def lines(coverage: Coverage, gaps: Dict[str, Gap]) -> Iterator[str]:
    """The summary as text lines: a header, then one line per (cluster, verdict, gap) with the fix."""
    total = sum(coverage.counts.values())
    yield f"coverage: {total} writes to resources with a pod spec, by cluster, verdict and gap"
    rows = coverage.rows()
    width = max([len(cluster) for (cluster, _, _), _ in rows] + [len("cluster")])
    yield f"  {'cluster':<{width}}  {'verdict':<7}  {'gap':<22}  {'count':>6}  attacker  fix"
    for (cluster, verdict, gap), count in rows:
        known = gaps.get(gap)
        if gap in ("", NO_GAP) or known is None:
            attacker, fix = "", "" if gap in ("", NO_GAP) else f"(no row for {gap!r} in {GAPS_CSV})"
        else:
            attacker, fix = ("yes" if known.attacker_influenced else "no"), known.fix
        cells = f"{cluster:<{width}}  {verdict:<7}  {gap or '(not given)':<22}  {count:>6}  {attacker:<8}"
        yield f"  {cells}  {fix}".rstrip()
