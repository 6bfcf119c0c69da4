"""What a WCS node puts in its hook bodies: ids, sessions, calls, streams and SIP messages.

Field names and formats follow WCS's hooks (docs/protocols.md §1.5-1.6): ``nodeId`` is 32 characters
``@`` the server IP, session ids are ``/client-ip:port/server-ip:8443-<uuid>``, call ids from the
Web SDK are UUIDs and incoming ones are SIP Call-IDs.
"""

from __future__ import annotations

import random
import string
import uuid
from dataclasses import dataclass, field
from typing import Any

SIP_REASONS = {
    180: "Ringing",
    183: "Session Progress",
    200: "OK",
    403: "Forbidden",
    404: "Not Found",
    408: "Request Timeout",
    480: "Temporarily Unavailable",
    486: "Busy Here",
    487: "Request Terminated",
    503: "Service Unavailable",
    600: "Busy Everywhere",
}


def node_id(rng: random.Random, ip: str) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(rng.choice(alphabet) for _ in range(32)) + "@" + ip


def make_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class SimSession:
    """One client WebSocket session on a node."""

    node: str
    server_ip: str
    client_ip: str
    session_id: str
    app_key: str
    sip_login: str
    custom: dict[str, Any] = field(default_factory=dict)

    def base(self) -> dict[str, Any]:
        return {"nodeId": self.node, "appKey": self.app_key, "sessionId": self.session_id}


def new_session(rng: random.Random, node: str, server_ip: str, app_key: str) -> SimSession:
    octets = (
        rng.choice([10, 172, 192]),
        rng.randint(0, 255),
        rng.randint(0, 255),
        rng.randint(2, 254),
    )
    client_ip = ".".join(str(o) for o in octets)
    port = rng.randint(40000, 65000)
    session_id = f"/{client_ip}:{port}/{server_ip}:8443-{make_uuid(rng)}"
    login = str(rng.randint(1000, 1099))
    return SimSession(node, server_ip, client_ip, session_id, app_key, login)


def connect_body(session: SimSession, *, sip: bool) -> dict[str, Any]:
    body = {
        **session.base(),
        "useWsTunnel": False,
        "useWsTunnelPacketization2": False,
        "useBase64BinaryEncoding": False,
        "mediaProviders": ["WebRTC", "MSE", "WSPlayer"],
        "keepAlive": False,
        "authToken": None,
        "clientVersion": "2.0",
        "clientOSVersion": "5.0 (X11; Linux x86_64)",
        "clientBrowserVersion": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
        "msePacketizationVersion": 2,
        "custom": session.custom,
    }
    if sip:
        body.update(
            sipLogin=session.sip_login,
            sipAuthenticationName=session.sip_login,
            sipPassword=f"pw-{session.sip_login}",
            sipDomain="sip.example.net",
            sipOutboundProxy="sip.example.net",
            sipPort=5060,
            sipRegisterRequired=True,
        )
    return body


def call_body(
    session: SimSession, call_id: str, callee: str, status: str, *, incoming: bool = False,
    caller: str | None = None, sip_status: int | None = None, info: str | None = None,
    sip_message: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    return {
        **session.base(),
        "callId": call_id,
        "parentCallId": None,
        "incoming": incoming,
        "status": status,
        "sipStatus": sip_status,
        "info": info,
        "caller": caller or session.sip_login,
        "callee": callee,
        "visibleName": caller or session.sip_login,
        "hasAudio": True,
        "hasVideo": False,
        "mediaProvider": "WebRTC",
        "sipMessageRaw": sip_message,
        "isMsrp": False,
        "target": None,
        "holdForTransfer": False,
    }


def stream_body(
    session: SimSession, media_id: str, name: str, status: str, *, published: bool,
    info: str | None = None, created_ms: int = 0,
) -> dict[str, Any]:  # fmt: skip
    body: dict[str, Any] = {
        **session.base(),
        "mediaSessionId": media_id,
        "name": name,
        "published": published,
        "hasVideo": True,
        "hasAudio": True,
        "status": status,
        "audioCodec": "opus",
        "videoCodec": "H264",
        "record": False,
        "width": 1280,
        "height": 720,
        "bitrate": 0,
        "minBitrate": 0,
        "maxBitrate": 0,
        "quality": 0,
        "history": False,
        "gop": 0,
        "fps": 30,
        "audioBitrate": 0,
        "codecImpl": "",
        "transport": "UDP",
        "cvoExtension": False,
        "createDate": created_ms,
        "mediaType": "publish" if published else "play",
        "audioState": {"muted": False},
        "videoState": {"muted": False},
        "mediaProvider": "WebRTC",
    }
    if info is not None:
        body["info"] = info
    return body


def sip_response(
    rng: random.Random, code: int, call_id: str, caller: str, callee: str, proxy_ip: str
) -> str:
    """A SIP response as WCS puts it in ``sipMessageRaw`` (CRLF line ends)."""
    reason = SIP_REASONS.get(code, "Error")
    branch = "z9hG4bK" + "".join(rng.choice("0123456789abcdef") for _ in range(10))
    lines = [
        f"SIP/2.0 {code} {reason}",
        f"Via: SIP/2.0/UDP {proxy_ip}:5060;branch={branch};rport=5060",
        f"From: <sip:{caller}@sip.example.net>;tag={rng.getrandbits(32):08x}",
        f"To: <sip:{callee}@sip.example.net>;tag={rng.getrandbits(32):08x}",
        f"Call-ID: {call_id}",
        "CSeq: 1 INVITE",
        "Server: carrier-sbc/9.3",
    ]
    if code == 503:
        lines.append("Retry-After: 30")
    if code in (486, 600):
        lines.append('Warning: 399 sbc "User busy"')
    lines.append("Content-Length: 0")
    return "\r\n".join(lines) + "\r\n\r\n"
