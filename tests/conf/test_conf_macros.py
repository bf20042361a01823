"""The macros: the seed's two, and the allowlist pair whose SPL restates hostnet_tools.allowlist."""

import re

from hostnet_tools import allowlist
from tests.support.audit_fields import is_audit_event_field
from tests.support.content_names import LOOKUP_NAME
from tests.support.engine_contract import COMMAND_FIELDS
from tests.support.spl_check import check, check_fragment, field_flow

ALLOWLIST = "kubernetes_hostnet_allowlist"
KNOWN_INFRASTRUCTURE = "kubernetes_hostnet_known_infrastructure"


def _definition(macros, name):
    return macros[(name, 0)].definition


def test_kube_audit_is_the_seeds_and_says_what_to_change(conf):
    stanza = conf("macros")["kube_audit"]
    assert stanza["definition"] == 'source="kubernetes"'
    assert all(word in stanza["description"] for word in ("index", "source", "sourcetype"))


def test_filter_macro_is_empty_and_meant_for_false_positives(conf):
    stanza = conf("macros")["kubernetes_pod_with_host_network_attachment_filter"]
    assert stanza["definition"] == "search *"
    assert "false positives" in stanza["description"]


def test_every_macro_is_well_formed_and_described(conf, macros):
    for (name, _), macro in macros.items():
        check_fragment(macro.definition, macros)
        assert conf("macros")[name].get("description"), f"{name} has no description"


def test_allowlist_macro_contains_the_models_rules_verbatim(macros):
    definition = _definition(macros, ALLOWLIST)
    for regex in (
        allowlist.PATTERN_OUTSIDE_CHARSET,
        allowlist.SPECIFIC_WORKLOAD,
        allowlist.NOT_SPECIFIC_IMAGE,
    ):
        assert f'"{regex}"' in definition, regex
    for find, replace in (allowlist.IMAGE_DOT, allowlist.IMAGE_STAR):
        assert f'"{find}", "{replace}"' in definition
    assert f'"*", "{allowlist.ANY_IMAGE}"' in definition
    assert '"^(" . mvjoin(' in definition and '"|") . ")$"' in definition


def test_allowlist_lookup_keys_on_namespace_workload_and_user(macros, conf):
    pipeline = check_fragment(_definition(macros, ALLOWLIST), macros)
    lookup = next(s for s in pipeline if s.command == "lookup").args
    words = lookup.split()
    assert words[0] == LOOKUP_NAME and LOOKUP_NAME in conf("transforms")
    inputs = " ".join(words[1 : words.index("OUTPUT")])
    # The requesting user as the command reads it from every audit shape, not an extracted field.
    assert inputs == "namespace AS hostnet_namespace workload AS hostnet_workload user AS hostnet_req_user"
    outputs = re.findall(r"(\w+) AS (\w+)", " ".join(words[words.index("OUTPUT") + 1 :]))
    assert {column for column, _ in outputs} == {"workload", "image", "reason"}


def test_allowlist_macro_keeps_events_and_adds_only_hostnet_allowlisted(macros):
    pipeline = check(f"index=k8s | hostnetcheck | `{ALLOWLIST}`", macros)
    assert "where" not in [s.command for s in pipeline] and "search" not in [s.command for s in pipeline[1:]]
    flow = field_flow(pipeline, is_audit_event_field, {"hostnetcheck": COMMAND_FIELDS})
    assert flow.used_unknown == frozenset()
    assert flow.output == COMMAND_FIELDS | {"hostnet_allowlisted"}


def test_known_infrastructure_macro_drops_what_the_allowlist_marks(macros):
    pipeline = check_fragment(f"`{KNOWN_INFRASTRUCTURE}`", macros)
    assert pipeline[0].command == "lookup"
    assert (pipeline[-1].command, pipeline[-1].args.strip()) == ("where", "isnull(hostnet_allowlisted)")
