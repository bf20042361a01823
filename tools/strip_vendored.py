"""Removes from a built add-on what must not ship: compiled files and build leftovers.

The add-on runs the same lib/ under Python 3.9 and 3.13 on every platform Splunk supports, so it may hold
only pure Python. A compiled extension that slips in through a dependency fails the build here rather than
in a customer's search.
"""

import shutil
import sys
from pathlib import Path

COMPILED_SUFFIXES = (".so", ".pyd", ".dll", ".dylib", ".exe")


def strip(app: Path) -> None:
    for cache in list(app.rglob("__pycache__")):
        shutil.rmtree(cache)
    for pyc in list(app.rglob("*.pyc")) + list(app.rglob("*.pyo")):
        pyc.unlink()
    compiled = [p for p in app.rglob("*") if p.suffix in COMPILED_SUFFIXES]
    if compiled:
        names = ", ".join(str(p.relative_to(app)) for p in compiled)
        sys.exit(f"compiled binaries in the add-on (pin pure-Python dependencies instead): {names}")


if __name__ == "__main__":
    strip(Path(sys.argv[1]))
