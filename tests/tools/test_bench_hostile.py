"""The hostile-event workload of `make bench` (hostnet_tools.bench_hostile): its events are what they claim
to be, at the sizes the bounds are stated at. Nothing here measures time."""

import json
from typing import Callable, Dict, Tuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostnet_tools import bench_hostile, bench_hostile_events
from kube_hostnet import limits


@pytest.fixture(scope="module")
def events() -> Dict[str, str]:
    return dict(bench_hostile_events.hostile_events())


@given(rate=st.integers(1, 50), fixed=st.integers(0, 5000), size=st.integers(6000, 300_000))
def test_grown_text_is_as_large_as_the_size_allows(rate: int, fixed: int, size: int) -> None:
    def make(n: int) -> str:
        return "h" * fixed + "x" * (rate * n)

    text = bench_hostile_events.grown(make, size)
    assert size - rate < len(text) <= size


def test_every_class_is_built_at_each_of_its_sizes(events: Dict[str, str]) -> None:
    assert len(events) == sum(len(sizes) for _, sizes in bench_hostile_events.CLASSES.values())
    for name, text in events.items():
        size = int(name.rsplit("(", 1)[1].split(" ")[0].replace(",", "")) * bench_hostile_events.KIB
        assert 0.9 * size < len(text) <= size, name


def test_the_tolerant_classes_are_within_its_size_bound(events: Dict[str, str]) -> None:
    assert bench_hostile_events.TOLERANT_SIZE == limits.MAX_TOLERANT_CHARS
    tolerant = {name: text for name, text in events.items() if name.startswith(("cut:", "deep,"))}
    assert len(tolerant) == 6
    for name, text in tolerant.items():
        assert len(text) <= limits.MAX_TOLERANT_CHARS, name
        with pytest.raises((ValueError, RecursionError)):  # refused: the tolerant parser reads each
            json.loads(text)


def test_the_second_reading_class_is_built_at_its_bound(events: Dict[str, str]) -> None:
    assert bench_hostile_events.PAIRS_SIZE == limits.MAX_PAIRS_CHARS
    body = json.loads(events["JSON Patch value of empty objects, at its bound (128 KiB)"])["requestObject"]
    assert len(json.dumps(body, separators=(",", ":"))) <= limits.MAX_PAIRS_CHARS


def _annotation(text: str) -> str:
    annotations = json.loads(text)["requestObject"]["metadata"]["annotations"]
    value: str = annotations[bench_hostile_events.LAST_APPLIED]
    return value


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("annotation not JSON (1,024 KiB)", (ValueError,)),
        ("annotation nested deep (1,024 KiB)", (ValueError, RecursionError)),
    ],
)
def test_hostile_annotations_are_what_they_claim(
    events: Dict[str, str], name: str, refused: Tuple[type, ...]
) -> None:
    with pytest.raises(refused):
        json.loads(_annotation(events[name]))


def test_the_huge_integer_is_one_int_refuses(events: Dict[str, str]) -> None:
    with pytest.raises(ValueError, match="4300"):
        json.loads(_annotation(events["annotation huge integer (1,024 KiB)"]))


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("webhook records (1,024 KiB)", lambda event: len(event["annotations"])),
        ("JSON Patch operations (1,024 KiB)", lambda event: len(event["requestObject"])),
        ("containers, one image (1,024 KiB)", lambda e: len(e["requestObject"]["spec"]["containers"])),
    ],
)
def test_the_many_item_classes_hold_tens_of_thousands_of_items(
    events: Dict[str, str], name: str, count: Callable[[dict], int]
) -> None:
    assert count(json.loads(events[name])) > 10_000


def test_a_figure_is_within_its_bound_by_size() -> None:
    small = bench_hostile.Figure("e", bench_hostile.MIB, "3.13", 50.0, 1.0, None, "false", "")
    assert small.within_bound
    assert not small._replace(engine_ms=50.1).within_bound
    large = small._replace(chars=bench_hostile.MIB + 1, engine_ms=60.0, loads_ms=12.0)
    assert large.within_bound
    assert not large._replace(loads_ms=11.9).within_bound
    assert large._replace(reference_ms=1e6).bound_ms == pytest.approx(60.0)  # the reference is not read


def test_the_bound_of_a_small_event_grows_with_the_machines_time_for_the_reference_never_below() -> None:
    quiet = bench_hostile.REFERENCE_LOADS_MS["3.13"]
    small = bench_hostile.Figure("e", bench_hostile.MIB, "3.13", 70.0, 1.0, None, "false", "", quiet)
    assert small.bound_ms == pytest.approx(bench_hostile.MAX_EVENT_MS)
    assert not small.within_bound
    slow = small._replace(reference_ms=1.5 * quiet)  # the machine took 1.5x as long: 75 ms
    assert slow.bound_ms == pytest.approx(1.5 * bench_hostile.MAX_EVENT_MS)
    assert slow.within_bound
    assert small._replace(reference_ms=quiet / 4).bound_ms == pytest.approx(bench_hostile.MAX_EVENT_MS)
    disturbed = small._replace(reference_ms=10 * quiet)
    assert disturbed.bound_ms == pytest.approx(bench_hostile.MAX_BOUND_SCALE * bench_hostile.MAX_EVENT_MS)
    unlisted = slow._replace(python="3.12")
    assert unlisted.bound_ms == pytest.approx(bench_hostile.MAX_EVENT_MS)


def test_the_reference_is_a_mebibyte_of_the_baseline_event() -> None:
    text = bench_hostile_events.reference_text()
    parsed = json.loads(text)
    assert bench_hostile.MIB - len(bench_hostile_events.baseline_event()) - 2 < len(text) <= bench_hostile.MIB
    assert parsed and all(item == json.loads(bench_hostile_events.baseline_event()) for item in parsed)


def test_invalid_webhook_records_are_each_within_the_record_bound(events: Dict[str, str]) -> None:
    """So the engine reads every one of them (json.loads refuses each after reading it all)."""
    records = json.loads(events["webhook records not JSON (1,024 KiB)"])["annotations"].values()
    assert len(records) >= 3
    for record in records:
        assert len(record) <= limits.MAX_WEBHOOK_RECORD_CHARS
        with pytest.raises(ValueError):
            json.loads(record)


def test_the_annotation_at_its_bound_is_read_in_full(events: Dict[str, str]) -> None:
    annotation = _annotation(events["annotation not JSON, at its bound (256 KiB)"])
    assert limits.MAX_ANNOTATION_CHARS - 1024 < len(annotation) <= limits.MAX_ANNOTATION_CHARS
