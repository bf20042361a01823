"""The command's logger: a file under $SPLUNK_HOME/var/log/splunk/ at the level set on the Configuration page.

Logging is a diagnostic aid, so nothing here may fail a search: an unreadable conf file, a missing
$SPLUNK_HOME or a log directory that cannot be written each fall back to a quieter logger.
"""

import configparser
import logging
import logging.handlers
import os
from typing import Optional, Tuple

APP_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETTINGS_CONF = "ta_kubernetes_hostnet_settings.conf"
LOG_FILE_NAME = "ta_kubernetes_hostnet.log"
LOGGER_NAME = "ta_kubernetes_hostnet.hostnetcheck"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_LEVEL = "INFO"
MAX_LOG_BYTES = 25 * 1024 * 1024
LOG_BACKUPS = 5
# Another handler on the same logger (a test harness's capture handler) must not stop ours being added.
_OWN_HANDLER_MARK = "_ta_kubernetes_hostnet_handler"


def configured_level(app_dir: str = APP_DIR) -> str:
    """The level saved by the Configuration page's Logging tab: local/ overrides default/."""
    level = DEFAULT_LEVEL
    for layer in ("default", "local"):
        path = os.path.join(app_dir, layer, SETTINGS_CONF)
        # utf-8-sig: a conf saved by an editor that writes a BOM must not hide the level the admin saved.
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read(path, encoding="utf-8-sig")
            value = parser.get("logging", "loglevel", fallback="").strip().upper()
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue
        if value in LEVELS:
            level = value
    return level


def resolve_level(override: Optional[str], app_dir: str = APP_DIR) -> Tuple[str, Optional[str]]:
    """The level for this search, and a warning for the search when the override is not a level."""
    if override is None or not override.strip():
        return configured_level(app_dir), None
    wanted = override.strip().upper()
    if wanted in LEVELS:
        return wanted, None
    fallback = configured_level(app_dir)
    levels = ", ".join(LEVELS)
    return fallback, f"hostnetcheck: loglevel={override!r} is not one of {levels}; using {fallback}"


def log_path() -> Optional[str]:
    splunk_home = os.environ.get("SPLUNK_HOME")
    if not splunk_home:
        return None
    return os.path.join(splunk_home, "var", "log", "splunk", LOG_FILE_NAME)


def get_logger(level: str) -> logging.Logger:
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    logger.propagate = False
    if not any(getattr(handler, _OWN_HANDLER_MARK, False) for handler in logger.handlers):
        handler = _handler()
        setattr(handler, _OWN_HANDLER_MARK, True)
        logger.addHandler(handler)
    return logger


def _handler() -> logging.Handler:
    path = log_path()
    if path is None:
        return logging.NullHandler()
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=False
        )  # opened now, so that a log directory that cannot be written is found here and not at every call
    except (OSError, ValueError):
        return logging.NullHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s pid=%(process)d %(name)s - %(message)s")
    )
    return handler
