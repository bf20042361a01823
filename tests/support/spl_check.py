"""Checks SPL as far as can be done without a Splunk: macros, quoting, pipeline commands, field use.

It understands the commands this add-on's searches use; anything it cannot read it reports rather than
guesses, so a new construct makes the tests fail until the checker learns it.
"""

import re
from typing import Dict, FrozenSet, Iterable, List, NamedTuple, Optional, Sequence, Set, Tuple

from tests.support.splunk_conf import Conf

# Commands a search stage may start with (the ones Splunk ships, as far as these searches use them, and
# this add-on's own). Generating commands may start a search that begins with `|`.
GENERATING_COMMANDS = frozenset({"from", "inputlookup", "makeresults", "tstats", "datamodel", "search"})
KNOWN_COMMANDS = GENERATING_COMMANDS | frozenset(
    {
        "convert", "eval", "eventstats", "fields", "fillnull", "hostnetcheck", "lookup", "mvexpand",
        "rename", "search", "sort", "spath", "stats", "table", "where",
    }
)
EVAL_FUNCTIONS = frozenset(
    {
        "if", "case", "coalesce", "isnull", "isnotnull", "null", "match", "like", "replace", "split",
        "mvjoin", "mvmap", "mvfind", "mvcount", "mvindex", "mvfilter", "len", "lower", "upper", "substr",
        "tostring", "tonumber", "strftime", "strptime", "now", "searchmatch", "cidrmatch", "in",
    }
)
STATS_FUNCTIONS = frozenset(
    {"count", "dc", "values", "list", "min", "max", "sum", "avg", "earliest", "latest", "first", "last"}
)
EVAL_KEYWORDS = frozenset({"AND", "OR", "NOT", "XOR", "LIKE", "IN", "true", "false"})
# Fields every Splunk event has.
SPLUNK_EVENT_FIELDS = frozenset(
    {"_raw", "_time", "_cd", "host", "source", "sourcetype", "index", "splunk_server", "linecount", "punct"}
)

_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_.{}@:-]*"
_MACRO_CALL = re.compile(r"`([^`(]+)(?:\((.*?)\))?`", re.S)


class SplError(ValueError):
    pass


class Macro(NamedTuple):
    name: str
    args: Tuple[str, ...]
    definition: str


def macros_from_conf(conf: Conf) -> Dict[Tuple[str, int], Macro]:
    """(name, argument count) -> macro; a stanza `name(2)` is a macro of two arguments."""
    macros: Dict[Tuple[str, int], Macro] = {}
    for stanza, keys in conf.items():
        if stanza == "default" or "definition" not in keys:
            continue
        found = re.fullmatch(r"(.+?)\((\d+)\)", stanza)
        name, count = (found.group(1), int(found.group(2))) if found else (stanza, 0)
        args = tuple(a.strip() for a in keys.get("args", "").split(",") if a.strip())
        if len(args) != count:
            raise SplError(f"macro {stanza}: args = {keys.get('args', '')!r} does not name {count} arguments")
        macros[(name, count)] = Macro(name, args, keys["definition"])
    return macros


def macro_calls(spl: str) -> List[Tuple[str, int]]:
    calls = []
    for found in _MACRO_CALL.finditer(spl):
        args = found.group(2)
        calls.append((found.group(1).strip(), 0 if args is None else len(_split_top(args, ","))))
    return calls


def expand(spl: str, macros: Dict[Tuple[str, int], Macro], depth: int = 0) -> str:
    """The search with its macros expanded, as splunkd runs it."""
    if depth > 20:
        raise SplError("macro expansion does not end (a macro calls itself?)")
    if spl.count("`") % 2:
        raise SplError(f"unbalanced backticks in {spl!r}")

    def replace(found: "re.Match[str]") -> str:
        name = found.group(1).strip()
        values = [] if found.group(2) is None else [v.strip() for v in _split_top(found.group(2), ",")]
        macro = macros.get((name, len(values)))
        if macro is None:
            raise SplError(f"macro `{name}` with {len(values)} argument(s) is not defined")
        text = macro.definition
        for arg, value in zip(macro.args, values):
            text = text.replace(f"${arg}$", value)
        return expand(text, macros, depth + 1)

    return _MACRO_CALL.sub(replace, spl)


