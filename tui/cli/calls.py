"""``noc-console calls`` and ``noc-console ladder``: the story of the calls in a journal, for
scripts and tickets.

Both read a journal afterwards (``--journal FILE``, else the newest in the journal folder),
read-only, so a run still being written can be read too; ``calls --feed`` reads the NATS
stream the collectors publish to instead (the last hour, or from ``--since``). ``calls``
folds every event through the same correlator the console runs live; ``ladder`` reads one
group's events by index and draws them as text (or JSON arrows).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli.common import EXIT_NOT_RECOGNISED, EXIT_OK, load
from tui.cli.feed_option import add_feed_options

if TYPE_CHECKING:
    from tui.cli.common import Subparsers
    from tui.core.correlate import Correlator
    from tui.core.correlate.group_query import GroupQuery
    from tui.core.feed import FeedEvent
    from tui.core.journal_read import JournalReader

KIND_CHOICES = ("call", "stream", "session", "interaction")


def add_calls(sub: Subparsers) -> None:
    calls = sub.add_parser(
        "calls",
        help="list the calls, streams, sessions and ICWS interactions in a journal",
        description="The calls, streams, client sessions and ICWS interactions of a journal, "
        "one line (or JSON object) each: id, kind, node, caller, callee, first, last, "
        "duration, state, final and SIP status, events, linked.",
    )
    _journal_options(calls)
    add_feed_options(calls, since_default=FEED_SINCE)
    calls.add_argument("--kind", choices=KIND_CHOICES, action="append", help="only these kinds")
    calls.add_argument(
        "--failed", action="store_true", help="only groups that failed or were refused"
    )
    calls.add_argument(
        "--filter",
        metavar="QUERY",
        help="only groups matching QUERY, as on the Calls screen "
        "(state:FAILED node:~10.20.1 duration:>60 sip:5xx is:linked)",
    )
    calls.add_argument("--json", action="store_true", help="one JSON object per line")
    calls.add_argument(
        "--full",
        action="store_true",
        help="fold every event again instead of starting from the run's last checkpoint",
    )
    calls.set_defaults(handler=calls_command)


def add_ladder(sub: Subparsers) -> None:
    ladder = sub.add_parser(
        "ladder",
        help="draw the ladder of one call, stream or session from a journal",
        description="Who said what to whom for one call, stream, client session or ICWS "
        "interaction: the client, the WCS node, the backend, the SIP peer; one line per "
        "message with its time and the delta from the one before.",
    )
    ladder.add_argument(
        "id", metavar="ID", help="a callId, stream name, sessionId or interaction id"
    )
    _journal_options(ladder)
    ladder.add_argument("--width", type=int, metavar="N", help="columns (default: the terminal's)")
    ladder.add_argument("--json", action="store_true", help="the lanes and arrows as JSON")
    ladder.add_argument("--local", action="store_true", help="local times (default UTC)")
    ladder.set_defaults(handler=ladder_command)


def _journal_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--journal", type=Path, metavar="FILE", help="the journal (default: the newest one)"
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="config naming the journal folder"
    )


def _open(args: argparse.Namespace) -> JournalReader:
    from tui.core.journal_read import JournalReader, JournalReadError
    from tui.core.problems import UsageError

    path: Path | None = args.journal
    if path is None:
        from tui.cli.journal_option import newest_in_journal_folder

        path = newest_in_journal_folder(load(args.config).config, how="name one with --journal")
    try:
        return JournalReader(path)
    except JournalReadError as exc:
        raise UsageError(str(exc)) from None


def calls_command(args: argparse.Namespace) -> int:
    from tui.core.correlate import Correlator, CorrelatorLimits
    from tui.core.correlate.group_query import GroupQueryError, compile_group_query
    from tui.core.problems import UsageError

    try:
        query = compile_group_query(args.filter or "")
    except GroupQueryError as exc:
        raise UsageError(f"--filter: {exc}") from None
    correlator = Correlator(CorrelatorLimits(max_groups=10_000_000, keep_ended_s=float("inf")))
    if args.feed is not None:
        if args.journal is not None:
            raise UsageError("--journal and --feed: read one or the other")
        from tui.cli.feed_option import start_at, stream_items

        start = start_at(args, load(args.config).config, FEED_SINCE)
        correlator.add_all(item.event for item in stream_items(args, "calls", start))
    else:
        upto = _fold_journal(args, correlator)
        if upto < 0:
            return EXIT_OK  # the run's stored listing was printed
    _print_groups(args, correlator, query)
    return EXIT_OK


FEED_SINCE = "1h"
"""What ``calls --feed`` folds unless told: the last hour of the stream."""


def _fold_journal(args: argparse.Namespace, correlator: Correlator) -> int:
    """Fold the journal's events (from its last checkpoint where that serves); -1 when the
    run's stored listing answered the question and was printed instead."""
    from tui.core.journal_read import JournalReadError
    from tui.core.problems import UsageError

    with _open(args) as reader:
        try:
            if not (args.full or args.failed or args.filter) and _print_listing(args, reader):
                return -1
            upto = _restore(correlator, reader, args.kind or ()) if not args.full else 0
            correlator.add_all(reader.events(after=upto))
        except JournalReadError as exc:
            raise UsageError(str(exc)) from None
    return upto


