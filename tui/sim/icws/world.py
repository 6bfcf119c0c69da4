"""A small contact centre that lives on a seeded random generator and a stepped clock.

Workgroups receive interactions (calls, chats, emails) that go Offering → Alerting →
Connected (→ Held) → Disconnected and leave the queue (callers left Offering too long hang
up); an outbound dialer places calls that
go Proceeding → Connected. Agents change status. Every step returns what changed, which the
simulated ICWS hosts turn into queue, user-status, statistic and alert messages.

Names, numbers and alert definitions are invented for the demo; the state letters, attribute
names and statistic identifiers are the ones ICWS uses (docs/protocols.md §2.8-2.9).
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field

from tui.core.protocols.icws_wire import format_icws_time

INBOUND = ("Support", "Sales", "Billing")
OUTBOUND = "Outbound"
WORKGROUPS = (*INBOUND, OUTBOUND)

AGENTS: dict[str, tuple[str, ...]] = {
    "a.moreau": ("Support",),
    "j.chen": ("Support",),
    "k.okafor": ("Support", "Billing"),
    "m.rossi": ("Support",),
    "s.novak": ("Support",),
    "l.nguyen": ("Support", "Sales"),
    "p.silva": ("Sales",),
    "r.haddad": ("Sales", OUTBOUND),
    "t.berg": ("Sales", OUTBOUND),
    "e.kowalski": ("Billing",),
    "d.osei": ("Billing",),
    "h.tanaka": (OUTBOUND,),
}

# statusId → (messageText, is DND, is ACD, is after-call work, logged in)
STATUSES: dict[str, tuple[str, bool, bool, bool, bool]] = {
    "Available": ("Available", False, True, False, True),
    "Do Not Disturb": ("Do Not Disturb", True, False, False, True),
    "Away from desk": ("Away from desk", False, False, False, True),
    "At lunch": ("At lunch", False, False, False, True),
    "In a Meeting": ("In a Meeting", True, False, False, True),
    "Follow Up": ("Follow Up", False, False, True, True),
    "Gone Home": ("Gone Home", False, False, False, False),
}

CALLERS = (
    "ACME Corp", "Northwind Traders", "Globex", "Initech", "Umbrella Retail", "Stark Logistics",
    "Wayne Foods", "Tyrell Leasing", "Cyberdyne Care", "Soylent Ltd", "Hooli", "Vandelay Imports",
)  # fmt: skip
MEDIA = (("Call", 0.75), ("Chat", 0.15), ("Email", 0.10))


@dataclass(slots=True)
class SimInteraction:
    """One interaction as the simulated CIC server knows it."""

    interaction_id: str
    workgroup: str
    attributes: dict[str, str]
    state_since: float
    outbound: bool = False
    stuck: bool = False
    patience: float = 90.0  # seconds an unanswered caller waits before hanging up


@dataclass(slots=True)
class SimAgent:
    user: str
    workgroups: tuple[str, ...]
    status: str = "Available"
    status_changed: float = 0.0
    on_phone: bool = False
    on_phone_changed: float = 0.0
    station: str = ""

    @property
    def logged_in(self) -> bool:
        return STATUSES[self.status][4]

    @property
    def available(self) -> bool:
        return STATUSES[self.status][2] and not self.on_phone


@dataclass(slots=True)
class Changes:
    """What one step changed, by kind, for the hosts to turn into messages."""

    added: list[SimInteraction] = field(default_factory=list)
    changed: list[tuple[SimInteraction, dict[str, str]]] = field(default_factory=list)
    removed: list[SimInteraction] = field(default_factory=list)
    users: list[tuple[SimAgent, set[str]]] = field(default_factory=list)
    alerts: list[tuple[str, bool]] = field(default_factory=list)  # (workgroup, cleared)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.users or self.alerts)


class ContactCentre:
    """The simulated CIC server's data: deterministic for a given seed and step sequence."""

    def __init__(self, seed: int = 4, start: float = 1_773_480_000.0) -> None:
        self._offered: deque[tuple[str, str, str]] = deque(maxlen=200)
        self.rng = random.Random(seed)
        self.now = start
        self.next_id = 1_001_234_500 + self.rng.randrange(100)
        self.interactions: dict[str, SimInteraction] = {}
        self.agents = {user: SimAgent(user, groups) for user, groups in AGENTS.items()}
        self.arrival_per_s = {"Support": 0.12, "Sales": 0.07, "Billing": 0.05}
        self.dial_per_s = 0.08
        self.surge_workgroup = ""
        self.surge_factor = 1.0
        self.outbound_stuck = False
        self.entered = dict.fromkeys(WORKGROUPS, 0)
        self.answered = dict.fromkeys(WORKGROUPS, 0)
        self.wait_total = dict.fromkeys(WORKGROUPS, 0.0)
        self.alerting_workgroups: set[str] = set()
        self.alert_threshold = 8
        for index, agent in enumerate(self.agents.values()):
            agent.station = f"{1201 + index}"
            agent.status_changed = agent.on_phone_changed = start - self.rng.randrange(60, 5400)
            if self.rng.random() < 0.2:
                agent.status = self.rng.choice(["Away from desk", "At lunch", "Follow Up"])
        for workgroup in INBOUND:
            for _ in range(self.rng.randrange(1, 4)):
                self._arrive(workgroup, Changes(), age=self.rng.uniform(2, 40))

    # -- helpers --------------------------------------------------------------------------

    def _new_id(self) -> str:
        self.next_id += self.rng.randrange(1, 7)
        return str(self.next_id)

    def _number(self) -> str:
        return f"+1 555 01{self.rng.randrange(100):02d}"

    def _set(self, item: SimInteraction, changes: Changes, **attributes: str) -> None:
        item.attributes.update(attributes)
        if "Eic_State" in attributes:
            item.state_since = self.now
        changes.changed.append((item, dict(attributes)))

    def offer(self, workgroup: str, number: str, call_key: str) -> None:
        """A call that came in elsewhere (over the WCS gateway, in the demo) joins ``workgroup``
        at the next step, with its caller's number and the WCS call's id in ``Eic_CallIdKey``
        (what the console links the two by)."""
        self._offered.append((workgroup, number, call_key))

    def _arrive(
        self,
        workgroup: str,
        changes: Changes,
        age: float = 0.0,
        *,
        number: str = "",
        call_key: str = "",
    ) -> None:
        media = (
            "Call"
            if call_key
            else self.rng.choices([m for m, _ in MEDIA], [w for _, w in MEDIA])[0]
        )
        item = SimInteraction(
            self._new_id(),
            workgroup,
            {
                "Eic_State": "O",
                "Eic_CallStateString": "Offering",
                "Eic_ObjectType": media,
                "Eic_CallDirection": "I",
                "Eic_CallType": "E",
                "Eic_RemoteName": self.rng.choice(CALLERS),
                "Eic_RemoteTn": number or self._number(),
                "Eic_WorkgroupName": workgroup,
                "Eic_UserName": "",
                "Eic_InitiationTime": format_icws_time(self.now - age),
                **({"Eic_CallIdKey": call_key} if call_key else {}),
            },
            self.now - age,
            patience=self.rng.uniform(40, 150),
        )
        self.interactions[item.interaction_id] = item
        self.entered[workgroup] += 1
        changes.added.append(item)

    def _dial(self, changes: Changes) -> None:
        agents = [a for a in self.agents.values() if OUTBOUND in a.workgroups and a.logged_in]
        item = SimInteraction(
            self._new_id(),
            OUTBOUND,
            {
                "Eic_State": "R",
                "Eic_CallStateString": "Proceeding",
                "Eic_ObjectType": "Call",
                "Eic_CallDirection": "O",
                "Eic_CallType": "E",
                "Eic_RemoteName": self.rng.choice(CALLERS),
                "Eic_RemoteTn": self._number(),
                "Eic_WorkgroupName": OUTBOUND,
                "Eic_UserName": self.rng.choice(agents).user if agents else "",
                "Eic_InitiationTime": format_icws_time(self.now),
            },
            self.now,
            outbound=True,
            stuck=self.outbound_stuck,
        )
        self.interactions[item.interaction_id] = item
        self.entered[OUTBOUND] += 1
        changes.added.append(item)

    def _agent_status(self, agent: SimAgent, status: str, changes: Changes) -> None:
        if agent.status == status:
            return
        agent.status = status
        agent.status_changed = self.now
        changes.users.append((agent, {"statusId", "statusChanged", "loggedIn"}))

    def _agent_phone(self, agent: SimAgent, on_phone: bool, changes: Changes) -> None:
        if agent.on_phone == on_phone:
            return
        agent.on_phone = on_phone
        agent.on_phone_changed = self.now
        changes.users.append((agent, {"onPhone", "onPhoneChanged"}))

    # -- the clock ------------------------------------------------------------------------

    def step(self, dt: float) -> Changes:
        """Advance ``dt`` seconds; return what changed."""
        self.now += dt
        changes = Changes()
        rng = self.rng
        while self._offered:
            workgroup, number, call_key = self._offered.popleft()
            self._arrive(workgroup, changes, number=number, call_key=call_key)
        for workgroup, rate in self.arrival_per_s.items():
            factor = self.surge_factor if workgroup == self.surge_workgroup else 1.0
            expected = rate * factor * dt
            while expected > 0:
                if rng.random() < min(expected, 1.0):
                    self._arrive(workgroup, changes)
                expected -= 1.0
        if rng.random() < self.dial_per_s * dt:
            self._dial(changes)
        for item in list(self.interactions.values()):
            self._advance(item, changes)
        if rng.random() < 0.03 * dt:
            agent = rng.choice(list(self.agents.values()))
            if not agent.on_phone and agent.user not in self._surge_dnd():
                choices = ["Available"] * 4 + ["Away from desk", "Follow Up", "At lunch"]
                self._agent_status(agent, rng.choice(choices), changes)
        self._alerts(changes)
        return changes

    def _surge_dnd(self) -> set[str]:
        return {a.user for a in self.agents.values() if a.status == "Do Not Disturb"}

    def _free_agent(self, workgroup: str) -> SimAgent | None:
        free = [a for a in self.agents.values() if workgroup in a.workgroups and a.available]
        return self.rng.choice(free) if free else None

    def _advance(self, item: SimInteraction, changes: Changes) -> None:
        state = item.attributes["Eic_State"]
        held_for = self.now - item.state_since
        rng = self.rng
        if state == "O" and self.now - item.state_since > item.patience:
            self._set(item, changes, Eic_State="E", Eic_CallStateString="Disconnected")  # abandoned
        elif state == "O" and held_for > 1.5:
            agent = self._free_agent(item.workgroup)
            if agent is not None:
                self._agent_phone(agent, True, changes)
                self._set(
                    item, changes, Eic_State="A", Eic_CallStateString="Alerting",
                    Eic_UserName=agent.user,
                )  # fmt: skip
        elif state == "A" and held_for > rng.uniform(2, 6):
            started = item.state_since - 1.5
            self.answered[item.workgroup] += 1
            self.wait_total[item.workgroup] += max(0.0, self.now - started)
            self._set(item, changes, Eic_State="C", Eic_CallStateString="Connected")
        elif state == "R" and not item.stuck and held_for > rng.uniform(3, 8):
            if rng.random() < 0.7:
                self.answered[OUTBOUND] += 1
                self._set(item, changes, Eic_State="C", Eic_CallStateString="Connected")
            else:
                self._set(item, changes, Eic_State="E", Eic_CallStateString="Disconnected")
        elif state == "C" and held_for > rng.uniform(8, 40):
            if rng.random() < 0.15:
                self._set(item, changes, Eic_State="H", Eic_CallStateString="On Hold")
            else:
                self._set(
                    item, changes, Eic_State=rng.choice("EI"), Eic_CallStateString="Disconnected"
                )
        elif state == "H" and held_for > rng.uniform(3, 12):
            self._set(item, changes, Eic_State="C", Eic_CallStateString="Connected")
        elif state in "EI" and held_for > 2.0:
            del self.interactions[item.interaction_id]
            changes.removed.append(item)
            agent = self.agents.get(item.attributes.get("Eic_UserName", ""))
            if agent is not None and not item.outbound:
                self._agent_phone(agent, False, changes)

    def _alerts(self, changes: Changes) -> None:
        for workgroup in INBOUND:
            waiting = self.waiting(workgroup)
            raised = workgroup in self.alerting_workgroups
            if not raised and waiting >= self.alert_threshold:
                self.alerting_workgroups.add(workgroup)
                changes.alerts.append((workgroup, False))
            elif raised and waiting < max(1, self.alert_threshold // 2):
                self.alerting_workgroups.discard(workgroup)
                changes.alerts.append((workgroup, True))

    # -- what the hosts ask ---------------------------------------------------------------

    def waiting(self, workgroup: str) -> int:
        return sum(
            1
            for i in self.interactions.values()
            if i.workgroup == workgroup and i.attributes["Eic_State"] in "OAR"
        )

    def statistic(self, identifier: str, workgroup: str, user: str) -> tuple[str, float] | None:
        """(value kind, value) for a statistic, or None when the simulator does not know it."""
        name = identifier.rsplit(":", 1)[-1].casefold()
        if identifier.casefold().startswith("inin.workgroup:") and workgroup in WORKGROUPS:
            members = [a for a in self.agents.values() if workgroup in a.workgroups]
            answered = self.answered[workgroup]
            figures: dict[str, tuple[str, float]] = {
                "interactionswaiting": ("int", self.waiting(workgroup)),
                "totalagents": ("int", len(members)),
                "loggedin": ("int", sum(a.logged_in for a in members)),
                "numberavailableforacdinteractions": ("int", sum(a.available for a in members)),
                "interactionsentered": ("int", self.entered[workgroup]),
                "interactionsanswered": ("int", answered),
                "averagewaittime": (
                    "duration",
                    round(self.wait_total[workgroup] / answered, 1) if answered else 0.0,
                ),
                "percentavailable": (
                    "percent",
                    100.0 * sum(a.available for a in members) / len(members) if members else 0.0,
                ),
            }
            return figures.get(name)
        if identifier.casefold().startswith("inin.agent:") and user in self.agents:
            mine = [i for i in self.interactions.values() if i.attributes["Eic_UserName"] == user]
            if name == "nonacdinteractions":
                return "int", 0
            if name == "interactionsanswered":
                return "int", sum(1 for i in mine if i.attributes["Eic_State"] in "CH")
            if name == "longesttalktime":
                talking = [
                    self.now - i.state_since for i in mine if i.attributes["Eic_State"] == "C"
                ]
                return "duration", round(max(talking), 1) if talking else 0.0
        return None

    # -- scenario switches ----------------------------------------------------------------

    def start_surge(self, workgroup: str = "Support", factor: float = 8.0) -> None:
        self.surge_workgroup, self.surge_factor = workgroup, factor

    def end_surge(self) -> None:
        self.surge_workgroup, self.surge_factor = "", 1.0

    def set_status(self, user: str, status: str) -> Changes:
        changes = Changes()
        self._agent_status(self.agents[user], status, changes)
        return changes

    def set_outbound_stuck(self, stuck: bool) -> Changes:
        """Story 1: the carrier trunk is down, outbound calls hang in Proceeding, then fail."""
        self.outbound_stuck = stuck
        changes = Changes()
        for item in self.interactions.values():
            if item.outbound and item.attributes["Eic_State"] == "R":
                item.stuck = stuck
                if not stuck:
                    self._set(item, changes, Eic_State="E", Eic_CallStateString="Disconnected")
        return changes
