"""The pieces of `make bench` (no timing: nothing here measures or compares speed).

What the benchmark's figures rest on: the workloads are what docs/performance.md describes (sizes, kinds,
verbs, hostNetwork shares, the escaped key), deterministic; every contender is fed the same stored bytes; the
floors answer every record with their field and pass records through; the harness counts answered
records the way the driver decodes them; and an end-to-end smoke run produces a well-formed report.
"""

import collections
import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostnet_tools import (
    bench,
    bench_engine,
    bench_floors,
    bench_inputs,
    bench_instructions,
    bench_measure,
    bench_tables,
    bench_workload,
    scp,
)

RESOURCES = {"pods", "deployments", "daemonsets", "statefulsets", "jobs", "cronjobs"}


def _keys(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield from current
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, str) and current.startswith("{"):
            with contextlib.suppress(ValueError):  # the last-applied annotation: the manifest as JSON text
                stack.append(json.loads(current))


def _events(workload: str, count: int, seed: int = 1) -> List[str]:
    return list(bench_workload.audit_events(workload, count, seed))


@pytest.fixture(scope="module")
def mixed() -> List[str]:
    return _events(bench_workload.MIXED, 1500)


@pytest.fixture(scope="module")
def worst() -> List[str]:
    return _events(bench_workload.WORST, 600)


# --- workloads -------------------------------------------------------------------------------------------


@settings(max_examples=8)
@given(
    workload=st.sampled_from(bench_workload.WORKLOADS),
    seed=st.integers(0, 2**32),
    first=st.integers(0, 10**6),
)
def test_every_event_is_a_request_response_write_of_a_pod_spec_within_the_size_bounds(
    workload: str, seed: int, first: int
) -> None:
    for text in bench_workload.audit_events(workload, 25, seed, first=first):
        size = len(text.encode("utf-8"))
        assert bench_workload.MIN_EVENT_BYTES <= size <= bench_workload.MAX_EVENT_BYTES
        assert "\n" not in text  # one audit log line
        event = json.loads(text)
        assert event["apiVersion"] == "audit.k8s.io/v1"
        assert event["level"] == "RequestResponse"
        assert event["verb"] in {"create", "update", "patch"}
        assert event["objectRef"]["resource"] in RESOURCES
        assert isinstance(event["responseObject"], dict)


def test_the_same_arguments_give_the_same_events_and_other_arguments_other_events() -> None:
    assert _events(bench_workload.MIXED, 30, seed=7) == _events(bench_workload.MIXED, 30, seed=7)
    assert _events(bench_workload.MIXED, 30, seed=7) != _events(bench_workload.MIXED, 30, seed=8)
    later = list(bench_workload.audit_events(bench_workload.MIXED, 30, 7, first=30))
    assert set(later).isdisjoint(_events(bench_workload.MIXED, 30, seed=7))


def test_an_unknown_workload_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown workload"):
        next(bench_workload.audit_events("everything", 1))


def test_the_workloads_cover_every_resource_verb_and_patch_kind(mixed: List[str]) -> None:
    events = [json.loads(text) for text in mixed]
    assert {event["objectRef"]["resource"] for event in events} == RESOURCES
    assert {event["verb"] for event in events} == {"create", "update", "patch"}
    patches = [event["requestObject"] for event in events if event["verb"] == "patch"]
    assert any(isinstance(body, list) for body in patches)  # JSON Patch
    assert any(isinstance(body, dict) and "metadata" in body for body in patches)  # kubectl apply
    assert any("kubectl.kubernetes.io/last-applied-configuration" in text for text in mixed)


def test_about_three_percent_of_the_mixed_workload_sets_host_network_and_the_rest_never_mention_it(
    mixed: List[str],
) -> None:
    with_key = [text for text in mixed if "hostNetwork" in set(_keys(json.loads(text)))]
    share = len(with_key) / len(mixed)
    assert 0.015 <= share <= 0.05
    assert all('"hostNetwork":true' in text for text in with_key)
    # What lets a cheap early exit skip them: no mention at all, not even escaped.
    others = [text for text in mixed if text not in set(with_key)]
    assert not any("hostnetwork" in text.lower() or "\\u" in text for text in others)


