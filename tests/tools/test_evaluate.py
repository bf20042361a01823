"""make evaluate: the seed's wildcard as SPL evaluates it, the scoring rules, the labels file, and (protocol)
the comparison on the sample."""

import io
import json
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostnet_tools import evaluate
from hostnet_tools.evaluate import TOTAL, Judged, Label
from hostnet_tools.flatten import splunk_record
from hostnet_tools.seed_wildcard import ANNOTATION_FIELD, seed_matches, spl_wildcard
from tests.support.paths import REPO

ROOT = REPO


def pod_event(annotation: str, verb: str = "create", resource: str = "pods") -> str:
    return json.dumps(
        {
            "kind": "Event",
            "verb": verb,
            "objectRef": {"resource": resource, "namespace": "default"},
            "requestObject": {
                "kind": "Pod",
                "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": annotation}},
            },
        }
    )


APPLIED = '{"apiVersion":"v1","kind":"Pod","spec":{"containers":[],"hostNetwork":true}}\n'


# --- the seed's wildcard -----------------------------------------------------------------------------------


def test_seed_matches_what_kubectl_apply_writes() -> None:
    record = splunk_record(pod_event(APPLIED))
    assert record[ANNOTATION_FIELD] == APPLIED  # the field is the decoded string, newline included
    assert seed_matches(record)
    assert seed_matches(splunk_record(pod_event(APPLIED, verb="update")))


@pytest.mark.parametrize(
    ("annotation", "verb", "resource", "expected"),
    [
        (APPLIED.replace("hostNetwork", "HOSTNETWORK").replace("true", "TRUE"), "create", "pods", True),
        (APPLIED, "create", "PODS", True),  # SPL compares values case-insensitively
        (APPLIED, "CREATE", "pods", True),
        (APPLIED.replace('"hostNetwork":true', '"hostNetwork": true'), "create", "pods", False),
        (APPLIED.replace('"hostNetwork":true', '"host\\u004eetwork":true'), "create", "pods", False),
        (APPLIED.replace('"hostNetwork":true', '"hostNetwork":"true"'), "create", "pods", False),
        (APPLIED.replace('"hostNetwork":true', '"hostNetwork":false'), "create", "pods", False),
        (APPLIED, "patch", "pods", False),  # kubectl apply on an existing object, server-side apply
        (APPLIED, "create", "deployments", False),
        (APPLIED.replace("true}", "trueish}"), "create", "pods", True),  # *...* does not stop at the value
    ],
)
def test_seed_wildcard_cases(annotation: str, verb: str, resource: str, expected: bool) -> None:
    assert seed_matches(splunk_record(pod_event(annotation, verb, resource))) is expected


def test_seed_needs_the_annotation_field() -> None:
    event = json.loads(pod_event(APPLIED))
    del event["requestObject"]
    assert not seed_matches(splunk_record(json.dumps(event)))
    assert not seed_matches(splunk_record(pod_event(APPLIED)[:80]))  # cut: JSON extraction finds nothing


def test_seed_multivalue_field_matches_any_value() -> None:
    assert seed_matches({"objectRef.resource": ["x", "pods"], "verb": "create", ANNOTATION_FIELD: APPLIED})


@given(st.text(max_size=20), st.text(max_size=20))
def test_spl_wildcard_property(before: str, after: str) -> None:
    pattern = spl_wildcard('*"hostNetwork":true*')
    assert pattern.fullmatch(before + '"hostNetwork":true' + after)
    assert pattern.fullmatch(before + '"HostNetwork":TRUE' + after)
    if '"hostnetwork":true' not in (before + after).lower():
        assert not pattern.fullmatch(before + '"hostNetwork" :true' + after)


# --- scoring -----------------------------------------------------------------------------------------------

_JUDGED = st.builds(
    lambda line, truth, category, seed, verdict: Judged(line, Label(truth, category, ""), seed, verdict),
    st.integers(min_value=1),
    st.sampled_from(evaluate.TRUTHS),
    st.sampled_from(("a", "b", "c")),
    st.booleans(),
    st.sampled_from(evaluate.TRUTHS),
)


