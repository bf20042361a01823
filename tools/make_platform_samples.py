"""Writes the bundled sample as each managed platform exports it, with its labels:

- samples/gke/audit.json: the session's LogEntries as `gcloud logging read --format=json` prints them
  (a JSON array, keys sorted, two-space indent), each written by hostnet_tools.platform_shapes.gke_entry;
- samples/aks/audit.json: the session's AKS diagnostic-settings records as Azure writes them to a storage
  blob (`{"records": [...]}`), the Event text in `properties.log`;
- beside each, audit.labels.csv in the format of samples/audit.labels.csv (line = the record's number).

Every record is one request of samples/scenarios.jsonl through the same API-server emulator as
tools/make_sample.py, and keeps that event's label, except where the platform cannot express what the
native log shows. Those exceptions are written out below (PLATFORM_LABELS), each with the truth the engine
must give and why; GKE writes no RequestReceived event at all (its audit policy omits that stage), so those
two native events have no GKE record. Nothing here asks the engine.

Deterministic: tests/tools/test_platform_samples.py checks that the committed files are this generator's
output. Run: python tools/make_platform_samples.py [OUTPUT_DIR]
"""

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import make_sample

from hostnet_tools import platform_shapes, sample_emulator
from hostnet_tools.evaluate import LABEL_COLUMNS, Label

SAMPLE_NAME = "audit.json"
LABELS_NAME = "audit.labels.csv"
PLATFORMS = ("gke", "aks")

_JSON_PATCH_ONLY = (
    "GKE logs no JSON Patch body (an array is no protobuf Struct) and, at level Request, no response: "
    "nothing in the entry says what the pod spec is"
)
_CUT_AKS = (
    "the AKS record is longer than TRUNCATE, so the properties.log string is cut and dropped with the rest "
    "(docs/design.md, Shapes: known limit)"
)
# (platform, auditID) -> the label where the platform cannot carry what decides the native event.
PLATFORM_LABELS: Dict[Tuple[str, str], Label] = {
    ("gke", "15db4c4e-5861-4ba5-a0dc-711506e3ba77"): Label("unknown", "patch-json", _JSON_PATCH_ONLY),
    ("gke", "2866b89f-ad3f-4cdb-ad6d-0c72855984f6"): Label("unknown", "patch-json", _JSON_PATCH_ONLY),
    ("gke", "0ff9a148-fdb5-4ffb-a9ab-fd069b4b02e8"): Label("unknown", "patch-json", _JSON_PATCH_ONLY),
    ("gke", "6daa6e86-12d5-4b0f-a5c4-4691c075ca3d"): Label("unknown", "patch-json", _JSON_PATCH_ONLY),
    ("gke", "5a8ab5fe-8bb9-4e30-a2b5-2e3176e2ba25"): Label(
        "unknown",
        "server-side-apply",
        "GKE's status OK does not tell the 201 of an apply that created the DaemonSet from 200, and at level "
        "Request there is no response: the patch does not say hostNetwork, so nothing says",
    ),
    ("gke", "dd37739e-1398-440c-a5d7-ff2ee40545c8"): Label(
        "unknown",
        "truncated",
        "gcloud sorts keys, so hostNetwork comes after the long containers list and the cut lands inside "
        "request.spec before it",
    ),
    ("aks", "0825d980-b4d5-42b6-a8c3-5e9697efe921"): Label("unknown", "truncated", _CUT_AKS),
    ("aks", "0c55cf0f-24ff-4082-a8b2-da2004e25c7e"): Label("unknown", "truncated", _CUT_AKS),
    ("aks", "dd37739e-1398-440c-a5d7-ff2ee40545c8"): Label("unknown", "truncated", _CUT_AKS),
}


def records(platform: str, events: List[sample_emulator.Logged]) -> List[Tuple[Dict[str, Any], Label]]:
    """The platform's records of the session, each with its label."""
    result = []
    used = set()
    for logged in events:
        audit_id = logged.event["auditID"]
        if platform == "gke":
            converted = platform_shapes.gke_entry(logged.event)
            if converted is None:
                continue
            record = converted.entry
        else:
            record = platform_shapes.aks_record(sample_emulator.event_text(logged.event))
        key = (platform, audit_id)
        label = logged.label
        # A request's RequestReceived event shares its auditID and keeps its own label.
        if key in PLATFORM_LABELS and logged.event["stage"] != "RequestReceived":
            label = PLATFORM_LABELS[key]
            used.add(key)
        result.append((record, label))
    stale = {key for key in PLATFORM_LABELS if key[0] == platform} - used
    if stale:
        raise ValueError(f"platform labels for no record: {sorted(stale)}")
    return result


def render(platform: str, items: List[Tuple[Dict[str, Any], Label]]) -> Tuple[str, str]:
    """(the platform's export file, the labels CSV) as text."""
    entries = [record for record, _ in items]
    document: Any = entries if platform == "gke" else {"records": entries}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LABEL_COLUMNS)
    for number, (_, label) in enumerate(items, start=1):
        writer.writerow((number, *label))
    return text, out.getvalue()


def main(argv: List[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else make_sample.SAMPLES
    events = make_sample.session()
    for platform in PLATFORMS:
        folder = out / platform
        folder.mkdir(parents=True, exist_ok=True)
        text, labels = render(platform, records(platform, events))
        (folder / SAMPLE_NAME).write_text(text, encoding="utf-8", newline="\n")
        (folder / LABELS_NAME).write_text(labels, encoding="utf-8", newline="\n")
        print(
            f"{folder / SAMPLE_NAME}: {labels.count(chr(10)) - 1} records, {len(text.encode('utf-8'))} bytes"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
