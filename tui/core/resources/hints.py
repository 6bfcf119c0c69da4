"""What to try next when a request to a target fails: one line per situation, per system.

Transport failures have hints of their own here; what an HTTP status means on each kind of
target is in that kind's declaration (:mod:`tui.core.targets`).
"""

from __future__ import annotations

from tui.core.targets import KINDS

# Transport-level failures (no HTTP answer, or one the console refused to read).
FAILURE_TIMEOUT = "timeout"
FAILURE_CONNECT = "connect"
FAILURE_TLS = "tls"
FAILURE_TOO_LARGE = "too-large"
FAILURE_SECRET = "secret"
FAILURE_PROTOCOL = "protocol"

_FAILURE_HINTS = {
    FAILURE_TIMEOUT: "No answer in time: check the address and that the port is reachable from "
    "here; a slow box needs a larger timeout_s.",
    FAILURE_CONNECT: "Could not connect: check the url, that the service listens on that port, "
    "and any firewall in between.",
    FAILURE_TLS: "The certificate is not trusted: give its CA with ca_file, or set "
    "verify_tls = false for this target (the header then shows TLS-OFF).",
    FAILURE_TOO_LARGE: "The answer is bigger than max_body_mb: ask for less (drop details=true, "
    "use a filter) or raise max_body_mb for this target.",
    FAILURE_SECRET: "Export the environment variable named by secret_env, then restart.",
    FAILURE_PROTOCOL: "The server broke the HTTP exchange: is the url an HTTP(S) REST endpoint?",
}


def hint_for(kind: str, http_code: int, failure: str = "") -> str:
    """A hint for a failed request, or ``""`` when there is nothing useful to add."""
    if failure:
        return _FAILURE_HINTS.get(failure, "")
    spec = KINDS.get(kind)
    found = spec.status_hints.get(http_code) if spec is not None else None
    if found:
        return found
    if http_code >= 500:
        return "The server failed while handling the request; try again, then look at its logs."
    return ""
