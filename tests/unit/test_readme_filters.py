"""Every filter example in the README, run over a seeded journal of the demo's traffic: each
returns exactly the rows its description promises, and some (but not all) of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.readme_journal import seeded_journal
from tui.core.feed import SEV_WARNING, FeedEvent, as_row
from tui.core.query import compile_query

README = Path(__file__).resolve().parents[2] / "README.md"
Check = Callable[[FeedEvent], bool]


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Filter and find")
    return text[start : text.index("\n## ", start)]


def table_examples() -> list[str]:
    """The filters of the section's table (``| `filter` | shows |``)."""
    return re.findall(r"^\| `([^`]+)` \|", _section(), flags=re.MULTILINE)


def prose_examples() -> list[str]:
    """Concrete filters elsewhere in the section (its text, the table's descriptions): a field
    with a value, not a placeholder such as ``field:~text``."""
    prose = re.sub(r"^\| `[^`]+` \|", "|", _section(), flags=re.MULTILINE)
    spans = re.findall(r"`([^`]+)`", prose)
    return [s for s in spans if re.fullmatch(r"!?[a-z]+:\S+", s) and not s.startswith("field:")]


_TEXT = ("method", "status", "info", "call", "session", "stream", "node", "app", "caller",
         "callee", "queue", "user", "error_id", "rule", "media")  # fmt: skip


def words(event: FeedEvent) -> list[str]:
    return [w.lower() for f in _TEXT for w in re.findall(r"\w+", str(getattr(event, f)))]


def minute_of_day(event: FeedEvent) -> float:
    moment = datetime.fromtimestamp(event.ts, UTC)
    return moment.hour * 60 + moment.minute + moment.second / 60 + moment.microsecond / 6e7


def _at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


@dataclass(frozen=True)
class Promise:
    """What the README says a filter shows: ``rows`` decides which events are meant (written
    without the filter language); every row returned also has ``each``; ``all_of`` holds for
    the rows together; ``demo`` (table rows) promises the demo has some, not all."""

    rows: Check
    each: Check = lambda e: True
    all_of: Callable[[list[FeedEvent]], bool] = lambda rows: True
    demo: bool = True


PROMISES: dict[str, Promise] = {
    "type:CallStatusEvent status:FAILED,BUSY": Promise(
        lambda e: e.method == "CallStatusEvent" and e.status in ("FAILED", "BUSY"),
        all_of=lambda rows: {e.status for e in rows} == {"FAILED", "BUSY"},
    ),
    "sip:5xx": Promise(
        lambda e: 500 <= e.sip_status < 600, each=lambda e: e.method == "CallStatusEvent"
    ),
    'info:"SIP 503*"': Promise(lambda e: e.info.upper().startswith("SIP 503")),
    "ICE": Promise(
        lambda e: "ice" in words(e),
        each=lambda e: (
            e.method == "StreamStatusEvent"
            and e.status == "FAILED"
            and e.info.startswith("Failed by ICE")
            and "SERVICE" not in e.info
        ),
    ),
    "fail*": Promise(
        lambda e: any(w.startswith("fail") for w in words(e)),
        each=lambda e: e.status == "FAILED" or e.info.startswith("Failed by"),
    ),
    "type:StreamStatusEvent !status:PLAYING,PUBLISHING": Promise(
        lambda e: e.method == "StreamStatusEvent" and e.status not in ("PLAYING", "PUBLISHING"),
        each=lambda e: e.status in ("STOPPED", "UNPUBLISHED", "FAILED"),
        all_of=lambda rows: {e.status for e in rows} == {"STOPPED", "UNPUBLISHED", "FAILED"},
    ),
    "node:~10.20.1": Promise(
        lambda e: "10.20.1" in e.node, each=lambda e: e.node.endswith("@10.20.1.12")
    ),
    "call:pbx-*": Promise(
        lambda e: e.call.lower().startswith("pbx-"),
        each=lambda e: e.source == "wcs" and "@" in e.call,
    ),
    "reply:>=400": Promise(
        lambda e: e.reply_status >= 400,
        each=lambda e: e.reply_status == 403 and e.rule == "premium-numbers",
    ),
    "sev:>=warning": Promise(
        lambda e: e.severity >= SEV_WARNING,
        all_of=lambda rows: {e.source for e in rows} == {"wcs", "icws"},
    ),
    "source:icws type:queueContents queue:Support": Promise(
        lambda e: e.source == "icws" and e.kind == "queueContents" and e.queue == "Support",
        each=lambda e: bool(e.call) or e.status == "snapshot",
    ),
    "latency:>0.5": Promise(
        lambda e: e.latency_ms > 0.5, each=lambda e: e.reply_status > 0 and e.source == "wcs"
    ),
    "time:06:00-06:30": Promise(lambda e: 6 * 60 <= minute_of_day(e) < 6 * 60 + 30),
    "time:>06:20": Promise(lambda e: minute_of_day(e) > 6 * 60 + 20),
    # in the text, not the table: said in general, not of the demo
    "time:06:00": Promise(lambda e: 6 * 60 <= minute_of_day(e) < 6 * 60 + 1, demo=False),
    "time:2026-03-14T06:00..2026-03-14T06:30": Promise(
        lambda e: _at("2026-03-14T06:00") <= e.ts < _at("2026-03-14T06:30"), demo=False
    ),
    "latency:>100": Promise(lambda e: e.latency_ms > 100, demo=False),
}


@pytest.fixture(scope="module")
def journal_events(tmp_path_factory: pytest.TempPathFactory) -> list[FeedEvent]:
    return seeded_journal(tmp_path_factory.mktemp("journal"))


def test_every_example_in_the_readme_has_its_promise_here() -> None:
    found = table_examples() + prose_examples()
    assert len(table_examples()) >= 10
    assert sorted(set(found)) == sorted(PROMISES), "a README example without a check, or gone"
    for text in table_examples():
        assert PROMISES[text].demo
    for text in prose_examples():
        assert not PROMISES[text].demo


@pytest.mark.parametrize("text", sorted(PROMISES))
def test_a_readme_example_returns_what_it_promises(
    text: str, journal_events: list[FeedEvent]
) -> None:
    promise = PROMISES[text]
    query = compile_query(text)
    got = [e for e in journal_events if query(as_row(e))]
    assert got == [e for e in journal_events if promise.rows(e)]
    assert all(promise.each(e) for e in got), [e for e in got if not promise.each(e)][:3]
    if promise.demo:
        assert 0 < len(got) < len(journal_events)
        assert promise.all_of(got)


def test_the_journal_holds_the_incidents_the_examples_are_about(
    journal_events: list[FeedEvent],
) -> None:
    infos = {e.info for e in journal_events}
    assert "SIP 503 SERVICE UNAVAILABLE" in infos  # what ICE used to match
    assert any(info.startswith("Failed by ICE") for info in infos)
    assert {e.source for e in journal_events} == {"wcs", "icws"}
    first, last = journal_events[0].ts, journal_events[-1].ts
    assert minute_of_day(journal_events[0]) < 6 * 60 < minute_of_day(journal_events[-1])
    assert last - first < 3600
