"""Reads JSON safely: json.loads on the normal path, a tolerant iterative parser when that fails.

parse reads the event text; parse_complete (parse_record) reads JSON held in a string of the event, which
is whole by construction, with json.loads alone.

The tolerant parser exists for two kinds of event text json.loads cannot read:
- an event Splunk cut at TRUNCATE: it returns what came before the cut, with every container that was
  still open returned as a PartialDict / PartialList (a key missing from one may have been lost), and
  drops the value that was being read at the cut (a string without its closing quote, a number that may
  have continued, `tru`);
- nesting deeper than json.loads' recursion limit: it never recurses, and subtrees it walks deeper than
  MAX_TOLERANT_DEPTH are skipped (replaced by SKIPPED) instead of built.
A container json.loads' scanner can read whole is read by it in one call; the parser's own work is counted
in steps (Parsed.steps) and stops at MAX_TOLERANT_STEPS, so its cost is bounded whatever the text.
"""

import json
import re
from typing import Any, Dict, List, NamedTuple, Tuple

from kube_hostnet.jsondecode import DECODER, NUMBER_TEXT, WHITESPACE, WHITESPACE_CHARS, loads, skip_whitespace
from kube_hostnet.limits import (
    CHARS_PER_TOLERANT_STEP,
    KIB,
    MAX_EVENT_CHARS,
    MAX_TOLERANT_CHARS,
    MAX_TOLERANT_DEPTH,
    MAX_TOLERANT_STEPS,
    MAX_WEBHOOK_RECORD_CHARS,
    MIB,
)


class PartialDict(Dict[str, Any]):
    """An object whose closing brace was not read: keys after the cut are missing."""


class PartialList(List[Any]):
    """An array whose closing bracket was not read: elements after the cut are missing."""


class _Skipped:
    def __repr__(self) -> str:
        return "SKIPPED"


# Stands for a container nested deeper than MAX_TOLERANT_DEPTH: present, but not read.
SKIPPED = _Skipped()


class Parsed(NamedTuple):
    value: Any = None
    error: str = ""  # non-empty: no usable value (not JSON, too big)
    cut_at: int = -1  # >= 0: the text ended inside the value after this many characters
    deep_skipped: bool = False
    steps: int = 0  # Python-level steps the tolerant parser took (0: json.loads alone read it)

    @property
    def cut(self) -> bool:
        return self.cut_at >= 0


def is_partial(value: Any) -> bool:
    return isinstance(value, (PartialDict, PartialList))


def parse(text: str, object_only: bool = False) -> Parsed:
    """Parses one JSON text within the engine's bounds; never raises for any str.

    object_only: only a JSON object is of use, so text that json.loads rejects and that does not begin
    with '{' is not handed to the (slow) tolerant parser.
    """
    if len(text) > MAX_EVENT_CHARS:
        return Parsed(error=f"{len(text)} chars is above the {MAX_EVENT_CHARS // MIB} MiB bound; not parsed")
    loaded = _loads(text)
    if not loaded.error:
        return loaded
    if object_only and not text.startswith("{", skip_whitespace(text, 0)):
        return Parsed(error=f"{loaded.error}; not a JSON object")
    if len(text) > MAX_TOLERANT_CHARS:
        return Parsed(
            error=f"{loaded.error}; {len(text)} chars is above the {MAX_TOLERANT_CHARS // KIB} KiB bound "
            "of the tolerant parser"
        )
    return parse_tolerant(text)


def parse_complete(text: str, max_chars: int = MAX_EVENT_CHARS) -> Parsed:
    """Parses JSON text that is whole by construction: a string value of the event (the last-applied
    annotation, a mutating-webhook record), which was read up to its closing quote. Only json.loads reads
    it, never the tolerant parser: a cut is impossible, so invalid text is an error, and so is nesting too
    deep for json.loads (which stops at its recursion limit after reading only that far). Linear in the
    text either way; text above max_chars is not read."""
    if len(text) > max_chars:
        return Parsed(error=f"{len(text)} chars is above the {_size(max_chars)} bound; not parsed")
    return _loads(text)


def parse_record(text: str) -> Parsed:
    """parse_complete for a mutating webhook's record (kube_hostnet.webhooks), within its own bound."""
    return parse_complete(text, MAX_WEBHOOK_RECORD_CHARS)


def _size(chars: int) -> str:
    return f"{chars // MIB} MiB" if chars % MIB == 0 else f"{chars // KIB} KiB"


def _loads(text: str) -> Parsed:
    try:
        return Parsed(loads(text))
    except RecursionError:
        return Parsed(error="nested too deeply for json.loads")
    except ValueError as exc:
        return Parsed(error=f"not valid JSON ({exc})")


