"""The engine's quick paths for the common event give what the general paths give, on any input."""

from typing import Any, Dict, Tuple

from hypothesis import given, settings
from hypothesis import strategies as st

from kube_hostnet import podspec, readers
from kube_hostnet.jsonread import PartialDict
from kube_hostnet.readers import describe
from kube_hostnet.request import ExtractedDict, ReadContext
from kube_hostnet.resources import POD_SPEC_PATHS
from tests.support.engine_strategies import consistent_events

_any_text = st.text(max_size=8) | st.text(max_size=3).map(lambda text: text + "\ud800")
_scalars = st.none() | st.booleans() | st.integers() | _any_text | st.binary(max_size=3)
_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_any_text, children, max_size=3),
    max_leaves=8,
)
_PATHS = sorted(set(POD_SPEC_PATHS.values()))


@settings(max_examples=300)
@given(values=st.lists(_values | st.text(min_size=4090, max_size=4100), max_size=12))
def test_text_values_is_text_of_each(values: Any) -> None:
    assert describe.text_values(values) == [describe.text(value) for value in values]


def _as_given(text_of: Any, values: Any) -> Tuple[str, ...]:
    """texts() as it was written before its quick path: text() of each distinct non-empty str item."""
    if not isinstance(values, list):
        return ()
    found = []
    for value in values:
        if isinstance(value, str) and value:
            cleaned = text_of(value)
            if cleaned not in found:
                found.append(cleaned)
                if len(found) >= describe.MAX_DESCRIBED_VALUES:
                    break
    return tuple(found)


@settings(max_examples=300)
@given(values=st.lists(_any_text | _scalars, max_size=40) | _values)
def test_texts_keeps_the_distinct_clean_strings_in_order(values: Any) -> None:
    assert describe.texts(values) == _as_given(describe.text, values)


def _objects(leaf: Any) -> Any:
    """Objects along a pod-spec path: plain, cut (PartialDict) or extracted (ExtractedDict) at any level."""
    kinds = st.sampled_from([dict, PartialDict, ExtractedDict])
    keys = st.sampled_from(["spec", "template", "jobTemplate", "hostNetwork", "x"])
    return st.recursive(
        leaf,
        lambda children: st.tuples(kinds, st.dictionaries(keys, children, max_size=4)).map(
            lambda pair: pair[0](pair[1])
        ),
        max_leaves=10,
    )


@settings(max_examples=500)
@given(obj=_objects(_scalars), path=st.sampled_from(_PATHS))
def test_read_object_is_its_close_reading(obj: Any, path: Tuple[str, ...]) -> None:
    # The plain walk first, the careful one (which names what it met) for anything else: the same reading.
    assert podspec.read_object(obj, path, "w") == podspec._read_object_closely(obj, path, "w")


@settings(max_examples=100)
@given(event=consistent_events(), cluster=st.sampled_from([{}, {"resourceId": "/subscriptions/x"}]))
def test_a_record_outside_envelopes_reads_as_the_shape_search_reads_it(
    event: Dict[str, Any], cluster: Dict[str, Any]
) -> None:
    record = {**event, **cluster}
    quick, recognized = readers.read_record(record, ("a note",), "text")
    searched = readers._recognized(record, readers._Outer("", "", ("a note",), "text", ()), depth=0)
    assert recognized and quick == searched
    assert quick.description.cluster == ("/subscriptions/x" if cluster else "")


def test_the_quick_reader_is_the_first_shapes() -> None:
    first = readers.SHAPE_READERS[0]
    request, recognized = readers.read_record({"verb": "create"}, ())
    assert recognized and request == first.read({"verb": "create"}, ReadContext(first.shape))
