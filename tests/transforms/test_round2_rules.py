"""Rules added in the second unseen-genre round (invented sentences, not the fixture text)."""
from __future__ import annotations

from tests.transforms._facts import by_raw, facts, one


def test_permille_is_a_rate_unit() -> None:
    f = one("新生儿死亡率降至2.1‰。")
    assert (f["value"], f["unit"], f["measure"], f["indicator"]) == (2.1, "‰", "rate", "新生儿死亡率")


def test_harvest_growth_words_are_yoy() -> None:
    got = by_raw("油菜籽产量0.9万吨,比上年增产5.2%;茶叶产量310吨,减产2.4%。")
    assert (got["5.2%"]["measure"], got["5.2%"]["value"], got["5.2%"]["indicator"]) == ("yoy_pct", 5.2, "油菜籽产量")
    assert (got["2.4%"]["measure"], got["2.4%"]["value"], got["2.4%"]["indicator"]) == ("yoy_pct", -2.4, "茶叶产量")


def test_fullwidth_thousands_separator_keeps_one_clause() -> None:
    got = by_raw("全乡共有残疾人１，０２４户１，３５６人。")
    assert (got["１，０２４户"]["value"], got["１，３５６人"]["value"]) == (1024, 1356)
    assert got["１，３５６人"]["indicator"] == got["１，０２４户"]["indicator"] == "残疾人"


def test_securing_money_is_not_a_plan_but_securing_completion_is() -> None:
    got = by_raw("争取扶贫衔接资金320万元,新修产业路4.5公里。")
    assert not got["320万元"]["plan"] and not got["4.5公里"]["plan"]
    assert one("争取完成造林面积800亩。")["plan"]


def test_respectively_against_a_baseline() -> None:
    got = by_raw("外贸出口1.2亿美元,税收收入9.6亿元,分别完成年度计划的96.1%和101.3%。")
    assert got["96.1%"]["indicator"] == "外贸出口完成年度计划"
    assert got["101.3%"]["indicator"] == "税收收入完成年度计划"
    got = by_raw("全年接待游客860万人次,实现门票收入2.1亿元,分别恢复到2019年的92%和88%。")
    assert got["88%"]["indicator"].startswith("门票收入恢复到2019年")
    got = by_raw("全年发生火灾事故12起,直接经济损失48万元,同比分别下降20%和35.5%。")
    assert (got["35.5%"]["indicator"], got["35.5%"]["value"]) == ("直接经济损失", -35.5)


def test_target_headings() -> None:
    text = "一、2023年完成情况\n新建公园3个。\n二、2024年主要目标\n新建公园5个。\n三、发展目标完成情况\n建成绿道8公里。"
    got = by_raw(text)
    assert (got["3个"]["plan"], got["5个"]["plan"], got["8公里"]["plan"]) == (False, True, False)


def test_baseline_year_noun_is_not_a_period() -> None:
    assert one("1-9月完成投资6.3亿元,占全年计划的78.8%。".split(",")[1])["period_text"] is None
    got = by_raw("1-9月完成投资6.3亿元,占全年计划的78.8%。")
    assert got["78.8%"]["period_text"] == "1-9月"
    assert one("全年计划新建农房120套。")["period_text"] == "全年"


def test_threshold_stays_in_the_noun_head() -> None:
    got = by_raw("为3200名70周岁以上老年人发放补贴96万元。")
    assert got["3200名"]["indicator"].startswith("70周岁以上老年人")


def test_adverb_after_adjacent_counts_is_not_a_name() -> None:
    got = by_raw("全镇易地搬迁户215户863人均已入住。")
    assert got["863人"]["indicator"] == got["215户"]["indicator"]


def test_chinese_decimals_and_seat_counts() -> None:
    assert one("群众满意率为百分之九十八点二。")["value"] == 98.2
    f = one("新建便民桥两座。")
    assert (f["value"], f["unit"]) == (2, "座")


def test_holiday_and_flood_season_periods() -> None:
    assert one("春节假期期间,全县接待游客32.6万人次。")["period_text"] == "春节假期期间"
    assert one("汛期共转移群众1260人。")["period_text"] == "汛期"


def test_period_after_earlier_figures_governs_only_its_part() -> None:
    got = by_raw("截至9月底,全县登记退役军人4210人;全年累计发放优抚金860万元;光荣院3所。")
    assert got["860万元"]["period_text"] == "全年"
    assert got["3所"]["period_text"] == "截至9月底"


def test_change_of_a_decline_rate_names_the_rate() -> None:
    got = by_raw("建筑业产值42.6亿元,下降6.1%,降幅较上半年收窄2.3个百分点。")
    assert got["2.3个百分点"]["indicator"] == "建筑业产值降幅"
    assert facts("二〇二三年全镇平稳。") == []


def test_score_points_after_a_score_word() -> None:
    f = one("年度综合考核得分为93.5分。")
    assert (f["value"], f["unit"], f["indicator"]) == (93.5, "分", "年度综合考核得分")
    assert facts("上午9时15分召开会议。") == []
