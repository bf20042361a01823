"""Blind spots are reported: the gap lookup, the blind-spot detection and the audit coverage report."""

import csv
import json
import re

import pytest

from hostnet_tools.indexterms import term_groups
from kube_hostnet.resources import POD_SPEC_PATHS
from kube_hostnet.scope import WRITE_VERBS
from tests.support.content_names import (
    BLIND_SPOT_RULE_NAME,
    COVERAGE_REPORT_NAME,
    GAPS_LOOKUP_FILE,
    GAPS_LOOKUP_NAME,
    RULE_NAME,
)
from tests.support.engine_contract import ATTACKER_INFLUENCED, COMMAND_FIELDS, GAP_CODES, SEED_COLUMNS
from tests.support.spl_check import SPLUNK_EVENT_FIELDS, check, expand, field_flow, macro_calls
from tests.support.splunk_conf import is_true

IN_SCOPE_MACRO = "kubernetes_hostnet_in_scope_write"
WRITES_OR_CUT_MACRO = "kubernetes_hostnet_writes_or_cut"
BLIND_SPOT_FILTER = "kubernetes_pod_spec_write_unreadable_filter"
# ESCU: risk score = impact x confidence / 100. Same impact as the host-network rule (what may be hidden is
# the same pod), lower confidence (large legitimate specs land here too).
BLIND_SPOT_IMPACT = 70
BLIND_SPOT_CONFIDENCE = 40


def _flow(spl, macros):
    return field_flow(check(spl, macros), SPLUNK_EVENT_FIELDS.__contains__, {"hostnetcheck": COMMAND_FIELDS})


