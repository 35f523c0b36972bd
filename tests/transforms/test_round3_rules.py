"""Rules added in the third unseen-genre round (invented sentences, not the fixture text)."""
from __future__ import annotations

from tests.transforms._facts import by_raw, facts, one


def test_vague_round_numbers() -> None:
    f = one("走访慰问受众万余人次。")
    assert (f["value"], f["unit"], f["qualifier"]) == (10000, "人次", "more_than")
    f = one("组织巡河活动上百次。")
    assert (f["value"], f["unit"], f["qualifier"]) == (100, "次", "more_than")
    f = one("帮扶4千余人次。")
    assert (f["value"], f["unit"], f["qualifier"]) == (4000, "人次", "more_than")
    f = one("为近百名困境儿童建立档案。")
    assert (f["value"], f["unit"], f["qualifier"]) == (100, "人", "approx")
    assert facts("清理河道垃圾点数十个。") == []  # 数十: no determinate number


def test_thousand_is_split_only_where_the_table_has_no_unit() -> None:
    assert (one("新修便道3千米。")["value"], one("新修便道3千米。")["unit"]) == (3000, "米")
    assert one("新增装机8千瓦。")["unit"] == "千瓦"
    assert one("回收农膜2千克。")["unit"] == "吨"


def test_room_and_vehicle_trip_units() -> None:
    f = one("巡查群租房1.2万余间次。")
    assert (f["value"], f["unit"], f["qualifier"]) == (12000, "间次", "more_than")
    assert one("检查运输车辆380辆次。")["unit"] == "辆次"
    f = one("进出口总额56.2亿元人民币。")
    assert (f["value"], f["unit"]) == (5620000000, "元")


def test_names_and_descriptors_are_not_counts() -> None:
    assert facts("入选全省百名优秀乡村工匠。") == []          # bare 百 + adjective: a title
    assert facts("建立24小时轮班值守的应急机制。") == []         # duration inside a 的-modifier
    assert facts("按每千人3名标准配备社区工作者。") == []       # a staffing norm
    assert facts("围绕产业、生态、治理三大重点,") == []          # N大 + 重点: a grouping
    got = by_raw("其中过5亿元项目3个。")                       # amount + noun + count: a threshold
    assert list(got) == ["3个"] and "项目" in got["3个"]["indicator"]
    got = by_raw("经营收入超30万元的村达到6个。")
    assert list(got) == ["6个"]


def test_implied_measure_word_and_moment_words() -> None:
    f = one("当前五项目均已开工。")
    assert (f["value"], f["unit"], f["raw_value"]) == (5, "个", "五项目")


def test_pulling_down_and_amount_changes() -> None:
    f = one("工业投资下降,拉低全县投资增速1.6个百分点。")
    assert (f["value"], f["measure"]) == (-1.6, "change")
    f = one("城镇人口减少1.3万人。")
    assert (f["value"], f["measure"]) == (-13000, "change")
    got = by_raw("贸易逆差12.4亿元,比上年缩小3.1亿元。")
    assert (got["3.1亿元"]["value"], got["3.1亿元"]["measure"], got["3.1亿元"]["indicator"]) == (-310000000, "change", "贸易逆差")


def test_indicator_trims() -> None:
    got = by_raw("税收收入完成8.1亿元,增长6%(按可比口径计算增长7.2%)。")
    assert got["7.2%"]["indicator"] == got["8.1亿元"]["indicator"]
    assert one("拆迁签约320户,完成率97.5%。".split(",")[1])["indicator"] == "完成率"
    assert one("负债率下降至61.2%。")["indicator"] == "负债率"
    assert one("查处违法行为15起。")["indicator"] == "查处违法行为"
    got = by_raw("一般贸易出口42亿元,占出口总额的比重为58%。")
    assert got["58%"]["indicator"] == "一般贸易出口占出口总额的比重"
    got = by_raw("城镇、农村居民收入(含转移性收入)分别增长5.1%和6.3%。")
    assert (got["5.1%"]["indicator"], got["6.3%"]["indicator"]) == ("城镇居民收入", "农村居民收入")


def test_plans_and_periods() -> None:
    got = by_raw("下半年,社区将持续发力,新增就业岗位300个。")
    assert got["300个"]["plan"] is True
    got = by_raw("对辖区46个小区(高层12个、多层34个)进行改造,计划三年内全部完成。")
    assert all(f["plan"] and f["period_text"] == "三年内" for f in got.values())
    assert one("年末全县户籍人口52.3万人。")["period_text"] == "年末"
    assert one("比上年末增加0.4万人。")["period_text"] is None
    got = by_raw("1-6月,新增企业30家(其中今年新入规企业2家),实现产值12亿元。")
    assert got["12亿元"]["period_text"] == "1-6月"
    assert got["2家"]["period_text"] == "今年"


def test_a_number_ending_the_text_counts() -> None:
    assert one("新增绿地1200平方米")["value"] == 1200


def test_trillions_tenths_and_streaks() -> None:
    f = one("全省地区生产总值首次突破5.2万亿元。")
    assert (f["value"], f["qualifier"], f["indicator"]) == (5200000000000, "more_than", "全省地区生产总值")
    f = one("蔬菜价格上涨两成。")
    assert (f["value"], f["unit"], f["measure"]) == (20, "%", "yoy_pct")
    assert facts("出口连续18个月保持正增长。") == []
    got = by_raw("开展“百千万工程”“乡村工匠”两项培训1200余人次。")
    assert list(got) == ["1200余人次"]


def test_respectively_items_with_and_inside() -> None:
    got = by_raw("文化旅游、节能环保和农林水支出分别完成3.2亿元、1.1亿元和4.6亿元。")
    assert [got[r]["indicator"] for r in ("3.2亿元", "1.1亿元", "4.6亿元")] == ["文化旅游支出", "节能环保支出", "农林水支出"]


def test_expected_and_planned_amounts_are_plans() -> None:
    got = by_raw("年度计划投资560亿元,实际完成投资602亿元,完成年度计划的107.5%。")
    assert (got["560亿元"]["plan"], got["602亿元"]["plan"], got["107.5%"]["plan"]) == (True, False, False)
    assert one("全区生产总值预期增长6%左右。")["plan"] is True
    got = by_raw("高新技术产业增加值增长9.1%,占规上工业比重达到38.2%。")
    assert got["38.2%"]["indicator"] == "高新技术产业增加值占规上工业比重"


def test_nouns_joined_by_and_name_one_count() -> None:
    got = by_raw("为辖区420名退役军人和优抚对象发放慰问金38万元。")
    assert "退役军人和优抚对象" in got["420名"]["indicator"]
