"""The feed's frame pacing on a clock the test moves: full rate when quiet, half when flooded."""

from __future__ import annotations

from tui.ui.models.feed.pacing import FLOOD_HZ, REFRESH_HZ, FramePacer

PAGE = 30  # rows on screen: flooded above PAGE * REFRESH_HZ = 300 rows a second


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def ticks(pacer: FramePacer, clock: Clock, count: int, received: int) -> list[bool]:
    """``count`` ticks at the timer's rate; whether each one drew."""
    drawn = []
    for _ in range(count):
        clock.now += 1 / REFRESH_HZ
        drawn.append(pacer.frame_due(received, PAGE))
    return drawn


def test_the_rate_is_measured_over_a_second_from_the_count_it_started_at() -> None:
    clock = Clock()
    pacer = FramePacer(clock, received=1_000)
    clock.now += 0.5
    assert pacer.frame_due(1_100, PAGE)
    assert pacer.rate == 0.0  # half a second: not measured yet
    clock.now += 0.5
    pacer.frame_due(1_250, PAGE)
    assert pacer.rate == 250.0
    clock.now += 2.0
    pacer.frame_due(1_250, PAGE)
    assert pacer.rate == 0.0  # nothing in the last two seconds


def test_a_quiet_feed_draws_every_tick() -> None:
    clock = Clock()
    pacer = FramePacer(clock, received=0)
    assert all(ticks(pacer, clock, 30, received=200))
    assert not pacer.flooding(PAGE)


def test_a_flood_draws_at_the_flood_rate_then_full_rate_again_when_it_ends() -> None:
    clock = Clock()
    pacer = FramePacer(clock, received=0)
    clock.now += 1.0
    assert pacer.frame_due(5_000, PAGE)  # 5,000 rows in a second
    assert pacer.flooding(PAGE)
    drawn = ticks(pacer, clock, 10, received=5_000)
    assert drawn == [False, True] * 5  # every other tick: FLOOD_HZ frames a second
    assert drawn.count(True) == FLOOD_HZ
    clock.now += 1.0
    pacer.frame_due(5_000, PAGE)  # no new rows over the next second
    assert not pacer.flooding(PAGE)
    assert all(ticks(pacer, clock, 5, received=5_000))


def test_a_store_that_starts_over_reads_as_no_arrivals_not_a_negative_rate() -> None:
    clock = Clock()
    pacer = FramePacer(clock, received=50_000)
    clock.now += 1.5
    assert pacer.frame_due(5_000, page=20)  # a replay jumped: the store holds 5,000 again
    assert pacer.rate == 0.0
    clock.now += 1.0
    pacer.frame_due(6_000, page=20)
    assert pacer.rate == 1_000.0