@pytest.fixture(scope="module")
def gaps(app_dir):
    with open(app_dir / "lookups" / GAPS_LOOKUP_FILE, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["gap", "attacker_influenced", "fix"]
        return list(reader)


@pytest.fixture(scope="module")
def blind(conf):
    return conf("savedsearches")[BLIND_SPOT_RULE_NAME]


@pytest.fixture(scope="module")
def report(conf):
    return conf("savedsearches")[COVERAGE_REPORT_NAME]


# --- the gap lookup ----------------------------------------------------------------------------------------


def test_lookup_has_one_row_per_gap_code_of_the_contract(gaps):
    assert [row["gap"] for row in gaps] == list(GAP_CODES)


def test_lookup_marks_exactly_the_gaps_a_client_can_cause(gaps):
    assert {row["gap"] for row in gaps if row["attacker_influenced"] == "true"} == ATTACKER_INFLUENCED
    assert {row["attacker_influenced"] for row in gaps} == {"true", "false"}


def test_every_fix_says_what_to_change(gaps):
    for row in gaps:
        assert len(row["fix"]) > 40 and "\n" not in row["fix"], row
    by_gap = {row["gap"]: row["fix"] for row in gaps}
    assert "TRUNCATE" in by_gap["cut"]
    assert "RequestResponse" in by_gap["no_body"] and "RequestResponse" in by_gap["patch_effect_unlogged"]
    assert "--audit-log-truncate" in by_gap["backend_truncated"]


def test_lookup_definition(conf):
    stanza = conf("transforms")[GAPS_LOOKUP_NAME]
    assert stanza["filename"] == GAPS_LOOKUP_FILE
    assert is_true(stanza["case_sensitive_match"]) and stanza["max_matches"] == "1"


# --- the shared macros -------------------------------------------------------------------------------------


def test_in_scope_macro_lists_the_engines_resources_and_verbs(macros):
    definition = macros[(IN_SCOPE_MACRO, 0)].definition
    lists = re.findall(r"in\((hostnet_req_\w+), ([^)]*)\)", definition)
    found = {field: {value.strip().strip('"') for value in values.split(",")} for field, values in lists}
    assert found == {
        "hostnet_req_resource": {resource for _, resource in POD_SPEC_PATHS},
        "hostnet_req_verb": set(WRITE_VERBS),
    }
    # What the command could not read stays in: an empty resource or verb, never a subresource.
    assert 'isnull(hostnet_req_resource) OR hostnet_req_resource=""' in definition
    assert 'isnull(hostnet_req_verb) OR hostnet_req_verb=""' in definition
    assert 'AND (isnull(hostnet_req_subresource) OR hostnet_req_subresource="")' in definition


def test_writes_or_cut_keeps_write_verbs_and_events_long_enough_to_be_cut(macros):
    definition = macros[(WRITES_OR_CUT_MACRO, 0)].definition
    verbs = re.search(r'searchmatch\("([^"]*)"\)', definition)
    assert verbs and term_groups(f"({verbs.group(1)})") == [WRITE_VERBS]
    threshold = re.search(r"len\(_raw\) >= (\d+)", definition)
    # TRUNCATE's default is 10000 bytes, and a UTF-8 character is at most 4 bytes.
    assert threshold and int(threshold.group(1)) <= 10000 // 4


# --- the blind-spot detection ------------------------------------------------------------------------------


def test_blind_spot_rule_is_an_escu_detection_shipped_disabled(blind):
    assert blind["action.correlationsearch.label"] == BLIND_SPOT_RULE_NAME
    assert BLIND_SPOT_RULE_NAME.endswith(" - Rule") and len(BLIND_SPOT_RULE_NAME) <= 83
    assert is_true(blind["action.correlationsearch.enabled"])
    assert blind["action.correlationsearch.detection_type"] == "ebd"
    assert is_true(blind["disabled"]) and is_true(blind["enableSched"])
    assert (blind["cron_schedule"], blind["dispatch.earliest_time"], blind["dispatch.latest_time"]) == (
        "0 * * * *", "-70m@m", "-10m@m",
    )


def test_blind_spot_risk_is_lower_than_the_host_network_rules(blind, conf):
    annotations = json.loads(blind["action.correlationsearch.annotations"])
    assert (annotations["impact"], annotations["confidence"]) == (BLIND_SPOT_IMPACT, BLIND_SPOT_CONFIDENCE)
    risk = json.loads(blind["action.risk.param._risk"])
    assert risk == [{"risk_object_field": "user", "risk_object_type": "user", "risk_score": 28}]
    assert risk[0]["risk_score"] == BLIND_SPOT_IMPACT * BLIND_SPOT_CONFIDENCE // 100
    main = json.loads(conf("savedsearches")[RULE_NAME]["action.risk.param._risk"])
    assert risk[0]["risk_score"] < main[0]["risk_score"]
    detection_ids = {
        json.loads(conf("savedsearches")[name]["action.correlationsearch.metadata"])["detection_id"]
        for name in (RULE_NAME, BLIND_SPOT_RULE_NAME)
    }
    assert len(detection_ids) == 2


def test_blind_spot_rule_keeps_exactly_the_attacker_influenced_gaps_of_in_scope_writes(blind, macros):
    pipeline = check(blind["search"], macros)
    commands = [stage.command for stage in pipeline]
    at = commands.index("hostnetcheck")
    assert pipeline[at + 1] == ("search", 'hostnet="unknown"')
    assert (IN_SCOPE_MACRO, 0) in macro_calls(blind["search"])
    lookup = next(s for s in pipeline if s.command == "lookup").args.split()
    # The gap list is the lookup's attacker_influenced column, not a second copy of it.
    assert lookup[:4] == [GAPS_LOOKUP_NAME, "gap", "AS", "hostnet_gap"]
    flag = lookup[lookup.index("attacker_influenced") + 2]
    assert any(s == ("search", f'{flag}="true"') for s in pipeline[at:])
    assert "cut" not in blind["search"].split("hostnetcheck", 1)[1]


def test_blind_spot_rule_selects_by_terms_and_hands_the_command_only_raw(blind, macros):
    pipeline = check(blind["search"], macros)
    kube_audit = expand("`kube_audit`", macros)
    assert pipeline[0].args.startswith(kube_audit)
    assert term_groups(pipeline[0].args[len(kube_audit) :]) == [frozenset(r for _, r in POD_SPEC_PATHS)]
    assert macro_calls(blind["search"])[1] == (WRITES_OR_CUT_MACRO, 0)
    fields = next(s for s in pipeline if s.command == "fields")
    assert {"_raw"} <= set(fields.args.split()) <= SPLUNK_EVENT_FIELDS


def test_blind_spot_results_carry_the_risk_fields_and_the_seed_columns(blind, macros):
    flow = _flow(blind["search"], macros)
    assert flow.used_unknown == frozenset()
    tokens = set(re.findall(r"\$(\w+)\$", blind["action.risk.param._risk_message"]))
    assert tokens == {"user", "gap"}
    assert tokens | set(SEED_COLUMNS) | {"fix", "count"} <= flow.output
    assert blind["search"].rstrip().endswith(f"`{BLIND_SPOT_FILTER}`")
    assert macros[(BLIND_SPOT_FILTER, 0)].definition == "search *"


def test_blind_spot_risk_object_is_never_empty(blind, macros):
    # An event cut before its user still gives a risk object ES can accumulate on.
    pipeline = check(blind["search"], macros)
    evals = [s.args for s in pipeline if s.command == "eval"]
    assert any(re.match(r'hostnet_req_user=if\(isnull\(hostnet_req_user\) OR hostnet_req_user="", "\w+"', e)
               for e in evals)


def test_blind_spot_drilldowns(blind, macros):
    by_user, risk = json.loads(blind["action.notable.param.drilldown_searches"])
    normalized = " ".join(blind["search"].split())
    assert " ".join(by_user["search"].split()) == normalized + ' | search user="$user$"'
    assert _flow(by_user["search"], macros).used_unknown == frozenset()
    assert risk["search"].startswith("| from datamodel Risk.All_Risk")


# --- the coverage report -----------------------------------------------------------------------------------


def test_coverage_is_a_report_not_a_detection(report):
    detection_keys = ("action.correlationsearch", "action.risk", "action.notable")
    assert not any(key.startswith(detection_keys) for key in report)
    assert not is_true(report.get("enableSched", "0")) and not is_true(report.get("disabled", "0"))
    assert is_true(report["is_visible"])


def test_coverage_counts_in_scope_writes_by_cluster_sourcetype_verdict_and_gap(report, macros):
    pipeline = check(report["search"], macros)
    assert (IN_SCOPE_MACRO, 0) in macro_calls(report["search"])
    stats = next(s for s in pipeline if s.command == "stats").args
    assert stats.split(" by ")[1].split() == ["hostnet_req_cluster", "sourcetype", "hostnet", "hostnet_gap"]
    lookup = next(s for s in pipeline if s.command == "lookup").args.split()
    assert lookup[:4] == [GAPS_LOOKUP_NAME, "gap", "AS", "hostnet_gap"] and "fix" in lookup
    flow = _flow(report["search"], macros)
    assert flow.used_unknown == frozenset()
    assert flow.output == {"cluster", "sourcetype", "verdict", "gap", "count", "attacker_influenced", "fix"}


def test_coverage_reads_the_same_candidates_as_the_blind_spot_rule(report, blind):
    def head(spl):
        return " ".join(spl.split("| hostnetcheck")[0].split())

    assert head(report["search"]) == head(blind["search"])


# --- make run's coverage summary restates the report -------------------------------------------------------


def test_make_runs_coverage_uses_the_macros_lists_and_threshold(macros):
    from hostnet_tools import coverage

    definition = macros[(IN_SCOPE_MACRO, 0)].definition
    resources = re.search(r'in\(hostnet_req_resource, ([^)]*)\)', definition)
    assert resources
    assert {r.strip().strip('"') for r in resources.group(1).split(",")} == coverage.RESOURCE_TERMS
    threshold = re.search(r"len\(_raw\) >= (\d+)", macros[(WRITES_OR_CUT_MACRO, 0)].definition)
    assert threshold and int(threshold.group(1)) == coverage.CUT_CANDIDATE_CHARS


def test_make_run_reads_the_fix_from_the_shipped_lookup(app_dir, gaps):
    from hostnet_tools import coverage

    loaded = coverage.load_gaps(str(app_dir))
    assert {gap: (g.attacker_influenced, g.fix) for gap, g in loaded.items()} == {
        row["gap"]: (row["attacker_influenced"] == "true", row["fix"]) for row in gaps
    }
