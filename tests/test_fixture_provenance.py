"""Every fixture is listed in its folder's PROVENANCE.md, pinned to an upstream commit, with its sha256."""

import hashlib
import re
from pathlib import Path
from typing import Dict, List

import pytest

from tests.support.paths import FIXTURES

HEADER = ["file", "repository", "path", "commit", "license", "sha256"]
FOLDERS = sorted(path.parent for path in FIXTURES.glob("*/PROVENANCE.md"))


def _rows(provenance: Path) -> List[Dict[str, str]]:
    """The rows of the table whose header is HEADER (a PROVENANCE.md may hold other tables)."""
    rows: List[Dict[str, str]] = []
    columns = None
    for line in provenance.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if columns is None:
            columns = cells
        elif columns == HEADER and not set("".join(cells)) <= set("-: "):
            rows.append(dict(zip(HEADER, cells)))
    return rows


def test_every_fixture_folder_has_a_provenance_table() -> None:
    folders = sorted(path for path in FIXTURES.iterdir() if path.is_dir())
    assert folders and folders == FOLDERS


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_the_provenance_table_lists_exactly_the_fixtures_with_their_sha256(folder: Path) -> None:
    rows = _rows(folder / "PROVENANCE.md")
    listed = [row["file"] for row in rows]
    present = sorted(path.name for path in folder.iterdir() if path.name != "PROVENANCE.md")
    assert sorted(listed) == present, "a fixture that is not listed, or a listed one that is missing"
    assert len(set(listed)) == len(listed)
    for row in rows:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", row["repository"]), row
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]), row
        assert row["path"] and row["license"], row
        actual = hashlib.sha256((folder / row["file"]).read_bytes()).hexdigest()
        assert actual == row["sha256"], f"{row['file']} changed: sha256 {actual}"