def _scan(text: str) -> Iterable[Tuple[int, str, bool]]:
    """(index, character, inside a double-quoted string) for each character; backslash escapes."""
    quoted = False
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
            yield index, char, True
            continue
        if quoted and char == "\\":
            escaped = True
            yield index, char, True
            continue
        if char == '"':
            quoted = not quoted
            yield index, char, True
            continue
        yield index, char, quoted


def check_balanced(text: str) -> None:
    """Strings closed; parentheses and brackets outside strings nested properly."""
    pairs = {")": "(", "]": "["}
    stack: List[str] = []
    quotes = 0
    for _, char, quoted in _scan(text):
        if char == '"' and quoted:
            quotes += 1
        if quoted:
            continue
        if char in "([":
            stack.append(char)
        elif char in pairs and (not stack or stack.pop() != pairs[char]):
            raise SplError(f"unbalanced {char!r} in {text!r}")
    if quotes % 2:
        raise SplError(f"unterminated string in {text!r}")
    if stack:
        raise SplError(f"unclosed {''.join(stack)!r} in {text!r}")


def _split_top(text: str, separator: str) -> List[str]:
    """Splits on a separator outside strings, parentheses and brackets."""
    parts: List[str] = []
    depth = 0
    start = 0
    for index, char, quoted in _scan(text):
        if quoted:
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _unquoted(text: str) -> str:
    """The text with every double-quoted string replaced by an empty one."""
    return "".join(char if not quoted else ("" if char != '"' else '"') for _, char, quoted in _scan(text))


class Stage(NamedTuple):
    command: str
    args: str


def stages(spl: str) -> List[Stage]:
    """The pipeline of an expanded search; a search not starting with | starts with an implicit search."""
    check_balanced(spl)
    text = spl.strip()
    generating = text.startswith("|")
    parts = _split_top(text[1:] if generating else text, "|")
    result = []
    for position, part in enumerate(parts):
        words = part.strip().split(None, 1)
        if not words:
            raise SplError(f"empty pipeline stage in {spl!r}")
        if position == 0 and not generating:
            result.append(Stage("search", part.strip()))
            continue
        command = words[0].lower()
        allowed = GENERATING_COMMANDS if position == 0 else KNOWN_COMMANDS
        if command not in allowed:
            raise SplError(f"stage {position + 1} starts with {words[0]!r}, not a known SPL command")
        result.append(Stage(command, words[1] if len(words) > 1 else ""))
    return result


def _eval_references(expression: str) -> Set[str]:
    text = _unquoted(expression)
    references = {m.group(1) for m in re.finditer(r"'([^']+)'", text)}
    text = re.sub(r"'[^']*'", " ", text)
    for found in re.finditer(rf"(?<![\w.]){_IDENTIFIER}(\s*\()?", text):
        word = found.group(0).rstrip("( \t\n")
        if word in EVAL_KEYWORDS:
            continue
        if found.group(1):
            if word.lower() not in EVAL_FUNCTIONS:
                raise SplError(f"unknown eval function {word!r} in {expression!r}")
        else:
            references.add(word)
    return references


def _search_references(expression: str) -> Set[str]:
    text = _unquoted(expression)
    return {m.group(1) for m in re.finditer(rf"({_IDENTIFIER})\s*(?:!?=|\s+IN\s*\()", text)}


class FieldFlow(NamedTuple):
    used_unknown: FrozenSet[str]  # fields read that neither the events nor an earlier stage provide
    output: FrozenSet[str]  # the fields of the search's results


