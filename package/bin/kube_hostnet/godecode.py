"""JSON values as the API server's Go code reads them, where that differs from json.loads.

A JSON Patch value is inserted as the client wrote it and decoded straight into the typed object
(sigs.k8s.io/json, encoding/json's rules, case-sensitive). Into a struct, a repeated key whose value is an
object decodes into the already-filled field (the occurrences merge, later ones winning field by field), and
`null` leaves a non-pointer field (the bool hostNetwork, the structs on the way to it) as it was. json.loads
keeps only the last occurrence and makes null a value, so such values are read again keeping every member:
Pairs. Where evanphx/json-patch reads a value into its own map (navigation, `test`), Go's map decoding
applies: the last occurrence wins (last_wins).
"""

import re
from json.scanner import make_scanner
from typing import Any, Dict, List, Optional, Tuple

from kube_hostnet.jsonread import DECODER, decoder
from kube_hostnet.limits import MAX_PAIRS_CHARS
from kube_hostnet.walkbudget import Budget

SET_TRUE = "set-true"
SET_FALSE = "set-false"
UNSET = "unset"  # no occurrence sets it: the field keeps the value it had
INVALID = "invalid"  # an object's place holds another value: the API server rejects the request
# hostNetwork holds a value that is not a bool: rejected too, and not the JSON value true (rule 3)
NOT_BOOL = "not-bool"


# A JSON object's members in the order written, repeated keys kept: a tuple of (key, value) pairs, which no
# other JSON value is (so `isinstance(value, tuple)` asks whether a value is Pairs). tuple is the cheapest
# object_pairs_hook (a C type over the decoder's own list of pairs): reading a body this way costs about
# what json.loads costs, where a list subclass costs three to five times it.
Pairs = Tuple[Tuple[str, Any], ...]


_PAIRS_DECODER = decoder(object_pairs_hook=tuple)


def loads_pairs(text: str) -> Tuple[bool, Any]:
    """(True, value) with objects as Pairs, (False, None) when text is not one JSON value json.loads reads."""
    try:
        return True, _PAIRS_DECODER.decode(text)
    except (ValueError, RecursionError):
        return False, None


def last_wins(pairs: Pairs) -> Dict[str, Any]:
    return dict(pairs)


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
        value, _end = _PAIRS_DECODER.raw_decode(event_text[start : start + MAX_PAIRS_CHARS])
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
        position = _skip_whitespace(text, position)
        if not text.startswith("{", position):
            return None
        position += 1
        while True:
            position = _skip_whitespace(text, position)
            if not text.startswith('"', position):
                return None  # `}`: the object has no such key, or the text is not JSON here
            try:
                name, position = _SCAN(text, position)
            except (StopIteration, ValueError):
                return None
            position = _skip_whitespace(text, position)
            if not text.startswith(":", position):
                return None
            position = _skip_whitespace(text, position + 1)
            if name == key:
                break
            try:
                _skipped, position = _SCAN(text, position)
            except (StopIteration, ValueError, RecursionError):
                return None
            position = _skip_whitespace(text, position)
            if not text.startswith(",", position):
                return None
            position += 1
    return position


_WHITESPACE = re.compile(r"[ \t\n\r]*")
# json's C scanner over DECODER's settings: one value from a position, (value, end). typeshed types its
# argument as the scanner itself; any decoder is what it reads its settings from.
_SCAN = make_scanner(DECODER)  # type: ignore[arg-type]


def _skip_whitespace(text: str, position: int) -> int:
    return _WHITESPACE.match(text, position).end()  # type: ignore[union-attr]


def same_operations(pairs_value: Any, plain: List[Any]) -> bool:
    """pairs_value is the operations plain holds: as many, each with the same members, the scalar ones
    equal (op, path, from, scalar values) and the others of the same kind and size."""
    if not isinstance(pairs_value, list) or len(pairs_value) != len(plain):
        return False
    for written, operation in zip(pairs_value, plain):
        members = last_wins(written) if isinstance(written, tuple) else written
        if not isinstance(members, dict) or not isinstance(operation, dict):
            if not _same_scalar(members, operation):
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
    return _same_scalar(pairs_value, plain)


