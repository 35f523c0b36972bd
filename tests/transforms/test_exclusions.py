import pytest

from tests.transforms._facts import facts


@pytest.mark.parametrize(
    "sentence",
    [
        "2021年,街道各项工作稳步推进。",                 # a year
        "11月20日召开动员大会。",                       # a date
        "深入学习贯彻党的二十大精神。",                   # a congress
        "编制“十四五”规划。",                           # a plan name
        "畅通12345热线诉求渠道。",                      # a hotline name
        "构建“1+5+N”服务体系。",                       # a formula name
        "落实“321”工作机制。",                           # a quoted name
        "做好5·12防灾宣传。",                            # a dated event
        "建设35kV变电站。",                             # a voltage in a name
        "完善五级网格体系。",                           # a hierarchy, not a count
        "全市排名第三位。",                             # a rank
        "入选第二批试点名单。",                          # an ordinal
        "深入开展一次性告知服务。",                       # an idiom
        "上一轮评估已经完成。",                         # a determiner
        "实施二次供水改造。",                           # 二 as ordinal
        "坚决做到两个维护。",                           # a slogan naming principles
        "温暖千家万户。",                               # an idiom
        "践行三个代表重要思想。",                        # a dictionary phrase
    ],
)
def test_not_a_fact(sentence: str) -> None:
    assert facts(sentence) == []


def test_list_numbering_is_not_a_fact() -> None:
    text = "一、主要成效\n(一)民生保障。1.新增公益岗位30个。一是开展招聘会4场。"
    assert sorted(f["raw_value"] for f in facts(text)) == ["30个", "4场"]


def test_threshold_inside_noun_phrase_is_not_a_fact() -> None:
    got = [f["raw_value"] for f in facts("走访80岁以上老人260名,服务5000万元以上企业18家。")]
    assert got == ["260名", "18家"]


def test_comparator_threshold_is_not_a_fact() -> None:
    got = [f["raw_value"] for f in facts("帮扶年收入低于3万元的农户52户。")]
    assert got == ["52户"]
