"""`python -m hostnet_tools.scp SCRIPT PYTHON TRANSCRIPT.gz [ARG...]`: replays a recording, prints replies."""

import gzip
import json
import sys
from typing import Optional, Sequence

from hostnet_tools.scp.session import replay_transcript


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Usage: python -m hostnet_tools.scp SCRIPT PYTHON TRANSCRIPT.gz [ARG...] (prints the replies)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if len(arguments) < 3:
        print(main.__doc__, file=sys.stderr)
        return 2
    script, python, path, *args = arguments
    with gzip.open(path, "rb") as recorded:
        transcript = recorded.read()
    with replay_transcript(script, python, transcript, args) as run:
        print(json.dumps(run.getinfo.metadata))
        for reply in run.replies():
            print(json.dumps(reply.metadata), len(reply.records()), "records")
    print("exit", run.returncode, run.stderr[-2000:], file=sys.stderr)
    return run.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
