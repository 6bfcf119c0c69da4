"""The feed's columns: ids stay distinguishable, narrow terminals keep what an operator needs."""

from __future__ import annotations

import random

import pytest

from tui.config import AppConfig, ConfigError
from tui.config.ui import FEED_COLUMNS, FeedColumn
from tui.core.feed import SOURCE_ICWS, SOURCE_WCS, as_row, blank_event
from tui.sim.wcs.bodies import make_uuid, new_session
from tui.ui.models.feed.column_choice import ColumnChoice
from tui.ui.models.feed.columns import (
    CATALOGUE,
    DEFAULT_COLUMNS,
    fit,
    flex_width,
    header_line,
    layout,
)

NARROW, WIDE = 79, 119  # the rows' width in an 80- and a 120-column terminal (scrollbar: 1)

_RNG = random.Random(12)
SIMILAR_IDS = {
    # counters and name-number pairs: they differ only at their end
    "ICWS interactions": [str(1001234500 + n) for n in range(60)],
    "streams": [f"lecture-{n}" for n in range(1, 120)],
    # made the way the WCS simulator makes them (random from end to end, a shared PBX host)
    "call UUIDs": [make_uuid(_RNG) for _ in range(40)],
    "SIP Call-IDs": [
        f"pbx-{_RNG.getrandbits(80):020X}-{_RNG.randint(1000, 9999)}@pbx.example.net"
        for _ in range(40)
    ],
    "WCS sessions": [
        new_session(_RNG, "node@10.20.0.11", "10.20.0.11", "defaultApp").session_id
        for _ in range(40)
    ],
}


def _id_column(width: int):
    return next(c for c in layout(width).columns if c.key == "id")


@pytest.mark.parametrize("width", [NARROW, WIDE], ids=["80", "120"])
@pytest.mark.parametrize("kind", SIMILAR_IDS)
def test_similar_ids_stay_distinguishable(kind: str, width: int) -> None:
    column = _id_column(width)
    ids = SIMILAR_IDS[kind]
    shown = [fit(value, column.width, cut=column.cut) for value in ids]
    assert len(set(shown)) == len(ids), shown
    assert all(len(cell) == column.width for cell in shown)


def test_a_sip_call_id_keeps_its_random_part_not_the_pbx_host() -> None:
    shown = fit("pbx-00000000000000C74E12-1024@pbx.example.net", 16, cut="id")
    assert "example" not in shown and shown.endswith("-1024")


def test_an_id_that_fits_is_shown_whole() -> None:
    assert fit("1001234565", _id_column(NARROW).width, cut="id").strip() == "1001234565"
    assert fit("lecture-93", _id_column(NARROW).width, cut="id").strip() == "lecture-93"


def test_a_node_keeps_its_end() -> None:
    assert fit("10.20.0.11", 9, cut="start") == "…20.0.11 "
    assert fit("192.168.100.201", 9, cut="start") != fit("192.168.100.202", 9, cut="start")


@pytest.mark.parametrize("width", [NARROW, WIDE], ids=["80", "120"])
def test_node_and_reply_time_are_on_screen_at_80_and_120(width: int) -> None:
    found = layout(width)
    keys = [c.key for c in found.columns]
    for needed in ("time", "node", "type", "status", "id", "latency", "info"):
        assert needed in keys
    assert flex_width(found.columns, width) >= 16
    assert keys == [k for k in DEFAULT_COLUMNS if k in keys]  # the order is kept


def test_what_a_narrow_terminal_leaves_out_is_named_in_the_header() -> None:
    found = layout(NARROW)
    assert found.hidden == ("app", "party", "http")
    header = header_line(found, NARROW)
    assert len(header) == NARROW
    assert "+3 more (C)" in header
    wide = layout(WIDE)
    assert "http" in [c.key for c in wide.columns]
    assert "+2 not shown (C)" in header_line(wide, WIDE)
    assert layout(200).hidden == ()
    assert "not shown" not in header_line(layout(200), 200)


def test_without_the_http_column_an_error_answer_is_said_in_info() -> None:
    refused = as_row(blank_event(source=SOURCE_WCS, reply_status=401, info="bad signature"))
    ok = as_row(blank_event(source=SOURCE_WCS, reply_status=200, info="fine"))
    narrow = {c.key: c for c in layout(NARROW).columns}
    wide = {c.key: c for c in layout(WIDE).columns}
    assert narrow["info"].cell(refused) == "HTTP 401 · bad signature"
    assert narrow["info"].cell(ok) == "fine"
    assert wide["info"].cell(refused) == "bad signature"  # the http column says it


