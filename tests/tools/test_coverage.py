"""make run's coverage summary: which records count as in-scope writes, and how each line reads."""

from typing import Dict

from hypothesis import given
from hypothesis import strategies as st

from hostnet_tools import coverage
from hostnet_tools.coverage import Coverage, Gap
from hostnet_tools.scp import Value

RAW = '{"requestURI":"/api/v1/namespaces/s/pods","verb":"create"}'
GAPS = {"cut": Gap(True, "Set TRUNCATE = 1000000."), "no_body": Gap(False, "Log at RequestResponse.")}


def record(**fields: Value) -> Dict[str, Value]:
    base: Dict[str, Value] = {"_raw": RAW, "hostnet": "true", "hostnet_req_resource": "pods",
                              "hostnet_req_verb": "create"}
    base.update(fields)
    return base


def test_in_scope_writes_are_counted_by_cluster_verdict_and_gap():
    seen = Coverage()
    seen.add(record())
    seen.add(record(hostnet_req_cluster="p/gke-1"))
    seen.add(record(hostnet="unknown", hostnet_gap="cut", hostnet_req_cluster="p/gke-1"))
    seen.add(record(hostnet="unknown", hostnet_gap="cut", hostnet_req_cluster="p/gke-1"))
    assert seen.rows() == [
        (("-", "true", "-"), 1), (("p/gke-1", "true", "-"), 1), (("p/gke-1", "unknown", "cut"), 2),
    ]


def test_reads_other_resources_and_subresources_are_not_counted():
    seen = Coverage()
    seen.add(record(hostnet_req_verb="get"))
    seen.add(record(hostnet_req_resource="configmaps"))
    seen.add(record(hostnet_req_subresource="exec"))
    assert seen.rows() == []


def test_what_the_command_could_not_read_stays_in():
    seen = Coverage()
    # Cut before its verb: no verb, no write term, but long enough to have been cut.
    cut = '{"requestURI":"/api/v1/namespaces/s/pods?x=' + "C" * 3000
    seen.add({"_raw": cut, "hostnet": "unknown", "hostnet_gap": "cut"})
    assert seen.rows() == [(("-", "unknown", "cut"), 1)]


def test_events_the_first_line_would_not_select_are_not_counted():
    seen = Coverage()
    seen.add(record(_raw='{"requestURI":"/apis/coordination.k8s.io/v1/leases/x","verb":"update"}'))
    seen.add(record(_raw='{"requestURI":"/api/v1/pods","verb":"get"}'))
    assert seen.rows() == []


def test_lines_carry_the_fix_and_whether_a_client_can_cause_the_gap():
    seen = Coverage()
    seen.add(record(hostnet="unknown", hostnet_gap="cut"))
    seen.add(record(hostnet="unknown", hostnet_gap="no_body"))
    seen.add(record(hostnet="unknown", hostnet_gap="brand_new"))
    seen.add(record(hostnet="unknown"))
    text = list(coverage.lines(seen, GAPS))
    assert text[0].startswith("coverage: 4 writes")
    by_gap = {line.split()[2]: line for line in text[2:]}
    assert by_gap["cut"].endswith("yes       Set TRUNCATE = 1000000.")
    assert by_gap["no_body"].endswith("no        Log at RequestResponse.")
    assert "no row for 'brand_new'" in by_gap["brand_new"]
    assert "(not" in by_gap  # an unknown without a gap: a command that does not give hostnet_gap


@given(st.lists(st.sampled_from(["true", "false", "unknown"]), max_size=30))
def test_every_counted_record_is_in_exactly_one_line(verdicts):
    seen = Coverage()
    for verdict in verdicts:
        seen.add(record(hostnet=verdict))
    assert sum(count for _, count in seen.rows()) == len(verdicts)
    assert len(list(coverage.lines(seen, GAPS))) == 2 + len(set(verdicts))
