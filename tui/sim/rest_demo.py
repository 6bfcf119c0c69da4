"""The demo's REST side: an SBC, a CUE and an MWS simulator on loopback, and targets for them.

The secrets are made up per run and put in the environment under the names the targets give in
``secret_env``, exactly as an operator would export real ones. Writes are allowed on the demo
targets so the configuration-clash story (delete SIP-to-Q.850 mapping 3) and the voicemail
story can be played; every write still goes through the confirmation dialog.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

from tui.config import Target
from tui.sim.cue.server import CueSimulator
from tui.sim.host import SimHost
from tui.sim.mws.server import MwsSimulator
from tui.sim.sbc.server import IncidentSchedule, SbcSimulator

SBC_SECRET_ENV = "NOCDEMO_SBC_PASSWORD"
CUE_SECRET_ENV = "NOCDEMO_CUE_PASSWORD"
MWS_SECRET_ENV = "NOCDEMO_MWS_TOKEN"


@dataclass
class RestDemo:
    """The running simulators and the targets that point at them."""

    targets: list[Target]
    sbc: SbcSimulator
    cue: CueSimulator
    mws: MwsSimulator


def start_rest_simulators(
    host: SimHost,
    *,
    seed: int = 7,
    clock: Callable[[], float] = time.monotonic,
    schedule: IncidentSchedule | None = None,
    kiosk_gone_after_s: float | None = 45.0,
    environ: MutableMapping[str, str] = os.environ,
) -> RestDemo:
    """Serve the three simulators on ``host`` and return targets for them."""
    sbc_password = secrets.token_urlsafe(12)
    cue_password = secrets.token_urlsafe(12)
    mws_token = secrets.token_urlsafe(24)
    environ[SBC_SECRET_ENV] = sbc_password
    environ[CUE_SECRET_ENV] = cue_password
    environ[MWS_SECRET_ENV] = mws_token
    sbc = SbcSimulator(
        seed=seed,
        clock=clock,
        password=sbc_password,
        schedule=schedule if schedule is not None else IncidentSchedule(),
    )
    cue = CueSimulator(seed=seed + 1, clock=clock, password=cue_password)
    mws = MwsSimulator(
        seed=seed + 2, clock=clock, token=mws_token, kiosk_gone_after_s=kiosk_gone_after_s
    )
    sbc_url = host.serve(sbc, name="sbc")
    cue_url = host.serve(cue, name="cue") + "/rest"
    mws_url = host.serve(mws, name="mws")
    targets = [
        Target(
            name="edge1-lab",
            kind="sbc",
            url=sbc_url,
            user=sbc.user,
            secret_env=SBC_SECRET_ENV,
            allow_writes=True,
            start_path="/rest/sipsg/1",
        ),
        Target(
            name="cue-lab",
            kind="cue",
            url=cue_url,
            user="cueadmin",
            secret_env=CUE_SECRET_ENV,
            allow_writes=True,
            start_path="/rest/voicemail/groups/sales",
        ),
        Target(
            name="mws-lab",
            kind="mws",
            url=mws_url,
            secret_env=MWS_SECRET_ENV,
            allow_writes=True,
        ),
    ]
    return RestDemo(targets, sbc, cue, mws)
