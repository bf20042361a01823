"""`make evaluate`: the seed's wildcard against hostnetcheck on the labelled sample, per category.

    python -m hostnet_tools.evaluate --app <built app> --python <interpreter>
                                     [--sample samples/audit.log] [--labels samples/audit.labels.csv]
                                     [--mismatches]

The truth of each event is its label (samples/audit.labels.csv, written by tools/make_sample.py with the
rules of docs/design.md). The platform samples (samples/gke/audit.json, a gcloud JSON array of LogEntries;
samples/aks/audit.json, an Azure storage blob of records; tools/make_platform_samples.py) are evaluated the
same way with --sample and --labels; `make evaluate` prints a table for each. The seed's verdict is
hostnet_tools.seed_wildcard on the fields Splunk extracts; hostnetcheck's is the built command's output,
through the same replay as `make run`.

For each category, counting events whose truth is true as positives:
- detected: the detector says true and the truth is true;
- missed: the truth is true and the detector does not say true;
- false alarms: the detector says true and the truth is false;
- unknown (hostnetcheck only): the command answered unknown. An unknown on an event whose truth is
  unknown is the right answer (the log does not say); on a true event it is also counted as missed.
- exact (hostnetcheck only): events where the command's answer is the truth, unknown included.
The seed has no unknown: an event it does not match is a no.
"""

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import IO, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence

from hostnet_tools import replay
from hostnet_tools.auditlog import AuditEvent, AuditLogError, read_events
from hostnet_tools.flatten import event_text
from hostnet_tools.seed_wildcard import seed_matches

LABEL_COLUMNS = ("line", "truth", "category", "reason")
TRUTHS = ("true", "false", "unknown")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
DEFAULT_SAMPLE = SAMPLES / "audit.log"
DEFAULT_LABELS = SAMPLES / "audit.labels.csv"
TOTAL = "all"


class Label(NamedTuple):
    truth: str
    category: str
    reason: str


class LabelError(Exception):
    pass


def read_labels(path: str) -> Dict[int, Label]:
    """line -> label; rejects a file whose header, line numbers or truths are not what the sample uses."""
    labels: Dict[int, Label] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != LABEL_COLUMNS:
            raise LabelError(f"{path}: the header must be {','.join(LABEL_COLUMNS)}")
        for row in reader:
            line = int(row["line"])
            if row["truth"] not in TRUTHS or line in labels:
                raise LabelError(f"{path}: line {line}: bad or repeated label")
            labels[line] = Label(row["truth"], row["category"], row["reason"])
    return labels


def read_sample(path: str) -> Iterator[AuditEvent]:
    """The sample's events as Splunk indexes them. An Azure storage blob (`{"records": [...]}`, which
    hostnet_tools.auditlog reads as one event) is read record by record, as the Azure add-ons index it;
    every other file (JSON lines, a gcloud JSON array of LogEntries) as hostnet_tools.auditlog reads it."""
    try:
        with open(path, encoding="utf-8") as handle:
            head = handle.read(64).lstrip()
            if head.startswith("{"):
                handle.seek(0)
                document = json.load(handle)
                if isinstance(document, dict) and isinstance(document.get("records"), list):
                    return iter(
                        [AuditEvent(n, event_text(r)) for n, r in enumerate(document["records"], start=1)]
                    )
    except OSError as error:
        raise AuditLogError(f"{path}: cannot open: {error.strerror or error}") from None
    except ValueError:
        pass  # not one JSON document: JSON lines, read below
    return read_events(path)


class Judged(NamedTuple):
    line: int
    label: Label
    seed: bool
    hostnetcheck: str  # true, false or unknown, as the command answered


class Score:
    """The counts of one category (or of all)."""

    def __init__(self) -> None:
        self.events = 0
        self.truth = dict.fromkeys(TRUTHS, 0)
        self.seed = dict.fromkeys(("detected", "missed", "false_alarms"), 0)
        self.hostnetcheck = dict.fromkeys(("detected", "missed", "false_alarms", "unknown", "exact"), 0)

    def add(self, judged: Judged) -> None:
        truth = judged.label.truth
        self.events += 1
        self.truth[truth] += 1
        _count(self.seed, truth, judged.seed)
        verdict = judged.hostnetcheck
        _count(self.hostnetcheck, truth, verdict == "true")
        self.hostnetcheck["unknown"] += verdict == "unknown"
        self.hostnetcheck["exact"] += verdict == truth


