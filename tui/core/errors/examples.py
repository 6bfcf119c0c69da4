"""Real error examples from the vendors' documentation (docs/protocols.md), to try the inspector
with (ctrl+o).

Each is what a system really sends (or its vendor's documented sample), labelled with where it comes
from.
"""

from __future__ import annotations

EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        "SBC: deleting an in-use mapping (SBC REST API documentation; story 6)",
        '<?xml version="1.0"?>\n<root>\n <status>\n  <http_code>409</http_code>\n'
        '  <app_status href="https://10.0.0.5/rest/sipq850map/3">\n'
        '   <app_status_entry code="31003" params="3|2"/>\n  </app_status>\n </status>\n</root>',
    ),
    (
        "WCS: outgoing call refused by the SIP server (WCS REST hook documentation)",
        "POST /apps/EchoApp/CallStatusEvent\n\n"
        '{"nodeId":"d2hxbqNPE04vGeZ51NPhDuId6k3hUrBB@95.191.130.39","appKey":"defaultApp",'
        '"callId":"e9516680-13af-11e7-af37-05c788b22e35","incoming":false,"status":"FAILED",'
        '"sipStatus":403,"info":"SIP 403 FORBIDDEN","caller":"1000","callee":"1001",'
        '"sipMessageRaw":"SIP/2.0 403 Forbidden\\r\\nCSeq: 1 INVITE\\r\\n'
        'Reason: Q.850;cause=21;text=\\"Call rejected\\"\\r\\n\\r\\n"}',
    ),
    (
        "ICWS: bad credentials at login (a real server answer)",
        "HTTP/1.1 400 Bad Request\nContent-Type: application/vnd.inin.icws+JSON; charset=utf-8\n\n"
        '{"errorId":"error.request.connection.authenticationFailure","errorCode":-2147221503,'
        '"message":"The authentication process failed."}',
    ),
    (
        "ICWS: server in switchover (a real server answer)",
        "HTTP/1.1 503 Service Unavailable\n\n"
        '{"alternateHostList":["otherserver"],"errorId":"error.server.notAcceptingConnections",'
        '"message":"This Session Manager is not currently accepting connections."}',
    ),
    ("WCS: WebRTC stream failure (SDK info text)", "Failed by ICE timeout"),
    (
        "SBC: certificate upload too large (a real capture)",
        '<?xml version="1.0"?>\n<root>\n<status>\n<http_code>500</http_code>\n'
        '<app_status href="https://10.167.8.7/rest/certificate/1">\n'
        '<app_status_entry code="15026" params="15000"/>\n</app_status>\n</status>\n</root>',
    ),
    (
        "MWS: validation errors (MWS REST API documentation)",
        "HTTP/1.1 422 Unprocessable Entity\n\n"
        '{"errors":[{"reason":"required","property":"receivers","message":"is required"}]}',
    ),
    (
        "CUE: XML error document (the shape Cisco's sibling product documents)",
        "HTTP/1.1 409 Conflict\nPI-Version: 8.0\n\n"
        "<Error><Code>1001</Code><Message>User johndoe already has a mailbox</Message>"
        "<Details>ownerId=johndoe</Details></Error>",
    ),
    (
        "ICWS: an enumeration in a message (ICWS documentation)",
        '{"licenseOperationResultList":[{"licenseName":"<License 1>","isAvailable":true,'
        '"licenseStatus":2,"errorDetails":""}]}',
    ),
    ("A bare status: SIP or HTTP? (ambiguous)", "503"),
)
