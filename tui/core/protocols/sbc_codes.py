"""A small catalog of SBC application error codes: enough for the browser to say what happened.

Ribbon publishes its full list only as a wiki page ("Application Error Codes"); the box returns
the code and ``|``-separated params, never the text. The templates below keep the ``%1%`` token
style. Codes marked *ours* are not Ribbon's: the simulator uses them for situations no public
code was found for. The inspector builds the complete catalog; :func:`describe_sbc_code` is the
one place the browser asks, so swapping the catalog is a one-line change.
"""

from __future__ import annotations

from typing import NamedTuple

from tui.core.resources import Link, substitute, unknown_code_message


class SbcMessage(NamedTuple):
    """A message template and the resources its params name (param number → URI pattern)."""

    template: str
    # (label pattern, href pattern); ``{1}`` is the first param, ``{2}`` the second…
    links: tuple[tuple[str, str], ...] = ()


SBC_MESSAGES: dict[int, SbcMessage] = {
    # verified codes (docs/protocols.md §3.5)
    15008: SbcMessage("Unable to read the (%1%) file from the certificate store"),
    15026: SbcMessage(
        "Certificate file data content cannot be empty or exceed the maximum size limit %1%."
    ),
    20035: SbcMessage(
        "Invalid query parameter (%1%): names and values are case-sensitive, and the filter "
        "must be a category this resource has."
    ),
    31003: SbcMessage(
        "Cannot delete SIP to Q.850 mapping (%1%). It is in use by SG (%2%).",
        links=(
            ("SIP to Q.850 mapping {1}", "/rest/sipq850map/{1}"),
            ("signaling group {2}", "/rest/sipsg/{2}"),
        ),
    ),
    # ours (simulator situations)
    20101: SbcMessage("Resource (%1%) does not exist."),
    20102: SbcMessage("Login failed for user (%1%): bad login name or password."),
    20103: SbcMessage(
        "Runtime data for SIP server (%2%) of table (%1%) is unavailable: the server has not "
        "answered OPTIONS for %3% s.",
        links=(("SIP server {1}:{2}", "/rest/sipservertable/{1}/sipserver/{2}"),),
    ),
    20104: SbcMessage("Writes are not allowed on (%1%) while the resource is in use."),
}


def describe_sbc_code(code: int | str, params: tuple[str, ...]) -> tuple[str, tuple[Link, ...]]:
    """The message for an app code with its params substituted, and the links they name."""
    try:
        number = int(code)
    except (TypeError, ValueError):
        return unknown_code_message(str(code), params), ()
    entry = SBC_MESSAGES.get(number)
    if entry is None:
        return unknown_code_message(str(code), params), ()
    links = []
    numbered = ("", *params)
    for label, href in entry.links:
        try:
            path = href.format(*numbered)
        except IndexError:
            continue  # the box sent fewer params than the message names
        if not path.endswith("/") and "//" not in path:
            links.append(Link(label.format(*numbered), path))
    return substitute(entry.template, params), tuple(links)
