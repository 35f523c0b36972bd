from __future__ import annotations

import polars as pl
import pytest

from transforms.indicators import canonicalise_indicators, keyword_category, load_catalogue


def _canon(*phrases: str) -> dict[str, tuple]:
    out = canonicalise_indicators(pl.DataFrame({"indicator": list(phrases)}))
    return {r["indicator"]: (r["canonical_name"], r["is_catalogued"], r["category"])
            for r in out.iter_rows(named=True)}


def test_catalogue_size_and_shape() -> None:
    cat = load_catalogue()
    assert cat.columns == ["_order", "canonical_name", "alias", "category", "match", "unit_kind", "units"]
    assert cat["canonical_name"].n_unique() >= 40


@pytest.mark.parametrize(
    ("phrase", "canonical", "category"),
    [
        ("规模以上工业总产值", "规上工业总产值", "产业"),
        ("规上工业总产值", "规上工业总产值", "产业"),
        ("实现财政总收入", "财政总收入", "财政"),
        ("地方税收收入", "地方税收收入", "财政"),  # not the shorter 税收收入
        ("地方财政一般预算收入", "一般公共预算收入", "财政"),
        ("新增就业岗位", "新增就业岗位", "就业"),
        ("办结受理“12345”市民服务热线工单", "12345工单", "治理"),
        ("组织接种新冠病毒疫苗", "新冠疫苗接种剂次", "疫情防控"),
        ("注册志愿者", "注册志愿者", "文化"),
        ("既有多层住宅电梯已累计加装", "加装电梯", "城建"),
    ],
)
def test_catalogue_matches(phrase: str, canonical: str, category: str) -> None:
    assert _canon(phrase)[phrase] == (canonical, True, category)


@pytest.mark.parametrize(
    ("phrase", "category"),
    [
        ("封控楼栋", "疫情防控"),
        ("封控小区", "疫情防控"),  # topical keyword beats the generic 小区
        ("党史讲坛覆盖辖区党员", "党建"),
        ("走访慰问优抚对象", "社会保障"),
        ("企业污染防治设施检查次数", "环境"),
        ("皮划艇校际联赛参与学生", "教育"),
        ("融合型大社区大单元", "其他"),
    ],
)
def test_keyword_categories_for_uncatalogued(phrase: str, category: str) -> None:
    assert _canon(phrase)[phrase] == (phrase, False, category)
    assert keyword_category(phrase) == category


def test_frame_keeps_rows_order_and_nulls() -> None:
    df = pl.DataFrame({"indicator": ["固定资产投资", None, "封控楼栋", "固定资产投资"], "n": [1, 2, 3, 4]})
    out = canonicalise_indicators(df)
    assert out["n"].to_list() == [1, 2, 3, 4]
    assert out["canonical_name"].to_list() == ["固定资产投资", None, "封控楼栋", "固定资产投资"]
    assert out["is_catalogued"].to_list() == [True, False, False, True]


def test_custom_column_name() -> None:
    out = canonicalise_indicators(pl.DataFrame({"ind": ["社零额"]}), column="ind")
    assert out.row(0, named=True)["canonical_name"] == "社会消费品零售总额"

