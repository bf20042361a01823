"""How the engine decodes JSON: json's C decoder, with every number kept as its text.

A JSON number is read as its text (bytes; no other JSON value is bytes), never converted: int() refuses more
than 4300 digits (so json.loads would fail on valid JSON and need a second, slower reading), and the text is
what the API server compares (evanphx/json-patch's `test` compares scalars by their compact text, so 1.0 and
1.00 differ). Copying the text costs json.loads less than converting it. The engine reads a number's value
only for a status code (number_value).
"""

import json
import re
from json.scanner import make_scanner
from typing import Any, Callable, Optional, Tuple

Number = bytes
NUMBER_TEXT: Callable[[str], Number] = str.encode


def decoder(**hooks: Any) -> json.JSONDecoder:
    """A json.JSONDecoder that reads numbers as their text (Number)."""
    return json.JSONDecoder(parse_int=NUMBER_TEXT, parse_float=NUMBER_TEXT, **hooks)


DECODER = decoder()
# json's C scanner over DECODER's settings: one value from a position, (value, end); what decode() calls.
# typeshed types its argument as the scanner itself; any decoder is what it reads its settings from.
SCAN: Callable[[str, int], Tuple[Any, int]] = make_scanner(DECODER)  # type: ignore[arg-type]
# JSON's whitespace (RFC 8259), the run decode() skips before and after a value.
WHITESPACE = re.compile(r"[ \t\n\r]*")
WHITESPACE_CHARS = " \t\n\r"


def skip_whitespace(text: str, position: int) -> int:
    """Where the JSON whitespace that starts at position ends."""
    return WHITESPACE.match(text, position).end()  # type: ignore[union-attr]


def loads(text: str) -> Any:
    """DECODER.decode(text): the same value, or the same JSONDecodeError, without the two Python frames
    decode() and raw_decode() add to the C scanner (every event is read)."""
    # An event starts with its brace: the whitespace pattern is run only when there is whitespace to skip.
    start = skip_whitespace(text, 0) if text and text[0] in WHITESPACE_CHARS else 0
    try:
        value, end = SCAN(text, start)
    except StopIteration as err:
        raise json.JSONDecodeError("Expecting value", text, err.value) from None
    if end != len(text):
        end = skip_whitespace(text, end)
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
    return value


def kind_of(value: Any) -> str:
    """The JSON type of a parsed value, for messages."""
    if value is None:
        return "null"
    for kind, name in _KINDS:
        if isinstance(value, kind):
            return name
    return type(value).__name__


_KINDS: Tuple[Tuple[type, str], ...] = (
    (bool, "boolean"),
    (Number, "number"),
    (str, "string"),
    (dict, "object"),
    (list, "array"),
)


def number_value(value: Any, max_digits: int) -> Optional[int]:
    """The value of a JSON integer of at most max_digits digits (no sign, fraction or exponent); None for
    anything else, a bool or a string of digits included."""
    if type(value) is Number and 0 < len(value) <= max_digits and value.isdigit():
        return int(value)
    return None


