"""What the typed decode of a JSON Patch's result leaves in hostNetwork (kube_hostnet.patchapply applied it).

The API server decodes the patched document into a new object, so what the document lacks is false, and a
value an operation inserted decodes by Go's rules (godecode.decode_bool). Only the way to hostNetwork is read
to decide; the spec is read afterwards, to describe it, with what is left of the reading's budget.
"""

from functools import partial
from typing import Any, Callable, Dict, NamedTuple, Optional, Tuple

from kube_hostnet.godecode import INVALID, SET_TRUE, decode_bool, plain_spec
from kube_hostnet.patchapply import (
    ABSENT,
    UNKNOWN_VALUE,
    BaseRef,
    Doc,
    Document,
    Node,
    Opaque,
    Path,
    Raw,
    known_value,
)
from kube_hostnet.walkbudget import Budget, OverBudget

TRUE_SET = "true"
FALSE_SET = "false"
BASE_VALUE = "base"  # the base object's own hostNetwork: the patch leaves it as it was
ELSEWHERE = "elsewhere"  # a base value from another place (copy/move), or one nothing determines
REJECTED = "rejected"  # the patched document does not decode: the API server rejects the patch


class Outcome(NamedTuple):
    value: str
    detail: str = ""  # ELSEWHERE: where the value comes from
    spec: Optional[Dict[str, Any]] = None  # the pod spec the patch wrote, as far as it is known


def host_network(document: Document, keys: Path) -> Outcome:
    """keys: the pod-spec path and hostNetwork. Decoding starts from a new object, so what the document lacks
    is false; a value an operation inserted decodes by Go's rules (godecode.decode_bool). The spec is read
    for describing only after the decision, with what is left of the budget: a spec too large to read is
    not described, and never changes the decision."""
    outcome, describe = _decided(document, keys)
    if describe is None:
        return outcome
    try:
        return outcome._replace(spec=describe())
    except (OverBudget, RecursionError):  # a spec too large or too deep to describe is not described
        return outcome


Describe = Optional[Callable[[], Optional[Dict[str, Any]]]]


def _decided(document: Document, keys: Path) -> Tuple[Outcome, Describe]:
    node: Node = document.root
    budget = document.budget
    spec_depth = len(keys) - 1
    describe: Describe = partial(_spec_of, document.root, budget) if spec_depth == 0 else None
    for depth, key in enumerate(keys):
        if not isinstance(node, Doc):
            return Outcome(REJECTED), None  # an array where the type has an object
        member = document.member(node, key)
        rest = keys[depth + 1 :]
        if member is None:
            return Outcome(FALSE_SET), describe
        if isinstance(member, Raw):
            if depth < spec_depth:
                describe = partial(_spec_in, member.value, keys[depth + 1 : spec_depth], budget)
            decoded = decode_bool(member.value, rest, budget)
            if decoded == INVALID:
                return Outcome(REJECTED), None
            # NOT_BOOL is rejected too, but as the JSON value true only true is true (rule 3)
            return Outcome(TRUE_SET if decoded == SET_TRUE else FALSE_SET), describe
        if isinstance(member, BaseRef):
            where = (*member.path, *rest)
            if where == keys:
                return Outcome(BASE_VALUE), None
            return Outcome(ELSEWHERE, _pointer(where)), None
        if isinstance(member, Opaque):
            return Outcome(ELSEWHERE, "a place the patch moved"), None
        node = member
        if depth + 1 == spec_depth:
            describe = partial(_spec_of, node, budget)
    return Outcome(REJECTED), None  # hostNetwork holds an object or an array


def _pointer(tokens: Path) -> str:
    return "/" + "/".join(token.replace("~", "~0").replace("/", "~1") for token in tokens)


def _spec_in(value: Any, keys: Path, budget: Budget) -> Optional[Dict[str, Any]]:
    for key in keys:
        value = plain_spec(value, budget)
        if value is None:
            return None
        value = value.get(key)
    return plain_spec(value, budget)


def _spec_of(node: Any, budget: Budget) -> Optional[Dict[str, Any]]:
    if isinstance(node, Raw):
        return plain_spec(node.value, budget)
    if not isinstance(node, Doc):
        return None
    spec = {}
    for key, member in node.entries.items():
        value = known_value(member, budget) if member is not ABSENT else UNKNOWN_VALUE
        if value is not UNKNOWN_VALUE:
            spec[key] = value
    return spec
