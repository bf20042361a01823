"""JSON values as the API server's Go code reads them, where that differs from json.loads.

A JSON Patch value is inserted as the client wrote it and decoded straight into the typed object
(sigs.k8s.io/json, encoding/json's rules, case-sensitive). Into a struct, a repeated key whose value is an
object decodes into the already-filled field (the occurrences merge, later ones winning field by field), and
`null` leaves a non-pointer field (the bool hostNetwork, the structs on the way to it) as it was. json.loads
keeps only the last occurrence and makes null a value, so such values are read again keeping every member:
Pairs. Where evanphx/json-patch reads a value into its own map (navigation, `test`), Go's map decoding
applies: the last occurrence wins (last_wins).
"""

from typing import Any, Dict, Optional, Tuple

from kube_hostnet.jsondecode import decoder
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


PAIRS_DECODER = decoder(object_pairs_hook=tuple)


def loads_pairs(text: str) -> Tuple[bool, Any]:
    """(True, value) with objects as Pairs, (False, None) when text is not one JSON value json.loads reads."""
    try:
        return True, PAIRS_DECODER.decode(text)
    except (ValueError, RecursionError):
        return False, None


def last_wins(pairs: Pairs) -> Dict[str, Any]:
    return dict(pairs)


def same_scalar(a: Any, b: Any) -> bool:
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
    return same_scalar(pairs_value, plain)


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


class _NullText:
    def __repr__(self) -> str:
        return "NULL_TEXT"


# A member evanphx's deepCopy made of a JSON null: the text `null`, where the null an operation wrote has no
# text at all. It decodes as null, but the library's `test` reads it into a map first (json.Unmarshal of
# null into a map succeeds), so it tests equal to an empty object, and to nothing else.
NULL_TEXT = _NullText()


def decode_bool(value: Any, keys: Tuple[str, ...], budget: Budget) -> str:
    """What decoding value into a struct leaves in the bool field at keys (structs all the way, as on the
    path from a workload to hostNetwork): SET_TRUE, SET_FALSE, UNSET, INVALID or NOT_BOOL (which does not
    undo an earlier true: that request asked for it)."""
    if value is None or value is NULL_TEXT:
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
