"""The facts frame and JSONL records the pipeline and CLI rely on (docs/architecture.md)."""
import json

import polars as pl

from transforms.extract import FACT_SCHEMA, extract_documents, extract_facts, facts_to_jsonl_records

COLUMNS = ["doc", "evidence", "evidence_start", "evidence_end", "value_start", "value_end", "indicator",
           "raw_value", "unit_written", "value", "unit", "measure", "qualifier", "period_text", "plan",
           "section_path", "section_title", "section_titles",
           "rules"]  # rules: ids of the rules behind each fact (issue 9)
TEXT = "一、经济运行\n上半年,辖区实现营业收入3.25亿元,同比增长4.5%,走访企业120家。"


def test_columns_and_dtypes() -> None:
    df = extract_facts(TEXT, "a.txt")
    assert df.columns == COLUMNS
    assert df.schema["value"] == pl.Decimal(38, 6)
    assert df.schema["plan"] == pl.Boolean
    assert dict(df.schema) == FACT_SCHEMA


def test_offsets_point_into_the_text() -> None:
    for row in extract_facts(TEXT, "a.txt").iter_rows(named=True):
        assert TEXT[row["evidence_start"]:row["evidence_end"]] == row["evidence"]
        assert TEXT[row["value_start"]:row["value_end"]] == row["raw_value"]
        assert row["evidence_start"] <= row["value_start"] < row["value_end"] <= row["evidence_end"]


def test_rows_in_text_order() -> None:
    df = extract_facts(TEXT, "a.txt")
    assert df["value_start"].to_list() == sorted(df["value_start"].to_list())
    assert df["unit_written"].to_list() == ["亿元", "%", "家"]


def test_empty_text_gives_an_empty_frame_with_the_schema() -> None:
    df = extract_facts("", "empty.txt")
    assert df.height == 0 and df.columns == COLUMNS


def test_batch_keeps_documents_apart() -> None:
    df = extract_documents([("a.txt", TEXT), ("b.txt", "新建公园2个。")])
    assert df.filter(pl.col("doc") == "b.txt")["raw_value"].to_list() == ["2个"]
    assert df.filter(pl.col("doc") == "a.txt").height == 3


def test_jsonl_records_have_json_numbers() -> None:
    records = facts_to_jsonl_records(extract_facts(TEXT, "a.txt"))
    values = [r["value"] for r in records]
    assert values == [325000000, 4.5, 120]
    assert isinstance(values[0], int) and isinstance(values[1], float)
    line = json.dumps(records[0], ensure_ascii=False)
    assert '"value": 325000000' in line
    assert set(records[0]) >= {"doc", "evidence", "indicator", "raw_value", "value", "unit", "measure",
                               "qualifier", "period_text", "plan", "evidence_start", "evidence_end"}
