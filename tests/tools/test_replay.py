"""make run's replay: rows, formats, the summary line, the allowlist column, errors, and (protocol) the
whole path through the built command."""

import csv
import gzip
import io
import json
import re
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostnet_tools import replay
from hostnet_tools.allowlist import AllowlistRow
from hostnet_tools.auditlog import read_events
from hostnet_tools.progress import PROGRESS_STEP, Progress
from hostnet_tools.scp import Value
from tests.support.paths import REPO

SUMMARY = re.compile(r"detections: (\d+) of (\d+) events")
SAMPLE = REPO / "samples" / "audit.log"

POD_RECORD: Dict[str, Value] = {
    "_time": "1731574818.932723",
    "hostnet_req_user": "system:serviceaccount:kube-system:daemon-set-controller",
    "hostnet_req_src_ip": ["10.0.0.1", "fd00::1"],
    "hostnet_req_verb": "create",
    "hostnet_req_resource": "pods",
    "hostnet_req_namespace": "kube-system",
    "responseObject.metadata.name": "kube-proxy-x2k9q",
    "requestObject.metadata.generateName": "kube-proxy-",
    "hostnet_req_response_code": "201",
    "hostnet": "true",
    "hostnet_evidence": "responseObject",
    "hostnet_annotation_mismatch": "false",
    "hostnet_namespace": "kube-system",
    "hostnet_workload": "DaemonSet/kube-proxy",
    "hostnet_images": "registry.k8s.io/kube-proxy:v1.29.3",
}
KUBE_PROXY = AllowlistRow(
    "kube-system",
    "DaemonSet/kube-proxy",
    "system:serviceaccount:kube-system:daemon-set-controller",
    "registry.k8s.io/kube-proxy:* k8s.gcr.io/kube-proxy:*",
    "kube-proxy",
)


# --- summary line ------------------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_summary_line_format(detections: int, events: int) -> None:
    line = replay.summary_line(detections, events)
    match = SUMMARY.fullmatch(line)
    assert match is not None
    assert (int(match.group(1)), int(match.group(2))) == (detections, events)


# --- rows --------------------------------------------------------------------------------------------------


def test_detection_row_columns() -> None:
    row = replay.detection_row(36, POD_RECORD, [KUBE_PROXY])
    assert set(row) == set(replay.COLUMNS)
    assert row["line"] == "36"
    assert row["time"] == "2024-11-14T09:00:18.932723Z"
    assert row["user"] == "system:serviceaccount:kube-system:daemon-set-controller"
    assert row["src_ip"] == "10.0.0.1 fd00::1"
    assert (row["verb"], row["resource"], row["code"]) == ("create", "pods", "201")
    # A controller's pod has no objectRef.name: the stored object's name is the one to show.
    assert (row["namespace"], row["name"]) == ("kube-system", "kube-proxy-x2k9q")
    assert (row["evidence"], row["annotation_mismatch"]) == ("responseObject", "false")
    assert (row["allowlisted"], row["allowlist_reason"]) == ("true", "kube-proxy")


def test_detection_row_name_fallbacks_and_subresource() -> None:
    record = {key: value for key, value in POD_RECORD.items() if key != "responseObject.metadata.name"}
    assert replay.detection_row(1, record, [])["name"] == "kube-proxy-*"
    named = {**record, "hostnet_req_name": "web", "hostnet_req_subresource": "ephemeralcontainers"}
    row = replay.detection_row(1, named, [])
    assert (row["name"], row["resource"]) == ("web", "pods/ephemeralcontainers")
    assert replay.detection_row(1, {"_time": "0"}, [])["time"] == ""


TRICKY: Dict[str, str] = {
    **{column: f"v,{column}" for column in replay.COLUMNS},
    "user": 'a "quoted", user\nwith a line break',
    "name": "é ünïcödé",
}


