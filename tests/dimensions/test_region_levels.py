"""Region inference at every level: one case per rule, positive and negative. Texts are invented;
the place names are real official names (统计用区划代码 2022)."""
from __future__ import annotations

import polars as pl
import pytest

from transforms.regions import RegionIndex, short_names


@pytest.mark.parametrize(
    ("name", "level", "expected"),
    [
        ("钱塘区", "county", ("钱塘",)),
        ("长兴县", "county", ("长兴",)),
        ("义乌市", "county", ("义乌",)),
        ("丰县", "county", ()),  # a one-character short name would be a word
        ("黔东南苗族侗族自治州", "prefecture", ("黔东南州", "黔东南")),
        ("博尔塔拉蒙古自治州", "prefecture", ("博尔塔拉州", "博尔塔拉")),
        ("长阳土家族自治县", "county", ("长阳县", "长阳")),
        ("莫力达瓦达斡尔族自治旗", "county", ("莫力达瓦旗", "莫力达瓦")),
        ("杭州市", "prefecture", ("杭州",)),
        ("大兴安岭地区", "prefecture", ("大兴安岭",)),
        ("广西壮族自治区", "province", ("广西",)),
        ("浙江省", "province", ("浙江",)),
    ],
)
def test_short_names(name: str, level: str, expected: tuple[str, ...]) -> None:
    assert short_names(name, level) == expected


def test_every_level_is_in_the_frame_with_its_code_length(regions: RegionIndex) -> None:
    f = regions.frame()
    lengths = f.group_by("region_level").agg(pl.col("region_code").str.len_chars().unique())
    assert {lvl: list(codes) for lvl, codes in lengths.iter_rows()} == {
        "province": [2], "prefecture": [4], "county": [6], "township": [9]}
    assert f.get_column("region_code").is_unique().all()
    row = f.filter(pl.col("region_code") == "5226").row(0, named=True)
    assert (row["region_name"], row["short_name"], row["parent_code"]) == ("黔东南苗族侗族自治州", "黔东南州", "52")
    row = f.filter(pl.col("region_code") == "330114002").row(0, named=True)
    assert (row["parent_code"], row["district_code"], row["city_code"], row["province_code"]) == (
        "330114", "330114", "3301", "33")
    # municipalities: no placeholder 市辖区 member; their districts' city is the municipality
    assert f.filter(pl.col("region_name") == "市辖区").is_empty()
    assert f.filter(pl.col("region_code") == "310110").row(0, named=True)["city_name"] == "上海市"


@pytest.mark.parametrize(
    ("title", "text", "code", "level", "department"),
    [
        # township summary → township; title names county and town
        ("金安区清水河街道2021年工作总结", "全街道推进各项工作。", "341502005", "township", None),
        # district government work report → county
        ("钱塘区2023年政府工作报告", "过去一年,全区上下奋力拼搏。", "330114", "county", None),
        # a city bureau → the city, with its department
        ("杭州市财政局关于2022年预算执行情况的报告", "全市一般公共预算收入增长。", "3301", "prefecture", "财政局"),
        # a prefecture bureau by its official abbreviation → the prefecture
        ("黔东南州统计局2023年全州经济运行情况分析", "全州地区生产总值增长。", "5226", "prefecture", "统计局"),
        # county short name + <town>片区 → that town of that county
        ("长兴和平片区2023年工作总结", "片区全年推进和平乡村振兴示范带建设。", "330522110", "township", None),
        # 宝安区 + 深圳 → 440306
        ("宝安区2023年政府工作报告", "在深圳市委的坚强领导下,全区经济稳步增长。", "440306", "county", None),
        # a shared county name settled by its city in the body
        ("普陀区2022年政府工作报告", "在舟山市委、市政府的领导下,全区上下共同努力。", "330903", "county", None),
        ("普陀区2022年政府工作报告", "在上海市委、市政府的领导下,全区上下共同努力。", "310107", "county", None),
        # a province
        ("浙江省2023年政府工作报告", "全省经济回升向好。", "33", "province", None),
        # no title: the body names its street often and speaks of itself as a street
        (None, "2023年,清水河街道党工委带领全街道干部群众,在金安区委领导下推进清水河街道各项工作。",
         "341502005", "township", None),
        # no title: a street ranks itself in its district (全区第一 …) but names itself and speaks as a street
        (None, "2023年,洪桥镇在长兴县委领导下,全镇经济增长8%,位列全区第一。洪桥镇招商引资全区领先,"
               "营商环境全区排名第二,洪桥镇获评先进。", "330522101", "township", None),
        # no title: a county praising one of its towns three times is still the county's report
        (None, "2023年,长兴县全县上下攻坚克难,全县经济增长6%。洪桥镇新落户企业12家,洪桥镇获评"
               "特色小镇,洪桥镇完成投资5亿元,全县财政收入增长9%。", "330522", "county", None),
        # no title: the body speaks of its own county and names it
        (None, "2022年,长兴县全县上下攻坚克难。全县实现生产总值增长6%,全县财政收入增长。我县将继续努力。",
         "330522", "county", None),
    ],
)
def test_report_attaches_to_its_level(regions: RegionIndex, title: str | None, text: str, code: str,
                                      level: str, department: str | None) -> None:
    m = regions.resolve(title, text)
    assert (m.region_code, m.region_level, m.department, m.source) == (code, level, department, "inferred"), m.reason


