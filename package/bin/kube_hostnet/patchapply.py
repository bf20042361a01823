"""A JSON Patch applied as the API server applies it (gopkg.in/evanphx/json-patch.v4), to an object the event
does not show.

The audit log carries the patch, not the object it was applied to, so the document starts as the base object
itself: every value the patch did not write is a BaseRef (the base's value at a path, which may or may not
exist). The library's own model is followed step by step:
- a value an operation inserts stays as written (Raw: repeated keys kept, see godecode) until an operation
  navigates into it; then its top level is read into a map (the last of a repeated key wins, members stay
  raw) or a list: Doc / Ary;
- a JSON null member is a nil node: it cannot be navigated into, and `test` matches it only with a missing
  or null value; a missing object member reads as nil too (so a `copy` from it writes null);
- `replace` of "" replaces the whole document (an object or an array), `test` of "" compares it;
- `test` compares; where it succeeds it has read every container it compared into maps (dropping repeated
  keys) and, against the base, pins the base's value.
An operation whose outcome depends on the base is assumed to succeed: where it fails, the API server rejects
the whole patch and nothing changes, so no verdict is wrong for it. One that fails whatever the base is ends
the reading (Failed).
"""

import re
from typing import Any, Dict, List, Optional, Tuple, Union

from kube_hostnet.godecode import (
    NULL_TEXT,
    deduplicated,
    last_wins,
    same_json,
)
from kube_hostnet.limits import MAX_POINTER_TOKENS
from kube_hostnet.walkbudget import Budget, OverBudget

Path = Tuple[str, ...]


class Raw:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value  # as written (objects as Pairs when read with every member); None is null


class BaseRef:
    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path


class Opaque:
    """A value nothing in the event determines (not even which base value it is)."""


OPAQUE = Opaque()
ABSENT = object()  # a member the patch removed from a base container


class Doc:
    __slots__ = ("base", "entries", "opaque")

    def __init__(self, entries: Dict[str, Any], base: Optional[Path] = None, opaque: bool = False) -> None:
        self.entries = entries  # key -> node, or ABSENT
        self.base = base  # a container of the base object: members it has not written are BaseRef
        self.opaque = opaque  # members it has not written are OPAQUE


class Ary:
    __slots__ = ("items",)

    def __init__(self, items: List[Any]) -> None:
        self.items = items


Node = Union[Raw, BaseRef, Opaque, Doc, Ary]
Container = Union[Doc, Ary]


class Failed(Exception):
    """The operation fails whatever the base object is: the API server rejects the patch."""


_INDEX = re.compile(r"[-+]?[0-9]{1,18}\Z")  # what Go's strconv.Atoi reads (bounded: no overflow here)


def _index(token: str) -> Optional[int]:
    return int(token) if _INDEX.match(token) else None


def _index_like(key: str) -> bool:
    return key == "-" or _index(key) is not None


OPERATIONS = ("add", "remove", "replace", "move", "copy", "test")


def pointer_tokens(pointer: Any) -> Optional[Tuple[str, ...]]:
    if not isinstance(pointer, str) or "/" not in pointer:
        return None
    if pointer.count("/") > MAX_POINTER_TOKENS:  # navigating it would cost more than the whole budget
        raise OverBudget
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:])


