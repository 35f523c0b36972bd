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
    # a year with its part of the year, copied as written
    ("2021年末，全县常住人口48.6万人。", "48.6万人", "2021年末"),
    ("2021年全年，新增企业210家。", "210家", "2021年全年"),
    ("2021年底前建成学校2所。", "2所", "2021年底前"),
    ("过去一年，全乡新建村道12公里。", "12公里", "过去一年"),
    ("近三年来，新建学校6所。", "6所", "近三年来"),
    # a heading's year and a year inside a noun phrase do not govern
    ("一、2022年工作回顾\n全县新建公园4个。", "4个", None),
    ("全面完成2022年干部培训计划，培训干部300人次。", "300人次", None),
]


@pytest.mark.parametrize("text,raw,period", PERIODS)
def test_periods(text: str, raw: str, period: str | None) -> None:
    assert by_raw(text)[raw]["period_text"] == period


def test_year_phrase_is_not_a_fact() -> None:
    assert [f["raw_value"] for f in facts("2022年，全镇新建道路3条。")] == ["3条"]


UNITS = [
    # text, raw value, value, unit
    ("全年完成飞防作业面积12.5万亩次。", "12.5万亩次", 125000, "亩次"),
    ("年末牛羊存栏6.2万头（只）。", "6.2万头（只）", 62000, "头（只）"),
    ("新增建设用地2.4平方公里。", "2.4平方公里", 2400000, "平方米"),
    ("学前教育资助标准为每生每年1000元。", "每生每年1000元", 1000, "元/生/年"),
    ("水稻单产每亩512公斤。", "每亩512公斤", 512, "公斤/亩"),
    ("高龄津贴由每人每月100元提高到150元。", "150元", 150, "元/人/月"),
]


@pytest.mark.parametrize("text,raw,value,unit", UNITS)
def test_units(text: str, raw: str, value: float, unit: str) -> None:
    f = by_raw(text)[raw]
    assert (f["value"], f["unit"]) == (value, unit)


NOT_FACTS = [
    ("县委十四届六次全会审议通过了实施意见。", []),
    ("经市十六届人大二次会议批准，新建学校3所。", ["3所"]),
    ("全县安排九大类民生支出共计8.2亿元。", ["8.2亿元"]),
]


@pytest.mark.parametrize("text,raws", NOT_FACTS)
def test_not_facts(text: str, raws: list[str]) -> None:
    assert [f["raw_value"] for f in facts(text)] == raws


def test_respectively_with_bare_numbers_before_the_unit() -> None:
    got = facts("工业和服务业分别拉动经济增长1.7、2.2个百分点。")
    assert [(f["raw_value"], f["value"], f["unit"], f["measure"], f["indicator"]) for f in got] == [
        ("1.7", 1.7, "百分点", "change", "工业"), ("2.2个百分点", 2.2, "百分点", "change", "服务业")]


def test_ratio_parts_are_shares() -> None:
    got = facts("全县三次产业比例为12.1：40.3：47.6。")
    assert [(f["value"], f["unit"], f["measure"]) for f in got] == [(12.1, "%", "rate"), (40.3, "%", "rate"),
                                                                   (47.6, "%", "rate")]
    assert facts("会议于9:30:00开始。") == []


FORMULA = "全县一般公共预算支出年初预算为52000万元，调整预算为53600万元，实际完成51870万元，为调整预算的96.8%，比上年减少1240万元，下降2.3%。"


@pytest.mark.parametrize("raw,indicator,measure,plan", [
    ("52000万元", "一般公共预算支出年初预算", "level", True),
    ("53600万元", "一般公共预算支出调整预算", "level", True),
    ("51870万元", "一般公共预算支出", "level", False),
    ("96.8%", "一般公共预算支出完成调整预算比例", "rate", False),
    ("1240万元", "一般公共预算支出", "change", False),
    ("2.3%", "一般公共预算支出", "yoy_pct", False),
])
def test_final_accounts_formula(raw: str, indicator: str, measure: str, plan: bool) -> None:
    f = by_raw(FORMULA)[raw]
    assert (f["indicator"].removeprefix("全县"), f["measure"], f["plan"]) == (indicator, measure, plan)


@pytest.mark.parametrize("text,raw,plan", [
    ("经批准的预算收入为8.6亿元。", "8.6亿元", True),
    ("全年预算安排教育资金2.1亿元。", "2.1亿元", False),
    ("成功争取上级补助资金3400万元。", "3400万元", False),
    ("向上争取专项资金850万元。", "850万元", False),
])
def test_budget_plans(text: str, raw: str, plan: bool) -> None:
    assert by_raw(text)[raw]["plan"] is plan


def test_respectively_items_sharing_a_suffix() -> None:
    got = facts("采矿业、建筑业、交通运输仓储和邮政业增加值分别增长2.1%、3.3%、5.4%。")
    assert [f["indicator"] for f in got] == ["采矿业增加值", "建筑业增加值", "交通运输仓储和邮政业增加值"]


@pytest.mark.parametrize("text,raw,value", [
    # issue 12 point 7: a sign the text writes is kept
    ("净增市场主体−12家。", "−12家", -12),
    ("人口净流入为负300人。", "负300人", -300),
    ("库存变动-35个。", "-35个", -35),
    ("经营性现金流-5000万元。", "-5000万元", -50000000),
    ("利润增长-3.5%。", "-3.5%", -3.5),
    ("新增岗位３－５个。", "３－５个", 3),          # a range, not a sign
    ("2023-12新增企业15家。", "15家", 15),
])
def test_negative_values(text: str, raw: str, value: float) -> None:
    assert by_raw(text)[raw]["value"] == value


@pytest.mark.parametrize("text,raw,indicator", [
    ("全县一般公共预算收入完成预算的101.6%。", "101.6%", "全县一般公共预算收入完成预算比例"),
    ("基金收入为调整预算的88%。", "88%", "基金收入完成调整预算比例"),
    ("全县一般公共预算收入完成8.6亿元。", "8.6亿元", "全县一般公共预算收入"),
])
def test_budget_names(text: str, raw: str, indicator: str) -> None:
    assert by_raw(text)[raw]["indicator"] == indicator
