from transforms.extract import extract_facts
from transforms.sections import SectionIndex
from tests.transforms._facts import facts

TEXT = """某街道工作总结
一、经济发展
(一)招商引资
1.签约项目12个。
2.到位资金3亿元。
(二)財政
收入5亿元。
二、明年工作计划
新增项目8个。
"""


def test_section_path_and_title() -> None:
    got = {f["raw_value"]: (f["section_path"], f["section_title"]) for f in facts(TEXT)}
    assert got["12个"] == ("一/(一)/1", "签约项目12个")
    assert got["5亿元"] == ("一/(二)", "財政")
    assert got["8个"] == ("二", "明年工作计划")


def test_inline_headings_in_one_paragraph_reports() -> None:
    index = SectionIndex("一、上半年工作总结 今年开展活动3场。 二、下半年工作计划 (一)抓项目 新开工2个。")
    assert [(s.path, s.title, s.plan) for s in index.sections] == [
        ("一", "上半年工作总结", False), ("二", "下半年工作计划", True), ("二/(一)", "抓项目", True)]


def test_no_headings() -> None:
    f = facts("全年新增就业岗位150个。")[0]
    assert f["section_path"] is None and f["section_title"] is None


def test_headings_after_a_full_stop_in_run_on_text() -> None:
    got = {f["raw_value"]: f for f in facts("一、主要成效。新增就业120人。二、明年工作打算。力求新增就业150人。")}
    assert got["120人"]["plan"] is False and got["120人"]["section_path"] == "一"
    assert got["150人"]["plan"] is True and got["150人"]["section_title"] == "明年工作打算"


def test_section_titles_hold_every_heading_from_the_outermost() -> None:
    got = {f["raw_value"]: (f["section_titles"], f["section_title"])
           for f in extract_facts(TEXT, "t.txt").iter_rows(named=True)}
    assert got["12个"] == ("经济发展 / 招商引资 / 签约项目12个", "签约项目12个")
    assert got["5亿元"] == ("经济发展 / 財政", "財政")
    assert got["8个"] == ("明年工作计划", "明年工作计划")


def test_section_titles_reset_when_a_heading_closes_its_level() -> None:
    index = SectionIndex("一、甲 (一)乙 1.丙。 (二)丁 二、戊 (一)己")
    assert [s.titles for s in index.sections] == [
        ("甲",), ("甲", "乙"), ("甲", "乙", "丙"), ("甲", "丁"), ("戊",), ("戊", "己")]
