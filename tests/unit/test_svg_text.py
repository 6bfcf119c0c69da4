"""Screenshots place text after leading spaces themselves, so no viewer can slide it left."""

from __future__ import annotations

from tui.ui.screenshots import deterministic_app
from tui.ui.svg_text import portable_svg


def test_leading_spaces_become_an_offset() -> None:
    svg = (
        '<text class="r3" x="353.8" y="556.8" textLength="73.2" clip-path="url(#l)">drop&#160;0'
        '</text><text class="r3" x="427" y="556.8" textLength="61" clip-path="url(#l)">'
        "&#160;&#160;0/s</text>"
    )
    out = portable_svg(svg)
    assert 'x="451.4" y="556.8" textLength="36.6" clip-path="url(#l)">0/s</text>' in out
    assert ">drop&#160;0</text>" in out  # untouched: it starts with a character


def test_runs_of_spaces_alone_and_entities_are_counted_as_cells() -> None:
    only = '<text x="0" y="1" textLength="24.4">&#160;&#160;</text>'
    assert portable_svg(only) == only
    amp = '<text x="0" y="1" textLength="36.6">&#160;&amp;b</text>'
    assert 'x="12.2" y="1" textLength="24.4">&amp;b</text>' in portable_svg(amp)


async def test_a_real_screenshot_keeps_every_character() -> None:
    import re

    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
    out = portable_svg(svg)
    visible = re.compile(r">([^<]*)</text>")
    before = "".join(visible.findall(svg)).replace("&#160;", "")
    after = "".join(visible.findall(out)).replace("&#160;", "")
    assert before == after
    assert not re.search(r'textLength="[0-9.]+"[^>]*>&#160;[^&<]', out)
