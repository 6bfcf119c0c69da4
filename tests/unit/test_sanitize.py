"""The one text-cleaning policy: what each unsafe character becomes, limits, JSON escapes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.cleanliness import is_clean, json_values, remote_text, unclean_strings
from tui.core import sanitize
from tui.core.sanitize import (
    NestedTooDeeply,
    clean_block,
    clean_line,
    clean_value,
    escape_json,
    json_text,
    text_of,
)


@pytest.mark.parametrize(
    ("text", "line", "block"),
    [
        ("plain", "plain", "plain"),
        ("a\x1b[2Jb", "a␛[2Jb", "a␛[2Jb"),  # CSI: the ESC shown, the rest inert text
        ("\x1b]0;pwned\x07x", "␛]0;pwned␇x", "␛]0;pwned␇x"),  # OSC ended by BEL
        ("\x1b]8;;http://x\x1b\\link", "␛]8;;http://x␛\\link", "␛]8;;http://x␛\\link"),  # ST
        ("\x1bP1$r\x1b\\", "␛P1$r␛\\", "␛P1$r␛\\"),  # DCS
        ("ok\x9b31mred", "ok\ufffd31mred", "ok\ufffd31mred"),  # 8-bit CSI
        ("\x9d0;t\x9c", "\ufffd0;t\ufffd", "\ufffd0;t\ufffd"),  # 8-bit OSC and ST
        ("l1\r\nl2\tx", "l1⏎l2 x", "l1\nl2\tx"),
        ("a\rb\u2028c\u2029d", "a⏎b⏎c⏎d", "a\nb\nc\nd"),
        ("\x00\x08\x0b\x0c\x7f", "␀␈␋␌␡", "␀␈␋␌␡"),
        ("\u202eevil", "\ufffdevil", "\ufffdevil"),
        ("\u202a\u202b\u202c\u202d", "\ufffd" * 4, "\ufffd" * 4),
        ("\u2066\u2067\u2068\u2069", "\ufffd" * 4, "\ufffd" * 4),
        ("\u200e\u200f\u061c", "\ufffd" * 3, "\ufffd" * 3),
        ("\ufeffid", "\ufffdid", "\ufffdid"),
        ("sur\ud800x\udfff", "sur\ufffdx\ufffd", "sur\ufffdx\ufffd"),
        ("\x85nel", "\ufffdnel", "\ufffdnel"),  # C1 like the others
        ("[red]markup[/red] é ü 日本 🙂 \u200d", "[red]markup[/red] é ü 日本 🙂 \u200d", None),
        ("non\xa0breaking", "non\xa0breaking", None),  # not printable for Python, yet safe
    ],
)
def test_each_unsafe_character_becomes_one_visible_one(
    text: str, line: str, block: str | None
) -> None:
    assert clean_line(text) == line
    assert clean_block(text) == (line if block is None else block)


def test_limits_cut_with_an_ellipsis_or_say_how_much() -> None:
    assert clean_line("abcdef", 4) == "abc…"
    assert clean_line("abcd", 4) == "abcd"
    assert clean_line("x" * 400, 10) == "x" * 9 + "…"
    assert clean_line("x" * 400, 10, say_cut=True) == "x" * 10 + "… (390 more characters)"
    assert clean_line("a\r\n" * 1000, 5) == "a⏎a⏎…"
    assert clean_line("  many\n\n  spaces\t here ", squeeze=True) == "many spaces here"
    assert clean_line("\x1b[2J" * 3, squeeze=True) == "␛[2J␛[2J␛[2J"


def test_text_of_json_scalars() -> None:
    assert text_of("a\nb") == "a⏎b"
    assert text_of(None) == ""
    assert (text_of(True), text_of(False)) == ("true", "false")
    assert text_of(12) == "12"
    assert text_of({"k": "\x1b"}) == "{'k': '\\x1b'}"
    assert text_of("x" * 50, 10) == "x" * 9 + "…"


@given(remote_text(60), st.integers(min_value=0, max_value=40), st.booleans())
@example("a\r\n" * 30, 7, False)
def test_clean_line_is_clean_idempotent_and_cut_the_same_as_without_the_shortcut(
    text: str, limit: int, squeeze: bool
) -> None:
    out = clean_line(text, limit, squeeze=squeeze)
    assert is_clean(out, line=True), repr(out)
    assert clean_line(out) == out
    full = clean_line(" ".join(text.split()) if squeeze else text)
    assert out == (full if not limit or len(full) <= limit else full[: limit - 1] + "…")


@given(remote_text(60))
def test_clean_block_keeps_lines_and_tabs_and_nothing_unsafe(text: str) -> None:
    out = clean_block(text)
    assert is_clean(out), repr(out)
    assert clean_block(out) == out
    breaks = text.count("\r\n")
    assert len(out) == len(text) - breaks  # one for one: nothing removed, nothing added
    assert out.count("\t") == text.count("\t")


@given(remote_text(60))
def test_the_module_predicate_agrees_with_the_written_out_one(text: str) -> None:
    assert sanitize.is_clean(text) == is_clean(text)
    assert sanitize.is_clean(text, line=True) == is_clean(text, line=True)


KEYS = ["errorId", "message", "a", "b"]


@given(json_values(KEYS))
def test_clean_value_cleans_every_string_and_key(value: Any) -> None:
    assert unclean_strings(clean_value(value)) == []
    assert unclean_strings(clean_value(value, line=True), line=True) == []


def test_clean_value_keeps_other_values_and_refuses_deep_nesting() -> None:
    assert clean_value({"k\x1b": ["\ud800", 1, None, True, 2.5, ("t\r\n",)]}) == {
        "k␛": ["\ufffd", 1, None, True, 2.5, ("t\n",)]
    }
    deep: Any = "x"
    for _ in range(300):
        deep = [deep]
    with pytest.raises(NestedTooDeeply):
        clean_value(deep)
    assert clean_value(deep, max_depth=400) == deep


@given(json_values(KEYS))
@example({"callId": "sur\ud800x", "status": "X"})
@example({"x": "\x7f\x9b\u202e\u2028\ufeff"})
def test_json_text_is_exact_printable_and_valid_utf8(value: Any) -> None:
    for indent in (None, 2):
        text = json_text(value, indent=indent)
        text.encode("utf-8")  # no lone surrogate left to fail on
        assert is_clean(text), repr(text)
        assert json.loads(text) == value  # the same data, escapes and all


def test_escape_json_leaves_ascii_and_indentation_alone() -> None:
    plain = json.dumps({"a": [1, "b"]}, indent=2)
    assert escape_json(plain) is plain
    assert escape_json('"\u202e\x9b"') == '"\\u202e\\u009b"'
