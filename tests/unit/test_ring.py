from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.ring import RingBuffer


def test_append_evicts_oldest_and_indexes_in_order() -> None:
    ring: RingBuffer[int] = RingBuffer(3)
    assert [ring.append(i) for i in range(5)] == [None, None, None, 0, 1]
    assert list(ring) == [2, 3, 4]
    assert (ring[0], ring[-1], ring[1:]) == (2, 4, [3, 4])
    with pytest.raises(IndexError):
        ring[3]


def test_popleft_then_refill() -> None:
    ring: RingBuffer[int] = RingBuffer(3)
    for i in range(4):
        ring.append(i)
    assert ring.popleft() == 1
    ring.append(9)
    assert list(ring) == [2, 3, 9]
    ring.clear()
    assert len(ring) == 0 and ring.first() is None


@given(st.integers(1, 8), st.lists(st.one_of(st.integers(0, 99), st.none()), max_size=60))
def test_behaves_like_a_bounded_list(capacity: int, ops: list[int | None]) -> None:
    ring: RingBuffer[int] = RingBuffer(capacity)
    model: list[int] = []
    for op in ops:
        if op is None:
            if model:
                assert ring.popleft() == model.pop(0)
        else:
            ring.append(op)
            model.append(op)
            model = model[-capacity:]
        assert list(ring) == model
        assert len(ring) == len(model)
