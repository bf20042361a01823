"""The SPL checker and conf reader used by the conf tests must themselves catch what they claim to."""

import pytest

from tests.support.spl_check import SplError, check, expand, field_flow, macro_calls, macros_from_conf, stages
from tests.support.splunk_conf import ConfSyntaxError, effective_meta, parse_conf

MACROS = macros_from_conf(
    parse_conf(
        "[plain]\ndefinition = index=k8s\n\n[pair(2)]\nargs = a, b\ndefinition = eval $a$=$b$\n"
        "[nested]\ndefinition = `plain` | `pair(x, 1)`\n"
    )
)


def test_conf_continuation_comments_and_last_key_wins():
    conf = parse_conf("# c\nk = top\n[s]\na = 1 \\\n| two\na2 = x\n[s]\na2 = y\n")
    assert conf["default"] == {"k": "top"}
    assert conf["s"] == {"a": "1\n| two", "a2": "y"}


def test_conf_garbage_line_is_an_error():
    with pytest.raises(ConfSyntaxError):
        parse_conf("[s]\nno equals sign here\n")


def test_meta_object_beats_type_beats_app():
    meta = parse_conf("[]\nexport = system\n[macros]\nexport = none\n[macros/m]\nexport = system\n")
    assert effective_meta(meta, "macros", "m", "export") == "system"
    assert effective_meta(meta, "macros", "other", "export") == "none"
    assert effective_meta(meta, "lookups", "x.csv", "export") == "system"


def test_macro_expansion_substitutes_arguments_and_nests():
    assert expand("`nested`", MACROS) == "index=k8s | eval x=1"
    assert macro_calls("`a` | `b(1, \"2,3\")`") == [("a", 0), ("b", 2)]


@pytest.mark.parametrize("spl", ["`missing`", "`pair(1)`", "`plain(1)`"])
def test_undefined_macro_or_wrong_argument_count_is_an_error(spl):
    with pytest.raises(SplError, match="not defined"):
        expand(spl, MACROS)


def test_macro_args_must_match_stanza_count():
    with pytest.raises(SplError):
        macros_from_conf(parse_conf("[m(2)]\nargs = a\ndefinition = x\n"))


@pytest.mark.parametrize(
    "spl",
    [
        'index=a | search x="open',
        "index=a | eval x=if(a, b, c",
        "index=a | eval x=a)",
        "index=a `plain",
        "index=a | stats count | frobnicate x",
        "index=a | | stats count",
        "| eval x=1",  # not a generating command
    ],
)
def test_malformed_searches_are_rejected(spl):
    with pytest.raises(SplError):
        check(spl, MACROS)


def test_pipes_inside_strings_and_parentheses_do_not_split():
    pipeline = stages('index=a | eval r=mvjoin(f, "|") | where match(x, "a|b")')
    assert [s.command for s in pipeline] == ["search", "eval", "where"]


def _flow(spl):
    return field_flow(
        stages(spl), lambda name: name in {"index", "verb", "user.username"}, {"hostnetcheck": ["made"]}
    )


def test_field_flow_follows_eval_stats_and_rename():
    flow = _flow(
        "index=a verb=create | hostnetcheck | eval y=made | stats count values(y) as ys by user.username "
        "| rename user.username as user | where count > 1 AND isnotnull(user)"
    )
    assert flow.used_unknown == frozenset()
    assert flow.output == frozenset({"count", "ys", "user"})


@pytest.mark.parametrize(
    ("spl", "unknown"),
    [
        ("index=a | eval y=typo_field", "typo_field"),
        ("index=a | stats count by verb | where isnull(user.username)", "user.username"),
        ("index=a | rename verb as v | stats count by verb", "verb"),
        ("index=a | eval y=1 | fields - y | where y=1", "y"),
    ],
)
def test_field_flow_reports_fields_nobody_provides(spl, unknown):
    assert unknown in _flow(spl).used_unknown


def test_unknown_eval_function_is_an_error():
    with pytest.raises(SplError, match="eval function"):
        _flow("index=a | eval y=isnul(verb)")


def test_sort_reads_its_fields():
    pipeline = stages("x | stats count by a | sort - count, +a, b")
    assert field_flow(pipeline, lambda name: name == "a", {}).used_unknown == frozenset({"b"})
