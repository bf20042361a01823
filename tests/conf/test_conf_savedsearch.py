"""The correlation search: ESCU's form, the seed's schedule, risk and columns, and a search that holds up."""

import json
import re

from hostnet_tools.indexterms import term_groups
from kube_hostnet.resources import POD_SPEC_PATHS
from kube_hostnet.scope import WRITE_VERBS
from tests.support.content_names import APP_LABEL, RULE_NAME
from tests.support.engine_contract import COMMAND_FIELDS, SEED_COLUMNS
from tests.support.spl_check import (
    SPLUNK_EVENT_FIELDS,
    check,
    expand,
    field_flow,
    first_stage_index,
    macro_calls,
)
from tests.support.splunk_conf import is_true

FILTER_MACRO = "kubernetes_pod_with_host_network_attachment_filter"
ALLOWLIST_MACRO = "kubernetes_hostnet_known_infrastructure"
EVIDENCE_BY_FIELDS = (
    "hostnet_evidence", "hostnet_annotation_mismatch", "hostnet_workload", "hostnet_namespace",
)
# ESCU's risk score is impact x confidence / 100; the seed's were 70 and 70, hence 49.
SEED_IMPACT = 70
SEED_CONFIDENCE = 70


def _normalized(spl):
    return " ".join(spl.split())


def _flow(spl, macros):
    # Only the fields Splunk gives every event: the search must not depend on JSON field extraction.
    return field_flow(check(spl, macros), SPLUNK_EVENT_FIELDS.__contains__, {"hostnetcheck": COMMAND_FIELDS})


def _drilldowns(rule):
    return json.loads(rule["action.notable.param.drilldown_searches"])


def test_stanza_name_is_escu_style_and_fits():
    assert RULE_NAME.startswith(f"{APP_LABEL} - ") and RULE_NAME.endswith(" - Rule")
    assert len(RULE_NAME) <= 99


def test_label_and_correlation_search_flags(rule):
    assert rule["action.correlationsearch.label"] == RULE_NAME
    assert is_true(rule["action.correlationsearch.enabled"])
    assert rule["action.correlationsearch.detection_type"] == "ebd"


def test_schedule_is_the_seeds_and_ships_disabled(rule):
    assert rule["cron_schedule"] == "0 * * * *"
    assert rule["dispatch.earliest_time"] == "-70m@m"
    assert rule["dispatch.latest_time"] == "-10m@m"
    assert rule["schedule_window"] == "auto"
    assert is_true(rule["enableSched"])
    assert is_true(rule["disabled"])
    assert not is_true(rule.get("realtime_schedule", "0"))


def test_every_json_valued_key_parses(rule):
    json_keys = [k for k, v in rule.items() if v.lstrip().startswith(("{", "["))]
    assert "action.correlationsearch.annotations" in json_keys
    assert "action.notable.param.drilldown_searches" in json_keys
    for key in json_keys:
        json.loads(rule[key])


def test_annotations_are_the_seeds(rule):
    annotations = json.loads(rule["action.correlationsearch.annotations"])
    assert annotations["mitre_attack"] == ["T1204"]
    assert annotations["analytic_story"] == ["Risk Based Analytics (RBA)"]
    assert annotations["data_source"] == ["Kubernetes Audit"]
    assert (annotations["impact"], annotations["confidence"]) == (SEED_IMPACT, SEED_CONFIDENCE)
    assert json.loads(rule["action.escu.mappings"])["mitre_attack"] == ["T1204"]


def test_risk_is_the_seeds(rule):
    assert is_true(rule["action.risk"])
    risk = json.loads(rule["action.risk.param._risk"])
    assert risk == [{"risk_object_field": "user", "risk_object_type": "user", "risk_score": 49}]
    assert risk[0]["risk_score"] == SEED_IMPACT * SEED_CONFIDENCE // 100
    message = rule["action.risk.param._risk_message"]
    assert message == "Kubernetes pod with host network attachment from user $user$."


def test_risk_fields_are_in_the_results(rule, macros):
    output = _flow(rule["search"], macros).output
    tokens = set(re.findall(r"\$(\w+)\$", rule["action.risk.param._risk_message"]))
    objects = {r["risk_object_field"] for r in json.loads(rule["action.risk.param._risk"])}
    assert tokens | objects <= output