_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_NUMBER_TAIL = re.compile(r"[-+0-9.eE]*\Z")
# The rest of a string after its opening quote, up to and including the closing quote.
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_LITERALS: Tuple[Tuple[str, Any], ...] = (
    ("true", True),
    ("false", False),
    ("null", None),
    ("NaN", float("nan")),
    ("Infinity", float("inf")),
    ("-Infinity", float("-inf")),
)
_NUMBER_START = "-0123456789"

# What a skipped container holds between brackets: anything but brackets, strings whole.
_SKIP_PLAIN = re.compile(r'[^"\[\]{}]*(?:"[^"\\]*(?:\\.[^"\\]*)*"[^"\[\]{}]*)*', re.DOTALL)
_OPENERS = re.compile(r"[\[{]+")
_CLOSERS = re.compile(r"[\]}]+")

# Parser states: what the next token may be.
_VALUE, _FIRST_KEY, _KEY, _COLON, _AFTER_VALUE, _FIRST_ITEM, _END = range(7)


class _Cut(Exception):
    """The text ended inside the token being read."""


class _Invalid(Exception):
    """The text is not JSON (before any cut)."""


class _OverBudget(Exception):
    """The text needs more steps than MAX_TOLERANT_STEPS."""


def _read_string(text: str, pos: int) -> Tuple[str, int]:
    try:
        value, end = DECODER.raw_decode(text, pos)
    except ValueError:
        if _STRING_REST.match(text, pos + 1) is None:
            raise _Cut from None
        raise _Invalid(f"bad string at char {pos}") from None
    return str(value), end


def _read_scalar(text: str, pos: int, char: str) -> Tuple[Any, int]:
    if char not in _NUMBER_START or text.startswith("-I", pos):
        for literal, value in _LITERALS:
            if text.startswith(literal, pos):
                return value, pos + len(literal)
        rest = text[pos : pos + 9]
        if any(literal.startswith(rest) for literal, _ in _LITERALS):
            raise _Cut
        raise _Invalid(f"unexpected {char!r} at char {pos}")
    match = _NUMBER.match(text, pos)
    after = match.end() if match is not None else pos
    # Only a number that reaches the end, or stops at what could have continued it, may have been cut.
    if after == len(text) or text[after] in ".eE" or match is None:
        if _NUMBER_TAIL.match(text, pos) is not None:
            raise _Cut  # digits up to the end: the number may have gone on
        if match is None:
            raise _Invalid(f"unexpected {text[pos]!r} at char {pos}")
    return NUMBER_TEXT(match.group()), after


class _Budget:
    """The steps left to one call of parse_tolerant (MAX_TOLERANT_STEPS)."""

    def __init__(self, max_steps: int) -> None:
        self.steps = 0
        self.max_steps = max_steps

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.max_steps:
            raise _OverBudget


def _skip_container(text: str, pos: int, budget: _Budget) -> int:
    """End of the container opening at pos, without building it (its content is not validated); a step per
    run of brackets."""
    depth = 0
    end = len(text)
    while True:
        budget.step()
        pos = _SKIP_PLAIN.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= end or text[pos] == '"':
            raise _Cut  # the end of the text, or a string without its closing quote
        openers = _OPENERS.match(text, pos)
        if openers is not None:
            depth += openers.end() - pos
            pos = openers.end()
            continue
        closers = _CLOSERS.match(text, pos).end() - pos  # type: ignore[union-attr]
        if closers >= depth:
            return pos + depth
        depth -= closers
        pos += closers


