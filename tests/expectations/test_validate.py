"""validate_run on a hand-made run: what passes, what is quarantined and why, results; no GX Data Docs."""
from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from expectations.suites import SUITES


def quarantined_by_case(validated) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, expectation in validated["outcome"].quarantined.select("fact_key", "expectation").iter_rows():
        out.setdefault(validated["case_of_key"][key], set()).add(expectation)
    return out


def test_every_bad_fact_is_quarantined_by_its_expectation(validated) -> None:
    got = quarantined_by_case(validated)
    for name, expected in validated["expected"].items():
        if expected is not None:
            assert expected in got.get(name, set()), f"{name}: {got.get(name)}"


def test_clean_facts_pass(validated) -> None:
    got = quarantined_by_case(validated)
    clean = [n for n, e in validated["expected"].items() if e is None]
    assert not {n: got[n] for n in clean if n in got}
    passed = {validated["case_of_key"][k] for k in validated["outcome"].passed_facts.get_column("fact_key")}
    assert passed == set(clean)


def test_wan_yuan_is_quarantined_with_name_and_reason(validated) -> None:
    q = validated["outcome"].quarantined.filter(pl.col("unit") == "万元")
    assert set(q.get_column("expectation")) == {"unit_has_no_magnitude_prefix", "unit_is_canonical"}
    reasons = " ".join(q.get_column("reason"))
    assert "万元" in reasons and "magnitude prefix" in reasons


def test_reasons_are_readable(validated) -> None:
    q = validated["outcome"].quarantined
    reason = lambda e: q.filter(pl.col("expectation") == e).get_column("reason")[0]  # noqa: E731
    assert reason("rate_percent_plausible") == "rate 250% is outside 0–150"
    assert reason("raw_value_in_evidence") == "raw_value '120个' is not in evidence '新增就业岗位一百二十个'"
    assert "无名指标" in reason("indicator_key_in_dim_indicator")


def test_nothing_is_silently_dropped(validated) -> None:
    outcome, facts = validated["outcome"], validated["facts"]
    quarantined_keys = set(outcome.quarantined.get_column("fact_key"))
    passed_keys = set(outcome.passed_facts.get_column("fact_key"))
    assert not quarantined_keys & passed_keys
    assert quarantined_keys | passed_keys == set(facts.get_column("fact_key"))


def test_frames_keep_fact_columns_and_exact_decimals(validated) -> None:
    outcome, facts = validated["outcome"], validated["facts"]
    assert outcome.passed_facts.schema == facts.schema
    assert outcome.quarantined.columns == facts.columns + ["expectation", "reason", "run_id"]
    assert outcome.quarantined.schema["value"] == pl.Decimal(38, 6)
    assert set(outcome.quarantined.get_column("run_id")) == {"run-1"}


def test_results_have_one_row_per_expectation_per_suite(validated) -> None:
    results = validated["outcome"].results
    expected = [(s.name, e.name) for s in SUITES for e in s.expectations]
    assert list(results.select("suite", "expectation").iter_rows()) == expected
    assert results.columns == ["run_id", "suite", "table_name", "expectation", "expectation_type", "column_name",
                               "kwargs", "success", "row_level", "element_count", "unexpected_count",
                               "unexpected_percent", "observed"]
    row = results.filter((pl.col("suite") == "fact_indicator") & (pl.col("expectation") == "rate_percent_plausible")).row(0, named=True)
    assert row["success"] is False and row["unexpected_count"] == 1 and row["row_level"] is True
    assert row["expectation_type"] == "expect_column_values_to_be_between"
    assert json.loads(row["kwargs"])["max_value"] == 150
    assert json.loads(row["observed"]) == [250.0]


def test_outcome_success_and_failed_list(validated) -> None:
    outcome = validated["outcome"]
    assert outcome.success is False and outcome.errors == []
    assert "fact_indicator.unit_is_canonical" in outcome.failed_expectations
    # the bad units are also members of dim_unit, whose suite reports (not quarantines) them
    assert {n.split(".")[0] for n in outcome.failed_expectations} == {"fact_indicator", "dim_unit"}
    assert "dim_unit.dim_unit_has_no_magnitude_prefix" in outcome.failed_expectations


def test_no_gx_data_docs_are_written(validated) -> None:
    # GX's Data Docs render blank offline and cost seconds per run: the run's own report replaces them.
    assert validated["outcome"].docs_index is None
    assert not validated["docs"].exists()



def test_clean_run_succeeds_and_empty_facts_validate(make, tmp_path: Path) -> None:
    from expectations.validate import validate_run

    built = make["frames"]([make["fact"]("地方税收收入", "8.63亿元", "863000000", "元")])
    outcome = validate_run(built["facts"], built["dims"], built["reports"], "clean")
    assert outcome.success, outcome.failed_expectations
    assert outcome.quarantined.height == 0 and outcome.passed_facts.height == 1

    empty = built["facts"].clear()
    outcome = validate_run(empty, built["dims"], built["reports"], "empty")
    assert outcome.passed_facts.height == 0 and outcome.quarantined.height == 0
    assert outcome.errors == []
    assert (outcome.results.get_column("element_count") > 0).any()  # the reports were validated