def _print_groups(args: argparse.Namespace, correlator: Correlator, query: GroupQuery) -> None:
    kinds = set(args.kind or KIND_CHOICES)
    groups = sorted((g for g in correlator if g.kind in kinds), key=lambda g: (g.first, g.key))
    if args.failed:
        groups = [g for g in groups if g.failed]
    if not query.is_empty:
        groups = [g for g in groups if query(g)]
    for group in groups:  # a reader that leaves early (| head) ends it quietly: see cli.common
        doc = group.to_json()
        print(json.dumps(doc, ensure_ascii=False) if args.json else _line(doc))


def _print_listing(args: argparse.Namespace, reader: JournalReader) -> bool:
    """A run that ended with a checkpoint (nothing after it): print the listings it stored,
    without rebuilding a group. False when there is no such checkpoint."""
    upto, listings = reader.listing(args.kind or ())
    if not upto or reader.has_events_after(upto):
        return False
    if args.json:
        if listings:
            sys.stdout.write("\n".join(listings) + "\n")
    else:
        for listing in listings:
            print(_line(json.loads(listing)))
    return True


def _restore(correlator: Correlator, reader: JournalReader, kinds: Sequence[str]) -> int:
    """Start from the run's last checkpoint of its groups (of ``kinds``, all when empty), if it
    wrote one; returns the seq it is as of (0: none, so every event is folded)."""
    from tui.core.correlate.checkpoint import group_from_row

    upto, rows = reader.checkpoint(kinds)
    if not upto:
        return 0
    try:
        groups = [group_from_row(doc, seqs) for doc, seqs in rows]
    except (ValueError, TypeError, KeyError):  # a damaged checkpoint: fold the whole run
        return 0
    correlator.restore(groups, upto)
    return upto


def _line(doc: dict[str, Any]) -> str:
    """One group as a line of text, from its JSON form (what a checkpoint stores)."""
    node = str(doc.get("node") or "-").rsplit("@", 1)[-1]
    caller, callee = doc.get("caller"), doc.get("callee")
    who = f"{caller or '-'} → {callee or '-'}" if caller or callee else "-"
    state = str(doc.get("final_status") or doc.get("state") or "-")
    if doc.get("refused"):
        state += f" refused({doc.get('rule')})"
    sip = str(doc.get("sip_status") or "-")
    first = str(doc.get("first") or "")[11:23]
    took = float(doc.get("duration_s") or 0)
    events = doc.get("events", 0)
    return (
        f"{doc['kind']:<11} {doc['id']:<40} {node:<15} {who:<28} {first} "
        f"{took:>8.1f}s {state:<14} {sip:>3} {events:>5}  {doc.get('linked') or '-'}"
    )


def ladder_command(args: argparse.Namespace) -> int:
    from tui.core.correlate.ladder import build_ladder
    from tui.core.correlate.ladder_text import ladder_lines
    from tui.core.journal_read import JournalReadError
    from tui.core.problems import UsageError

    with _open(args) as reader:
        try:
            events = _group_events(reader, args.id)
            if not events:
                print(f"noc-console ladder: {args.id!r} is no call, stream, session or "
                      f"interaction in {reader.files[0]}", file=sys.stderr)  # fmt: skip
                return EXIT_NOT_RECOGNISED
            sip = _sip_messages(reader, events)
        except JournalReadError as exc:
            raise UsageError(str(exc)) from None
    ladder = build_ladder(events, lambda seq: sip.get(seq, ""))
    if args.json:
        print(json.dumps(ladder.to_json(), ensure_ascii=False))
    else:
        width = args.width or shutil.get_terminal_size((100, 24)).columns
        for line in ladder_lines(ladder, width, utc=not args.local):
            print(line)
    return EXIT_OK


def _group_events(reader: JournalReader, ident: str) -> list[FeedEvent]:
    """The events of the first kind ``ident`` names: a call (or interaction), a stream, a
    session."""
    for field in ("call", "stream", "session"):
        events = reader.events_of(**{field: ident})
        if not events:
            continue
        if field == "call":  # and its B-legs (calls that name it as their parentCallId)
            legs = {e.call for e in reader.events_of(parent=ident)} - {ident}
            for leg in sorted(legs):
                events += reader.events_of(call=leg)
        return events
    return []


def _sip_messages(reader: JournalReader, events: list[FeedEvent]) -> dict[int, str]:
    """The SIP message (``sipMessageRaw``, redacted as journalled) of each event that has one."""
    out: dict[int, str] = {}
    for event in events:
        if not (event.sip_status or event.kind == "incoming"):
            continue
        record = reader.record(event.seq)
        if record is None:
            continue
        try:
            body = json.loads(record.raw)
        except ValueError:
            continue
        message = body.get("sipMessageRaw") if isinstance(body, dict) else None
        if isinstance(message, str) and message:
            from tui.core.sanitize import clean_block

            out[event.seq] = clean_block(message)
    return out
