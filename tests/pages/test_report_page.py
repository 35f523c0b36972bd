"""The report viewer's HTML, from a real (tiny) DuckDB warehouse."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.pages.conftest import REPORT_TEXT
from viewer.report_page import (PageFact, ReportNotFound, highlighted_text, page_facts, render_report_page,
                                report_text, resolve_report, write_report_page)


@pytest.mark.parametrize("ref", ["rk1", "某镇2024年工作总结.txt", "/some/folder/某镇2024年工作总结.txt", "rid1"])
def test_resolve_report_by_key_file_name_or_id(tiny_warehouse, ref: str) -> None:
    con, _ = tiny_warehouse
    assert resolve_report(con, ref) == "rk1"


def test_resolve_report_names_what_it_did_not_find(tiny_warehouse) -> None:
    con, _ = tiny_warehouse
    with pytest.raises(ReportNotFound, match="nope.txt"):
        resolve_report(con, "nope.txt")


def test_report_text_comes_from_the_raw_layer_not_the_inbox(tiny_warehouse) -> None:
    con, path = tiny_warehouse
    path.write_text(REPORT_TEXT + "补充一句。", encoding="utf-8")  # the inbox file changed …
    assert report_text(con, "rk1") == REPORT_TEXT
    path.unlink()  # … or was cleaned away: the page still has the text its offsets refer to
    assert report_text(con, "rk1") == REPORT_TEXT
    with pytest.raises(ReportNotFound):
        report_text(con, "no-such-key")


def test_page_facts_hold_loaded_and_quarantined_facts_in_text_order(tiny_warehouse) -> None:
    con, _ = tiny_warehouse
    facts = page_facts(con, "rk1")
    assert [f.fact_key for f in facts] == ["f1", "f2", "f3", "f4"]
    quarantined = facts[2]
    # one fact failing two expectations is one row naming both
    assert quarantined.quarantine.startswith("level_is_not_negative: a level cannot be negative; unit_is_canonical")
    assert facts[0].value == "420000000" and facts[1].value == "9.5"


def _fact(i: int, es: int, ee: int, vs: int, ve: int, measure: str = "level", q: str | None = None) -> PageFact:
    return PageFact(f"k{i}", "x", None, "1", "个", measure, None, False, es, ee, vs, ve, q)


@pytest.mark.parametrize("text, facts, expected", [
    # a value inside its evidence: underline, mark, underline
    ("ab12cd", [_fact(0, 0, 6, 2, 4)],
     '<span class="e" data-f="0">ab</span><mark class="v m-level" data-f="0" data-start="0" title="x = 1 个 (level)">12'
     '</mark><span class="e" data-f="0">cd</span>'),
    # two facts on one number (签收率、结案率均达100%): one mark naming both
    ("a100%", [_fact(0, 0, 5, 1, 5, "rate"), _fact(1, 0, 5, 1, 5, "rate")],
     '<span class="e" data-f="0 1">a</span><mark class="v m-rate" data-f="0 1" data-start="0 1" '
     'title="x = 1 个 (rate) | x = 1 个 (rate)">100%</mark>'),
    # offsets outside the text are not drawn (the table still lists the fact)
    ("abc", [_fact(0, 5, 9, 6, 7)], "abc"),
    # a quarantined fact is outlined and its tooltip names the expectation
    ("<9>", [_fact(0, 1, 2, 1, 2, q="level_is_not_negative: no")],
     '&lt;<mark class="v m-level q" data-f="0" data-start="0" title="x = 1 个 (level) QUARANTINED '
     'level_is_not_negative: no">9</mark>&gt;'),
])
def test_highlighted_text(text: str, facts: list[PageFact], expected: str) -> None:
    assert highlighted_text(text, facts) == expected


def test_page_is_self_contained_and_lists_every_fact(tiny_warehouse) -> None:
    con, _ = tiny_warehouse
    page = render_report_page(con, "rk1")
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", page)  # nothing fetched
    assert "default-src 'none'" in page
    assert page.count("<tr data-i=") == 4
    assert 'class="qrow"' in page and "level_is_not_negative" in page
    assert 'class="v m-yoy_pct"' in page and 'class="v m-level q"' in page
    # the text itself is there, whole: the highlighted pane without its tags is the report
    pane = page.split("<div id='text'>", 1)[1].split("</div>", 1)[0]
    assert html.unescape(re.sub(r"<[^>]+>", "", pane)) == REPORT_TEXT


def test_write_report_page_names_file_and_version(tiny_warehouse, tmp_path: Path) -> None:
    con, _ = tiny_warehouse
    path = write_report_page(con, "rk1", tmp_path / "pages")
    assert path.name == "某镇2024年工作总结.v1.html"
    assert path.read_text(encoding="utf-8").startswith("<!doctype html>")
