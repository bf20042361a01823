"""The searches' first lines, evaluated on the index terms Splunk would extract (hostnet_tools.indexterms),
keep every event hostnetcheck must see: every `true` of the labelled sample in every platform's shape, and
events padded past spath's 5,000-character extraction or cut at TRUNCATE."""

import csv
import json
import re
from typing import Any, Dict, List, Tuple

import pytest

from hostnet_tools.auditlog import SPLUNK_TRUNCATE, splunk_truncate
from hostnet_tools.indexterms import index_terms, selects, term_groups
from tests.support.content_names import BLIND_SPOT_RULE_NAME, RULE_NAME
from tests.support.paths import REPO
from tests.support.platform_shapes import FROM_EVENT, FROM_LINE
from tests.support.spl_check import check, expand

SAMPLES = REPO / "samples"
SPATH_EXTRACTION_CUTOFF = 5000  # limits.conf [spath] extraction_cutoff: what KV_MODE=json and spath read
SHAPES = sorted(FROM_LINE) + sorted(FROM_EVENT)


def _first_line_groups(conf, macros, name: str):
    search = check(conf("savedsearches")[name]["search"], macros)[0].args
    return term_groups(search[len(expand("`kube_audit`", macros)) :])


@pytest.fixture(scope="module")
def main_groups(conf, macros):
    return _first_line_groups(conf, macros, RULE_NAME)


@pytest.fixture(scope="module")
def blind_spot_selects(conf, macros):
    """The blind-spot rule's first line and its writes_or_cut `where`, as a predicate on raw text."""
    groups = _first_line_groups(conf, macros, BLIND_SPOT_RULE_NAME)
    where = macros[("kubernetes_hostnet_writes_or_cut", 0)].definition
    found = re.fullmatch(r'where searchmatch\("([^"]*)"\) OR len\(_raw\) >= (\d+)', where.strip())
    assert found, where
    writes, threshold = term_groups(f"({found.group(1)})"), int(found.group(2))
    return lambda raw: selects(groups, raw) and (selects(writes, raw) or len(raw) >= threshold)


def _sample() -> List[Tuple[str, str, str]]:
    lines = (SAMPLES / "audit.log").read_text(encoding="utf-8").splitlines()
    with open(SAMPLES / "audit.labels.csv", newline="", encoding="utf-8") as handle:
        labels = list(csv.DictReader(handle))
    assert len(labels) == len(lines)
    return [(label["line"], label["truth"], line) for label, line in zip(labels, lines)]


def _parsed(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None


def _shape(name: str, line: str) -> str:
    if name in FROM_LINE:
        return FROM_LINE[name](line)
    return FROM_EVENT[name](json.loads(line))


SAMPLE = _sample()
TRUE_LINES = [(number, line) for number, truth, line in SAMPLE if truth == "true"]


def test_the_sample_has_trues_of_every_kind_the_shapes_need():
    assert len(TRUE_LINES) == 60  # the bundled sample's (README, evaluation table)
    assert any(_parsed(line) is None for _, line in TRUE_LINES)  # cut events among them


@pytest.mark.parametrize("shape", SHAPES)
def test_every_true_of_the_sample_is_a_candidate_in_every_shape(main_groups, blind_spot_selects, shape):
    checked = 0
    for number, line in TRUE_LINES:
        if shape in FROM_EVENT and _parsed(line) is None:
            continue  # a cut line has no parsed event to re-express; its text is kept by the line shapes
        raw = _shape(shape, line)
        assert selects(main_groups, raw), (shape, number)
        assert blind_spot_selects(raw), (shape, number)
        checked += 1
    assert checked >= 58


def test_the_terms_do_select(main_groups):
    # Candidate selection is not "everything": other resources and most reads never reach the command.
    chosen = [number for number, _, line in SAMPLE if selects(main_groups, line)]
    assert len(TRUE_LINES) <= len(chosen) < len(SAMPLE) * 2 // 3
    assert "1" not in chosen  # a node lease renewal


def _true_event() -> Dict[str, Any]:
    for _, line in TRUE_LINES:
        event = _parsed(line)
        if event and "requestObject" in event and event.get("objectRef", {}).get("resource") == "pods":
            return event
    raise AssertionError("no complete true pod event in the sample")


def _padded(where: str) -> Dict[str, Any]:
    event = json.loads(json.dumps(_true_event()))
    if where == "user_agent":
        event["userAgent"] = "kubectl/v1.29.3 " + "A" * 6000
    elif where == "request_object":
        containers = event["requestObject"]["spec"]["containers"]
        containers[0].setdefault("env", []).append({"name": "PAD", "value": "B" * 20000})
    else:
        uri = event["requestURI"]
        event["requestURI"] = uri + ("&" if "?" in uri else "?") + "x=" + "C" * 12000
    return event


@pytest.mark.parametrize("shape", SHAPES)
def test_objectref_past_spaths_5000_characters_is_still_a_candidate(main_groups, shape):
    event = _padded("user_agent")
    raw = _shape(shape, json.dumps(event, separators=(",", ":")))
    if shape in ("bare", "aks", "fluent_bit"):
        assert raw.index("objectRef") > SPATH_EXTRACTION_CUTOFF
    assert selects(main_groups, splunk_truncate(raw, 0)), shape


@pytest.mark.parametrize("shape", SHAPES)
def test_an_event_cut_at_truncate_inside_its_object_is_still_a_candidate(main_groups, shape):
    raw = _shape(shape, json.dumps(_padded("request_object"), separators=(",", ":")))
    cut = splunk_truncate(raw, SPLUNK_TRUNCATE)
    assert len(cut.encode()) <= SPLUNK_TRUNCATE < len(raw.encode())
    assert selects(main_groups, cut), shape


@pytest.mark.parametrize("shape", ["bare", "aks", "fluent_bit", "openshift"])
def test_an_event_cut_before_its_verb_reaches_the_blind_spot_rule(main_groups, blind_spot_selects, shape):
    # A client pads its query string so that TRUNCATE cuts the event before "verb": no write verb is left
    # to select it by. The host-network rule can conclude nothing from it; the blind-spot rule must see it.
    raw = _shape(shape, json.dumps(_padded("request_uri"), separators=(",", ":")))
    cut = splunk_truncate(raw, SPLUNK_TRUNCATE)
    assert '"verb"' not in cut and '\\"verb\\"' not in cut
    assert not {"create", "update", "patch"} & index_terms(cut)
    assert blind_spot_selects(cut), shape
