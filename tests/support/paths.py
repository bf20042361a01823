"""Where the suite's data lives: defined once, so no test rebuilds a path from its own location."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
K8S_AUDIT = FIXTURES / "k8s-audit"
SPLUNKD = FIXTURES / "splunkd"