def render(fmt: str, rows: List[Dict[str, str]]) -> str:
    out = io.StringIO()
    writer = replay.RowWriter(out, fmt)
    for row in rows:
        writer.row(row)
    writer.finish()
    return out.getvalue()


def test_csv_rows_parse_back() -> None:
    parsed = list(csv.DictReader(io.StringIO(render("csv", [TRICKY, TRICKY]))))
    assert parsed == [TRICKY, TRICKY]


def test_csv_without_rows_still_has_its_header() -> None:
    assert next(csv.reader(io.StringIO(render("csv", [])))) == list(replay.COLUMNS)


def test_json_rows_parse_back() -> None:
    lines = render("json", [TRICKY, TRICKY]).splitlines()
    assert [json.loads(line) for line in lines] == [TRICKY, TRICKY]
    assert render("json", []) == ""


def test_table_is_one_line_per_row_of_fixed_width() -> None:
    lines = render("table", [TRICKY, replay.detection_row(7, POD_RECORD, [])]).splitlines()
    assert len(lines) == 3
    assert lines[0].split() == [name for name, _ in replay.TABLE_COLUMNS]
    starts = [lines[0].index(name) for name, _ in replay.TABLE_COLUMNS]
    row = lines[2]
    # Every column starts where its header does, whatever the width of the values before it.
    assert row[starts[-1] :].strip() == "no"
    assert row[starts[6] :].split()[0] == "kube-system/kube-proxy-x2k9q"
    assert "~" in lines[1]  # the long user was shortened to its column


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="format"):
        replay.RowWriter(io.StringIO(), "xml")


# --- allowlist (display only) ------------------------------------------------------------------------------


def reason(rows: List[AllowlistRow], **changes: Value) -> str:
    return replay.allowlist_reason({**POD_RECORD, **changes}, rows)


def test_allowlist_matches_every_key() -> None:
    assert reason([KUBE_PROXY]) == "kube-proxy"
    assert reason([KUBE_PROXY], hostnet_namespace="default") == ""
    assert reason([KUBE_PROXY], hostnet_workload="DaemonSet/kube-proxy-evil") == ""
    assert reason([KUBE_PROXY], hostnet_req_user="kubernetes-admin") == ""
    # The allowlist keys on the requester hostnetcheck read, as the macro does, never an extracted field.
    assert reason([KUBE_PROXY], hostnet_req_user="", **{"user.username": KUBE_PROXY.user}) == ""


def test_allowlist_needs_every_image_to_match() -> None:
    assert reason([KUBE_PROXY], hostnet_images=["registry.k8s.io/kube-proxy:v1", "k8s.gcr.io/kube-proxy:v2"])
    assert not reason([KUBE_PROXY], hostnet_images=["registry.k8s.io/kube-proxy:v1", "evil.io/sniffer:1"])
    assert not reason([KUBE_PROXY], hostnet_images="registry.k8s.io/kube-proxy:v1/extra")  # * stops at /
    assert not reason([KUBE_PROXY], hostnet_images="")  # no images: never allowlisted


def test_allowlist_first_matching_row_decides() -> None:
    narrow = KUBE_PROXY._replace(image="registry.k8s.io/other:*", reason="first")
    assert reason([narrow, KUBE_PROXY]) == ""  # max_matches = 1: the later row is never consulted


def test_allowlist_wildcards_and_fail_closed_rows() -> None:
    wildcard_user = KUBE_PROXY._replace(user="system:serviceaccount:kube-system:*")
    assert reason([wildcard_user]) == "kube-proxy"
    any_image_named_workload = KUBE_PROXY._replace(image="*")
    assert reason([any_image_named_workload]) == "kube-proxy"
    any_image_any_workload = KUBE_PROXY._replace(workload="*", image="*")
    assert reason([any_image_any_workload]) == ""
    odd_characters = KUBE_PROXY._replace(image="registry.k8s.io/kube-proxy:(v1|v2)")
    assert reason([odd_characters]) == ""


