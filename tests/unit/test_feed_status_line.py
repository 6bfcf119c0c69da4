"""The feed's status line keeps every field whole and apart at every width."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.ui.models.feed.counters import FeedCounters
from tui.ui.models.feed.status_line import SEPARATOR, status_fields, status_plain

counts = st.integers(min_value=0, max_value=10**9)
counters = st.builds(
    FeedCounters,
    received=counts,
    shown=counts,
    dropped=counts,
    missed=st.sampled_from([0, 0, 3, 120_000]),
    rate=st.floats(min_value=0, max_value=200_000, allow_nan=False),
    follow=st.booleans(),
    paused=st.booleans(),
    pending=counts,
    query=st.sampled_from(["", "sip:>=400", "node:cic-demo !type:userStatus " * 4]),
    journal=st.sampled_from(["", "JOURNAL: 3 events not journalled"]),
    tap=st.sampled_from(["", "TAP upstream failing"]),
    find=st.sampled_from(["", "match 3 of 17"]),
)


def test_drop_and_rate_stay_apart_at_80_columns() -> None:
    line = status_plain(FeedCounters(received=97, shown=97, dropped=0, rate=6.0), 80)
    assert "drop 0  6/s" in line
    assert "drop 06/s" not in line


@given(c=counters, width=st.integers(min_value=24, max_value=200))
def test_every_field_is_whole_separate_and_fits(c: FeedCounters, width: int) -> None:
    fields = status_fields(c, width)
    line = status_plain(c, width)
    always = [fields[0].text] + [f.text for f in fields if f.style in ("bad", "found")]
    if len(" " + SEPARATOR.join(always)) <= width:
        assert len(line) <= width
    # Read back: the line splits into exactly the fields drawn, none cut (the filter aside).
    parts = line[1:].split(SEPARATOR)
    drawn = [f.label + f.text for f in fields]
    if not c.query or not any(f.style == "filter" for f in fields):
        assert parts == drawn
    whole = {
        f"{c.rate:,.0f}/s",
        f"rcv {c.received:,}",
        f"received {c.received:,}",
        f"shown {c.shown:,}",
        f"drop {c.dropped:,}",
        f"dropped {c.dropped:,}",
    }
    for field in fields[1:]:
        if field.style in ("", "muted"):
            assert field.text in whole
    assert fields[0].text.startswith(("PAUSED", "FOLLOW", "SCROLL"))


def test_what_goes_first_when_the_line_is_short() -> None:
    c = FeedCounters(received=1_234_567, shown=1_000_000, dropped=234_567, rate=3_000.0)
    assert (
        status_plain(c, 200)
        == " FOLLOW  received 1,234,567  shown 1,000,000  dropped 234,567  3,000/s"
    )
    assert status_plain(c, 40) == " FOLLOW  rcv 1,234,567  3,000/s"
    assert status_plain(c, 20) == " FOLLOW  3,000/s"


def test_a_finds_answer_stays_in_sight() -> None:
    c = FeedCounters(received=10**6, shown=10**6, find="match 3 of 17", query="sip:5xx")
    assert "match 3 of 17" in status_plain(c, 40)


def test_trouble_is_never_left_out() -> None:
    c = FeedCounters(missed=5, journal="JOURNAL: 1 events not journalled", query="sip:5xx")
    line = status_plain(c, 30)
    assert "missed 5" in line and "JOURNAL: 1 events not journalled" in line
