"""The browser's cache of recent answers: TTL, bounded by entries and by bytes, LRU order."""

from __future__ import annotations

from tui.net.rest.cache import ResponseCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def cache(clock: Clock, **options: int) -> ResponseCache[bytes]:
    return ResponseCache(ttl_s=30, size_of=len, clock=clock, **options)


def test_an_entry_is_served_with_its_age_until_its_ttl_passes() -> None:
    clock = Clock()
    answers = cache(clock)
    answers.put("a", b"body")
    clock.now += 12.5
    assert answers.get("a") == (b"body", 12.5)
    clock.now += 18.0
    assert answers.get("a") is None
    assert len(answers) == 0
    assert answers.get("never") is None


def test_a_zero_ttl_caches_nothing() -> None:
    answers: ResponseCache[bytes] = ResponseCache(ttl_s=0, size_of=len, clock=Clock())
    answers.put("a", b"body")
    assert answers.get("a") is None
    assert len(answers) == 0


def test_the_least_recently_used_entry_goes_first_past_max_entries() -> None:
    answers = cache(Clock(), max_entries=2)
    answers.put("a", b"1")
    answers.put("b", b"2")
    assert answers.get("a") is not None  # a is now the most recently used
    answers.put("c", b"3")
    assert answers.get("b") is None
    assert answers.get("a") is not None
    assert answers.get("c") is not None
    assert len(answers) == 2


def test_bytes_are_bounded_and_an_entry_bigger_than_all_is_not_kept() -> None:
    answers = cache(Clock(), max_bytes=10)
    answers.put("a", b"12345")
    answers.put("b", b"12345")
    answers.put("c", b"123")  # 13 bytes: a (the oldest) goes
    assert answers.get("a") is None
    assert answers.get("b") is not None
    assert answers.get("c") is not None
    answers.put("b", b"x" * 11)  # too big: dropped, and the old b with it
    assert answers.get("b") is None
    assert answers.get("c") is not None


def test_putting_a_key_again_replaces_it_and_restarts_its_ttl() -> None:
    clock = Clock()
    answers = cache(clock)
    answers.put("a", b"old")
    clock.now += 20
    answers.put("a", b"new")
    clock.now += 20
    assert answers.get("a") == (b"new", 20.0)
    assert len(answers) == 1


def test_invalidate_drops_the_matching_keys() -> None:
    answers = cache(Clock())
    for key in ("/rest/sipsg", "/rest/sipsg/1", "/rest/system"):
        answers.put(key, b"x")
    assert answers.invalidate(lambda key: str(key).startswith("/rest/sipsg")) == 2
    assert answers.get("/rest/system") is not None
    assert len(answers) == 1
