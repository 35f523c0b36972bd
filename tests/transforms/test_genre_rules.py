"""Rules added for department, township and one-paragraph reports (invented sentences)."""
from __future__ import annotations

from tests.transforms._facts import by_raw, facts, one


def test_growth_speed_words_are_yoy() -> None:
    assert one("规模以上工业增加值增速为6.4%。")["measure"] == "yoy_pct"
    f = one("全县固定资产投资增幅达到12.7%。")
    assert (f["measure"], f["value"], f["indicator"]) == ("yoy_pct", 12.7, "全县固定资产投资")


def test_points_after_decline_words_are_negative_change() -> None:
    got = by_raw("城镇化率比上年提高1.2个百分点,失业率下降0.3个百分点,增速较一季度回落0.8个百分点。")
    assert [(got[k]["measure"], got[k]["value"], got[k]["unit"]) for k in ("1.2个百分点", "0.3个百分点", "0.8个百分点")] == [
        ("change", 1.2, "百分点"), ("change", -0.3, "百分点"), ("change", -0.8, "百分点")]


def test_times_is_a_unit_change_after_growth_level_against_a_baseline() -> None:
    got = by_raw("实现利润总额11.3亿元,增长2.1倍;争取中央预算内投资4.8亿元,是上年的1.6倍。")
    assert (got["2.1倍"]["measure"], got["2.1倍"]["value"], got["2.1倍"]["unit"]) == ("change", 2.1, "倍")
    assert got["2.1倍"]["indicator"] == "利润总额"
    assert (got["1.6倍"]["measure"], got["1.6倍"]["unit"]) == ("level", "倍")
    assert got["1.6倍"]["indicator"].startswith("中央预算内投资")


def test_doubling_idiom_and_flat_growth_are_not_facts() -> None:
    assert facts("力争到2025年全市经济总量翻一番。") == []
    assert facts("规上工业产值同比持平。") == []


def test_ranges_take_the_lower_bound() -> None:
    f = one("每年新建3-5个口袋公园。")
    assert (f["raw_value"], f["value"], f["unit"], f["qualifier"]) == ("3-5个", 3, "个", "more_than")
    f = one("力争培育三至五个龙头企业。")
    assert (f["value"], f["qualifier"], f["plan"]) == (3, "more_than", True)
    assert one("计划投资2至3亿元建设学校。")["value"] == 200000000
    assert facts("2021-2023年连续获评先进。") == []
    assert facts("第3-5名获得奖励。") == []


def test_bare_population_numbers_are_people() -> None:
    got = by_raw("全镇现有农户8612户、人口3.1万,其中外出务工人员约1.1万。")
    assert (got["3.1万"]["value"], got["3.1万"]["unit"]) == (31000, "人")
    assert (got["约1.1万"]["value"], got["约1.1万"]["unit"], got["约1.1万"]["qualifier"]) == (11000, "人", "approx")
    assert facts("投资总额3.1万。") == []  # no population noun: still no unit, no fact


def test_foreign_currency_multipliers() -> None:
    got = by_raw("实际使用外资1.86亿美元,跨境电商交易额8600万美元。")
    assert (got["1.86亿美元"]["value"], got["1.86亿美元"]["unit"]) == (186000000, "美元")
    assert got["8600万美元"]["value"] == 86000000


def test_share_of_the_whole_is_a_rate() -> None:
    got = by_raw("民生支出39.58亿元,占一般公共预算支出的81.3%。工业投资占全市比重为41.2%。")
    assert got["81.3%"]["measure"] == "rate" and got["81.3%"]["indicator"].startswith("民生支出")
    assert got["41.2%"]["measure"] == "rate" and got["41.2%"]["indicator"] == "工业投资占全市比重"


def test_respectively_with_names_in_earlier_clauses() -> None:
    got = by_raw("城镇居民人均可支配收入41235元,农村居民人均可支配收入19876元,分别增长4.6%和6.8%。")
    assert got["4.6%"]["indicator"] == "城镇居民人均可支配收入" and got["4.6%"]["measure"] == "yoy_pct"
    assert got["6.8%"]["indicator"] == "农村居民人均可支配收入" and got["6.8%"]["measure"] == "yoy_pct"


def test_respectively_with_ordinal_sectors() -> None:
    got = facts("第一、二、三产业增加值分别增长3.1%、5.2%和6.0%。")
    assert [(f["indicator"], f["value"], f["measure"]) for f in got] == [
        ("第一产业增加值", 3.1, "yoy_pct"), ("第二产业增加值", 5.2, "yoy_pct"), ("第三产业增加值", 6, "yoy_pct")]


def test_numbers_in_and_after_parentheses() -> None:
    assert one("出口额(同比增长6.1%)保持稳定。")["indicator"] == "出口额"
    assert one("城乡居民储蓄存款余额(含外币)达到512.3亿元。")["indicator"] == "城乡居民储蓄存款余额"


def test_years_plans_and_sectors_are_not_counts() -> None:
    f = one("十四五期间,2023年第一产业增加值12亿元。")
    assert (f["value"], f["indicator"]) == (1200000000, "第一产业增加值")
    # GUIDELINES (Lists and ratios): a：b：c over named parts is one percent share per part, and
    # 三次 of 三次产业 is still not a count
    shares = facts("三次产业结构调整为10.9:37.9:51.2。")
    assert [(f["raw_value"], f["unit"], f["measure"], f["indicator"]) for f in shares] == [
        ("10.9", "%", "rate", "三次产业结构"), ("37.9", "%", "rate", "三次产业结构"), ("51.2", "%", "rate", "三次产业结构")]


def test_political_slogans_are_names() -> None:
    assert facts("严格落实中央八项规定精神,打好三大攻坚战,坚决做到两个维护,实施两大行动。") == []
    assert by_raw("围绕亚运三大比赛馆开展保障。")["三大"]["value"] == 3  # concrete things still count


def test_threshold_before_the_count_it_qualifies() -> None:
    f = one("村集体经济收入超过10万元的村达到14个。")
    assert (f["value"], f["unit"]) == (14, "个")


def test_secured_funding_is_not_a_plan_but_targets_are() -> None:
    assert one("争取上级转移支付资金32.6亿元。")["plan"] is False
    assert one("力争新引进外资项目不少于10个。")["plan"] is True
    assert one("力争新引进外资项目不少于10个。")["qualifier"] == "more_than"
    assert one("下一步将确保12个重点项目年底前竣工投产。")["plan"] is True


def test_plan_clause_right_after_the_number() -> None:
    assert one("新建安置房1200套,计划两年内完成。")["plan"] is True
    assert one("启动老旧小区改造12个,力争年底前全部完工。")["plan"] is True
    assert one("已完成12个小区改造,力争年底前全面验收。")["plan"] is False  # achieved, the plan is the next step


def test_thousand_hectares_and_respectively_with_per_person_amounts() -> None:
    f = one("全年农作物总播种面积86.3千公顷。")
    assert (f["value"], f["unit"]) == (863000000, "平方米")
    got = by_raw("城乡低保标准分别提高到每人每月780元和620元。")
    assert got["每人每月780元"]["indicator"] == got["620元"]["indicator"] == "城乡低保标准"
    # GUIDELINES: a per-unit amount written with 每 takes the rate as its unit, and so does the
    # amount listed with it
    assert got["每人每月780元"]["unit"] == got["620元"]["unit"] == "元/人/月"
