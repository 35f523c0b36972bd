"""level_fact_key: the level a growth rate, share or change qualifies (invented sentences)."""
from __future__ import annotations

import polars as pl
import pytest

from transforms.extract import extract_facts
from transforms.fact_links import level_fact_keys


def _linked(text: str) -> dict[str, str | None]:
    """raw_value → raw_value of the level it is linked to (None if unlinked)."""
    facts = extract_facts(text, "t.txt").with_columns(
        report_key=pl.lit("r"), fact_key=pl.format("{}-{}", "value_start", "indicator"))
    facts = facts.with_columns(level_fact_key=level_fact_keys(facts))
    raw_of = dict(zip(facts["fact_key"], facts["raw_value"]))
    return {r: raw_of.get(k) for r, k in zip(facts["raw_value"], facts["level_fact_key"])}


@pytest.mark.parametrize("text, expected", [
    ("全镇完成固定资产投资4.2亿元,同比增长9.5%。",
     {"4.2亿元": None, "9.5%": "4.2亿元"}),
    # two indicators in one sentence: each growth rate to its own level
    ("实现税收收入3亿元,同比增长5%;完成工业产值8亿元,同比下降2%。",
     {"3亿元": None, "5%": "3亿元", "8亿元": None, "2%": "8亿元"}),
    # a rate with no level of its indicator stays unlinked
    ("群众满意率达98%。", {"98%": None}),
])
def test_growth_points_to_its_level(text: str, expected: dict) -> None:
    assert _linked(text) == expected


def _frame(rows: list[tuple]) -> pl.DataFrame:
    cols = ["fact_key", "report_key", "indicator", "measure", "plan", "value_start", "value_end",
            "evidence_start", "evidence_end", "section_path"]
    return pl.DataFrame(rows, schema=cols, orient="row")


@pytest.mark.parametrize("rows, expected", [
    # level inside the qualifier's evidence
    ([("L", "r", "收入", "level", False, 2, 6, 0, 6, "一"), ("G", "r", "收入", "yoy_pct", False, 10, 13, 0, 13, "一")],
     [None, "L"]),
    # another report's level never links
    ([("L", "r1", "收入", "level", False, 2, 6, 0, 6, "一"), ("G", "r2", "收入", "yoy_pct", False, 10, 13, 0, 13, "一")],
     [None, None]),
    # a target's growth does not qualify an achievement
    ([("L", "r", "收入", "level", False, 2, 6, 0, 6, "一"), ("G", "r", "收入", "yoy_pct", True, 10, 13, 0, 13, "一")],
     [None, None]),
    # same phrase nearby in the same section (evidence not spanning): linked; too far or other section: not
    ([("L", "r", "收入", "level", False, 2, 6, 0, 6, "一"), ("G", "r", "收入", "yoy_pct", False, 30, 33, 20, 33, "一")],
     [None, "L"]),
    ([("L", "r", "收入", "level", False, 2, 6, 0, 6, "一"), ("G", "r", "收入", "yoy_pct", False, 300, 303, 290, 303, "一")],
     [None, None]),
    ([("L", "r", "收入", "level", False, 2, 6, 0, 6, "一"), ("G", "r", "收入", "yoy_pct", False, 30, 33, 20, 33, "二")],
     [None, None]),
    # the nearest of two earlier levels
    ([("L1", "r", "收入", "level", False, 2, 6, 0, 6, "一"), ("L2", "r", "收入", "level", False, 12, 16, 10, 16, "一"),
      ("G", "r", "收入", "change", False, 20, 23, 10, 23, "一")],
     [None, None, "L2"]),
])
def test_link_rules(rows: list[tuple], expected: list) -> None:
    assert level_fact_keys(_frame(rows)).to_list() == expected