def _same_scalar(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def same_json(pairs_value: Any, plain: Any, budget: Budget) -> bool:
    """pairs_value, read with map semantics, is plain (types compared too: a number's text, true and a
    string differ). Each container spends its size from budget before its members are compared."""
    if isinstance(pairs_value, (tuple, dict)):
        if not isinstance(plain, dict):
            return False
        budget.spend(len(pairs_value))
        members = last_wins(pairs_value) if isinstance(pairs_value, tuple) else pairs_value
        return members.keys() == plain.keys() and all(
            same_json(members[k], plain[k], budget) for k in members
        )
    if isinstance(pairs_value, list):
        if not isinstance(plain, list) or len(pairs_value) != len(plain):
            return False
        budget.spend(len(pairs_value))
        return all(same_json(a, b, budget) for a, b in zip(pairs_value, plain))
    return _same_scalar(pairs_value, plain)


def deduplicated(value: Any, budget: Budget) -> Any:
    """value as Go's maps read it at every level (what evanphx's `test` leaves of a value it compared).
    Each container spends its size from budget; a plain dict (json.loads' reading) holds no Pairs."""
    if isinstance(value, tuple):
        budget.spend(len(value))
        return {key: _deduplicated_member(member, budget) for key, member in last_wins(value).items()}
    if isinstance(value, list):
        budget.spend(len(value))
        return [_deduplicated_member(item, budget) for item in value]
    return value


def _deduplicated_member(value: Any, budget: Budget) -> Any:
    return deduplicated(value, budget) if isinstance(value, (tuple, list)) else value


def decode_bool(value: Any, keys: Tuple[str, ...], budget: Budget) -> str:
    """What decoding value into a struct leaves in the bool field at keys (structs all the way, as on the
    path from a workload to hostNetwork): SET_TRUE, SET_FALSE, UNSET, INVALID or NOT_BOOL (which does not
    undo an earlier true: that request asked for it)."""
    if value is None:
        return UNSET
    if not keys:
        if isinstance(value, bool):
            return SET_TRUE if value else SET_FALSE
        return NOT_BOOL
    if not isinstance(value, (tuple, dict)):  # a dict where the value could not be read with its pairs
        return INVALID
    result = UNSET
    members = value if isinstance(value, tuple) else value.items()
    budget.spend(len(members))
    for key, member in members:
        if key != keys[0]:
            continue
        decoded = decode_bool(member, keys[1:], budget)
        if decoded == INVALID:
            return INVALID
        if decoded == NOT_BOOL and result in (SET_TRUE, SET_FALSE):
            continue
        if decoded != UNSET:
            result = decoded
    return result


def merged(value: Any, budget: Budget) -> Any:
    """value decoded into nested structs and maps: repeated objects merge, null leaves what was there, any
    other value replaces. Approximates the typed object for describing it (its images)."""
    if not isinstance(value, tuple):
        return deduplicated(value, budget) if isinstance(value, (list, dict)) else value
    budget.spend(len(value))
    result: Dict[str, Any] = {}
    for key, member in value:
        if member is None:
            continue
        decoded = merged(member, budget)
        if isinstance(decoded, dict) and isinstance(result.get(key), dict):
            result[key] = _merge_into(result[key], decoded, budget)
        else:
            result[key] = decoded
    return result


def _merge_into(old: Dict[str, Any], new: Dict[str, Any], budget: Budget) -> Dict[str, Any]:
    budget.spend(len(old) + len(new))
    out = dict(old)
    for key, member in new.items():
        if isinstance(member, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_into(out[key], member, budget)
        else:
            out[key] = member
    return out


def plain_spec(value: Any, budget: Budget) -> Optional[Dict[str, Any]]:
    spec = merged(value, budget)
    return spec if isinstance(spec, dict) else None