def test_every_worst_case_event_mentions_host_network_and_the_evasions_are_there(worst: List[str]) -> None:
    for text in worst:
        assert "hostNetwork" in text or "hostNetwork" in set(_keys(json.loads(text)))
    # The key spelled with a \u escape: only a JSON reader sees hostNetwork in it.
    assert any("hostNetwork" not in text and "hostNetwork" in set(_keys(json.loads(text))) for text in worst)
    assert any('/hostNetwork"' in text for text in worst)  # a JSON Patch path
    assert any('\\"hostNetwork\\":false' in text for text in worst)  # inside the last-applied annotation
    assert any('"hostNetwork":false' in text for text in worst)
    assert any("hostNetwork not required" in text for text in worst)  # only the word, in an annotation


# --- inputs ----------------------------------------------------------------------------------------------


def test_the_fields_clause_record_keeps_exactly_the_clause_fields_of_the_full_record() -> None:
    record = next(bench_inputs.records(bench_workload.MIXED, 1, seed=3))
    reduced = bench_inputs.reduce_to_fields_clause(record)
    assert set(reduced) == set(bench_inputs.FIELDS_CLAUSE) & set(record)
    assert {"_raw", "_time", "verb", "user.groups{}", "objectRef.resource"} <= set(reduced)
    assert all(reduced[name] == record[name] for name in reduced)
    assert len(record) > 5 * len(reduced)  # the full record is the many-column one


def test_the_base_record_keeps_only_the_fields_every_event_has() -> None:
    record = next(bench_inputs.records(bench_workload.MIXED, 1, seed=3))
    base = bench_inputs.reduce_to(bench_inputs.BASE, record)
    assert list(base) == list(bench_inputs.BASE_FIELDS)
    assert all(base[name] == record[name] for name in base)
    assert bench_inputs.reduce_to(bench_inputs.FULL, record) == record


def _frame_records(path: str) -> List[scp.Record]:
    with open(path, "rb") as stored:
        chunk = scp.read_chunk(stored)
        assert chunk is not None
        assert stored.read() == b""  # one frame per file
    assert chunk.metadata == {"action": "execute", "finished": False}
    return chunk.records()


def test_stored_chunks_hold_the_generated_records_and_are_reused(tmp_path: Path) -> None:
    files = bench_inputs.chunk_files(str(tmp_path), bench_workload.WORST, 2, 15, seed=5, processes=1)
    full = [record for chunk in files[bench_inputs.FULL] for record in _frame_records(chunk.frame)]
    expected = list(bench_inputs.records(bench_workload.WORST, 15, 5)) + list(
        bench_inputs.records(bench_workload.WORST, 15, 5, first=15)
    )
    assert [record["_raw"] for record in full] == [record["_raw"] for record in expected]
    assert [record["_chunked_idx"] for record in full] == [str(index) for index in range(15)] * 2
    fields = _frame_records(files[bench_inputs.FIELDS][0].frame)
    assert set(fields[0]) <= {*bench_inputs.FIELDS_CLAUSE, scp.CHUNKED_IDX}
    base = _frame_records(files[bench_inputs.BASE][0].frame)
    assert list(base[0]) == [*bench_inputs.BASE_FIELDS, scp.CHUNKED_IDX]
    with open(files[bench_inputs.FULL][-1].final, "rb") as stored:
        final = scp.read_chunk(stored)
    assert final is not None and final.finished and final.records() == []
    stamps = {path: os.stat(path).st_mtime_ns for chunk in files[bench_inputs.FULL] for path in chunk}
    again = bench_inputs.chunk_files(str(tmp_path), bench_workload.WORST, 2, 15, seed=5, processes=1)
    assert again == files
    assert {path: os.stat(path).st_mtime_ns for path in stamps} == stamps  # read from the cache


