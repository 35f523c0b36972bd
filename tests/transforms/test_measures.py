from tests.transforms._facts import by_raw


def test_yoy_growth_takes_the_indicator_of_its_level() -> None:
    got = by_raw("今年1-9月,镇级财政收入3.4亿元,同比增长12.6%。")
    level, growth = got["3.4亿元"], got["12.6%"]
    assert level["measure"] == "level"
    assert growth["measure"] == "yoy_pct" and growth["value"] == 12.6
    assert growth["indicator"] == level["indicator"] == "镇级财政收入"


def test_yoy_decline_is_negative() -> None:
    got = by_raw("工业用电量5600万千瓦时,同比下降3.2%。")
    assert got["3.2%"]["measure"] == "yoy_pct" and got["3.2%"]["value"] == -3.2


def test_rate_words() -> None:
    got = by_raw("垃圾分类知晓率达98%,服务站点覆盖率为100%。")
    assert got["98%"]["measure"] == "rate" and got["98%"]["indicator"] == "垃圾分类知晓率"
    assert got["100%"]["measure"] == "rate"


def test_change_against_a_baseline_is_negative_for_decrease() -> None:
    got = by_raw("村干部平均年龄较上届下降4.3岁。")
    f = got["4.3岁"]
    assert (f["measure"], f["value"], f["unit"]) == ("change", -4.3, "岁")


def test_percentage_points() -> None:
    got = by_raw("城镇化率提高1.8个百分点。")
    f = got["1.8个百分点"]
    assert (f["measure"], f["value"], f["unit"]) == ("change", 1.8, "百分点")


def test_points_change_after_a_rate_names_that_rate() -> None:
    got = by_raw("绿化覆盖率达到41.5%,比上年提高0.6个百分点。")
    assert got["0.6个百分点"]["indicator"] == got["41.5%"]["indicator"] == "绿化覆盖率"
    assert got["0.6个百分点"]["measure"] == "change"


def test_price_index_rise_is_growth() -> None:
    got = by_raw("商品零售价格指数上涨1.7%。")
    f = got["1.7%"]
    assert (f["measure"], f["indicator"]) == ("yoy_pct", "商品零售价格指数")


def test_dollar_level_then_decline() -> None:
    got = by_raw("完成外贸进口12.5亿美元,下降4.1%。")
    assert got["12.5亿美元"]["value"] == 1250000000 and got["12.5亿美元"]["unit"] == "美元"
    assert got["4.1%"]["value"] == -4.1 and got["4.1%"]["indicator"] == "外贸进口"
