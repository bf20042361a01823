"""Fixtures that read the built add-on's .conf files (app_dir comes from tests/conftest.py)."""

from pathlib import Path
from typing import Dict, Tuple

import pytest

from tests.support.content_names import RULE_NAME
from tests.support.spl_check import Macro, macros_from_conf
from tests.support.splunk_conf import Conf, read_conf


@pytest.fixture(scope="session")
def conf(app_dir: Path):
    def read(name: str) -> Conf:
        return read_conf(app_dir / "default" / f"{name}.conf")

    return read


@pytest.fixture(scope="session")
def macros(conf) -> Dict[Tuple[str, int], Macro]:
    return macros_from_conf(conf("macros"))


@pytest.fixture(scope="session")
def rule(conf) -> Dict[str, str]:
    return conf("savedsearches")[RULE_NAME]
