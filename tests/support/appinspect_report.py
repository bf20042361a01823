"""Reads splunk-appinspect's JSON report. The CLI exits 0 whatever it finds, so the verdict is read here."""

from typing import Any, Dict, List, NamedTuple

BLOCKING = ("failure", "error", "future_failure")


class Finding(NamedTuple):
    result: str
    check: str
    message: str
    location: str

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        return f"{self.result}: {self.check}: {self.message}{where}"


def findings(report: Dict[str, Any], results=BLOCKING) -> List[Finding]:
    """Every message of a check whose result is one of `results`; a check without messages counts once."""
    found: List[Finding] = []
    for app in report["reports"]:
        for group in app["groups"]:
            for check in group["checks"]:
                if check["result"] not in results:
                    continue
                messages = [m for m in check.get("messages", []) if m.get("result") in results]
                if not messages:
                    found.append(Finding(check["result"], check["name"], "(no message)", ""))
                for message in messages:
                    location = ":".join(
                        str(message[k]) for k in ("message_filename", "message_line") if message.get(k)
                    )
                    found.append(Finding(message["result"], check["name"], message["message"], location))
    return found


def blocking_count(report: Dict[str, Any]) -> int:
    return sum(int(report["summary"].get(result, 0)) for result in BLOCKING)
