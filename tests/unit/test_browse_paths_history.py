"""Where links lead, what "up" means, and back/forward history that drops forward entries."""

from __future__ import annotations

import pytest

from tui.core.resources.history import History
from tui.core.resources.paths import TargetPaths


def test_sbc_hrefs_are_rebased_on_the_configured_target() -> None:
    paths = TargetPaths("sbc", "https://127.0.0.1:8443")
    assert paths.home == "/rest/system"
    assert paths.from_href("https://10.0.0.5/rest/sipsg/1") == "/rest/sipsg/1"
    assert paths.from_href("https://134.56.72.218/linecard/1/telcods1port/1") == (
        "/rest/linecard/1/telcods1port/1"
    )
    assert paths.from_href("https://x/rest/a?b=1&c=2") == "/rest/a?b=1&c=2"
    assert paths.absolute("/rest/sipsg/1") == "https://127.0.0.1:8443/rest/sipsg/1"
    behind_proxy = TargetPaths("sbc", "https://gw.example/edge1/")
    assert behind_proxy.from_href("https://10.0.0.5/rest/sipsg/1") == "/edge1/rest/sipsg/1"
    assert behind_proxy.alias("sipsg") == "/edge1/rest/sipsg"


def test_cue_published_uris_go_under_rest() -> None:
    paths = TargetPaths("cue", "http://cue.example/rest")
    assert paths.api_root == "/rest"
    assert paths.from_href("/voicemail/users/johndoe") == "/rest/voicemail/users/johndoe"
    assert paths.from_href("/rest/voicemail/users/x") == "/rest/voicemail/users/x"
    assert paths.alias("groups") == "/rest/voicemail/groups"
    assert paths.alias("USERS") == "/rest/voicemail/users"
    assert paths.alias("nope") is None


def test_mws_paths() -> None:
    paths = TargetPaths("mws", "http://127.0.0.1:9001")
    assert paths.home == "/v1/sockets"
    assert paths.alias("mws") == "/"
    assert paths.from_input("/") == "/"
    assert paths.from_input("sockets", "/v1") == "/v1/sockets"
    assert paths.up("/v1/sockets/abc") == "/v1/sockets"


@pytest.mark.parametrize(
    ("typed", "current", "expected"),
    [
        ("https://other/rest/sipsg?details=true", "/rest/system", "/rest/sipsg?details=true"),
        ("/rest/routingtable", "/rest/system", "/rest/routingtable"),
        ("/sipsg/2", "/rest/system", "/rest/sipsg/2"),
        ("2", "/rest/sipsg", "/rest/sipsg/2"),
        ("sipserver/1", "/rest/sipservertable/1", "/rest/sipservertable/1/sipserver/1"),
        ("..", "/rest/sipsg/2", "/rest/sipsg"),
    ],
)
def test_location_bar_input(typed: str, current: str, expected: str) -> None:
    assert TargetPaths("sbc", "https://sbc").from_input(typed, current) == expected


def test_up_and_breadcrumbs_stop_at_the_api_root() -> None:
    paths = TargetPaths("sbc", "https://sbc")
    location = "/rest/sipservertable/1/sipserver/2?details=true"
    assert paths.up(location) == "/rest/sipservertable/1/sipserver"
    assert paths.up("/rest/system") == "/rest"
    assert paths.up("/rest") == "/rest"
    assert [c.label for c in paths.crumbs(location)] == [
        "rest",
        "sipservertable",
        "1",
        "sipserver",
        "2",
    ]
    assert paths.crumbs(location)[2].path == "/rest/sipservertable/1"


def test_history_back_forward_and_a_new_visit_drops_forward() -> None:
    history = History()
    assert history.current is None
    assert history.back() is None
    for location in ("/a", "/b", "/c"):
        history.visit(location)
    history.visit("/c")  # same place again: no new entry
    assert history.entries == ["/a", "/b", "/c"]
    assert history.back() == "/b"
    assert history.back() == "/a"
    assert history.back() is None
    assert history.forward() == "/b"
    history.visit("/d")
    assert history.entries == ["/a", "/b", "/d"]
    assert not history.can_forward
    assert history.forward() is None
    assert history.recent() == ["/d", "/b", "/a"]


def test_history_is_bounded_and_round_trips_through_json() -> None:
    history = History(limit=3)
    for i in range(5):
        history.visit(f"/{i}")
    assert history.entries == ["/2", "/3", "/4"]
    history.back()
    restored = History.from_json(history.to_json(), limit=3)
    assert restored.entries == history.entries
    assert restored.current == "/3"
    assert restored.forward() == "/4"
    trimmed = History.from_json(history.to_json(), limit=2)
    assert trimmed.entries == ["/3", "/4"]
    assert trimmed.current == "/3"


@pytest.mark.parametrize("text", ["", "{", "[]", '{"entries": 3}', '{"entries": [1, "x"]}'])
def test_damaged_history_file_gives_an_empty_history(text: str) -> None:
    assert History.from_json(text).entries == []


def test_a_broken_address_in_an_href_still_leads_to_its_path() -> None:
    paths = TargetPaths("sbc", "https://127.0.0.1:8443")
    assert paths.from_href("https://[fe80::1/rest/sipsg/1?a=1") == "/rest/sipsg/1?a=1"
    assert paths.from_href("https://[fe80::1") == "/rest/"
    assert not paths.same_target("https://[fe80::1/rest")
