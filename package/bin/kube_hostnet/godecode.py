"""JSON values as the API server's Go code reads them, where that differs from json.loads.

A JSON Patch value is inserted as the client wrote it and decoded straight into the typed object
(sigs.k8s.io/json, encoding/json's rules, case-sensitive). Into a struct, a repeated key whose value is an
object decodes into the already-filled field (the occurrences merge, later ones winning field by field), and
`null` leaves a non-pointer field (the bool hostNetwork, the structs on the way to it) as it was. json.loads
keeps only the last occurrence and makes null a value, so such values are read again keeping every member:
Pairs. Where evanphx/json-patch reads a value into its own map (navigation, `test`), Go's map decoding
applies: the last occurrence wins (last_wins).
"""

import json
import re
from typing import Any, Dict, List, Optional, Tuple

SET_TRUE = "set-true"
SET_FALSE = "set-false"
UNSET = "unset"  # no occurrence sets it: the field keeps the value it had
INVALID = "invalid"  # an object's place holds another value: the API server rejects the request
# hostNetwork holds a value that is not a bool: rejected too, and not the JSON value true (rule 3)
NOT_BOOL = "not-bool"


class Pairs(List[Tuple[str, Any]]):
    """A JSON object's members in the order written, repeated keys kept."""


_PAIRS_DECODER = json.JSONDecoder(object_pairs_hook=Pairs)
_REQUEST_OBJECT = re.compile(r'"requestObject"[ \t\n\r]*:[ \t\n\r]*')


def loads_pairs(text: str) -> Tuple[bool, Any]:
    """(True, value) with objects as Pairs, (False, None) when text is not one JSON value json.loads reads."""
    try:
        return True, _PAIRS_DECODER.decode(text)
    except (ValueError, RecursionError):
        return False, None


def last_wins(pairs: Pairs) -> Dict[str, Any]:
    return dict(pairs)


def request_object_pairs(event_text: str, body: Any) -> Tuple[bool, Any]:
    """The event's requestObject read again from its text with every member kept: (True, value), or
    (False, None) when it cannot be found. Only the value is decoded (raw_decode stops at its end), so an
    event cut after its requestObject still yields it; a candidate counts only when it is the same JSON as
    the body read before (a `"requestObject":` inside a string value does not decode as one)."""
    for match in _REQUEST_OBJECT.finditer(event_text):
        try:
            value, _end = _PAIRS_DECODER.raw_decode(event_text, match.end())
            if same_json(value, body):
                return True, value
        except (ValueError, RecursionError):
            continue
    return False, None


def same_json(pairs_value: Any, plain: Any) -> bool:
    """pairs_value, read with map semantics, is plain (types compared too: 1, 1.0 and true differ)."""
    if isinstance(pairs_value, (Pairs, dict)):
        if not isinstance(plain, dict):
            return False
        members = last_wins(pairs_value) if isinstance(pairs_value, Pairs) else pairs_value
        return members.keys() == plain.keys() and all(same_json(members[k], plain[k]) for k in members)
    if isinstance(pairs_value, list):
        return (
            isinstance(plain, list)
            and len(pairs_value) == len(plain)
            and all(same_json(a, b) for a, b in zip(pairs_value, plain))
        )
    return type(pairs_value) is type(plain) and pairs_value == plain


def deduplicated(value: Any) -> Any:
    """value as Go's maps read it at every level (what evanphx's `test` leaves of a value it compared)."""
    if isinstance(value, Pairs):
        return {key: deduplicated(member) for key, member in last_wins(value).items()}
    if isinstance(value, list):
        return [deduplicated(item) for item in value]
    return value


def decode_bool(value: Any, keys: Tuple[str, ...]) -> str:
    """What decoding value into a struct leaves in the bool field at keys (structs all the way, as on the
    path from a workload to hostNetwork): SET_TRUE, SET_FALSE, UNSET, INVALID or NOT_BOOL (which does not
    undo an earlier true: that request asked for it)."""
    if value is None:
        return UNSET
    if not keys:
        if isinstance(value, bool):
            return SET_TRUE if value else SET_FALSE
        return NOT_BOOL
    if not isinstance(value, (Pairs, dict)):  # a dict where the value could not be read with its pairs
        return INVALID
    result = UNSET
    members = value if isinstance(value, Pairs) else value.items()
    for key, member in members:
        if key != keys[0]:
            continue
        decoded = decode_bool(member, keys[1:])
        if decoded == INVALID:
            return INVALID
        if decoded == NOT_BOOL and result in (SET_TRUE, SET_FALSE):
            continue
        if decoded != UNSET:
            result = decoded
    return result


def merged(value: Any) -> Any:
    """value decoded into nested structs and maps: repeated objects merge, null leaves what was there, any
    other value replaces. Approximates the typed object for describing it (its images)."""
    if not isinstance(value, Pairs):
        return deduplicated(value) if isinstance(value, (list, dict)) else value
    result: Dict[str, Any] = {}
    for key, member in value:
        if member is None:
            continue
        decoded = merged(member)
        if isinstance(decoded, dict) and isinstance(result.get(key), dict):
            result[key] = _merge_into(result[key], decoded)
        else:
            result[key] = decoded
    return result


def _merge_into(old: Dict[str, Any], new: Dict[str, Any]) -> Dict[str, Any]:
    out = dict(old)
    for key, member in new.items():
        if isinstance(member, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_into(out[key], member)
        else:
            out[key] = member
    return out


def plain_spec(value: Any) -> Optional[Dict[str, Any]]:
    spec = merged(value)
    return spec if isinstance(spec, dict) else None