@pytest.mark.parametrize(
    ("title", "text", "in_reason"),
    [
        # eight streets are called 西湖街道: a name alone is not a place
        (None, "西湖街道召开年度工作会议,部署明年重点任务。", "西湖街道 matches 8 divisions"),
        # a name inside a longer word is not a mention (示范村镇 ≠ 范村镇)
        (None, "全县创建省级示范村镇3个,全镇推进人居环境整治。", "no official division name"),
        # a 乡 whose name is the start of 乡村振兴 is not a mention
        (None, "石门乡村振兴示范带建设全面启动,全镇完成投资2亿元。", "no official division name"),
        # a short name alone in a title is a word, not a place (振兴 in 乡村振兴 is 振兴区's short name)
        ("2023年乡村振兴工作总结", "全镇推进乡村振兴。", "no official division name"),
        # a shared county name and nothing in the text to separate them
        ("普陀区2022年政府工作报告", "全区上下共同努力。", "普陀区 matches 2 divisions"),
        # <town>片区 without its county: 17 和平镇 and more
        ("和平片区2023年工作总结", "片区全年推进各项工作。", "'和平片区' in title matches"),
        # a title naming two towns at the same level does not say which one it is about
        ("关于洪桥镇与煤山镇结对共建情况的报告", "两镇全年开展活动12次。", "the title names 洪桥镇 and 煤山镇"),
        # the text is about a county (全区 …) but names only a street
        (None, "全区上下共同努力,全区经济增长,全区财政收入增长。清水河街道完成拆迁。",
         "speaks of its own county but names none"),
    ],
)
def test_unknown_with_reason_never_a_guess(regions: RegionIndex, title: str | None, text: str,
                                           in_reason: str) -> None:
    m = regions.resolve(title, text)
    assert (m.region_code, m.source) == (None, "unknown")
    assert in_reason in m.reason


def test_unknown_lists_the_candidates(regions: RegionIndex) -> None:
    m = regions.resolve(None, "西湖街道召开年度工作会议。")
    assert "330106008" in m.reason  # 杭州市西湖区西湖街道 is one candidate, not the answer


def test_title_first_body_second(regions: RegionIndex) -> None:
    text = "洪桥镇与煤山镇结对共建。煤山镇、煤山镇、煤山镇多次来访。"
    assert regions.resolve("洪桥镇2023年工作总结", text).region_code == "330522101"
    assert regions.resolve(None, text).region_code == "330522112"


def test_manifest_still_overrides(regions: RegionIndex) -> None:
    m = regions.resolve("钱塘区2023年政府工作报告", "全区上下。", {"region_code": "3301"})
    assert (m.region_code, m.region_level, m.source) == ("3301", "prefecture", "manifest")


@pytest.mark.parametrize(
    ("hint", "code", "source"),
    [
        ({"district": "钱塘区"}, "330114", "manifest"),
        ({"district": "普陀区", "city": "舟山市"}, "330903", "manifest"),
        ({"district": "普陀区"}, None, "unknown"),  # two 普陀区, the manifest must say which
        ({"city": "黔东南州"}, "5226", "manifest"),
        ({"province": "浙江省"}, "33", "manifest"),
    ],
)
def test_manifest_names_a_county_city_or_province(regions: RegionIndex, hint: dict, code: str | None,
                                                  source: str) -> None:
    m = regions.resolve(None, "全区上下共同努力。", hint)
    assert (m.region_code, m.source) == (code, source), m.reason


def test_lookup_at_every_level(regions: RegionIndex) -> None:
    assert [regions.lookup(c).region_level for c in ("33", "3301", "330114", "330114002")] == list(
        ("province", "prefecture", "county", "township"))