def _decode_whole(text: str, pos: int, budget: _Budget) -> Any:
    """(value, end) of the container at pos when json.loads' scanner reads it whole (it is complete and not
    too deep for it); else _NOT_WHOLE, or _TOO_DEEP when it nests deeper than the scanner follows. A
    container still open at the cut fails after reading up to the cut: each failure is charged to the budget
    as the steps the characters it read are worth (CHARS_PER_TOLERANT_STEP)."""
    try:
        return DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        budget.step(1 + (exc.pos - pos) // CHARS_PER_TOLERANT_STEP)
    except RecursionError:  # where it stopped is not known: charged as if it read to the end
        budget.step(1 + (len(text) - pos) // CHARS_PER_TOLERANT_STEP)
        return _TOO_DEEP
    except ValueError:  # a number of more than 4300 digits, read to the end at worst
        budget.step(1 + (len(text) - pos) // CHARS_PER_TOLERANT_STEP)
    return _NOT_WHOLE


_NOT_WHOLE = object()
_TOO_DEEP = object()


def parse_tolerant(
    text: str, max_depth: int = MAX_TOLERANT_DEPTH, max_steps: int = MAX_TOLERANT_STEPS
) -> Parsed:
    """Parses text or the prefix of it that was kept; iterative, so any nesting depth is safe. The steps it
    takes (Parsed.steps) are bounded by max_steps: text that needs more is an error, not read."""
    budget = _Budget(max_steps)
    try:
        return _parse_tolerant(text, max_depth, budget)
    except _OverBudget:
        # "bound" in the reason: the README's hunting search finds it with the other size bounds
        reason = f"needs more than {max_steps} steps, the bound of the tolerant parser; not read"
        return Parsed(error=reason, steps=budget.steps)


def _parse_tolerant(text: str, max_depth: int, budget: _Budget) -> Parsed:
    # Each open container with the key its value will be stored under (None inside arrays).
    stack: List[List[Any]] = []
    result: Any = None
    have_result = False
    deep_skipped = False
    state = _VALUE
    pos = 0
    end = len(text)
    # The open container json.loads' scanner found too deep, and its depth: inside it the parser walks
    # every container itself rather than fail at the same depth again.
    too_deep: Any = None
    too_deep_at = 0
    try:
        while True:
            budget.step()
            if pos < end and text[pos] in WHITESPACE_CHARS:
                pos = WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
            if pos >= end:
                if state == _END:
                    return Parsed(result, deep_skipped=deep_skipped, steps=budget.steps)
                raise _Cut
            char = text[pos]
            if state == _END:
                raise _Invalid(f"extra data at char {pos}")
            if state == _FIRST_ITEM:
                if char == "]":
                    pos += 1
                    value: Any = stack.pop()[0]
                else:
                    state = _VALUE
                    continue
            elif state in (_FIRST_KEY, _KEY):
                if char == "}" and state == _FIRST_KEY:
                    pos += 1
                    value = stack.pop()[0]
                elif char == '"':
                    stack[-1][1], pos = _read_string(text, pos)
                    state = _COLON
                    continue
                else:
                    raise _Invalid(f"expected a key at char {pos}")
            elif state == _COLON:
                if char != ":":
                    raise _Invalid(f"expected ':' at char {pos}")
                pos += 1
                state = _VALUE
                continue
            elif state == _AFTER_VALUE:
                container = stack[-1][0]
                if char == ",":
                    pos += 1
                    state = _KEY if isinstance(container, dict) else _VALUE
                    continue
                if char != ("}" if isinstance(container, dict) else "]"):
                    raise _Invalid(f"unexpected {char!r} at char {pos}")
                pos += 1
                value = stack.pop()[0]
            elif char in "[{":  # state == _VALUE
                if len(stack) >= max_depth:
                    deep_skipped = True  # also when the text ends inside it
                    pos = _skip_container(text, pos, budget)
                    value = SKIPPED
                else:
                    # The document as a whole was refused by json.loads already: not read again.
                    walk_only = not stack or (len(stack) > too_deep_at and stack[too_deep_at] is too_deep)
                    whole: Any = _NOT_WHOLE if walk_only else _decode_whole(text, pos, budget)
                    if whole is _NOT_WHOLE or whole is _TOO_DEEP:
                        if whole is _TOO_DEEP:
                            too_deep_at = len(stack)
                        stack.append([{} if char == "{" else [], None])
                        if whole is _TOO_DEEP:
                            too_deep = stack[-1]
                        pos += 1
                        state = _FIRST_KEY if char == "{" else _FIRST_ITEM
                        continue
                    value, pos = whole
            elif char == '"':
                value, pos = _read_string(text, pos)
            else:
                value, pos = _read_scalar(text, pos, char)
            # A value is complete: store it in the container that is open, or it is the document.
            if stack:
                _store(stack[-1], value)
                state = _AFTER_VALUE
            else:
                result, have_result, state = value, True, _END
    except _Invalid as exc:
        return Parsed(error=f"not valid JSON ({exc})", steps=budget.steps)
    except _Cut:
        pass
    # Close what is still open, innermost first, marking each container as cut.
    while stack:
        container = stack.pop()[0]
        value = PartialDict(container) if isinstance(container, dict) else PartialList(container)
        if stack:
            _store(stack[-1], value)
        else:
            result, have_result = value, True
    if not have_result:
        return Parsed(error="text ends before a JSON value", cut_at=end, steps=budget.steps)
    return Parsed(result, cut_at=end, deep_skipped=deep_skipped, steps=budget.steps)


def _store(frame: List[Any], value: Any) -> None:
    container = frame[0]
    if isinstance(container, dict):
        container[frame[1]] = value
        frame[1] = None
    else:
        container.append(value)
