"""How much the hook listener takes from one connection, and how many connections it keeps.

A WCS node posts small hooks over a few keep-alive connections. Anything else that connects —
a scanner, a stuck client, a flood of sockets that never send a byte — must not be able to hold
the listener's file descriptors, memory or time: every connection has a deadline for its request
head, a size limit on it, an idle timeout between requests, and there is a cap on how many are
open at once, kept below the process's open-files limit.
"""

from __future__ import annotations

import resource
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_address

# File descriptors left for the rest of the process (journal, ICWS and REST clients, the
# terminal) when the connection cap is derived from RLIMIT_NOFILE.
FD_RESERVE = 64
MIN_CONNECTIONS = 8

# After an error answer (413, 431, 408, 400) the connection is half-closed and what the client
# still sends is read and thrown away, so that a client which writes its whole request before
# reading (urllib, HttpURLConnection) gets the answer instead of a reset. Bounded both ways.
LINGER_S = 5.0
LINGER_BYTES = 64 * 1_048_576

# Connections accepted per wake-up of the listening socket: other work gets its turn between
# batches, and the descriptors of connections closed to make room (freed on the loop's next
# turn) stay well inside FD_RESERVE.
ACCEPT_BATCH = 16


@dataclass(frozen=True)
class ConnectionLimits:
    """Per-connection limits and the connection cap, resolved from the config."""

    max_connections: int = 1000
    max_header_bytes: int = 16_384
    header_timeout_s: float = 10.0
    body_timeout_s: float = 10.0
    keep_alive_s: float = 30.0
    keep_alive_requests: int = 1000
    linger_s: float = LINGER_S
    linger_bytes: int = LINGER_BYTES


def open_files_limit() -> int:
    """The soft RLIMIT_NOFILE of this process (a large number when unlimited)."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def connection_cap(configured: int, open_files: int) -> int:
    """The connection cap: as configured, but below the open-files limit less a reserve.

    Past that limit ``accept()`` fails with EMFILE and nobody gets in, the real hooks included;
    at the cap the listener closes an idle connection instead, so the next one is served.
    """
    return max(MIN_CONNECTIONS, min(configured, open_files - FD_RESERVE))


def peer_allowed(peer: str, networks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    """Whether ``peer`` (an address as the socket reports it) is in one of ``networks``.

    An IPv4 client of a dual-stack listener shows up as ``::ffff:a.b.c.d``; it is matched as
    the IPv4 address it is.
    """
    try:
        address = ip_address(peer)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return any(address in network for network in networks)
