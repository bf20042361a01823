"""The engine gives what the searches are written against (tests/support/engine_contract.py)."""

from kube_hostnet import FIELD_NAMES, gaps
from tests.support.engine_contract import ATTACKER_INFLUENCED, GAP_CODES, GAP_FIELD, REQUEST_FIELDS


def test_the_command_gives_every_field_of_the_contract() -> None:
    assert set(REQUEST_FIELDS) | {GAP_FIELD} <= set(FIELD_NAMES)
    assert [name for name in FIELD_NAMES if name.startswith("hostnet_req_")] == list(REQUEST_FIELDS)


def test_the_gap_codes_are_the_contracts() -> None:
    assert gaps.GAPS == GAP_CODES
    assert gaps.ATTACKER_INFLUENCED == ATTACKER_INFLUENCED