def test_frames_are_getinfo_then_the_stored_bytes_then_finished(tmp_path: Path) -> None:
    files = bench_inputs.chunk_files(str(tmp_path), bench_workload.MIXED, 2, 4, processes=1)
    chunks = files[bench_inputs.FULL]
    sent = list(bench_inputs.frames(b"GETINFO", chunks))
    stored = [Path(chunk.frame).read_bytes() for chunk in chunks] + [Path(chunks[-1].final).read_bytes()]
    assert sent == [b"GETINFO", *stored]


# --- measuring -------------------------------------------------------------------------------------------

_cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=40)
@given(
    st.lists(
        st.fixed_dictionaries({"hostnet": _cell}, optional={"other": _cell, "mv": st.lists(_cell)}),
        max_size=8,
    )
)
def test_the_answer_tally_agrees_with_the_drivers_decoder(records: List[Dict[str, Any]]) -> None:
    body = scp.encode_records(records, line_terminator="\r\n")
    tally: collections.Counter[str] = collections.Counter()
    counted = bench_measure.tally_field(body, "hostnet", tally)
    decoded = list(scp.decode_records(body))
    assert counted == len(decoded) == len(records)
    assert tally == collections.Counter(str(record["hostnet"]) for record in decoded)


def test_the_tally_counts_records_without_the_field_as_missing() -> None:
    tally: collections.Counter[str] = collections.Counter()
    assert bench_measure.tally_field(scp.encode_records([{"a": "1"}, {"a": "2"}]), "hostnet", tally) == 2
    assert tally == {bench_measure.MISSING: 2}


def _measurement(**changes: Any) -> bench_measure.Measurement:
    fine = bench_measure.Measurement(10, 10, 1.0, 1.0, 1000, 0, {"unknown": 10}, "")
    return fine._replace(**changes)


def test_a_run_is_unusable_when_it_failed_lost_records_or_answered_something_else() -> None:
    allowed = bench.HOSTNET_VALUES
    assert _measurement().problems(allowed) == []
    assert "exit code 1" in _measurement(returncode=1).problems(allowed)[0]
    assert "9 records answered for 10" in _measurement(records_out=9).problems(allowed)[0]
    assert "unexpected values" in _measurement(values={bench_measure.MISSING: 10}).problems(allowed)[0]


def _run(tmp_path: Path, script: str, python: str, field: str = bench_floors.FLOOR_FIELD) -> Dict[str, Any]:
    files = bench_inputs.chunk_files(str(tmp_path / "inputs"), bench_workload.WORST, 2, 20, processes=1)
    result = bench_measure.measure(
        script, python, chunks=files[bench_inputs.FULL], events=40, check_field=field
    )
    return result._asdict()


def test_every_contender_answers_every_record_with_its_field(
    tmp_path: Path, app_dir: Path, interpreters: Dict[str, str]
) -> None:
    floors = bench_floors.write_floors(str(tmp_path), str(app_dir))
    constant = {bench_floors.FLOOR_VALUE: 40}
    for script, field in [
        (floors.sdk, bench_floors.FLOOR_FIELD),
        (floors.parse, bench_floors.FLOOR_FIELD),
        (floors.path_floor, bench_floors.FLOOR_FIELD),
        (floors.sdk_path, "hostnet"),
    ]:
        result = _run(tmp_path, script, interpreters["3.13"], field=field)
        assert result["returncode"] == 0, result["stderr"]
        assert result["records_out"] == 40
        if field == "hostnet":
            assert set(result["values"]) <= set(bench.HOSTNET_VALUES) and sum(result["values"].values()) == 40
        else:
            assert result["values"] == constant
        assert result["cpu_seconds"] > 0 and result["peak_rss_kb"] > 0


