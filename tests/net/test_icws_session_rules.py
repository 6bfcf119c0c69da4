"""Which failed answers to a session call mean the ICWS session is gone."""

from __future__ import annotations

import pytest

from tui.core.protocols.icws_wire import ErrorBody
from tui.net.icws.session import says_session_gone


@pytest.mark.parametrize(
    ("status", "error", "gone"),
    [
        (401, ErrorBody(), True),
        (401, ErrorBody(error_code=4), True),
        (400, ErrorBody(error_id="error.request.connection.authenticationFailure"), True),
        (500, ErrorBody(error_id="error.request.connection"), True),
        (500, ErrorBody(error_id="error.request.connectionish"), False),  # whole segments only
        (503, ErrorBody(error_id="error.server.notAcceptingConnections"), True),
        (503, ErrorBody(alternate_hosts=("cic2",)), True),
        (503, ErrorBody(), False),  # a proxy's bare 503: the session may well be fine
        (500, ErrorBody(error_code=-2147467259, message="Unspecified error."), False),
        (502, ErrorBody(), False),
        (504, ErrorBody(), False),
        (404, ErrorBody(error_id="error.request.notFound"), False),
    ],
)
def test_which_answers_say_the_session_is_gone(status: int, error: ErrorBody, gone: bool) -> None:
    assert says_session_gone(status, error) is gone