@given(st.lists(_JUDGED, max_size=40))
def test_score_property(judged: List[Judged]) -> None:
    scores = evaluate.score(judged)
    total = scores.pop(TOTAL)
    true_events = sum(1 for item in judged if item.label.truth == "true")
    false_events = sum(1 for item in judged if item.label.truth == "false")
    for counts in (total.seed, total.hostnetcheck):
        assert counts["detected"] + counts["missed"] == true_events
        assert counts["false_alarms"] <= false_events
    assert total.seed["detected"] == sum(1 for item in judged if item.label.truth == "true" and item.seed)
    assert total.seed["false_alarms"] == sum(
        1 for item in judged if item.label.truth == "false" and item.seed
    )
    assert total.hostnetcheck["exact"] == sum(1 for item in judged if item.hostnetcheck == item.label.truth)
    assert total.hostnetcheck["unknown"] == sum(1 for item in judged if item.hostnetcheck == "unknown")
    assert total.events == len(judged) == sum(score.events for score in scores.values())
    assert (
        sum(score.hostnetcheck["false_alarms"] for score in scores.values())
        == total.hostnetcheck["false_alarms"]
    )


def test_table_has_a_row_per_category_and_the_total() -> None:
    judged = [
        Judged(1, Label("true", "b", ""), False, "true"),
        Judged(2, Label("false", "a", ""), True, "false"),
        Judged(3, Label("unknown", "a", ""), False, "unknown"),
    ]
    lines = evaluate.table(evaluate.score(judged)).splitlines()
    assert [line.split("|")[1].strip() for line in lines[2:]] == ["a", "b", f"**{TOTAL}**"]
    assert all(line.count("|") == len(evaluate.HEADER) + 1 for line in lines)
    cells = [cell.strip() for cell in lines[2].split("|")[1:-1]]
    assert cells[1:6] == ["2", "0/1/1", "0", "0", "1"]  # events, truths, seed detected/missed/false alarms


# --- labels file -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "line,truth,reason\n1,true,x\n",
        "line,truth,category,reason\n1,maybe,c,x\n",
        "line,truth,category,reason\n1,true,c,x\n1,false,c,y\n",
    ],
)
def test_bad_labels_are_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(evaluate.LabelError):
        evaluate.read_labels(str(path))


def run_evaluate(*args: str) -> Tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = evaluate.main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def test_missing_labels_file_is_one_line_error(tmp_path: Path) -> None:
    code, out, err = run_evaluate("--app", str(tmp_path), "--labels", str(tmp_path / "none.csv"))
    assert code == 2 and out == ""
    assert err.startswith("evaluate: error:") and err.count("\n") == 1
def test_labels_must_cover_the_events(app_dir: Path, interpreters: Dict[str, str], tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("line,truth,category,reason\n1,false,c,x\n", encoding="utf-8")
    sample = tmp_path / "audit.log"
    sample.write_text('{"kind":"Event"}\n{"kind":"Event"}\n', encoding="utf-8")
    python = interpreters["3.13"]
    code, _, err = run_evaluate(
        "--app", str(app_dir), "--python", python, "--sample", str(sample), "--labels", str(labels)
    )
    assert code == 2 and "line 2 has no label" in err


# --- the comparison on the sample --------------------------------------------------------------------------


# The seed's detected / missed / false alarms on the sample, as README.md's evaluation table reports them.
SEED_TOTALS = ("3", "57", "5")


def test_evaluate_on_the_sample(app_dir: Path, python: str) -> None:
    code, out, err = run_evaluate("--app", str(app_dir), "--python", python, "--mismatches")
    assert code == 0, err
    lines = out.splitlines()
    rows: Dict[str, Tuple[str, ...]] = {
        line.split("|")[1].strip(): tuple(cell.strip() for cell in line.split("|")[2:-1])
        for line in lines
        if line.startswith("| ") and not line.startswith("| category") and "---" not in line
    }
    labels = evaluate.read_labels(str(ROOT / "samples" / "audit.labels.csv"))
    assert set(rows) == {label.category for label in labels.values()} | {f"**{TOTAL}**"}
    total = rows[f"**{TOTAL}**"]
    assert int(total[0]) == len(labels)
    truths = [sum(1 for label in labels.values() if label.truth == truth) for truth in evaluate.TRUTHS]
    assert total[1] == "/".join(map(str, truths))
    differs = next(line for line in lines if line.startswith("hostnetcheck differs"))
    wrong = int(differs.split(" on ")[1].split(" of ")[0])
    assert wrong == len(lines) - lines.index(differs) - 1  # --mismatches lists each one
    assert wrong == 0, "\n".join(lines[lines.index(differs) :])
    assert int(total[9]) == len(labels)  # exact on every event
    assert total[2:5] == SEED_TOTALS