def test_the_parse_floor_passes_records_through_unchanged(
    tmp_path: Path, interpreters: Dict[str, str]
) -> None:
    floors = bench_floors.write_floors(str(tmp_path), str(tmp_path / "no-app"))
    records = list(bench_inputs.records(bench_workload.MIXED, 12, seed=2))
    with scp.run_command(floors.parse, interpreters["3.13"], [records]) as run:
        assert run.getinfo.metadata == {"type": "streaming"}
        answered = list(run.records())
    assert run.returncode == 0, run.stderr
    sent = list(scp.decode_records(scp.encode_records(records)))  # as the wire can carry them
    assert [{k: v for k, v in r.items() if k != bench_floors.FLOOR_FIELD} for r in answered] == sent
    assert {record[bench_floors.FLOOR_FIELD] for record in answered} == {bench_floors.FLOOR_VALUE}


def test_the_sdk_floor_uses_the_built_apps_splunklib(tmp_path: Path) -> None:
    floors = bench_floors.write_floors(str(tmp_path), "/opt/the-app")
    assert "sys.path.insert(0, '/opt/the-app/lib')" in Path(floors.sdk).read_text(encoding="utf-8")


# --- the harness -----------------------------------------------------------------------------------------


def test_interleaving_runs_each_item_once_per_repeat_and_rotates_the_first() -> None:
    order = list(bench.interleaved(["a", "b", "c"], 4))
    assert [order[i : i + 3] for i in range(0, 12, 3)] == [list("abc"), list("bca"), list("cab"), list("abc")]


def test_an_item_run_once_is_in_the_first_repeat_only_and_the_rest_still_rotate() -> None:
    order = list(bench.interleaved(["a", "b", "c"], 3, once=["b"]))

    assert order == ["a", "b", "c", "c", "a", "a", "c"]


def _row(contender: str, workload: str, cpu: float, shape: str = bench_inputs.FULL) -> bench_tables.Row:
    runs = [{"cpu_seconds": cpu * factor, "wall_seconds": cpu, "peak_rss_kb": 1024} for factor in (0.5, 1, 9)]
    return bench_tables.Row(contender, workload, shape, 100, runs)


def _runs_row(
    contender: str, workload: str, cpus: List[float], shape: str = bench_inputs.FULL
) -> bench_tables.Row:
    runs = [{"cpu_seconds": cpu, "wall_seconds": cpu, "peak_rss_kb": 1024} for cpu in cpus]
    return bench_tables.Row(contender, workload, shape, 100, runs)


def test_targets_read_the_median_of_the_per_repeat_ratios_on_the_same_chunk_workload_and_shape() -> None:
    rows = [
        _runs_row(bench_tables.PARSE_FLOOR, bench_workload.MIXED, [10.0, 20.0, 30.0]),
        # per repeat 0.95, 0.80, 0.88: median 0.88; the least times give 0.95, the medians 0.80
        _runs_row(bench_tables.HOSTNETCHECK, bench_workload.MIXED, [9.5, 16.0, 26.5]),
        _runs_row(bench_tables.PARSE_FLOOR, bench_workload.MIXED, [10.0, 30.0, 20.0], bench_inputs.BASE),
        # per repeat 0.96, 0.17, 0.95: median 0.95; the least times give 0.50, the medians 0.48
        _runs_row(bench_tables.HOSTNETCHECK, bench_workload.MIXED, [9.6, 5.0, 19.0], bench_inputs.BASE),
        _row(bench_tables.HOSTNETCHECK, bench_workload.WORST, 1.0),
    ]
    assert bench_tables.ratio(rows, rows[1], bench_tables.PARSE_FLOOR) == pytest.approx(26.5 / 30)
    assert bench_tables.least_ratio(rows, rows[1], bench_tables.PARSE_FLOOR) == pytest.approx(0.95)
    assert bench_tables.median_ratio(rows, rows[1], bench_tables.PARSE_FLOOR) == pytest.approx(0.80)
    assert bench_tables.median_ratio(rows, rows[3], bench_tables.PARSE_FLOOR) == pytest.approx(0.48)
    assert bench_tables.ratio(rows, rows[4], bench_tables.PARSE_FLOOR) is None
    lines, met = bench_tables.targets_table(rows)
    assert not met  # 0.95x on the base record is over its 0.90x, and worst has no floor
    assert "| 100 | mixed | full | 0.88x | 0.80-0.95x | 0.95x | 0.80x | 0.90x | yes |" in lines
    assert "| 100 | mixed | base | 0.95x | 0.17-0.96x | 0.50x | 0.48x | 0.90x | NO |" in lines
    assert "| 100 | worst | full | - | - | - | - | 0.90x | NO |" in lines
    assert bench_tables.targets_table(rows[:2])[1]


