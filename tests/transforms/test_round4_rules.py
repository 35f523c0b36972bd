"""Rules added for round 4 (issue 9): government work, budget and statistics reports.

Each row: an invented sentence, the raw value of one fact, and the fields expected of it.
"""
from __future__ import annotations

import pytest

from tests.transforms._facts import by_raw, facts

PERIODS = [
    # a year opening a sentence governs all of its clauses
    ("2022年，全镇新增市场主体310户，新增就业岗位820个。", "820个", "2022年"),
    ("2021年度全县参保率达到96.5%。", "96.5%", "2021年度"),
    # after earlier figures it governs only up to the semicolon
    ("全区走访企业210家，2022年新签约项目15个；国企完成投资3.1亿元。", "15个", "2022年"),
    ("全区走访企业210家，2022年新签约项目15个；国企完成投资3.1亿元。", "3.1亿元", None),
    ("全区走访企业210家，2022年新签约项目15个；国企完成投资3.1亿元。", "210家", None),
    # itemising sentences take the period of the total; other following sentences do not
    ("2022年，全县税收收入9.6亿元。其中，增值税4.1亿元。", "4.1亿元", "2022年"),
    ("上半年，全县工业产值80亿元。分行业看，纺织业产值21亿元。", "21亿元", "上半年"),
    ("上半年，全县工业产值80亿元。从结构看，纺织业产值21亿元。", "21亿元", "上半年"),
    ("上半年，全县工业产值80亿元。纺织业产值21亿元。", "21亿元", None),
    # a heading's year and a year inside a noun phrase do not govern
    ("一、2022年工作回顾\n全县新建公园4个。", "4个", None),
    ("全面完成2022年干部培训计划，培训干部300人次。", "300人次", None),
]


@pytest.mark.parametrize("text,raw,period", PERIODS)
def test_periods(text: str, raw: str, period: str | None) -> None:
    assert by_raw(text)[raw]["period_text"] == period


def test_year_phrase_is_not_a_fact() -> None:
    assert [f["raw_value"] for f in facts("2022年，全镇新建道路3条。")] == ["3条"]
