"""hostnet_logging: the level from the Configuration page's conf files, the per-search override, and a
logger that can never fail a search."""

import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostnet_logging
from hostnet_logging import DEFAULT_LEVEL, LEVELS, configured_level, get_logger, log_path, resolve_level


def _write(app: Path, layer: str, content) -> None:
    path = app / layer / hostnet_logging.SETTINGS_CONF
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def _level_conf(level: str) -> str:
    return f"[logging]\nloglevel = {level}\n"


@pytest.fixture(autouse=True)
def fresh_logger():
    """get_logger configures a process-wide logger once; each test starts without its handlers.

    pytest (9+) attaches its capture handler to every logger that does not propagate when a test phase
    starts, which get_logger would take for its own; propagating between tests keeps pytest's away.
    """
    logger = logging.getLogger(hostnet_logging.LOGGER_NAME)

    def clear():
        for handler in list(logger.handlers):
            handler.close()
            logger.removeHandler(handler)
        logger.propagate = True

    clear()
    yield
    clear()


def test_no_conf_files_means_the_default(tmp_path):
    assert configured_level(str(tmp_path)) == DEFAULT_LEVEL


def test_default_conf_sets_the_level(tmp_path):
    _write(tmp_path, "default", _level_conf("WARNING"))
    assert configured_level(str(tmp_path)) == "WARNING"


def test_local_conf_overrides_default(tmp_path):
    _write(tmp_path, "default", _level_conf("WARNING"))
    _write(tmp_path, "local", _level_conf("debug"))
    assert configured_level(str(tmp_path)) == "DEBUG"


@pytest.mark.parametrize(
    "local",
    [
        _level_conf("VERBOSE"),  # not a level
        "[logging]\n",  # no key
        "loglevel = DEBUG\n",  # no section header: configparser refuses the file
        "[logging]\nloglevel = DEBUG\n[logging\n",  # garbled further down
        b"[logging]\nloglevel = \xff\xfe DEBUG\n",  # not UTF-8
    ],
)
def test_an_unusable_local_conf_keeps_the_default_layer(tmp_path, local):
    _write(tmp_path, "default", _level_conf("ERROR"))
    _write(tmp_path, "local", local)
    assert configured_level(str(tmp_path)) == "ERROR"


def test_a_directory_where_the_conf_should_be_is_ignored(tmp_path):
    (tmp_path / "local" / hostnet_logging.SETTINGS_CONF).mkdir(parents=True)
    _write(tmp_path, "default", _level_conf("CRITICAL"))
    assert configured_level(str(tmp_path)) == "CRITICAL"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(default=st.binary(max_size=200), local=st.binary(max_size=200))
def test_any_conf_content_yields_a_level(tmp_path, default, local):
    _write(tmp_path, "default", default)
    _write(tmp_path, "local", local)
    assert configured_level(str(tmp_path)) in LEVELS


def test_no_override_uses_the_configured_level(tmp_path):
    _write(tmp_path, "default", _level_conf("WARNING"))
    assert resolve_level(None, str(tmp_path)) == ("WARNING", None)
    assert resolve_level("  ", str(tmp_path)) == ("WARNING", None)


@pytest.mark.parametrize("override", ["DEBUG", "debug", " Error "])
def test_a_valid_override_wins(tmp_path, override):
    _write(tmp_path, "local", _level_conf("CRITICAL"))
    assert resolve_level(override, str(tmp_path)) == (override.strip().upper(), None)


def test_a_bad_override_warns_and_falls_back(tmp_path):
    _write(tmp_path, "default", _level_conf("ERROR"))
    level, warning = resolve_level("LOUD", str(tmp_path))
    assert level == "ERROR"
    assert warning is not None and "'LOUD'" in warning and "ERROR" in warning


@given(override=st.text(max_size=20))
def test_any_override_yields_a_level_and_warns_exactly_when_unusable(tmp_path_factory, override):
    app = tmp_path_factory.mktemp("app")
    level, warning = resolve_level(override, str(app))
    assert level in LEVELS
    usable = not override.strip() or override.strip().upper() in LEVELS
    assert (warning is None) == usable


def test_log_file_is_under_splunk_home(monkeypatch, tmp_path):
    monkeypatch.setenv("SPLUNK_HOME", str(tmp_path))
    assert log_path() == str(tmp_path / "var" / "log" / "splunk" / "ta_kubernetes_hostnet.log")
    monkeypatch.delenv("SPLUNK_HOME")
    assert log_path() is None


def test_without_splunk_home_logging_goes_nowhere_quietly(monkeypatch, capsys):
    monkeypatch.delenv("SPLUNK_HOME", raising=False)
    logger = get_logger("DEBUG")
    assert [type(h) for h in logger.handlers] == [logging.NullHandler]
    logger.error("nowhere to go")
    assert capsys.readouterr() == ("", "")


def test_logs_at_the_level_into_the_splunk_log_file(monkeypatch, tmp_path):
    monkeypatch.setenv("SPLUNK_HOME", str(tmp_path))
    log_dir = tmp_path / "var" / "log" / "splunk"
    log_dir.mkdir(parents=True)
    logger = get_logger("WARNING")
    assert not logger.propagate
    logger.info("quiet detail")
    logger.warning("loud problem")
    get_logger("DEBUG").debug("now detailed")
    for handler in logger.handlers:
        handler.flush()
    text = (log_dir / "ta_kubernetes_hostnet.log").read_text(encoding="utf-8")
    assert "loud problem" in text and "WARNING" in text
    assert "quiet detail" not in text
    assert "now detailed" in text


@pytest.mark.parametrize("blocker", ["file", "missing"])
def test_an_unwritable_log_directory_means_a_null_handler(monkeypatch, tmp_path, capsys, blocker):
    """Root can write into any directory, so the directory is made impossible instead: a file stands where
    it should be, or it does not exist."""
    monkeypatch.setenv("SPLUNK_HOME", str(tmp_path))
    if blocker == "file":
        (tmp_path / "var" / "log").mkdir(parents=True)
        (tmp_path / "var" / "log" / "splunk").write_text("not a directory", encoding="utf-8")
    logger = get_logger("INFO")
    assert [type(h) for h in logger.handlers] == [logging.NullHandler]
    logger.error("cannot be written")
    assert capsys.readouterr().err == ""


def test_a_conf_saved_with_a_bom_still_gives_its_level(tmp_path: Path) -> None:
    (tmp_path / "default").mkdir()
    (tmp_path / "default" / hostnet_logging.SETTINGS_CONF).write_bytes(
        "\ufeff[logging]\nloglevel = ERROR\n".encode("utf-8")
    )
    assert hostnet_logging.configured_level(str(tmp_path)) == "ERROR"