def test_a_reference_run_once_is_paired_with_the_first_repeat_only_and_other_counts_are_refused() -> None:
    rows = [
        _runs_row(bench_tables.HOSTNETCHECK, bench_workload.MIXED, [2.0, 9.0, 9.0]),
        _runs_row(bench_tables.SDK_FLOOR, bench_workload.MIXED, [4.0]),
        _runs_row(bench_tables.PARSE_FLOOR, bench_workload.MIXED, [4.0, 3.0]),
    ]
    assert bench_tables.ratio(rows, rows[0], bench_tables.SDK_FLOOR) == pytest.approx(0.5)
    assert any(
        "| hostnetcheck |" in line and "| 0.50x |" in line for line in bench_tables.timing_table(rows[:2])
    )
    with pytest.raises(ValueError):
        bench_tables.ratio(rows, rows[0], bench_tables.PARSE_FLOOR)
    with pytest.raises(ValueError):
        bench_engine.table([_engine_row([4e6, 4e6], [4e6])])


def _engine_row(record_ns: List[float], sdk_ns: List[float]) -> bench_engine.EngineRow:
    runs = {
        bench_engine.RECORD_PATH: [[int(ns), 100] for ns in record_ns],
        bench_engine.SPLUNKLIB_PATH: [[int(ns), 100] for ns in sdk_ns],
    }
    return bench_engine.EngineRow(100, bench_workload.MIXED, bench_inputs.FULL, runs)


def test_the_engines_cost_is_the_median_of_its_turns_ratios_inside_assess() -> None:
    # turns: 6/4, 5/5, 90/7.4 -> median 1.5; the medians of the turns give 60/50 = 1.2 µs per event
    slower = _engine_row([6e6, 5e6, 90e6], [4e6, 5e6, 7.4e6])

    lines, fine = bench_engine.table([slower])

    assert lines[-1] == "| 100 | mixed | full | 60.0 | 50.0 | 1.50x | 1.20x | 1.10x | NO |"
    assert not fine
    assert bench_engine.table([_engine_row([4.4e6, 1e6, 9e6], [4e6, 4e6, 2e6])])[1]  # 0.25, 1.10, 4.5
    assert not bench_engine.table([_engine_row([4.5e6], [4e6])])[1]  # 1.125x
    assert not bench_engine.table([])[1]  # nothing measured is not a target met


def test_the_engine_timer_must_see_every_event_assessed_once_on_each_path(
    tmp_path: Path, app_dir: Path, interpreters: Dict[str, str]
) -> None:
    files = bench_inputs.chunk_files(str(tmp_path), bench_workload.MIXED, 1, 6, processes=1)
    chunk = files[bench_inputs.BASE][0]
    key = (6, bench_workload.MIXED, bench_inputs.BASE)
    timer = bench_engine.write_timer(str(tmp_path), str(app_dir))
    for python in interpreters.values():
        row = bench_engine.measure_one(python, timer, str(app_dir), key, chunk=chunk, repeats=2)
        assert sorted(row.runs) == sorted((bench_engine.RECORD_PATH, bench_engine.SPLUNKLIB_PATH))
        assert all(len(runs) == 2 and all(calls == 6 for _ns, calls in runs) for runs in row.runs.values())
    # A run in which the engine is not seen judging every event is refused, not reported as cheap.
    broken = Path(timer).read_text(encoding="utf-8").replace("spent[1] += 1", "pass")
    Path(timer).write_text(broken, encoding="utf-8")
    with pytest.raises(RuntimeError, match="assessed"):
        bench_engine.measure_one(interpreters["3.13"], timer, str(app_dir), key, chunk=chunk, repeats=1)


