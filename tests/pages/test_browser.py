"""The viewer pages in a real headless Chromium (Debian's package), offline.

Skips only when Chromium is absent on a developer machine; in CI (CI=true, `.ci/run` installs
Chromium) a missing browser fails the test.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.pages.cdp import Browser, find_chromium, in_ci
from viewer.html import MEASURE_COLOURS
from viewer.report_page import write_report_page


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        if in_ci():
            pytest.fail("chromium is not installed but CI=true: .ci/run must install it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it and runs this test")
    b = Browser(executable)
    b.send("Page.enable")
    b.send("Runtime.enable")
    b.send("Network.enable")
    # No network at all: the page must work from the file alone.
    b.send("Network.emulateNetworkConditions", offline=True, latency=0, downloadThroughput=-1, uploadThroughput=-1)
    yield b
    b.close()


def _open(browser: Browser, page: Path) -> None:
    browser.events.clear()
    browser.send("Page.navigate", url=page.resolve().as_uri())
    browser.wait_for_event("Page.loadEventFired")


def _requests(browser: Browser) -> list[str]:
    return [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _check_page(browser: Browser, page: Path) -> None:
    _open(browser, page)
    # nothing but the page itself was requested
    assert [u for u in _requests(browser) if not u.startswith("file:")] == []
    rows = browser.evaluate("document.querySelectorAll('#facts tbody tr').length")
    marks = browser.evaluate("document.querySelectorAll('#text mark').length")
    assert rows > 0 and marks > 0
    # every fact in the table has its value highlighted in the text
    unmarked = browser.evaluate(
        "Array.from(document.querySelectorAll('#facts tbody tr')).filter(r => "
        "!document.querySelector('#text mark[data-f~=\"' + r.dataset.i + '\"]')).length")
    assert unmarked == 0
    # coloured by measure
    colour = browser.evaluate("getComputedStyle(document.querySelector('#text mark.m-level')).backgroundColor")
    assert colour == _rgb(MEASURE_COLOURS["level"])

    # click (a real mouse click) the last fact in the side table: the text scrolls to it
    last = rows - 1
    assert browser.evaluate("document.getElementById('text').scrollTop") == 0
    browser.evaluate(f"document.querySelector('#facts tr[data-i=\"{last}\"]').scrollIntoView({{block:'center'}})")
    box = browser.evaluate(f"(() => {{const r = document.querySelector('#facts tr[data-i=\"{last}\"] td')"
                           ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2];})()")
    browser.click_at(*box)
    visible = browser.evaluate(
        f"(() => {{const m = document.querySelector('#text mark[data-start~=\"{last}\"]'); "
        "const pane = document.getElementById('text').getBoundingClientRect(); "
        "const r = m.getBoundingClientRect(); "
        "return [r.top >= pane.top && r.bottom <= pane.bottom, m.classList.contains('active'), "
        "document.getElementById('text').scrollTop];})()")
    in_view, active, scroll_top = visible
    assert in_view and active
    assert scroll_top > 0 or browser.evaluate("document.getElementById('text').scrollHeight") <= \
        browser.evaluate("document.getElementById('text').clientHeight")


def test_sample_report_pages_open_offline_highlight_and_scroll(browser: Browser, sample_warehouse: Path,
                                                               tmp_path: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        keys = [r[0] for r in con.execute("select report_key from dim_report order by file_name").fetchall()]
        pages = [write_report_page(con, key, tmp_path) for key in keys]
    assert len(pages) == 5
    for page in pages:
        _check_page(browser, page)


def test_quarantined_fact_is_outlined_and_named(browser: Browser, tiny_warehouse, tmp_path: Path) -> None:
    con, _ = tiny_warehouse
    page = write_report_page(con, "rk1", tmp_path)
    _check_page(browser, page)
    outline = browser.evaluate("getComputedStyle(document.querySelector('#text mark.q')).outlineStyle")
    title = browser.evaluate("document.querySelector('#text mark.q').title")
    assert outline == "dashed" and "level_is_not_negative" in title
