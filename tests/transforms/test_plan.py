from tests.transforms._facts import by_raw, facts, one

REPORT = """某镇2023年工作总结
一、2023年工作成效
新建污水管网3.5公里,改造农房40户。
二、2024年工作思路
计划新建污水管网5公里,改造农房60户。
"""


def test_facts_in_a_plan_section_are_plans() -> None:
    got = {(f["raw_value"], f["plan"]) for f in facts(REPORT)}
    assert got == {("3.5公里", False), ("40户", False), ("5公里", True), ("60户", True)}


def test_target_words_make_a_plan() -> None:
    assert one("力争全年引进企业50家。")["plan"] is True
    assert one("拟新增托育名额80个。")["plan"] is True
    assert one("引进企业50家。")["plan"] is False


def test_work_summary_section_is_not_a_plan() -> None:
    got = by_raw("一、上半年工作总结 开展培训9场。 二、下半年工作部署 再开展培训12场。")
    assert got["9场"]["plan"] is False and got["12场"]["plan"] is True


def test_the_noun_plan_is_not_a_target() -> None:
    assert one("印发行动计划,新建口袋公园7个。")["plan"] is False