class Document:
    def __init__(self, host_network: Optional[Path], budget: Budget) -> None:
        self.root: Container = Doc({}, base=())
        self.budget = budget  # spent by every walk over values (walkbudget)
        # The API server encodes the base object with omitempty: its hostNetwork member is there only when it
        # is true, so one that an operation removes (remove, move) was true.
        self.host_network = host_network

    # -- reading ----------------------------------------------------------------------------------------
    def member(self, container: Container, key: str) -> Any:
        """What the library's get returns: a node, None (nil: missing or null member)."""
        if isinstance(container, Doc):
            if key in container.entries:
                found = container.entries[key]
                return None if found is ABSENT else found
            if container.opaque:
                return OPAQUE
            if container.base is not None:
                return BaseRef((*container.base, key))
            return None
        return container.items[self._position(container, key, len(container.items))]

    @staticmethod
    def _position(container: Ary, key: str, size: int) -> int:
        index = _index(key)
        if index is None:
            raise Failed(f"{key!r} is not an array index")
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise Failed(f"array index {key} is out of range")
        return index

    def _into(self, node: Any) -> Container:
        """The container an operation navigates through (the library reads a raw value into it)."""
        if isinstance(node, (Doc, Ary)):
            return node
        if isinstance(node, BaseRef):
            return Doc({}, base=node.path)
        if isinstance(node, Opaque):
            return Doc({}, opaque=True)
        if isinstance(node, Raw):
            value = node.value
            if isinstance(value, (tuple, dict)):
                self.budget.spend(len(value))
                members = last_wins(value) if isinstance(value, tuple) else value
                return Doc({key: Raw(member) for key, member in members.items()})
            if isinstance(value, list):
                self.budget.spend(len(value))
                return Ary([Raw(item) for item in value])
            if value is NULL_TEXT:  # read into a map: an empty one (writing into it makes the library fail)
                return Doc({})
        raise Failed("the path goes through a value that is not an object or array")

    def _find(self, tokens: Tuple[str, ...]) -> Tuple[Container, str]:
        """findObject: the container of the last token, every container on the way read into one. Each
        step into a base container names its path (BaseRef), so a path of n tokens costs n * (n + 1) / 2."""
        self.budget.spend(len(tokens) * (len(tokens) + 1) // 2)
        container = self.root
        for token in tokens[:-1]:
            child = self.member(container, token)
            if child is None:
                raise Failed("the path goes through a missing or null member")
            inner = self._into(child)
            if inner is not child:
                self._store(container, token, inner)
            container = inner
        return container, tokens[-1]

    def _store(self, container: Container, key: str, node: Any) -> None:
        if isinstance(container, Doc):
            container.entries[key] = node
        else:
            container.items[self._position(container, key, len(container.items))] = node

    # -- the operations ---------------------------------------------------------------------------------
    def add(self, tokens: Tuple[str, ...], node: Any) -> None:
        container, key = self._find(tokens)
        if isinstance(container, Doc):
            if (container.base is not None or container.opaque) and _index_like(key):
                self._shift(container)
            container.entries[key] = node
            return
        if key == "-":
            container.items.append(node)
            return
        position = self._position(container, key, len(container.items) + 1)
        container.items.insert(position, node)

    def remove(self, tokens: Tuple[str, ...]) -> Any:
        container, key = self._find(tokens)
        if isinstance(container, Ary):
            return container.items.pop(self._position(container, key, len(container.items)))
        known = container.base is None and not container.opaque
        if container.entries.get(key) is ABSENT or (known and key not in container.entries):
            raise Failed(f"there is no member {key!r} to remove")
        value = self.member(container, key)
        if isinstance(value, BaseRef) and value.path == self.host_network:
            value = Raw(True)
        if known:
            del container.entries[key]
        elif _index_like(key):
            self._shift(container)
        else:
            container.entries[key] = ABSENT
        return value

    def _shift(self, container: Doc) -> None:
        """An index-like key added to or removed from a base container that may be an array: the members
        at index-like keys may have moved, so they are no longer known."""
        self.budget.spend(len(container.entries))
        container.entries = {k: v for k, v in container.entries.items() if not _index_like(k)}
        container.opaque = True

    def replace(self, tokens: Tuple[str, ...], node: Any) -> None:
        container, key = self._find(tokens)
        if isinstance(container, Ary):
            self._store(container, key, node)  # an index that is not there fails
        else:
            container.entries[key] = node  # the library's map get never fails: a missing key is added

    def replace_document(self, value: Any) -> None:
        if isinstance(value, (tuple, dict, list)):
            self.root = self._into(Raw(value))
            return
        raise Failed("replace of the whole document needs an object or an array")

    def navigate(self, tokens: Tuple[str, ...]) -> None:
        """Reads every container on the way to tokens' last one into a map or list (findObject)."""
        self._find(tokens)

    def get(self, tokens: Tuple[str, ...]) -> Any:
        container, key = self._find(tokens)
        return self.member(container, key)

    def test(self, tokens: Tuple[str, ...], has_value: bool, value: Any) -> None:
        if tokens == ():
            self.root = self._into(self._compared(self.root, has_value, value))
            return
        container, key = self._find(tokens)
        current = self.member(container, key)
        if current is None or (isinstance(current, Raw) and current.value is None):
            if has_value and value is not None:  # nil matches only a missing or null value
                raise Failed("test of a missing or null member against a value")
            return
        self._store(container, key, self._compared(current, has_value, value))

    def _compared(self, node: Node, has_value: bool, value: Any) -> Node:
        """What a test that succeeds leaves in place of node."""
        known = known_value(node, self.budget)
        if known is UNKNOWN_VALUE:  # a base value: it was this one (or nil, when the test has no value)
            return Raw(deduplicated(value, self.budget) if has_value else None)
        if not has_value:
            raise Failed("test of a present member without a value")
        if known is NULL_TEXT:  # read into a map, it is an empty one: and stays one
            if isinstance(value, (tuple, dict)) and not value:
                return Raw({})
            raise Failed("test compares a copied null with a value other than {}")
        # Equal values have equal text where the library compares text (scalars); unequal ones never do.
        if not same_json(value, known, self.budget):
            raise Failed("test compares different values")
        return Raw(known)


UNKNOWN_VALUE = object()


def known_value(node: Any, budget: Budget) -> Any:
    """The node as the library would marshal it, with every map read (last wins); UNKNOWN_VALUE when it
    holds base or opaque values."""
    if node is None:
        return None
    if isinstance(node, Raw):
        return deduplicated(node.value, budget)
    if isinstance(node, Doc):
        if node.base is not None or node.opaque:
            return UNKNOWN_VALUE
        budget.spend(len(node.entries))
        out = {}
        for key, member in node.entries.items():
            value = known_value(member, budget)
            if value is UNKNOWN_VALUE:
                return UNKNOWN_VALUE
            out[key] = value
        return out
    if isinstance(node, Ary):
        budget.spend(len(node.items))
        items = [known_value(item, budget) for item in node.items]
        return UNKNOWN_VALUE if any(item is UNKNOWN_VALUE for item in items) else items
    return UNKNOWN_VALUE


def copied(node: Any, budget: Budget) -> Any:
    """deepCopy: the library marshals the value and inserts the text, so later changes to the source do not
    reach the copy; a nil source copies as null."""
    if node is None:
        return Raw(None)
    if isinstance(node, Raw) and node.value is None:
        return Raw(NULL_TEXT)
    if isinstance(node, Doc):
        budget.spend(len(node.entries))
        entries = {k: (v if v is ABSENT else copied(v, budget)) for k, v in node.entries.items()}
        return Doc(entries, node.base, node.opaque)
    if isinstance(node, Ary):
        budget.spend(len(node.items))
        return Ary([copied(item, budget) for item in node.items])
    return node  # Raw, BaseRef and Opaque are never changed in place


def apply(document: Document, operation: Dict[str, Any]) -> None:
    """One operation, as Patch.Apply runs it; Failed when it fails whatever the base is."""
    kind = operation.get("op")
    path = operation.get("path")
    tokens = pointer_tokens(path)
    has_value = "value" in operation
    value = Raw(operation.get("value"))  # a missing value inserts nil, which marshals as null
    if kind == "replace" and path == "":
        document.replace_document(operation.get("value"))
    elif kind == "test" and path == "":
        document.test((), has_value, operation.get("value"))
    elif tokens is None or kind not in OPERATIONS:
        raise Failed("the operation has no valid op or path")
    elif kind == "add":
        document.add(tokens, value)
    elif kind == "remove":
        document.remove(tokens)
    elif kind == "replace":
        document.replace(tokens, value)
    elif kind == "test":
        document.test(tokens, has_value, operation.get("value"))
    else:
        source = pointer_tokens(operation.get("from"))
        if source is None:
            raise Failed("the operation has no valid from")
        if kind == "move":
            document.add(tokens, document.remove(source))
        else:
            # The library gets the source, then finds the destination, which reads every container on the
            # way into a map, the source too when the way goes through it; only then does it copy.
            document.get(source)
            document.navigate(tokens)
            document.add(tokens, copied(document.get(source), document.budget))