def test_search_ends_with_the_filter_macro(rule):
    assert rule["search"].rstrip().endswith(f"`{FILTER_MACRO}`")
    assert macro_calls(rule["search"])[-1] == (FILTER_MACRO, 0)


def test_cheap_filters_come_first_and_match_the_engines_scope(rule, macros):
    pipeline = check(rule["search"], macros)
    base = pipeline[0].args
    kube_audit = expand("`kube_audit`", macros)
    assert base.startswith(kube_audit)
    # After kube_audit only index terms: OR-groups of bare words, no field=value (no extracted field).
    terms = base[len(kube_audit) :]
    assert "=" not in terms, terms
    assert term_groups(terms) == [frozenset(r for _, r in POD_SPEC_PATHS), WRITE_VERBS]


def test_pipeline_order(rule, macros):
    pipeline = check(rule["search"], macros)
    commands = [stage.command for stage in pipeline]
    hostnetcheck = first_stage_index(pipeline, "hostnetcheck")
    # `fields` first: the command handles a third of the columns (docs/performance.md, fields clause), and
    # it must keep _raw, which hostnetcheck reads; the field flow test checks the rest is kept for later.
    assert hostnetcheck == 2
    assert pipeline[1].command == "fields"
    assert {"_raw", "_time"} <= set(pipeline[1].args.split()) <= SPLUNK_EVENT_FIELDS
    assert pipeline[hostnetcheck + 1].command == "search"
    assert re.fullmatch(r'hostnet="?true"?', pipeline[hostnetcheck + 1].args.strip())
    allowlist = commands.index("lookup")
    assert hostnetcheck < allowlist < commands.index("fillnull") < commands.index("stats")
    assert commands.index("stats") < commands.index("rename")


def test_allowlist_is_applied_through_its_own_macro(rule, macros):
    assert (ALLOWLIST_MACRO, 0) in macro_calls(rule["search"])
    expanded = expand(f"`{ALLOWLIST_MACRO}`", macros)
    assert "where isnull(hostnet_allowlisted)" in _normalized(expanded)


def test_seed_columns_are_kept(rule, macros):
    stats = next(s for s in check(rule["search"], macros) if s.command == "stats").args
    aggregations, by = re.split(r"\s+by\s+", stats)
    by_fields = by.split()
    assert set(SEED_COLUMNS.values()) <= set(by_fields)
    assert set(EVIDENCE_BY_FIELDS) <= set(by_fields)
    assert "last-applied-configuration" not in stats
    assert re.match(r"count\b", aggregations)
    assert "values(hostnet_req_groups) as user_groups" in aggregations
    rename = next(s for s in check(rule["search"], macros) if s.command == "rename").args
    pairs = dict(reversed(re.split(r"\s+as\s+", pair.strip())) for pair in rename.split(","))
    assert {column: pairs.get(column) for column in SEED_COLUMNS} == SEED_COLUMNS
    output = _flow(rule["search"], macros).output
    assert set(SEED_COLUMNS) | {"count", "user_groups"} <= output
    assert not {name for name in output if name.startswith("hostnet_req_")}


def test_every_field_read_is_provided(rule, macros):
    assert _flow(rule["search"], macros).used_unknown == frozenset()


def test_drilldowns_are_escus(rule, macros):
    by_user, risk = _drilldowns(rule)
    for drilldown in (by_user, risk):
        window = (drilldown["earliest_offset"], drilldown["latest_offset"])
        assert window == ("$info_min_time$", "$info_max_time$")
        assert "$user$" in drilldown["name"]
        check(drilldown["search"], macros)
    assert _normalized(by_user["search"]) == _normalized(rule["search"]) + ' | search user="$user$"'
    assert _flow(by_user["search"], macros).used_unknown == frozenset()
    assert risk["search"].startswith("| from datamodel Risk.All_Risk")


def test_every_macro_used_is_defined(rule, macros):
    searches = [rule["search"]] + [d["search"] for d in _drilldowns(rule)]
    searches += [m.definition for m in macros.values()]
    for spl in searches:
        for call in macro_calls(spl):
            assert call in macros, f"{call} used but not defined"
        check(spl, macros)
