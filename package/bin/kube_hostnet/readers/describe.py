"""Turns the values a reader found into a Description: only strings of the right type, each made safe to
write into an output field, lists bounded."""

from typing import Any, List, Sequence, Tuple

from kube_hostnet.limits import MAX_DESCRIBED_VALUES, MAX_OUTPUT_CHARS
from kube_hostnet.safetext import clean


def text(value: Any) -> str:
    """A string value, cleaned; "" for anything else (a client may put any JSON type in any field)."""
    if type(value) is str and value.isascii() and len(value) <= MAX_OUTPUT_CHARS:
        return value  # what clean() gives it, without the call: every reader asks this of a dozen fields
    return clean(value) if isinstance(value, str) else ""


def text_values(values: Sequence[Any]) -> List[str]:
    """text() of each value, in order: one loop instead of a call per value (a reader describes a dozen
    fields of every event, and a call costs more than the test)."""
    return [
        value if type(value) is str and value.isascii() and len(value) <= MAX_OUTPUT_CHARS else text(value)
        for value in values
    ]


def code(value: Any) -> str:
    """An HTTP status code as the decimal text of a JSON integer ("" for true, floats, strings)."""
    return str(value) if type(value) is int and 0 <= value < 1000 else ""


def texts(values: Any) -> Tuple[str, ...]:
    """The distinct string items of a JSON array, in order, at most MAX_DESCRIBED_VALUES of them."""
    if not isinstance(values, list):
        return ()
    found: List[str] = []
    for value in values:
        if type(value) is str and value.isascii() and len(value) <= MAX_OUTPUT_CHARS:
            cleaned = value  # text(value), without the call
        elif isinstance(value, str):
            cleaned = clean(value)
        else:
            continue
        if cleaned and cleaned not in found:
            found.append(cleaned)
            if len(found) >= MAX_DESCRIBED_VALUES:
                break
    return tuple(found)


def member(mapping: Any, key: str) -> Any:
    """mapping[key] when mapping is a JSON object that has it, else None."""
    return mapping.get(key) if isinstance(mapping, dict) else None
