"""The work one event costs the engine, counted (never timed): what each parser is handed, and the steps of
the tolerant parser. Each class of hostile input an attacker can write is a strategy; the bounds are those
of kube_hostnet/limits.py.

What is counted, by wrapping the engine's two readers:
- every text jsonread reads whole (DECODER.decode: json.loads, numbers kept as text; whatever the caller);
- every text the tolerant parser is handed, and the steps it took (Parsed.steps).
"""

import contextlib
import json
import types
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kube_hostnet import assess, jsonread, limits, patches
from kube_hostnet.jsonread import Parsed
from tests.support.verdict_checks import check_verdict

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
PATCH_RECORD = "patch.webhook.admission.k8s.io/round_{}_index_{}"
MUTATION_RECORD = "mutation.webhook.admission.k8s.io/round_{}_index_{}"
# The most a call of the tolerant parser may report: its budget, plus the last charge that went over it
# (a failed whole read of at most the whole text).
MOST_TOLERANT_STEPS = (
    limits.MAX_TOLERANT_STEPS + 1 + limits.MAX_TOLERANT_CHARS // limits.CHARS_PER_TOLERANT_STEP
)


class Ledger:
    """What the parsers were handed while it was installed."""

    def __init__(self) -> None:
        self.loads: List[str] = []
        self.tolerant: List[Tuple[str, Parsed]] = []

    def loads_chars(self) -> int:
        return sum(len(text) for text in self.loads)


@contextlib.contextmanager
def counting() -> Iterator[Ledger]:
    """Counts what jsonread's whole readings and tolerant parser are handed, inside the block (a context
    manager rather than a fixture, so that each hypothesis example starts from nothing)."""
    found = Ledger()
    real_tolerant = jsonread.parse_tolerant

    real_decoder = jsonread.DECODER

    def loads(text: str) -> Any:
        found.loads.append(text)
        return real_decoder.decode(text)

    def tolerant(text: str, *args: Any, **options: Any) -> Parsed:
        parsed = real_tolerant(text, *args, **options)
        found.tolerant.append((text, parsed))
        return parsed

    # jsonread reads a whole text with DECODER.decode (json.loads with numbers kept as text); the tolerant
    # parser's raw_decode calls on parts of the event are its steps, counted by the parser itself.
    counting_decoder = types.SimpleNamespace(decode=loads, raw_decode=real_decoder.raw_decode)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(jsonread, "DECODER", counting_decoder)
        patched.setattr(jsonread, "parse_tolerant", tolerant)
        yield found


def _judged(raw: str) -> Tuple[Any, Ledger]:
    with counting() as ledger:
        verdict = assess(raw, {"_raw": raw})
    check_verdict(verdict)
    assert "internal error" not in verdict.error, verdict.error
    return verdict, ledger


def _event(request: Any, verb: str = "create", annotations: Optional[Dict[str, str]] = None) -> str:
    """A pod request logged without a response, so every piece of evidence in it is read."""
    event: Dict[str, Any] = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "Request",
        "stage": "ResponseComplete",
        "verb": verb,
        "objectRef": {"resource": "pods", "namespace": "default", "name": "p", "apiVersion": "v1"},
        "responseStatus": {"code": 201},
        "requestObject": request,
    }
    if annotations is not None:
        event["annotations"] = annotations
    return json.dumps(event, separators=(",", ":"))


def _pod(annotation: Optional[str] = None, **spec: Any) -> Dict[str, Any]:
    metadata: Dict[str, Any] = {"name": "p"}
    if annotation is not None:
        metadata["annotations"] = {LAST_APPLIED: annotation}
    return {"kind": "Pod", "metadata": metadata, "spec": {"hostNetwork": False, **spec}}


# --- the JSON text an attacker can put inside an event string ---------------------------------------------

SIZES = st.integers(1, 300 * 1024)  # past MAX_ANNOTATION_CHARS and MAX_WEBHOOK_RECORD_CHARS


