"""What to try next when a request to a target fails: one line per situation, per system."""

from __future__ import annotations

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

_STATUS_HINTS: dict[tuple[str, int], str] = {
    ("sbc", 401): "The SBC refused the session: check user and secret_env; the user needs the "
    "REST access level (ordinary admin accounts are refused). The console re-logs in once.",
    ("cue", 401): "CUE refused the Basic credentials: check user and secret_env.",
    ("mws", 401): "MWS wants a bearer token: check secret_env.",
    ("sbc", 403): "The SBC user may not do this: check its access level.",
    ("cue", 403): "The CUE REST PI needs a user with the superuser privilege.",
    ("mws", 403): "The token has no permission here (read for GET, write for POST/DELETE).",
    ("sbc", 404): "No such resource: names are case-sensitive; call routing lives in "
    "routingtable/routingentry (there is no callroutetable) and alarms in activealarm.",
    ("cue", 404): "No such resource: CUE URIs live under /rest, e.g. /rest/voicemail/users.",
    ("mws", 404): "No such resource: a socket disappears when its client disconnects.",
    ("sbc", 400): "details takes exactly 'true'; filter one of configuration, runtime, "
    "statistics, inventory that this resource has (case-sensitive).",
    ("sbc", 409): "The change conflicts with something that uses this resource: follow the "
    "links in the error to it.",
    ("cue", 409): "The resource already exists (or is in use): open it instead of creating it.",
    ("mws", 422): "MWS rejected the data: the errors name the property at fault.",
}


def hint_for(kind: str, http_code: int, failure: str = "") -> str:
    """A hint for a failed request, or ``""`` when there is nothing useful to add."""
    if failure:
        return _FAILURE_HINTS.get(failure, "")
    found = _STATUS_HINTS.get((kind, http_code))
    if found:
        return found
    if http_code >= 500:
        return "The server failed while handling the request; try again, then look at its logs."
    return ""