def test_the_operator_order_is_kept_and_priority_decides_what_goes() -> None:
    chosen = ("info", "app", "time", "party", "http", "node", "type", "status", "id", "latency")
    found = layout(NARROW, chosen=chosen)
    keys = [c.key for c in found.columns]
    assert keys == [k for k in chosen if k in keys]
    assert set(found.hidden) == {"app", "party", "http"}
    small = layout(NARROW, chosen=("info", "app", "time"))
    assert [c.key for c in small.columns] == ["info", "app", "time"]
    assert small.hidden == ()


@pytest.mark.parametrize("width", [40, 60, NARROW, 99, WIDE, 159, 220])
def test_every_row_is_exactly_as_wide_as_the_list(width: int) -> None:
    row = as_row(
        blank_event(
            source=SOURCE_ICWS, kind="queueContents", node="cic-demo", call="1001234565",
            status="Disconnected", info="changed · Disconnected " * 5, ts=1_700_000_000.25,
        )
    )  # fmt: skip
    columns = layout(width).columns
    flex = flex_width(columns, width)
    line = " ".join(fit(c.cell(row), c.width or flex, c.right, c.cut) for c in columns)
    assert len(line) == width


def test_latency_reads_in_the_unit_that_fits() -> None:
    cell = CATALOGUE["latency"]
    column = next(c for c in layout(WIDE).columns if c.key == cell.key)
    for latency, text in ((0.04, "40µs"), (0.9999, "1.0ms"), (12.4, "12ms"), (1530.0, "1.5s")):
        row = as_row(blank_event(reply_status=200, latency_ms=latency))
        assert column.cell(row) == text
    assert column.cell(as_row(blank_event(reply_status=0, latency_ms=3.0))) == ""


def test_config_names_the_same_columns_as_the_catalogue() -> None:
    assert tuple(CATALOGUE) == FEED_COLUMNS == DEFAULT_COLUMNS
    assert set(FeedColumn.__args__) == set(CATALOGUE)  # type: ignore[attr-defined]
    assert AppConfig().feed.columns == DEFAULT_COLUMNS


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ('columns = ["time", "colour"]', "colour"),
        ("columns = []", "at least one column"),
        ('columns = ["time", "time"]', "named twice"),
    ],
)
def test_bad_columns_in_the_config_are_explained(write_config, toml: str, says: str) -> None:
    from tui.config import load_config

    path = write_config(f"[feed]\n{toml}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert says in str(caught.value)


def test_the_dialog_model_toggles_moves_and_keeps_one_column() -> None:
    choice = ColumnChoice.of(("time", "status", "info"))
    assert choice.order[:3] == ["time", "status", "info"]
    assert not choice.is_on("node")
    assert choice.move(2, -1) == 1  # info above status
    assert choice.chosen() == ("time", "info", "status")
    assert choice.toggle(choice.order.index("node"))
    assert choice.chosen() == ("time", "info", "status", "node")
    for key in ("time", "info", "status"):
        assert choice.toggle(choice.order.index(key))
    assert not choice.toggle(choice.order.index("node"))  # the last one stays on
    assert choice.chosen() == ("node",)
    assert choice.move(0, -1) == 0
    choice.reset()
    assert choice.chosen() == DEFAULT_COLUMNS


def test_columns_are_kept_strictly_by_priority_at_every_width() -> None:
    """A narrow column never displaces a more needed one (with the help panel open, 'took'
    stood where the method belongs and rows said nothing of what they were)."""
    from tui.ui.models.feed.columns import CATALOGUE, FLEX, layout

    order = [k for k in sorted(CATALOGUE, key=lambda k: CATALOGUE[k].priority) if k != FLEX]
    for width in range(30, 200):
        kept = [c.key for c in layout(width).columns if c.key != FLEX]
        ranked = sorted(kept, key=order.index)
        assert ranked == order[: len(ranked)], (width, kept)


def test_beside_the_help_panel_a_row_still_says_what_it_is() -> None:
    from tui.ui.models.feed.columns import layout

    keys = [c.key for c in layout(44).columns]
    assert keys[:3] == ["time", "type", "status"] and "info" in keys
