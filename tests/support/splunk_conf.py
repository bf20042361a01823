"""Reads Splunk .conf and .meta files the way splunkd does, as far as these tests need.

configparser differs from splunkd where it matters here: it folds key case, treats `;` as a comment and
indented lines as continuations, while splunkd continues a value only after a trailing backslash.
"""

from pathlib import Path
from typing import Dict, List, Optional

Conf = Dict[str, Dict[str, str]]


class ConfSyntaxError(ValueError):
    pass


def parse_conf(text: str) -> Conf:
    """Stanza -> key -> value. Keys before any stanza belong to [default]; a later key wins."""
    conf: Conf = {"default": {}}
    stanza = "default"
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            stanza = stripped[1:-1]
            conf.setdefault(stanza, {})
            continue
        if "=" not in line:
            raise ConfSyntaxError(f"line {index}: neither a stanza, a comment nor key = value: {line!r}")
        key, value = line.split("=", 1)
        parts: List[str] = [value.strip()]
        while parts[-1].endswith("\\") and index < len(lines):
            parts[-1] = parts[-1][:-1].rstrip()
            parts.append(lines[index].strip())
            index += 1
        conf[stanza][key.strip()] = "\n".join(parts)
    return conf


def read_conf(path: Path) -> Conf:
    return parse_conf(path.read_text(encoding="utf-8"))


def effective_meta(meta: Conf, object_type: str, name: str, key: str) -> Optional[str]:
    """A .meta setting for one object: [type/name] overrides [type], which overrides the app-wide []."""
    for stanza in (f"{object_type}/{name}", object_type, ""):
        if key in meta.get(stanza, {}):
            return meta[stanza][key]
    return None


def is_true(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "t", "yes", "y", "on")
