from decimal import Decimal

import polars as pl

from transforms.extract import extract_facts
from tests.transforms._facts import by_raw, one


def test_money_multipliers_are_exact_decimals() -> None:
    df = extract_facts("全镇完成招商引资16.4亿元。", "t.txt")
    assert df.schema["value"] == pl.Decimal(38, 6)
    assert df["value"][0] == Decimal("1640000000")
    assert df["unit"][0] == "元"


def test_qianwan_yuan_and_wan_yuan() -> None:
    got = by_raw("争取上级资金3千万元,发放奖补资金45.5万元。")
    assert got["45.5万元"]["value"] == 455000 and got["45.5万元"]["unit"] == "元"


def test_people_words_become_ren() -> None:
    got = by_raw("培训网格员86名,新招聘社工12位。")
    assert got["86名"]["unit"] == "人" and got["12位"]["unit"] == "人"


def test_wan_renci() -> None:
    f = one("全年服务群众3.2万人次。")
    assert (f["value"], f["unit"]) == (32000, "人次")


def test_area_units() -> None:
    got = by_raw("新建绿地1.2万平方米,流转耕地300亩,改造厂房8000㎡。")
    assert got["1.2万平方米"]["value"] == 12000 and got["1.2万平方米"]["unit"] == "平方米"
    assert got["300亩"]["unit"] == "平方米" and abs(got["300亩"]["value"] - 200000.01) < 0.001
    assert got["8000㎡"]["value"] == 8000


def test_kilometres_become_metres() -> None:
    f = one("新修村道6.5公里。")
    assert (f["value"], f["unit"]) == (6500, "米")


def test_dollars() -> None:
    f = one("实现外贸出口2.3亿美元。")
    assert (f["value"], f["unit"]) == (230000000, "美元")


def test_tonnes_from_kilograms() -> None:
    f = one("回收废旧电池500公斤。")
    assert (f["value"], f["unit"]) == (0.5, "吨")


def test_measure_words_are_their_own_unit() -> None:
    got = by_raw("走访商户320户,调处纠纷45起,发放宣传册900份。")
    assert {k: v["unit"] for k, v in got.items()} == {"320户": "户", "45起": "起", "900份": "份"}


def test_unknown_measure_word_is_kept_as_written() -> None:
    f = one("拆除违章鸽棚17棚。")
    assert (f["value"], f["unit"]) == (17, "棚")


def test_percent_and_duration() -> None:
    got = by_raw("公众满意率达96.5%,审批时限压缩至3天。")
    assert got["96.5%"]["unit"] == "%" and got["3天"]["unit"] == "天"


def test_thousands_separator_stays_inside_the_clause() -> None:
    f = one("改造老旧管网2,340米。")
    assert (f["value"], f["unit"], f["evidence"]) == (2340, "米", "改造老旧管网2,340米")


def test_per_unit_amounts_keep_their_written_rate_unit() -> None:
    f = one("护理补贴标准为680元/月。")
    assert (f["value"], f["unit"]) == (680, "元/月")


def test_duration_is_a_fact_but_not_when_it_describes_a_noun() -> None:
    assert one("仅用12天完成搬迁。")["unit"] == "天"
    assert [f["raw_value"] for f in by_raw("编制5年发展规划,开通24小时服务热线,新建驿站4个。").values()] == ["4个"]


def test_full_width_digits_and_percent() -> None:
    got = by_raw("新建公厕１２座，覆盖率达９５％。")
    assert got["１２座"]["value"] == 12 and got["９５％"]["unit"] == "%" and got["９５％"]["value"] == 95