def test_peak_rss_above_the_start_is_read_against_the_largest_chunks_bytes() -> None:
    def rows(kib: int) -> List[bench_tables.Row]:
        return [
            bench_tables.Row(
                bench_tables.HOSTNETCHECK,
                bench_workload.MIXED,
                bench_inputs.FULL,
                10,
                [{"peak_rss_kb": 99_999}],
                2**20,
            ),
            bench_tables.Row(
                bench_tables.HOSTNETCHECK,
                bench_workload.MIXED,
                bench_inputs.FULL,
                50,
                [{"peak_rss_kb": kib}],
                2**30,
            ),
        ]

    starts = {bench_tables.HOSTNETCHECK: 20 * 1024.0}
    lines, fine = bench_tables.memory_table(rows(20 * 1024 + 1024 * 1024), starts)
    assert fine
    assert "| hostnetcheck | full | 50 | 1,024.0 | 1,044.0 | 20.0 | 1.00x |" in lines
    assert not bench_tables.memory_table(rows(20 * 1024 + 1600 * 1024), starts)[1]


def test_verdicts_must_be_those_of_the_sdk_path() -> None:
    def answered(contender: str, values: Dict[str, int]) -> bench_tables.Row:
        return bench_tables.Row(contender, bench_workload.MIXED, bench_inputs.FULL, 10, [{"values": values}])

    same = [
        answered(bench_tables.HOSTNETCHECK, {"true": 1, "false": 9}),
        answered(bench_tables.SDK_PATH, {"true": 1, "false": 9}),
    ]
    lines, agree = bench_tables.verdicts(same)
    assert agree and lines == ["- mixed/full, 10 events: hostnet = false 9, true 1, as 1.0.0"]
    assert not bench_tables.verdicts([same[0], answered(bench_tables.SDK_PATH, {"false": 10})])[1]


