from __future__ import annotations

import pytest

from tui.core.sources import LinkState, SourceBoard, SourceKind, SourceStatus


def make_board() -> tuple[SourceBoard, list[float]]:
    now = [100.0]
    board = SourceBoard(
        [
            SourceStatus("hooks", SourceKind.WCS, "http://127.0.0.1:8081/"),
            SourceStatus("cic1", SourceKind.ICWS, "https://cic1:8019", insecure=True),
        ],
        clock=lambda: now[0],
    )
    return board, now


def test_board_keeps_configuration_order_and_labels() -> None:
    board, _ = make_board()
    assert [s.label for s in board] == ["wcs:hooks", "icws:cic1"]
    assert board.get("cic1").insecure
    assert [s.name for s in board.of_kind(SourceKind.ICWS)] == ["cic1"]


def test_version_moves_only_on_real_change() -> None:
    board, now = make_board()
    start = board.version
    board.set_state("hooks", LinkState.UP, "listening")
    assert board.version == start + 1
    board.set_state("hooks", LinkState.UP, "listening")
    assert board.version == start + 1
    now[0] = 200.0
    board.set_state("hooks", LinkState.UP, "3 nodes")
    assert board.get("hooks").since == 100.0  # same state: the time it came up stays
    board.set_state("hooks", LinkState.DOWN, "port in use")
    assert board.get("hooks").since == 200.0
    assert board.version == start + 3


def test_duplicate_names_are_refused() -> None:
    board, _ = make_board()
    with pytest.raises(ValueError, match="already"):
        board.add(SourceStatus("hooks", SourceKind.WCS, "x"))
