"""Evidence selection: unique where it can be, bounded by its sentence (issue 12: linear time)."""
from __future__ import annotations

import pytest

from transforms.extract import EVIDENCE_WINDOW, extract_facts

CASES = [
    # text, expected evidence of each fact in order
    ("全年新增就业岗位320个。", ["全年新增就业岗位320个"]),
    # a clause seen before grows leftwards within its sentence until it is unique
    ("培训农民120人次。春季培训农民120人次，秋季培训农民120人次。",
     ["培训农民120人次", "春季培训农民120人次", "秋季培训农民120人次"]),
]


@pytest.mark.parametrize("text,evidence", CASES)
def test_evidence(text: str, evidence: list[str]) -> None:
    facts = extract_facts(text, "d.txt")
    assert facts["evidence"].to_list() == evidence
    for row in facts.iter_rows(named=True):
        assert text[row["evidence_start"]:row["evidence_end"]] == row["evidence"]


def test_repeated_report_keeps_evidence_within_its_sentence() -> None:
    # a file that is one report pasted many times: evidence never reaches into earlier copies
    copy = "一是招商引资成效明显，签约项目12个，总投资8.6亿元。二是民生保障有力，发放救助金35万元。\n"
    text = copy * (3 * EVIDENCE_WINDOW // len(copy))
    facts = extract_facts(text, "d.txt")
    assert facts.height == 3 * (3 * EVIDENCE_WINDOW // len(copy))
    assert facts["evidence"].str.len_chars().max() <= len(copy)
