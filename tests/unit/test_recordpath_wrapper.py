"""The add-on owns bin/hostnetcheck.py (UCC's generated wrapper cannot host the record path, see its
docstring): the options the command declares must stay those of globalConfig.json, from which UCC still
generates commands.conf and searchbnf.conf, and the build must ship the owned wrapper."""

import configparser
import json
from pathlib import Path
from typing import Any, Dict

from splunklib.searchcommands import Option
from splunklib.searchcommands.search_command import SearchCommand

import hostnetcheck_stream
from tests.support.paths import REPO

ROOT = REPO


def _declared() -> Dict[str, Any]:
    config = json.loads((ROOT / "globalConfig.json").read_text(encoding="utf-8"))
    (command,) = config["customSearchCommand"]
    return command


def test_the_command_declares_the_options_of_global_config() -> None:
    command = hostnetcheck_stream.HostnetcheckCommand
    declared = {argument["name"]: argument for argument in _declared()["arguments"]}
    inherited = set(vars(SearchCommand))  # record=, show_configuration=: every splunklib command has them
    options = {
        name: value
        for name, value in vars(command).items()
        if isinstance(value, Option) and name not in inherited
    }

    assert set(options) == set(declared)
    for name, argument in declared.items():
        option = options[name]
        assert option.name == name
        assert option.default == argument.get("defaultValue")
        assert option.require == bool(argument.get("required", False))
        validator = argument.get("validate", {}).get("type")
        assert (type(option.validate).__name__ if option.validate else None) == validator


def test_global_config_names_the_wiring_module() -> None:
    assert _declared()["fileName"] == "hostnetcheck_stream.py"
    assert _declared()["commandName"] == "hostnetcheck"


def test_the_build_ships_the_owned_wrapper_and_generated_confs(app_dir: Path) -> None:
    owned = (ROOT / "package" / "bin" / "hostnetcheck.py").read_text(encoding="utf-8")
    assert (app_dir / "bin" / "hostnetcheck.py").read_text(encoding="utf-8") == owned
    commands = configparser.ConfigParser()
    commands.read(app_dir / "default" / "commands.conf")
    assert commands.get("hostnetcheck", "filename") == "hostnetcheck.py"
    assert commands.get("hostnetcheck", "chunked") == "true"
    searchbnf = configparser.ConfigParser(interpolation=None)
    searchbnf.read(app_dir / "default" / "searchbnf.conf")
    assert searchbnf.has_section("hostnetcheck-command")