def _count(counts: Dict[str, int], truth: str, says_true: bool) -> None:
    if truth == "true":
        counts["detected" if says_true else "missed"] += 1
    elif truth == "false" and says_true:
        counts["false_alarms"] += 1


def score(judged: Iterable[Judged]) -> Dict[str, Score]:
    """Scores per category, by category name, then TOTAL."""
    scores: Dict[str, Score] = {}
    total = Score()
    for item in judged:
        scores.setdefault(item.label.category, Score()).add(item)
        total.add(item)
    ordered = dict(sorted(scores.items()))
    ordered[TOTAL] = total
    return ordered


HEADER = (
    "category",
    "events",
    "truth true/false/unknown",
    "seed detected",
    "seed missed",
    "seed false alarms",
    "hostnetcheck detected",
    "hostnetcheck missed",
    "hostnetcheck false alarms",
    "hostnetcheck unknown",
    "hostnetcheck exact",
)


def table(scores: Dict[str, Score]) -> str:
    """A Markdown table: readable in a terminal, and pasted as is into the README."""
    rows = [HEADER, tuple("---" if i == 0 else "---:" for i in range(len(HEADER)))]
    for category, item in scores.items():
        name = f"**{category}**" if category == TOTAL else category
        rows.append(
            (
                name,
                str(item.events),
                "/".join(str(item.truth[truth]) for truth in TRUTHS),
                *(str(item.seed[key]) for key in ("detected", "missed", "false_alarms")),
                *(
                    str(item.hostnetcheck[key])
                    for key in ("detected", "missed", "false_alarms", "unknown", "exact")
                ),
            )
        )
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def judge(app_dir: str, python: str, sample: str, labels: Dict[int, Label]) -> List[Judged]:
    seed: Dict[int, bool] = {}

    def observe(number: int, record: replay.Record) -> None:
        seed[number] = seed_matches(record)

    judged: List[Judged] = []
    # The sample's cut events are cut already; the replay cuts nothing more (same as TRUNCATE=10000).
    for number, record in replay.replay_records(app_dir, python, read_sample(sample), observe=observe):
        if number not in labels:
            raise LabelError(f"{sample}: event on line {number} has no label")
        verdict = replay.single_value(record.get("hostnet")) or "missing"
        judged.append(Judged(number, labels[number], seed[number], verdict))
    unlabelled = sorted(set(labels) - {item.line for item in judged})
    if unlabelled:
        raise LabelError(f"labels for lines with no event: {unlabelled[:10]}")
    return judged


def mismatches(judged: Sequence[Judged]) -> List[str]:
    return [
        f"line {item.line}: {item.label.category}: truth {item.label.truth}, hostnetcheck "
        f"{item.hostnetcheck}: {item.label.reason}"
        for item in judged
        if item.hostnetcheck != item.label.truth
    ]


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hostnet_tools.evaluate",
        description="The seed's wildcard against hostnetcheck on the labelled sample.",
    )
    parser.add_argument("--app", required=True, help="the built add-on: output/TA-kubernetes-hostnet")
    parser.add_argument("--python", default=sys.executable, help="the interpreter Splunk would run it with")
    parser.add_argument("--sample", default=str(DEFAULT_SAMPLE))
    parser.add_argument("--labels", default=str(DEFAULT_LABELS))
    parser.add_argument("--mismatches", action="store_true", help="list every event hostnetcheck gets wrong")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None, out: IO[str] = sys.stdout, err: IO[str] = sys.stderr) -> int:
    options = parse_args(argv)
    try:
        labels = read_labels(options.labels)
        judged = judge(options.app, options.python, options.sample, labels)
    except (OSError, AuditLogError, LabelError, ValueError) as error:
        err.write(f"evaluate: error: {error}\n")
        return replay.EXIT_UNREADABLE
    except replay.ReplayError as error:
        err.write(f"evaluate: error: hostnetcheck failed: {error}\n")
        return replay.EXIT_COMMAND_FAILED
    out.write(table(score(judged)) + "\n")
    wrong = mismatches(judged)
    out.write(f"\nhostnetcheck differs from the truth on {len(wrong)} of {len(judged)} events")
    if options.mismatches:
        out.write(":\n" + "".join(f"  {line}\n" for line in wrong))
    else:
        out.write(" (--mismatches lists them)\n" if wrong else "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
