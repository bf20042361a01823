"""Mutating admission webhooks: the changes they made after the request, as the API server logs them.

requestObject is the object before mutating admission. The API server records each webhook it called in
the event's annotations, keyed by `round_<r>_index_<i>` (the order they ran in):
- `mutation.webhook.admission.k8s.io/...`: JSON text `{"configuration", "webhook", "mutated": bool}`, at
  every level;
- `patch.webhook.admission.k8s.io/...`: JSON text `{"configuration", "webhook", "patch": [JSON Patch
  operations], "patchType": "JSONPatch"}`, at level Request and above.
"""

import re
from typing import Any, Dict, List, NamedTuple, Tuple

from kube_hostnet import jsonread
from kube_hostnet.godecode import last_wins, loads_pairs
from kube_hostnet.jsonread import PartialDict
from kube_hostnet.limits import MAX_PATCH_NODES, MAX_WEBHOOK_RECORDS, MAX_WEBHOOK_TEXT_CHARS
from kube_hostnet.patches import UNTOUCHED, read_json_patch
from kube_hostnet.resources import SpecPath
from kube_hostnet.walkbudget import Budget

_PATCH = "patch.webhook.admission.k8s.io/"
_MUTATION = "mutation.webhook.admission.k8s.io/"
_ORDER = re.compile(r"round_([0-9]{1,9})_index_([0-9]{1,9})\Z")
_JSON_PATCH = "JSONPatch"
_UNNAMED = "(unnamed)"
CUT_ANNOTATIONS = "(cut from the event)"
_TOO_MANY = (
    f"more webhook records than the bound of {MAX_WEBHOOK_RECORDS} records or "
    f"{MAX_WEBHOOK_TEXT_CHARS // 1024} KiB of text: the rest not read"
)
_TOO_MUCH_WORK = (
    f"webhook records that visit more values than the bound of {MAX_PATCH_NODES}: the rest not read"
)


class WebhookRead(NamedTuple):
    hostnet: str  # from the last webhook patch that touches hostNetwork; UNTOUCHED when none does
    webhook: str = ""  # the webhook of that patch
    reason: str = ""
    # A webhook that changed the object after that patch (or at all, when none touches hostNetwork) without
    # a readable patch in the log; CUT_ANNOTATIONS when the event was cut inside its annotations.
    unlogged: str = ""


def read_webhooks(annotations: Any, path: SpecPath) -> WebhookRead:
    """What the logged webhook changes do to hostNetwork at path, in the order the webhooks ran."""
    if not isinstance(annotations, dict):
        return WebhookRead(UNTOUCHED)
    read = WebhookRead(UNTOUCHED)
    in_order = _records_in_order(annotations)
    texts = (text for _, records in in_order for text in records.values())
    text_read = sum(len(text) for text in texts if isinstance(text, str))
    if len(in_order) > MAX_WEBHOOK_RECORDS or text_read > MAX_WEBHOOK_TEXT_CHARS:
        # None is read: those not read may have changed anything, as a mutation without a logged patch.
        return read._replace(unlogged=_TOO_MANY)
    budget = Budget(MAX_PATCH_NODES)  # one for every record: together they are one reading
    for _order, records in in_order:
        if budget.left < 0:
            return read._replace(unlogged=_TOO_MUCH_WORK)
        patch_text = records.get(_PATCH)
        if patch_text is not None:
            name, operations, members = _logged_patch(patch_text)
            if operations is None:
                read = read._replace(unlogged=name)
                continue
            patched = read_json_patch(operations, path, members, budget)
            if patched.hostnet != UNTOUCHED:
                read = WebhookRead(patched.hostnet, name, patched.reason)
            continue
        mutation = _record(records.get(_MUTATION))
        if mutation is None or mutation.get("mutated") is not False:
            read = read._replace(unlogged=_name(mutation))
    if isinstance(annotations, PartialDict):
        read = read._replace(unlogged=CUT_ANNOTATIONS)
    return read


def _records_in_order(annotations: Dict[str, Any]) -> List[Tuple[Tuple[int, int], Dict[str, Any]]]:
    """The records by (round, index); collecting stops past MAX_WEBHOOK_RECORDS, which are too many."""
    by_order: Dict[Tuple[int, int], Dict[str, Any]] = {}
    for key, value in annotations.items():
        for prefix in (_PATCH, _MUTATION):
            match = _ORDER.match(key, len(prefix)) if key.startswith(prefix) else None
            if match:
                order = (int(match.group(1)), int(match.group(2)))
                by_order.setdefault(order, {})[prefix] = value
                if len(by_order) > MAX_WEBHOOK_RECORDS:
                    return sorted(by_order.items())
    return sorted(by_order.items())


def _record(text: Any) -> Any:
    """The parsed JSON object of one annotation value, None when it is not one complete object."""
    if not isinstance(text, str):
        return None
    parsed = jsonread.parse_record(text)
    return parsed.value if not parsed.error and not parsed.cut and isinstance(parsed.value, dict) else None


def _name(record: Any) -> str:
    webhook = record.get("webhook") if isinstance(record, dict) else None
    return webhook if isinstance(webhook, str) and webhook else _UNNAMED


def _logged_patch(text: Any) -> Tuple[str, Any, Any]:
    """The webhook's name, its JSON Patch operations (None when the record cannot be read) and the same
    operations with every member of their values kept (see patches.read_json_patch)."""
    record = _record(text)
    operations = record.get("patch") if record is not None else None
    if not isinstance(operations, list) or record.get("patchType") != _JSON_PATCH:
        return _name(record), None, None
    read, pairs = loads_pairs(text)
    members = last_wins(pairs).get("patch") if read and isinstance(pairs, tuple) else None
    return _name(record), operations, members if isinstance(members, list) else None
