"""STUB until the engine lands: every event is unknown."""

from typing import Any, Mapping, Optional

from kube_hostnet.verdict import Verdict, unknown


def assess(raw: Optional[str], fields: Optional[Mapping[str, Any]] = None) -> Verdict:
    return unknown("engine not implemented")
