"""A JSON Patch body read again from the event's text, with every repeated key kept (godecode.Pairs).

json.loads keeps the last of a repeated key; the API server's typed decoding of a JSON Patch value keeps
them all (godecode), so the body is decoded a second time from the text it was logged as.
"""

from typing import Any, List, Optional, Tuple

from kube_hostnet.godecode import PAIRS_DECODER, last_wins, same_scalar
from kube_hostnet.jsondecode import SCAN, skip_whitespace
from kube_hostnet.limits import MAX_PAIRS_CHARS


def request_object_pairs(event_text: str, keys: Tuple[str, ...], body: List[Any]) -> Tuple[bool, Any, str]:
    """The event's request body, a JSON Patch at keys in event_text (("requestObject",) for a native
    event), read again from its text with every member kept: (True, value, ""), or (False, None, why not).

    The body is found by walking the text's objects key by key, each other member skipped by the C
    scanner, never by searching for its key: a client can write a key named requestObject inside its own
    patch, and an impersonator one in user.extra, before the real one. What precedes the body is walked
    within MAX_PAIRS_CHARS, and the body is read only if it ends within MAX_PAIRS_CHARS of where it
    starts (what follows it, a response or annotations, does not count). A cut event whose body is whole
    still yields it. same_operations checks that what was read is the body json.loads read."""
    bound = f"above the bound of {MAX_PAIRS_CHARS}"
    start = _value_at(event_text[: MAX_PAIRS_CHARS + 1], keys) if keys else None
    if start is None:
        why = f"the request body was not found in the event's first {MAX_PAIRS_CHARS} chars"
        return False, None, f"{why} ({bound})" if len(event_text) > MAX_PAIRS_CHARS else why
    try:
        value, _end = PAIRS_DECODER.raw_decode(event_text[start : start + MAX_PAIRS_CHARS])
    except RecursionError:
        return False, None, "the request body is nested too deeply to read again"
    except ValueError:
        if len(event_text) - start > MAX_PAIRS_CHARS:
            return False, None, f"the request body does not end within {MAX_PAIRS_CHARS} chars ({bound})"
        return False, None, "the request body could not be read again"
    if not same_operations(value, body):
        return False, None, "the text at the request body's place is not the body read"
    return True, value, ""


def _value_at(text: str, keys: Tuple[str, ...]) -> Optional[int]:
    """Where the value at keys (object members, from the top) starts in text; None when text does not
    show it there, whole, before text ends."""
    position = 0
    for key in keys:
        position = skip_whitespace(text, position)
        if not text.startswith("{", position):
            return None
        position += 1
        while True:
            position = skip_whitespace(text, position)
            if not text.startswith('"', position):
                return None  # `}`: the object has no such key, or the text is not JSON here
            try:
                name, position = SCAN(text, position)
            except (StopIteration, ValueError):
                return None
            position = skip_whitespace(text, position)
            if not text.startswith(":", position):
                return None
            position = skip_whitespace(text, position + 1)
            if name == key:
                break
            try:
                _skipped, position = SCAN(text, position)
            except (StopIteration, ValueError, RecursionError):
                return None
            position = skip_whitespace(text, position)
            if not text.startswith(",", position):
                return None
            position += 1
    return position


def same_operations(pairs_value: Any, plain: List[Any]) -> bool:
    """pairs_value is the operations plain holds: as many, each with the same members, the scalar ones
    equal (op, path, from, scalar values) and the others of the same kind and size."""
    if not isinstance(pairs_value, list) or len(pairs_value) != len(plain):
        return False
    for written, operation in zip(pairs_value, plain):
        members = last_wins(written) if isinstance(written, tuple) else written
        if not isinstance(members, dict) or not isinstance(operation, dict):
            if not same_scalar(members, operation):
                return False
            continue
        if members.keys() != operation.keys():
            return False
        for key, member in members.items():
            if not _same_shape(member, operation[key]):
                return False
    return True


def _same_shape(pairs_value: Any, plain: Any) -> bool:
    if isinstance(pairs_value, tuple):
        return isinstance(plain, dict) and len(last_wins(pairs_value)) == len(plain)
    if isinstance(pairs_value, list):
        return isinstance(plain, list) and len(pairs_value) == len(plain)
    return same_scalar(pairs_value, plain)