@st.composite
def inner_texts(draw: st.DrawFn) -> str:
    """JSON text as an annotation or webhook record holds it: invalid, cut, deep or with huge numbers."""
    size = draw(SIZES)
    kind = draw(
        st.sampled_from(["cut numbers", "cut object", "junk", "deep", "deep closed", "huge integer", "valid"])
    )
    if kind == "cut numbers":
        return '{"spec":{"x":[' + "1," * (size // 2)
    if kind == "cut object":
        return '{"spec":{' + '"a":{"b":"c"},' * (size // 14)
    if kind == "junk":
        start = draw(st.sampled_from(["{", "[", '{"', "x"]))
        filler = draw(st.sampled_from(["]", "}", ",", '"']))
        return start + filler * size
    if kind == "deep":
        return "[" * size
    if kind == "deep closed":
        return "[" * (size // 2) + "]" * (size // 2)
    if kind == "huge integer":
        return "[" + "9" * draw(st.integers(4301, 6000)) + ",1" * (size // 2) + "]"
    return json.dumps({"spec": {"hostNetwork": True, "x": [1] * (size // 3)}})


@settings(max_examples=60)
@given(annotation=inner_texts())
def test_an_annotation_never_reaches_the_tolerant_parser(annotation: str) -> None:
    raw = _event(_pod(annotation))
    _, ledger = _judged(raw)
    assert all(text == raw for text, _ in ledger.tolerant), "the tolerant parser read the annotation"
    inner = [text for text in ledger.loads if text != raw]
    assert all(len(text) <= limits.MAX_ANNOTATION_CHARS for text in inner)
    assert len(inner) <= 2  # once, and once more for an integer int() refuses
    assert ledger.loads_chars() <= 2 * len(raw) + 2 * min(len(annotation), limits.MAX_ANNOTATION_CHARS)


@settings(max_examples=40)
@given(levels=st.integers(1_000, 1024 * 1024))
def test_deep_nesting_inside_a_string_is_refused_by_json_loads_alone(levels: int) -> None:
    raw = _event(_pod("[" * levels))
    verdict, ledger = _judged(raw)
    assert "Recursion" not in verdict.error
    assert ledger.tolerant == []
    assert all(len(text) <= limits.MAX_ANNOTATION_CHARS for text in ledger.loads if text != raw)


@st.composite
def webhook_annotations(draw: st.DrawFn) -> Dict[str, str]:
    """Many records of the mutating webhooks, each of any content (often not JSON at all)."""
    count = draw(st.integers(1, 3000))
    record = draw(
        st.one_of(
            st.sampled_from(["{}", '{"mutated":false}', '{"patchType":"JSONPatch","patch":[]}', "{", "[[["]),
            inner_texts(),
        )
    )
    name = draw(st.sampled_from([PATCH_RECORD, MUTATION_RECORD]))
    return {name.format(index % 2, index): record for index in range(count)}


@settings(max_examples=40)
@given(annotations=webhook_annotations())
def test_webhook_records_are_each_read_at_most_once_by_json_loads_only(
    annotations: Dict[str, str]
) -> None:
    raw = _event(_pod(), annotations=annotations)
    _, ledger = _judged(raw)
    assert all(text == raw for text, _ in ledger.tolerant), "the tolerant parser read a webhook record"
    records = [text for text in ledger.loads if text != raw]
    assert all(len(text) <= limits.MAX_WEBHOOK_RECORD_CHARS for text in records)
    assert len(records) <= len(annotations)  # each once: a huge integer too (numbers are kept as text)
    read_once = sum(min(len(text), limits.MAX_WEBHOOK_RECORD_CHARS) for text in annotations.values())
    assert ledger.loads_chars() <= len(raw) + read_once


# --- event text only the tolerant parser reads: cut, or too deep for json.loads ---------------------------


@st.composite
def cut_events(draw: st.DrawFn) -> str:
    """A pod create Splunk cut inside a long hostile value of the request's pod spec."""
    head = _event(_pod())
    head = head[: head.index('"hostNetwork"')]
    unit = draw(
        st.sampled_from(["1,", "-1.5e9,", '"",', "true,", "[],", "{},", '"a":1,', "[0],", "[", '{"a":', "]"])
    )
    opening = draw(st.sampled_from(["", "[" * 127, "[" * 200, '[{"a":' * 40]))
    container = "{" if unit.startswith('"a"') else "["
    body = '"x":' + opening + container + unit * draw(st.integers(0, limits.MAX_TOLERANT_CHARS // len(unit)))
    text = head + body
    return text[: draw(st.integers(len(head), min(len(text), limits.MAX_TOLERANT_CHARS)))]


@settings(max_examples=80)
@given(raw=cut_events())
def test_the_tolerant_parser_stops_at_its_step_budget(raw: str) -> None:
    verdict, ledger = _judged(raw)
    assert [text for text, _ in ledger.tolerant] in ([], [raw])
    for _, parsed in ledger.tolerant:
        assert parsed.steps <= MOST_TOLERANT_STEPS
        if parsed.steps > limits.MAX_TOLERANT_STEPS:
            assert verdict.hostnet == "unknown"
            assert f"more than {limits.MAX_TOLERANT_STEPS} steps" in verdict.error
            assert "bound" in verdict.error  # what the README's hunting search matches


@settings(max_examples=30)
@given(levels=st.integers(2_000, limits.MAX_TOLERANT_CHARS // 2 - 1_000), opener=st.sampled_from("[{"))
def test_complete_nesting_too_deep_for_json_loads_is_skipped_within_the_budget(
    levels: int, opener: str
) -> None:
    objects = levels // 5
    value = "[" * levels + "]" * levels if opener == "[" else '{"a":' * objects + "1" + "}" * objects
    raw = _event(_pod(x=0)).replace('"x":0', '"x":' + value)
    _, ledger = _judged(raw)
    assert all(parsed.steps <= MOST_TOLERANT_STEPS for _, parsed in ledger.tolerant)


def test_a_long_array_of_small_numbers_in_a_cut_event_is_refused_by_the_budget() -> None:
    """The tolerant parser's costliest input per character: a step per number and per comma."""
    head = _event(_pod())
    head = head[: head.index('"hostNetwork"')]
    raw = (head + '"x":[' + "1," * limits.MAX_TOLERANT_CHARS)[: limits.MAX_TOLERANT_CHARS]
    verdict, ledger = _judged(raw)
    (_, parsed), = ledger.tolerant
    assert limits.MAX_TOLERANT_STEPS < parsed.steps <= MOST_TOLERANT_STEPS
    assert (verdict.hostnet, verdict.evidence) == ("unknown", "none")


def test_a_real_cut_event_is_read_in_a_fraction_of_the_budget() -> None:
    """The budget is for hostile text: an ordinary event cut anywhere needs few steps."""
    env = [{"name": "A", "value": "b"}] * 20
    containers = [{"name": f"c{i}", "image": "nginx", "env": env} for i in range(40)]
    spec: Dict[str, Any] = {"containers": containers}
    raw = _event(_pod(**spec))
    assert len(raw) < limits.MAX_TOLERANT_CHARS
    for cut in range(1000, len(raw), 997):
        _, ledger = _judged(raw[:cut])
        (_, parsed), = ledger.tolerant
        assert parsed.error == ""
        assert parsed.steps < limits.MAX_TOLERANT_STEPS // 4


# --- JSON Patch operations: constant work per operation --------------------------------------------------

operations: st.SearchStrategy[List[Dict[str, Any]]] = st.lists(
    st.fixed_dictionaries(
        {
            "op": st.sampled_from(["add", "replace", "remove", "test", "move", "copy", "x"]),
            "path": st.sampled_from(["/spec/x", "/", "/spec", "/metadata/labels/a~1b", "/spec/containers/0"]),
            "from": st.sampled_from(["/spec/y", "/a"]),
            "value": st.sampled_from([1, {"x": 1}, [], None]),
        }
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=40)
@given(ops=operations, repeat=st.integers(1, 2000), in_webhook=st.booleans())
def test_json_patch_operations_cost_a_constant_each(
    ops: List[Dict[str, Any]], repeat: int, in_webhook: bool
) -> None:
    pointers: List[Any] = []
    real_pointer_tokens = patches.pointer_tokens

    def counting_pointer_tokens(pointer: Any) -> Any:
        pointers.append(pointer)
        return real_pointer_tokens(pointer)

    body = ops * repeat
    if in_webhook:
        record = json.dumps({"webhook": "w", "patchType": "JSONPatch", "patch": body})
        raw = _event(_pod(), annotations={PATCH_RECORD.format(0, 0): record})
    else:
        raw = _event(body, verb="patch")
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(patches, "pointer_tokens", counting_pointer_tokens)
        _, ledger = _judged(raw)
    assert len(pointers) <= 4 * len(body)
    assert ledger.tolerant == []
    assert len(ledger.loads) <= 2
