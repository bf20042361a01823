"""Ways an audit event's text gets damaged, and which events no damage can turn into a hostNetwork finding.

Shared by the hypothesis strategies (audit_strategies.py) and the atheris target (tests/fuzz/fuzz_assess.py),
so both fuzzers damage events the same way and judge them by the same definition.

Clear negative (the events whose damage must never give hostnet=true): a complete, valid JSON object whose
text, lower-cased, contains no `u` followed by four hex digits, and whose letters (every other character
dropped) either never spell `hostnetwork`, or never spell `true`. Why that is sound for every damage here:
- The engine only says true after reading a key that decodes to `hostNetwork` whose value is the JSON
  literal `true` (in the event, in a patch, or in the last-applied annotation, which is JSON inside a JSON
  string). Extracted fields are only read when there is no text, and the fields given with a clear
  negative come from the undamaged event.
- Without `\\uXXXX` escapes, such a key or literal is a run of adjacent letters in the text (annotation JSON
  included: its letters are the outer string's letters). Texts with a `uXXXX` anywhere are excluded
  because a swapped-in backslash could complete an escape in front of it.
- Damage never makes letters adjacent that were not: a cut removes the end; a swap turns one character
  into `"`, `,`, newline or backslash; an insert adds characters that are none of the letters of
  `hostnetwork` or `true` (`x`, `[`, U+D800, U+FFFD, and `\\ud800`, which escapes a surrogate, not a
  letter); a replaced value (wrong type, huge string, deep nesting) is framed by punctuation and its own
  letters spell only `x`, `null` or `false`.
"""

import json
import re
from typing import Any, List, NamedTuple, Sequence, Tuple

# Characters that break JSON structure when swapped in for any byte of the text.
SWAP_CHARS = ('"', ",", "\n", "\\")
LONE_SURROGATE_ESCAPE = "\\ud800"  # six characters of text: json.loads turns them into a lone surrogate
LONE_SURROGATE = "\ud800"  # the lone surrogate itself, as json.loads returns it from such an escape
REPLACEMENT_CHAR = "\ufffd"  # what the SDK puts where splunkd sent bytes that are not UTF-8
# Inserted runs: huge strings and deep nesting. Their letters are in neither `hostnetwork` nor `true`.
HUGE_UNIT = "x"
NESTING_UNIT = "["
# Values that are not what the engine expects where an object is (`"spec": 5`); none spells true.
WRONG_TYPES: Tuple[Any, ...] = (5, -1.5, "x", "", [], [1, "x"], None, False, {})

_ESCAPABLE = re.compile(r"u[0-9a-f]{4}")
_NOT_LETTERS = re.compile(r"[^a-z]+")


class Damage(NamedTuple):
    kind: str  # "cut", "swap" or "insert"
    at: int  # position in the text, reduced modulo its length (+1) when applied
    piece: str = ""  # what "swap" puts in place of one character, or what "insert" adds


def apply(text: str, damages: Sequence[Damage]) -> str:
    for damage in damages:
        at = damage.at % (len(text) + 1)
        if damage.kind == "cut":
            text = text[:at]
        elif damage.kind == "swap":
            text = text[:at] + damage.piece + text[at + 1 :]
        elif damage.kind == "insert":
            text = text[:at] + damage.piece + text[at:]
        else:
            raise ValueError(f"unknown damage {damage.kind!r}")
    return text


def describe(damages: Sequence[Damage]) -> str:
    """Damages for a failure message: long pieces shown as their first characters and their length."""
    shown = []
    for damage in damages:
        piece = (
            damage.piece if len(damage.piece) <= 12 else f"{damage.piece[:6]}...({len(damage.piece)} chars)"
        )
        shown.append(f"{damage.kind}@{damage.at}{'' if not piece else ' ' + repr(piece)}")
    return ", ".join(shown)


def insert_pieces(huge: int, deep: int) -> List[str]:
    """Everything insert may add: surrogates, the replacement character, a huge run, deep nesting."""
    return [LONE_SURROGATE_ESCAPE, LONE_SURROGATE, REPLACEMENT_CHAR, HUGE_UNIT * huge, NESTING_UNIT * deep]


def replace_at_path(document: Any, path: Sequence[Any], value: Any) -> Any:
    """A copy of document with the value at path (keys and list indexes) replaced; the document unchanged."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, dict) and head in document:
        changed = dict(document)
        changed[head] = replace_at_path(document[head], rest, value)
        return changed
    if isinstance(document, list) and isinstance(head, int) and 0 <= head < len(document):
        changed_list = list(document)
        changed_list[head] = replace_at_path(document[head], rest, value)
        return changed_list
    return document


def paths(document: Any, prefix: Tuple[Any, ...] = ()) -> List[Tuple[Any, ...]]:
    """Every path to a value inside document, containers before their content."""
    found = [prefix] if prefix else []
    if isinstance(document, dict):
        for key, value in document.items():
            found.extend(paths(value, (*prefix, key)))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found.extend(paths(value, (*prefix, index)))
    return found


def clear_negative(text: str) -> bool:
    """See the module docstring."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return False
    if not isinstance(document, dict):
        return False
    lowered = text.lower()
    if _ESCAPABLE.search(lowered):
        return False
    letters = _NOT_LETTERS.sub("", lowered)
    return "hostnetwork" not in letters or "true" not in letters