def field_flow(pipeline: Sequence[Stage], is_event_field, added_by: Dict[str, Iterable[str]]) -> FieldFlow:
    """Follows which fields exist through the pipeline and collects the ones read but never provided.

    is_event_field(name) says whether the events carry a field; added_by maps a custom command to the
    fields it adds.
    """
    known: Set[str] = set()
    from_events = True  # before stats, any event field may be read
    gone: Set[str] = set()  # event fields renamed or removed
    unknown: Set[str] = set()

    def use(names: Iterable[str]) -> None:
        for name in names:
            from_event = from_events and name not in gone and is_event_field(name)
            if name not in known and not from_event:
                unknown.add(name)

    for stage in pipeline:
        args = stage.args
        if stage.command in ("search", "where"):
            use(_search_references(args) if stage.command == "search" else _eval_references(args))
        elif stage.command in added_by:
            known.update(added_by[stage.command])
        elif stage.command == "eval":
            for assignment in _split_top(args, ","):
                target, _, expression = assignment.partition("=")
                use(_eval_references(expression))
                known.add(target.strip())
        elif stage.command == "lookup":
            words = args.split()
            output_at = next(
                (i for i, word in enumerate(words) if word.upper() in ("OUTPUT", "OUTPUTNEW")), len(words)
            )
            use(_as_pairs(words[1:output_at]).values())
            known.update(_as_pairs(words[output_at + 1 :]).values())
        elif stage.command == "fields":
            names = set(args.replace(",", " ").split()) - {"-", "+"}
            if args.strip().startswith("-"):
                known.difference_update(names)
                gone.update(names)
            else:
                use(names)
                known = names
                from_events = False
        elif stage.command == "stats":
            aggregations, _, by = _split_by(args)
            by_fields = by.replace(",", " ").split()
            outputs = _stats_outputs(aggregations, use)
            use(by_fields)
            known = set(outputs) | set(by_fields)
            from_events = False
        elif stage.command == "rename":
            for pair in _split_top(args, ","):
                source, target = _rename_pair(pair)
                use([source])
                known.discard(source)
                gone.add(source)
                known.add(target)
                gone.discard(target)
        elif stage.command == "convert":
            for found in re.finditer(r"\w+\(([^)]+)\)", _unquoted(args)):
                use([found.group(1).strip()])
        elif stage.command == "fillnull":
            continue
        elif stage.command == "sort":
            # `sort [limit] [-|+]field ...`: reads the fields, keeps every event's fields.
            use(w.lstrip("+-") for w in args.replace(",", " ").split() if w.lstrip("+-") and not w.isdigit())
        else:
            raise SplError(f"the checker cannot follow fields through {stage.command!r}")
    return FieldFlow(frozenset(unknown), frozenset(known))


def _split_by(args: str) -> Tuple[str, str, str]:
    parts = re.split(r"\s+by\s+", args, maxsplit=1, flags=re.I)
    return (parts[0], "by", parts[1]) if len(parts) == 2 else (parts[0], "", "")


def _rename_pair(pair: str) -> Tuple[str, str]:
    parts = re.split(r"\s+as\s+", pair.strip(), maxsplit=1, flags=re.I)
    if len(parts) != 2:
        raise SplError(f"rename pair {pair!r} is not `field as name`")
    return parts[0].strip().strip('"'), parts[1].strip().strip('"')


def _as_pairs(words: Sequence[str]) -> Dict[str, str]:
    """lookup's `column [AS field]` list -> column -> event field."""
    pairs: Dict[str, str] = {}
    index = 0
    while index < len(words):
        column = words[index]
        if index + 2 < len(words) and words[index + 1].upper() == "AS":
            pairs[column] = words[index + 2].strip('"')
            index += 3
        else:
            pairs[column] = column
            index += 1
    return pairs


def _stats_outputs(aggregations: str, use) -> List[str]:
    outputs = []
    pattern = re.compile(rf"(\w+)(?:\(({_IDENTIFIER})\))?(?:\s+as\s+(\"[^\"]+\"|{_IDENTIFIER}))?", re.I)
    rest = aggregations.strip()
    while rest:
        found = pattern.match(rest)
        if not found or found.group(1).lower() not in STATS_FUNCTIONS:
            raise SplError(f"cannot read stats aggregation at {rest!r}")
        function, field, alias = found.groups()
        if field:
            use([field])
        outputs.append(alias.strip('"') if alias else (f"{function}({field})" if field else function))
        rest = rest[found.end() :].strip()
    return outputs


def check(spl: str, macros: Dict[Tuple[str, int], Macro]) -> List[Stage]:
    """Expands and checks one search; returns its pipeline."""
    check_balanced(spl)
    return stages(expand(spl, macros))


def first_stage_index(pipeline: Sequence[Stage], command: str) -> Optional[int]:
    return next((i for i, stage in enumerate(pipeline) if stage.command == command), None)


def check_fragment(definition: str, macros: Dict[Tuple[str, int], Macro]) -> List[Stage]:
    """Checks a macro definition: a search fragment, or stages inserted after a `|` when it starts with a
    command (the known-command check then applies to its first word too)."""
    expanded = expand(definition, macros).strip()
    words = expanded.split(None, 1)
    if words and words[0].lower() in KNOWN_COMMANDS:
        return stages(f"index=main | {expanded}")[1:]
    return stages(expanded)
