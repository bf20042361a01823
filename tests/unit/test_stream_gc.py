"""The command turns automatic garbage collection off for its search (hostnetcheck_stream.py): that is only
sound if judging events makes no reference cycles, or memory would grow with the number of events."""

import gc
import json
from typing import Any, Dict, Iterator, List

import pytest

import hostnetcheck_stream
from tests.support.paths import K8S_AUDIT


class _Command:
    field = "_raw"
    loglevel = None

    def write_warning(self, message: str) -> None:
        raise AssertionError(message)


def _events() -> List[str]:
    texts = [path.read_text(encoding="utf-8").strip() for path in sorted(K8S_AUDIT.glob("*.json"))]
    damaged = [text[: len(text) // 2] for text in texts] + [text.replace(",", ";", 1) for text in texts]
    deep = '{"kind":"Event","verb":"patch","requestObject":' + "[" * 5000 + "]" * 5000 + "}"
    return [*texts, *damaged, deep, json.dumps({"verb": "create"}), "not json"]


def _records(repeat: int) -> Iterator[Dict[str, Any]]:
    for _ in range(repeat):
        for text in _events():
            yield {"_raw": text, "user.groups{}": ["system:masters", "system:authenticated"]}


@pytest.fixture
def gc_restored() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def _unreachable_after(repeat: int) -> int:
    gc.collect()
    judged = list(hostnetcheck_stream.stream(_Command(), _records(repeat)))
    assert len(judged) == repeat * len(_events())
    assert not gc.isenabled()  # the command's own setting for its search
    return gc.collect()


def test_judging_events_leaves_no_cycles_behind(gc_restored: None) -> None:
    few = _unreachable_after(5)
    many = _unreachable_after(50)
    assert many <= few, f"{many} unreachable objects after 50 rounds, {few} after 5: cycles per event"
    assert many < 100