# --- errors and progress, without the command --------------------------------------------------------------


def run_main(args: List[str]) -> Tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = replay.main(args, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err = run_main(["--app", str(tmp_path), str(tmp_path / "missing.log")])
    assert code == replay.EXIT_UNREADABLE
    assert out == ""
    assert err.count("\n") == 1 and "missing.log" in err and err.startswith("replay: error:")


def test_directory_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err = run_main(["--app", str(tmp_path), str(tmp_path)])
    assert code == replay.EXIT_UNREADABLE
    assert out == "" and err.count("\n") == 1


def test_missing_command_is_one_line_and_exit_3(tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    log.write_text('{"kind":"Event"}\n', encoding="utf-8")
    code, _, err = run_main(["--app", str(tmp_path / "no-app"), str(log)])
    assert code == replay.EXIT_COMMAND_FAILED
    assert err.count("\n") == 1 and "make package" in err


@pytest.mark.parametrize(
    "reads",
    [
        pytest.param([25] * 40, id="forty-reads-of-25"),
        pytest.param([1000], id="one-read-of-1000"),
        pytest.param([1] * 999 + [1], id="999-reads-of-1-then-1"),
        pytest.param([333, 333, 334], id="three-thirds"),
    ],
)
def test_progress_reports_each_step_once_up_to_100(reads: List[int]) -> None:
    err = io.StringIO()
    progress = Progress(sum(reads), err)
    for count in reads:
        progress.on_read(count)
    percents = [int(line.split("%")[0].split()[-1]) for line in err.getvalue().splitlines()]
    assert percents == sorted(set(percents))
    assert all(percent % PROGRESS_STEP == 0 for percent in percents)
    assert percents[-1] == 100


# --- through the built command (SCP v2) --------------------------------------------------------------------


@pytest.fixture(scope="module")
def splunk_python(interpreters: Dict[str, str]) -> str:
    return interpreters["3.13"]


def replay_main(app_dir: Path, python: str, path: Path, *options: str) -> Tuple[int, str, str]:
    return run_main(["--app", str(app_dir), "--python", python, *options, str(path)])
def test_sample_replay_table(app_dir: Path, python: str) -> None:
    code, out, err = replay_main(app_dir, python, SAMPLE)
    assert code == 0, err
    lines = out.splitlines()
    match = SUMMARY.fullmatch(lines[-1])
    assert match is not None, lines[-1]
    non_blank = sum(1 for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip())
    assert int(match.group(2)) == non_blank
    rows = lines[1:-1]
    assert int(match.group(1)) == len(rows)
    assert lines[0].split()[0] == "line"
def test_csv_and_json_give_the_table_rows(app_dir: Path, splunk_python: str) -> None:
    _, table, _ = replay_main(app_dir, splunk_python, SAMPLE)
    table_lines = [line.split()[0] for line in table.splitlines()[1:-1]]
    code, out, err = replay_main(app_dir, splunk_python, SAMPLE, "--format", "csv")
    assert code == 0
    csv_rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["line"] for row in csv_rows] == table_lines
    assert SUMMARY.fullmatch(err.splitlines()[-1])  # stdout stays CSV; the summary is still last
    code, out, err = replay_main(app_dir, splunk_python, SAMPLE, "--format", "json")
    assert code == 0
    assert [json.loads(line)["line"] for line in out.splitlines()] == table_lines
    assert SUMMARY.fullmatch(err.splitlines()[-1])
def test_every_format_gives_the_same_verdicts(
    app_dir: Path, splunk_python: str, audit_events: Dict[str, str], tmp_path: Path
) -> None:
    parsed = [json.loads(text) for text in audit_events.values()]
    jsonl = tmp_path / "audit.log"
    jsonl.write_text("".join(text + "\n" for text in audit_events.values()), encoding="utf-8")
    packed = tmp_path / "audit.log.gz"
    packed.write_bytes(gzip.compress(jsonl.read_bytes()))
    array = tmp_path / "array.json"
    array.write_text(json.dumps(parsed, indent=2), encoding="utf-8")
    event_list = tmp_path / "eventlist.json"
    event_list.write_text(json.dumps({"kind": "EventList", "items": parsed}), encoding="utf-8")
    outcomes = []
    for path in (jsonl, packed, array, event_list):
        records = replay.replay_records(str(app_dir), splunk_python, read_events(str(path)))
        outcomes.append(
            [(number, record["hostnet"], record["hostnet_evidence"]) for number, record in records]
        )
    assert len(outcomes[0]) == len(parsed)
    assert all(outcome == outcomes[0] for outcome in outcomes)
def test_the_command_gets_each_event_as_splunk_indexes_it(
    app_dir: Path, splunk_python: str, tmp_path: Path
) -> None:
    long_event = json.dumps({"kind": "Event", "verb": "create", "pad": "x" * 12000})
    lines = ['{"kind":"Event","verb":"get"}', "not json", "", long_event, '{"kind":"Event","verb":"cut']
    path = tmp_path / "audit.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tally = replay.Tally()
    got = list(replay.replay_records(str(app_dir), splunk_python, read_events(str(path)), tally=tally))
    assert [number for number, _ in got] == [1, 2, 4, 5]
    assert [record["_raw"] for _, record in got] == [lines[0], lines[1], long_event[:10000], lines[4]]
    assert all(record["hostnet"] in ("true", "false", "unknown") for _, record in got)
    assert (tally.events, tally.not_json, tally.truncated) == (4, 3, 1)
    code, out, err = replay_main(app_dir, splunk_python, path)
    assert code == 0
    assert out.splitlines()[-1] == "detections: 0 of 4 events"
    assert "3 of 4 events are not JSON" in err
def test_empty_file_replays_to_zero(app_dir: Path, splunk_python: str, tmp_path: Path) -> None:
    path = tmp_path / "empty.log"
    path.write_bytes(b"")
    code, out, _ = replay_main(app_dir, splunk_python, path)
    assert code == 0
    assert out.splitlines()[-1] == "detections: 0 of 0 events"
def test_progress_option_on_a_small_file(app_dir: Path, splunk_python: str, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    log.write_text('{"kind":"Event"}\n', encoding="utf-8")
    _, _, quiet = replay_main(app_dir, splunk_python, log)
    assert "% of" not in quiet  # small files show no progress unless asked
    code, out, err = replay_main(app_dir, splunk_python, log, "--progress")
    assert code == 0
    assert "replay: 100% of" in err
    assert out.splitlines()[-1] == "detections: 0 of 1 events"


def test_coverage_summary_comes_before_the_last_line_and_counts_every_detection(
    app_dir: Path, splunk_python: str
) -> None:
    code, out, err = replay_main(app_dir, splunk_python, SAMPLE)
    assert code == 0
    detections = int(SUMMARY.fullmatch(out.splitlines()[-1]).group(1))  # type: ignore[union-attr]
    lines = [line[len("replay: ") :] for line in err.splitlines() if line.startswith("replay: ")]
    assert lines[0].startswith("coverage: ")
    true_rows = [line.split() for line in lines[2:] if line.split()[1:2] == ["true"]]
    # Every detection is an in-scope write the first line selects, so the summary counts each of them.
    assert sum(int(row[3]) for row in true_rows) == detections


def test_a_file_of_another_format_is_one_line_and_exit_2(
    app_dir: Path, splunk_python: str, tmp_path: Path
) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("line,truth\n1,true\n", encoding="utf-8")
    code, out, err = replay_main(app_dir, splunk_python, path)
    assert code == replay.EXIT_UNREADABLE and out == ""
    assert err.count("\n") == 1 and "unknown format" in err and err.startswith("replay: error:")
