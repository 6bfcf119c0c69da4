"""The app's keys for a timeline that is not live: a replay's (``noc-console open``) and a
console's on the NATS stream (``run --feed``); they do nothing otherwise (:meth:`check_action`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand

from tui.ui.bindings import REPLAY_ACTIONS
from tui.ui.screens.feed import FeedScreen
from tui.ui.typing_keys import not_while_typing

if TYPE_CHECKING:
    from tui.config import AppConfig
    from tui.core.replay import Replay
    from tui.services import Services


class TimelineActions(App[None]):
    """Replay and stream actions of :class:`tui.ui.app.NocApp`, which provides what is
    declared here."""

    services: Services
    monotonic: Callable[[], float]
    _replay_clock: float

    @property
    def config(self) -> AppConfig:
        raise NotImplementedError

    def _tally_new_events(self) -> None:
        raise NotImplementedError

    # -- a console on the stream (run --feed) ------------------------------------------------

    def action_feed_live(self) -> None:
        """Leave what the console has still to read of the stream and show what comes next."""
        feed = self.services.feed
        if feed is None:
            return

        async def jump() -> None:
            left = await feed.jump_to_live()
            self.notify(f"Live: {left:,} events of the stream left out" if left else "Live",
                        timeout=4)  # fmt: skip

        self.run_worker(jump(), name="feed-live", exit_on_error=False)

    def follow_filter(self, query: str) -> None:
        """The feed's filter changed: a console on the stream reads on the subject it narrows
        to (and says so when that means reading the stream again)."""
        if self.services.follow_query(query):
            feed = self.services.feed
            assert feed is not None
            self.notify(f"Reading {feed.subject} of the stream", timeout=3)

    # -- replay -----------------------------------------------------------------------------

    @property
    def replay(self) -> Replay | None:
        """The journals being replayed (``noc-console open``), or None live."""
        return self.services.replay

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in REPLAY_ACTIONS:
            return self.replay is not None
        if action == "feed_live":
            return self.services.feed is not None
        return True

    def _replay_tick(self) -> None:
        replay = self.replay
        if replay is None:
            return
        now = self.monotonic()
        elapsed, self._replay_clock = now - self._replay_clock, now
        if replay.tick(elapsed):
            self.services.correlate()

    def _replay_moved(self) -> None:
        self.services.correlate()
        self._tally_new_events()

    def action_replay_toggle(self) -> None:
        if self.replay is not None:
            self.replay.player.toggle()

    def action_replay_step(self) -> None:
        if self.replay is not None and self.replay.step():
            self._replay_moved()

    def action_replay_step_back(self) -> None:
        if self.replay is not None:
            self.replay.step_back()
            self._replay_moved()

    def action_replay_speed(self, direction: int) -> None:
        replay = self.replay
        if replay is None:
            return
        if direction > 0:
            replay.player.faster()
        else:
            replay.player.slower()
        from tui.core.replay import speed_label

        self.notify(f"Replay speed {speed_label(replay.player.speed)}", timeout=2)

    def action_replay_error(self, direction: int) -> None:
        replay = self.replay
        if replay is None:
            return
        event = replay.seek_error(forward=direction > 0)
        if event is None:
            which = "after" if direction > 0 else "before"
            self.notify(f"No error {which} this point of the replay", timeout=4)
            return
        self._replay_moved()
        self._show_replayed(event.seq)

    def _show_replayed(self, seq: int) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, FeedScreen):
                screen.select_seq(seq)

    def action_replay_seek(self) -> None:
        replay = self.replay
        if replay is None:
            return
        not_while_typing(self.focused)  # a priority key: in a field, a "T"
        from tui.ui.screens.seek import SeekScreen

        self.push_screen(SeekScreen(), self._seek_to)

    def _seek_to(self, text: str | None) -> None:
        replay = self.replay
        if replay is None or not text:
            return
        from tui.core.replay.target import SeekError, seek_target

        timeline = replay.timeline
        try:
            ts = seek_target(
                text, current=replay.last_ts, start=timeline.start_ts, end=timeline.end_ts,
                utc=self.config.ui.clock_utc,
            )  # fmt: skip
        except SeekError as exc:
            self.notify(str(exc), title="Go to", severity="warning", markup=False)
            return
        replay.seek(ts)
        self._replay_moved()

    # -- the palette --------------------------------------------------------------------------

    def timeline_commands(self) -> Iterable[SystemCommand]:
        """The palette's entries for a replay or a console on the stream."""
        if self.replay is not None:
            for title, help_text, action in (
                ("Replay: play / pause", "space", self.action_replay_toggle),
                ("Replay: go to a time", "T: 13:40:02, +30s, 50%, start, end",
                 self.action_replay_seek),
                ("Replay: next error", "E", lambda: self.action_replay_error(1)),
                ("Replay: previous error", "W", lambda: self.action_replay_error(-1)),
                ("Replay: faster", ">", lambda: self.action_replay_speed(1)),
                ("Replay: slower", "<", lambda: self.action_replay_speed(-1)),
            ):  # fmt: skip
                yield SystemCommand(title, help_text, action)
        if self.services.feed is not None:
            yield SystemCommand(
                "Stream: jump to live", "F: leave what is still to read", self.action_feed_live
            )
