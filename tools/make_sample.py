"""Writes the bundled sample: samples/audit.log (one cluster session as the API server logs it) and
samples/audit.labels.csv (for each event: its line, the truth, a category and the reason).

The session is written for this project, not captured: a kubeadm-style cluster with a CNI and kube-proxy,
controllers creating pods, people using kubectl (apply, create, run, patch, server-side apply), denied
requests, the audit policy's Metadata level and RequestReceived stage, and the ways around a text match
on the last-applied annotation. Its scenarios are data, samples/scenarios.jsonl (one request a line, with
its label; hostnet_tools.sample_data), and hostnet_tools.sample_emulator writes what the API server logs
for each. docs/development.md ("Samples") says how to add one.

Deterministic: the same data always writes the same bytes (tests/tools/test_sample.py checks that the
committed files are this generator's output). Run: python tools/make_sample.py [OUTPUT_DIR]
"""

import csv
import io
import sys
from pathlib import Path
from typing import List, Optional, Tuple

from hostnet_tools import sample_data, sample_emulator
from hostnet_tools.evaluate import LABEL_COLUMNS

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SCENARIOS = SAMPLES / "scenarios.jsonl"
LOG_NAME = "audit.log"
LABELS_NAME = "audit.labels.csv"


def session(scenarios: Optional[Path] = None) -> List[sample_emulator.Logged]:
    """Every event of the session, in order, each with its label."""
    steps = sample_data.load_steps(str(scenarios or SCENARIOS))
    return [logged for step in steps for logged in sample_emulator.audit_events(step)]


def render(events: List[sample_emulator.Logged]) -> Tuple[str, str]:
    """(the audit log, the labels CSV) as text."""
    log = "".join(sample_emulator.log_line(logged) + "\n" for logged in events)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LABEL_COLUMNS)
    for number, logged in enumerate(events, start=1):
        writer.writerow((number, *logged.label))
    return log, out.getvalue()


def main(argv: List[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else SAMPLES
    out.mkdir(parents=True, exist_ok=True)
    log, labels = render(session())
    (out / LOG_NAME).write_text(log, encoding="utf-8", newline="\n")
    (out / LABELS_NAME).write_text(labels, encoding="utf-8", newline="\n")
    print(f"{out / LOG_NAME}: {log.count(chr(10))} events, {len(log.encode('utf-8'))} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
