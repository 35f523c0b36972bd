import pytest

from tests.transforms._facts import by_raw, one


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("截至9月底,新增市场主体310户。", "截至9月底"),
        ("1-8月,完成税收1.2亿元。", "1-8月"),
        ("今年1至7月共受理投诉52件。", "今年1至7月"),
        ("上半年举办招聘会6场。", "上半年"),
        ("全年接待来访群众410人次。", "全年"),
        ("截止7月20日,累计接种疫苗5.6万剂次。", "截止7月20日"),
        ("今年以来共开展巡查90次。", "今年以来"),
        ("截至目前,已化解矛盾纠纷77起。", "截至目前"),
        ("新增绿化面积5000平方米。", None),
    ],
)
def test_governing_period(sentence: str, period: str | None) -> None:
    assert one(sentence)["period_text"] == period


def test_period_carries_across_the_clauses_of_its_sentence() -> None:
    got = by_raw("截至10月底,辖区企业营业收入12亿元,同比增长8%;新增企业35家。另建成驿站3个。")
    assert got["12亿元"]["period_text"] == "截至10月底"
    assert got["8%"]["period_text"] == "截至10月底"
    assert got["35家"]["period_text"] == "截至10月底"
    assert got["3个"]["period_text"] is None


def test_dates_are_not_facts() -> None:
    assert one("2023年3月15日,社区组织义诊12场。")["raw_value"] == "12场"


def test_comparison_baseline_is_not_the_period() -> None:
    f = by_raw("增速较上半年提升0.9个百分点。")["0.9个百分点"]
    assert f["period_text"] is None


def test_breakdown_sentence_inherits_the_period_before_it() -> None:
    got = by_raw("1-9月实现营业收入8.2亿元。其中,服务业收入3.1亿元。")
    assert got["3.1亿元"]["period_text"] == "1-9月"


def test_this_year_as_a_noun_modifier_is_not_a_period() -> None:
    assert one("完成今年项目签约15个。")["period_text"] is None
    assert one("今年新建公厕6座。")["period_text"] == "今年"


def test_space_before_a_comma_does_not_end_the_sentence() -> None:
    got = by_raw("截至目前,发放告知书310份 ,回收回执300份。")
    assert got["300份"]["period_text"] == "截至目前"


def test_quarter_with_ordinal() -> None:
    assert one("第3季度完成投资2亿元。")["period_text"] == "第3季度"