def test_a_quick_run_reports_every_contender_workload_and_record_shape(
    tmp_path: Path, app_dir: Path, interpreters: Dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    argv = ["--quick", "--app", str(app_dir), "--python", interpreters["3.13"]]
    assert bench.main([*argv, "--work-dir", str(tmp_path / "work"), "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    combos = {(row["contender"], row["workload"], row["shape"]) for row in report["timing"]}
    assert combos == {
        (contender, workload, shape)
        for contender in bench_tables.CONTENDERS
        for workload in bench_workload.WORKLOADS
        for shape in bench_inputs.SHAPES
    }
    for row in report["timing"] + report["memory"]:
        assert [run["records_out"] for run in row["runs"]] == [row["events"]]
        assert row["chunk_bytes"] > 0
    assert sorted({row["events"] for row in report["memory"]}) == [100, 200]
    assert set(report["starts"]) == {row["contender"] for row in report["memory"]}
    printed = capsys.readouterr().out
    assert "| 200 | mixed | full | hostnetcheck |" in printed
    assert "## Peak RSS" in printed and "## Engine's own cost" in printed
    assert {(row["workload"], row["shape"]) for row in report["engine"]} == {
        (workload, shape) for workload in bench_workload.WORKLOADS for shape in bench_inputs.SHAPES
    }
    last_line = printed.rstrip().splitlines()[-1]
    assert last_line in ("Every target measured here: met.", "Every target measured here: NOT met.")
    assert "- worst/base, 200 events: hostnet = " in printed
    assert "--timed-chunks '200' --repeats 1" in printed


def test_unknown_contenders_and_shapes_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # parse_args only looks for the command script, so `make unit` needs no build for this.
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "hostnetcheck.py").touch()
    base = ["--app", str(tmp_path)]
    args = bench.parse_args([*base, "--timed-chunks", "300,5000", "--memory-events", "100000"])
    assert (args.timed, args.memory_totals) == ([300, 5000], [100000])
    assert bench.parse_args([*base, "--repeats", "0"]).timed == []
    for wrong in (["--memory-contenders", "hostnetcheck,grep"], ["--shapes", "full,tiny"]):
        with pytest.raises(SystemExit):
            bench.parse_args([*base, *wrong])
    assert "unknown shapes ['tiny']" in capsys.readouterr().err


def test_no_repeats_measures_memory_only(
    tmp_path: Path, app_dir: Path, interpreters: Dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--app", str(app_dir), "--python", interpreters["3.13"], "--work-dir", str(tmp_path)]
    memory = ["--memory-events", "100,200", "--memory-contenders", "hostnetcheck"]
    assert bench.main([*argv, *memory, "--repeats", "0", "--json", str(tmp_path / "out.json")]) == 0
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert report["timing"] == []
    assert [(row["contender"], row["events"]) for row in report["memory"]] == [
        ("hostnetcheck", 100),
        ("hostnetcheck", 200),
    ]
    printed = capsys.readouterr().out
    assert "## Peak RSS" in printed and "## Throughput" not in printed


def test_the_instruction_count_is_read_from_cachegrinds_log() -> None:
    log = "==41== Cachegrind, a tracing profiler\n==41== \n==41== I   refs:      10,270,072,701\n"

    assert bench_instructions.instructions_of(log) == 10_270_072_701
    with pytest.raises(ValueError, match="no instruction count"):
        bench_instructions.instructions_of("==41== Command: python3\n")


def test_instructions_are_put_beside_the_parse_floors_on_the_same_input() -> None:
    counts = [
        bench_instructions.Count(bench_tables.PARSE_FLOOR, "mixed", "base", 10, 2_000_000_000),
        bench_instructions.Count(bench_tables.HOSTNETCHECK, "mixed", "base", 10, 1_500_000_000),
        bench_instructions.Count(bench_tables.HOSTNETCHECK, "worst", "base", 10, 1_000_000_000),
    ]

    rows = bench_instructions.table(counts)[2:]

    assert rows == [
        "| 10 | mixed | base | hostnetcheck | 1.50 | 0.750x |",
        "| 10 | mixed | base | parse floor | 2.00 | 1.000x |",
        "| 10 | worst | base | hostnetcheck | 1.00 | - |",
    ]


def test_the_engine_script_reads_every_event_of_a_stored_chunk_and_judges_only_when_asked(
    tmp_path: Path, app_dir: Path, interpreters: Dict[str, str]
) -> None:
    files = bench_inputs.chunk_files(str(tmp_path), bench_workload.MIXED, 1, 6, processes=1)
    frame = files[bench_inputs.BASE][0].frame
    for judge, expected in ((True, "6"), (False, "0")):
        script = tmp_path / f"engine-{judge}.py"
        script.write_text(bench_instructions.engine_script(str(app_dir), frame, judge), encoding="utf-8")
        for python in interpreters.values():
            run = subprocess.run([python, str(script)], capture_output=True, text=True, check=False)
            assert (run.returncode, run.stdout.strip()) == (0, expected), run.stderr


def test_the_engines_own_count_is_the_difference_per_event() -> None:
    counts = [
        bench_instructions.Count(bench_instructions.ENGINE, "mixed", "base", 100, 9_000),
        bench_instructions.Count(bench_instructions.ENGINE_FLOOR, "mixed", "base", 100, 1_000),
        bench_instructions.Count(bench_instructions.ENGINE, "worst", "base", 100, 5_000),
    ]

    assert bench_instructions.engine_lines(counts) == ["- engine, mixed/base: 80 instructions per event"]


def test_the_add_ons_bytecode_is_written_before_measuring_and_a_file_that_does_not_compile_is_left(
    tmp_path: Path,
) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "lib").mkdir()
    (tmp_path / "bin" / "command.py").write_text("VALUE = 1\n", encoding="utf-8")
    (tmp_path / "lib" / "newer.py").write_text("match = (\n", encoding="utf-8")

    bench_measure.cache_bytecode(sys.executable, str(tmp_path))

    assert [path.name.split(".")[0] for path in (tmp_path / "bin" / "__pycache__").iterdir()] == ["command"]
    assert not (tmp_path / "lib" / "__pycache__").exists()
