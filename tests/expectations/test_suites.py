"""The declarative suites, without importing Great Expectations."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from expectations.suites import CANONICAL_UNITS, SUITES, suite_by_table

REPO = Path(__file__).resolve().parents[2]


def test_one_suite_per_table() -> None:
    assert [s.table for s in SUITES] == ["fact_indicator", "dim_report", "dim_indicator", "dim_unit",
                                         "dim_period", "dim_region"]


def test_expectation_names_are_unique_within_a_suite() -> None:
    for suite in SUITES:
        names = [e.name for e in suite.expectations]
        assert len(names) == len(set(names)), suite.name


def test_only_fact_expectations_quarantine() -> None:
    for suite in SUITES:
        if suite.table != "fact_indicator":
            assert not any(e.row_level for e in suite.expectations), suite.name


def test_required_fact_checks_are_present_and_row_level() -> None:
    facts = {e.name: e for e in suite_by_table("fact_indicator").expectations}
    for name in ("fact_key_not_null", "fact_key_unique", "unit_is_canonical", "unit_has_no_magnitude_prefix",
                 "measure_in_set", "qualifier_in_set", "rate_percent_plausible", "yoy_pct_plausible",
                 "level_non_negative", "raw_value_in_evidence", "report_key_in_dim_report",
                 "indicator_key_in_dim_indicator", "unit_key_in_dim_unit", "period_key_in_dim_period"):
        assert facts[name].row_level, name


def test_canonical_units_follow_the_guidelines() -> None:
    assert {"元", "%", "人", "人次", "平方米", "米", "吨", "美元", "百分点", "立方米"} <= CANONICAL_UNITS
    assert not {"万元", "亿元", "万人", "亩", "公里"} & CANONICAL_UNITS


def test_importing_the_package_does_not_import_great_expectations() -> None:
    code = ("import sys; import expectations.suites, expectations.validate; "
            "print('great_expectations' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
