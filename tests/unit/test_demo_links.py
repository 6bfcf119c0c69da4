"""In the demo an incoming WCS call also queues in the simulated contact centre, carrying the
WCS call's id, so the Calls screen shows the two linked (one story across WCS and ICWS)."""

from __future__ import annotations

from types import SimpleNamespace

from tests.unit.test_correlate import incoming_answered_then_hung_up
from tui.core.correlate import KIND_CALL, KIND_INTERACTION, Correlator
from tui.core.protocols.icws import IcwsNormaliser
from tui.sim.demo import Demo
from tui.sim.icws.world import ContactCentre


def test_an_incoming_call_queues_in_the_contact_centre_and_is_linked() -> None:
    demo = Demo(seed=7)
    demo._queue_in_contact_centre("3624902", "pbx-1@pbx.example.net")  # ICWS not up yet: no-op
    world = ContactCentre()
    demo.icws = SimpleNamespace(sim=SimpleNamespace(world=world))  # type: ignore[assignment]
    demo._queue_in_contact_centre("3624902", "pbx-1@pbx.example.net")
    (item,) = world.step(0.25).added
    assert item.workgroup == "Support"
    assert item.attributes["Eic_RemoteTn"] == "3624902"
    assert item.attributes["Eic_CallIdKey"] == "pbx-1@pbx.example.net"
    message = {
        "__type": "urn:inin.com:queues:queueContentsMessage",
        "isDelta": True,
        "subscriptionId": "q",
        "interactionsAdded": [
            {"interactionId": item.interaction_id, "attributes": item.attributes}
        ],
    }
    normaliser = IcwsNormaliser("cic-demo", clock=lambda: 7000.2, link_attribute="Eic_CallIdKey")
    (event, _), *_ = normaliser.normalise(message)
    correlator = Correlator()
    correlator.add_all(incoming_answered_then_hung_up(call_id="pbx-1@pbx.example.net", t0=7000.0))
    correlator.add(event._replace(seq=99_999))
    (call,) = correlator.groups(KIND_CALL)
    (interaction,) = correlator.groups(KIND_INTERACTION)
    assert call.linked == interaction.key and "link attribute" in call.link_why