def test_nothing_new_is_not_run_through_gx(make) -> None:
    from expectations.validate import NOTHING_NEW, validate_run

    built = make["frames"]([make["fact"]("地方税收收入", "8.63亿元", "863000000", "元")])
    outcome = validate_run(built["facts"].clear(), built["dims"], built["reports"].clear(), "nothing")
    expected = [(s.name, e.name) for s in SUITES for e in s.expectations]
    assert list(outcome.results.select("suite", "expectation").iter_rows()) == expected
    assert outcome.results.get_column("success").all() and outcome.results.get_column("element_count").sum() == 0
    assert set(outcome.results.get_column("observed")) == {json.dumps(NOTHING_NEW, ensure_ascii=False)}
    assert outcome.success and outcome.quarantined.height == 0
    assert outcome.quarantined.columns == built["facts"].columns + ["expectation", "reason", "run_id"]


def test_null_and_duplicate_fact_keys_are_quarantined(make, tmp_path: Path) -> None:
    from expectations.validate import validate_run

    f = make["fact"]
    built = make["frames"]([f("地方税收收入", "8.63亿元", "863000000", "元"),
                            f("新增就业岗位", "120个", "120", "个", start=40)])
    facts = built["facts"]
    facts = pl.concat([facts, facts.head(1),
                       facts.tail(1).with_columns(fact_key=pl.lit(None, dtype=pl.Utf8))])
    outcome = validate_run(facts, built["dims"], built["reports"], "keys")
    assert sorted(outcome.quarantined.get_column("expectation").to_list()) == ["fact_key_not_null", "fact_key_unique"]
    assert outcome.passed_facts.height == 2  # the first of the duplicates passes


def test_missing_fact_column_is_an_error(make, tmp_path: Path) -> None:
    import pytest

    from expectations.validate import validate_run

    built = make["frames"]([make["fact"]("地方税收收入", "8.63亿元", "863000000", "元")])
    with pytest.raises(ValueError, match="unit_key"):
        validate_run(built["facts"].drop("unit_key"), built["dims"], built["reports"], "x")


def test_outcome_loads_into_the_warehouse(validated) -> None:
    import polars as pl

    from warehouse.contracts import table
    from warehouse.db import connect
    from warehouse.load import ChunkLoad, finish_run, load_chunk, start_run

    def contract_frame(frame: pl.DataFrame, name: str, extra: tuple[str, ...] = ()) -> pl.DataFrame:
        """The test's hand-built frame with the contract's columns (absent ones NULL)."""
        schema = table(name).polars_schema()
        return frame.with_columns([pl.lit(None, dtype=t).alias(c) for c, t in schema.items()
                                   if c not in frame.columns]).select(list(schema) + list(extra))

    outcome = validated["outcome"]
    con = connect(":memory:")
    start_run(con, {"run_id": "run-1"})
    quarantine = contract_frame(outcome.quarantined, "fact_indicator", ("expectation", "reason"))
    counts = load_chunk(con, ChunkLoad(
        run_id="run-1", chunk=1, dims={name: contract_frame(frame, name) for name, frame in validated["dims"].items()},
        facts=contract_frame(outcome.passed_facts, "fact_indicator"),
        quarantine=quarantine, dq_results=outcome.results.drop("run_id")))
    assert counts["fact_indicator"] == outcome.passed_facts.height
    assert counts["quarantine_fact"] == outcome.quarantined.height
    assert counts["dq_expectation_result"] == outcome.results.height
    assert con.execute("select count(*) from quarantine_fact where expectation = 'unit_is_canonical' "
                       "and unit = '万元'").fetchone()[0] == 1
    final = finish_run(con, "run-1", {"dq_report_path": "/q/run-1/report.html"})
    assert final["status"] == "partial"
    assert final["facts_quarantined"] == len(set(outcome.quarantined.get_column("fact_key")))


def test_chunks_merge_into_one_result_per_expectation(make) -> None:
    from expectations.validate import merge_outcomes, validate_run

    f = make["fact"]
    clean = make["frames"]([f("地方税收收入", "8.63亿元", "863000000", "元")])
    dirty = make["frames"]([f("新增就业岗位", "120个", "120", "个"), f("财政收入", "3万元", "3", "万元", start=40)])
    parts = [validate_run(b["facts"], b["dims"], b["reports"], f"chunk-{i}") for i, b in enumerate((clean, dirty))]
    nothing = validate_run(clean["facts"].clear(), clean["dims"], clean["reports"].clear(), "chunk-2")
    merged = merge_outcomes([*parts, nothing], "run-9")
    expected = [(s.name, e.name) for s in SUITES for e in s.expectations]
    assert list(merged.results.select("suite", "expectation").iter_rows()) == expected
    assert set(merged.results.get_column("run_id")) == {"run-9"}
    facts_rows = merged.results.filter(pl.col("suite") == "fact_indicator")
    summed = parts[0].results.get_column("element_count") + parts[1].results.get_column("element_count")
    assert merged.results.get_column("element_count").to_list() == summed.to_list()  # the empty chunk adds none
    assert facts_rows.filter(pl.col("expectation") == "fact_key_not_null").item(0, "element_count") == 3
    unit = facts_rows.filter(pl.col("expectation") == "unit_is_canonical").row(0, named=True)
    assert (unit["success"], unit["unexpected_count"]) == (False, 1)
    assert unit["observed"] == parts[1].results.filter(
        (pl.col("suite") == "fact_indicator") & (pl.col("expectation") == "unit_is_canonical")).item(0, "observed")
    assert "fact_indicator.unit_is_canonical" in merged.failed_expectations and not merged.success
    assert merged.passed_facts.height + merged.quarantined.get_column("fact_key").n_unique() == 3
    alone = merge_outcomes([parts[0]], "run-10")
    assert alone.results.drop("run_id").equals(parts[0].results.drop("run_id")) and alone.success
