"""The safe JSON reader and the engine's bounds (rule 8)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kube_hostnet import jsondecode, jsonread, limits
from kube_hostnet.jsonread import SKIPPED, PartialDict, PartialList, parse, parse_tolerant
from tests.support.engine_events import event, judge, obj, spec

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150)
@given(json_values, st.booleans())
def test_tolerant_parser_reads_complete_json_like_json_loads(value: object, indent: bool) -> None:
    text = json.dumps([value], indent=2 if indent else None, ensure_ascii=False)
    parsed = parse_tolerant(text)
    assert (parsed.error, parsed.cut) == ("", False)
    assert parsed.value == json.loads(text, parse_int=str.encode, parse_float=str.encode)


@settings(max_examples=100)
@given(json_values)
def test_a_number_is_read_as_its_text(value: object) -> None:
    text = json.dumps({"v": value, "n": [value, 10, -0.5e3]})
    numbers_as_text = json.loads(text, parse_int=str.encode, parse_float=str.encode)
    assert parse(text).value == numbers_as_text
    assert parse_tolerant(text).value == numbers_as_text
    assert parse_tolerant(text[:-1]).value == numbers_as_text  # cut at the last brace


@settings(max_examples=100)
@given(json_values, st.data())
def test_tolerant_parser_reads_every_prefix_as_cut_never_as_invalid(
    value: object, data: st.DataObject
) -> None:
    text = json.dumps({"v": value, "w": [value]})
    end = data.draw(st.integers(1, len(text) - 1))
    parsed = parse_tolerant(text[:end])
    assert parsed.error == ""
    assert parsed.cut_at == end
    assert isinstance(parsed.value, PartialDict)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('{"a": "abc', {}, id="in-a-string"),  # a string without its closing quote is dropped
        pytest.param('{"a": "ab\\', {}, id="after-a-backslash"),
        pytest.param('{"a": "\\u00', {}, id="in-a-unicode-escape"),
        pytest.param('{"a": 12', {}, id="in-an-integer"),  # the number may have gone on
        pytest.param('{"a": 1.', {}, id="after-a-decimal-point"),
        pytest.param('{"a": -', {}, id="after-a-minus"),
        pytest.param('{"a": 1e', {}, id="in-an-exponent"),
        pytest.param('{"a": tr', {}, id="in-a-literal"),
        pytest.param('{"a": true', {"a": True}, id="after-true"),  # a literal read completely is kept
        pytest.param('{"a": null', {"a": None}, id="after-null"),
        pytest.param('{"a": 1, "b', {"a": b"1"}, id="in-a-second-key"),
        pytest.param('{"a": 1, "b":', {"a": b"1"}, id="after-a-second-colon"),
        pytest.param('{"a": [1, 2', {"a": [b"1"]}, id="in-an-array"),
        pytest.param(
            '{"a": {"b": {"c": true}, "d": [{"e": false', {"a": {"b": {"c": True}, "d": [{"e": False}]}},
            id="deep-in-objects-and-arrays",
        ),
    ],
)
def test_what_survives_a_cut(text: str, expected: dict) -> None:
    parsed = parse_tolerant(text)
    assert parsed.value == expected
    assert isinstance(parsed.value, PartialDict)


def test_containers_left_open_are_marked_and_closed_ones_are_not() -> None:
    value = parse_tolerant('{"closed": {"a": 1}, "list": [1, 2], "open": {"b": [3, {"c": 4').value
    assert type(value["closed"]) is dict
    assert type(value["list"]) is list
    assert isinstance(value["open"], PartialDict)
    assert isinstance(value["open"]["b"], PartialList)
    assert isinstance(value["open"]["b"][1], PartialDict)


@pytest.mark.parametrize(
    "text",
    ['{"a" 1}', '{"a": 1,}', "[1 2]", '{"a": 1}}', '{"a": "\x01"}', '{"a": nul1}', "{1: 2}", '{"a": [}'],
)
def test_invalid_json_before_the_end_is_an_error_not_a_cut(text: str) -> None:
    parsed = parse_tolerant(text)
    assert parsed.error.startswith("not valid JSON")
    assert parsed.value is None


def test_empty_text_has_no_value() -> None:
    assert parse_tolerant("   ").error == "text ends before a JSON value"


def test_lone_surrogate_escapes_are_kept_like_json_loads() -> None:
    assert parse_tolerant('["\\ud800", "x').value == ["\ud800"]


def test_numbers_with_more_digits_than_int_accepts_do_not_fail() -> None:
    digits = "9" * 5000
    parsed = parse(f'{{"n": {digits}, "ok": true}}')
    assert parsed.error == ""
    assert parsed.value == {"n": digits.encode(), "ok": True}
    assert parsed.steps == 0  # json.loads read it, once


def test_30000_levels_of_nesting_are_skipped_not_built() -> None:
    deep = "[" * 30_000 + "]" * 30_000  # too deep for json.loads under 3.9 and 3.13
    with pytest.raises(RecursionError):
        json.loads(deep)
    parsed = parse(f'{{"deep": {deep}, "after": true}}')
    assert parsed.error == ""
    assert parsed.deep_skipped
    assert parsed.value["after"] is True
    node = parsed.value["deep"]
    for _ in range(limits.MAX_TOLERANT_DEPTH - 2):
        node = node[0]
    assert node == [SKIPPED]


def test_deep_nesting_cut_is_a_cut() -> None:
    parsed = parse('{"ok": true, "deep": ' + '[{"a": ' * 8_000)  # within the size bound
    assert parsed.cut
    assert parsed.value["ok"] is True


def test_strings_inside_skipped_subtrees_may_hold_brackets() -> None:
    # too deep for json.loads, so the tolerant parser walks it itself and skips it below max_depth
    inner = "[" * 100_000 + '"]]]}}}"' + "]" * 100_000
    parsed = parse_tolerant(f'{{"deep": {inner}, "after": 1}}', max_depth=3)
    assert parsed.value["after"] == b"1"
    assert parsed.deep_skipped


def test_event_with_deep_nesting_elsewhere_is_still_judged() -> None:
    ev = event(request=obj(pod_spec=spec(True)))
    ev["requestObject"]["metadata"]["labels"] = {"x": "y"}
    raw = json.dumps(ev).replace('{"x": "y"}', "[" * 30_000 + "]" * 30_000)
    verdict = judge(raw)
    assert verdict.hostnet == "true"
    assert f"nesting deeper than {limits.MAX_TOLERANT_DEPTH} levels skipped" in verdict.error


def test_events_above_the_size_bound_are_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = json.dumps(event(request=obj(pod_spec=spec(True), note="x" * limits.MAX_EVENT_CHARS)))

    def must_not_parse(text: str) -> None:
        raise AssertionError("json.loads called on an oversized event")

    monkeypatch.setattr(jsonread.json, "loads", must_not_parse)
    verdict = judge(raw)
    assert verdict.hostnet == "unknown"
    assert "above the 16 MiB bound; not parsed" in verdict.error


def test_multi_megabyte_strings_below_the_bound_are_read() -> None:
    verdict = judge(event(request=obj(pod_spec=spec(True, images=("i" * 3_000_000,)), note="n" * 5_000_000)))
    assert verdict.hostnet == "true"
    assert len(verdict.images[0]) == limits.MAX_OUTPUT_CHARS
    assert verdict.images[0].endswith("...")


def test_the_tolerant_parser_is_not_used_above_its_bound() -> None:
    raw = json.dumps(event(request=obj(pod_spec=spec(True), note="x" * limits.MAX_TOLERANT_CHARS)))
    verdict = judge(raw[:-1])  # cut: json.loads fails
    assert verdict.hostnet == "unknown"
    assert f"above the {limits.MAX_TOLERANT_CHARS // 1024} KiB bound of the tolerant parser" in verdict.error
    within = raw.replace("x" * limits.MAX_TOLERANT_CHARS, "x" * (limits.MAX_TOLERANT_CHARS - 1000))
    assert judge(within[:-1]).hostnet == "true"


def test_depth_bound_keeps_the_pod_spec_readable() -> None:
    # the deepest pod spec (cronjobs in responseObject) sits far above the bound
    assert (
        len(("responseObject", "spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "image"))
        < limits.MAX_TOLERANT_DEPTH
    )


# --- integers longer than int() accepts (4,300 digits) are valid JSON --------------------------------------


@pytest.mark.parametrize("digits", [4301, 5000, 20000])
def test_an_event_with_a_huge_integer_is_read(digits: int) -> None:
    ev = event("pods", "create", request=obj(pod_spec=spec(True)))
    # too long for the tolerant parser too: json.loads itself must read it
    ev["requestObject"]["metadata"]["labels"] = {"n": "x", "pad": "a" * limits.MAX_TOLERANT_CHARS}
    raw = json.dumps(ev).replace('"x"', "-" + "9" * digits)
    verdict = judge(raw)
    assert (verdict.hostnet, verdict.evidence) == ("true", "requestObject")
    assert parse(raw).value["requestObject"]["metadata"]["labels"]["n"] == ("-" + "9" * digits).encode()


def test_a_huge_integer_in_text_that_is_not_json_is_still_not_json() -> None:
    parsed = parse('{"a": ' + "1" * 5000 + ", }")
    assert parsed.error.startswith("not valid JSON")


# --- an event is an object: other text json.loads rejects is not handed to the tolerant parser --------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[1, 2, {", id="cut-array"),
        pytest.param("  \n[" + "1," * 1000, id="long-cut-array"),
        pytest.param("tru", id="cut-literal"),
        pytest.param('"abc', id="cut-string"),
        pytest.param("12 13", id="two-numbers"),
    ],
)
def test_event_text_that_cannot_be_an_object_skips_the_tolerant_parser(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_tolerant_parse(*_: object, **__: object) -> jsonread.Parsed:
        raise AssertionError("the tolerant parser was called")

    monkeypatch.setattr(jsonread, "parse_tolerant", no_tolerant_parse)
    verdict = judge(text)
    assert verdict.hostnet == "unknown"
    assert "not a JSON object" in verdict.error


def test_a_cut_event_object_with_leading_whitespace_is_still_read_tolerantly() -> None:
    raw = " \n" + json.dumps(event("pods", "create", request=obj(pod_spec=spec(True))))
    assert judge(raw[:-3]).hostnet == "true"


def _decoded(decode, text: str) -> object:  # type: ignore[no-untyped-def]
    """What decode gives for text: its value, or the kind, message and position of what it raises."""
    try:
        return ("value", decode(text))
    except json.JSONDecodeError as exc:
        return ("error", exc.msg, exc.pos)
    except RecursionError:
        return ("recursion",)


json_texts = st.one_of(
    json_values.map(json.dumps),
    st.tuples(json_values.map(json.dumps), st.sampled_from(["", " ", "\n\t", " x", "}", "{}", "\r\n "])).map(
        lambda parts: parts[0] + parts[1]
    ),
    st.tuples(st.sampled_from(["", " ", "\n", "x"]), json_values.map(json.dumps)).map("".join),
    st.text(alphabet=' \t\r\n{}[]":,0123456789.eE+-truefalsn\\u', max_size=30),
    st.just("[" * 5000),
)


@settings(max_examples=300)
@given(json_texts)
def test_the_engines_loads_is_the_decoders_decode(text: str) -> None:
    # jsondecode.loads calls the C scanner itself; values, error messages and positions must stay json's.
    assert _decoded(jsondecode.loads, text) == _decoded(jsondecode.DECODER.decode, text)
