import pytest

from tests.transforms._facts import one


@pytest.mark.parametrize(
    ("sentence", "value", "qualifier"),
    [
        ("开展义诊活动30余场。", 30, "more_than"),
        ("服务老人4万余人次。", 40000, "more_than"),
        ("接待游客800多人。", 800, "more_than"),
        ("新增就业岗位超1500个。", 1500, "more_than"),
        ("培训农民超过600人。", 600, "more_than"),
        ("引进项目逾20个。", 20, "more_than"),
        ("惠及群众百余户。", 100, "more_than"),
        ("每名队员服务40小时以上。", 40, "more_than"),
        ("清理垃圾近900吨。", 900, "approx"),
        ("覆盖居民约1.5万户。", 15000, "approx"),
        ("发放物资2000份左右。", 2000, "approx"),
        ("空置率不足3%。", 3, "less_than"),
        ("平均办理时间不到2天。", 2, "less_than"),
        ("排查商铺46家。", 46, "exact"),
    ],
)
def test_qualifier_words(sentence: str, value: float, qualifier: str) -> None:
    f = one(sentence)
    assert (f["value"], f["qualifier"]) == (value, qualifier)


def test_word_ending_in_yue_is_not_approx() -> None:
    # 签约 ends in 约 but says nothing about precision
    f = one("新签约企业14家。")
    assert (f["value"], f["qualifier"]) == (14, "exact")


def test_yue_after_a_noun_is_approx() -> None:
    f = one("发放救助金约260万元。")
    assert (f["value"], f["qualifier"]) == (2600000, "approx")
