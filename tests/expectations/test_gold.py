"""The hand-made gold facts (GUIDELINES.md) are canonical: no row-level expectation rejects them."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from warehouse import keys
from warehouse.dims import dim_unit_frame

GOLD = Path("/work/shared/gold")
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
pytestmark = pytest.mark.skipif(not GOLD.is_dir(), reason="gold standard not available here")


def gold_frames() -> tuple[pl.DataFrame, dict[str, pl.DataFrame], pl.DataFrame]:
    rows, reports = [], []
    for path in sorted(GOLD.glob("*.jsonl")):
        text = (SAMPLES / f"{path.stem}.txt").read_text(encoding="utf-8")
        report_key = keys.report_key(path.stem)
        reports.append({"report_key": report_key, "file_name": f"{path.stem}.txt", "content_sha256": path.stem,
                        "report_id": keys.report_id(f"{path.stem}.txt"), "report_year": 2022,
                        "period_type": "annual", "region_code": "000000000", "region_source": "unknown",
                        "char_count": len(text)})
        for line in path.read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            start = text.find(g["evidence"])  # gold has no offsets: the first occurrence stands in
            value_start = start + g["evidence"].find(g["raw_value"])
            rows.append({
                "report_key": report_key, "region_code": "000000000",
                "indicator_key": keys.indicator_key(g["indicator"]), "unit_key": keys.unit_key(g["unit"]),
                "period_key": keys.md5_key(2022, g["period_text"], "annual"), "indicator_text": g["indicator"],
                "value": Decimal(str(g["value"])), "raw_value": g["raw_value"], "unit": g["unit"],
                "measure": g["measure"], "qualifier": g["qualifier"], "plan": g["plan"],
                "period_text": g["period_text"], "evidence": g["evidence"], "evidence_start": start,
                "evidence_end": start + len(g["evidence"]), "value_start": value_start,
                "value_end": value_start + len(g["raw_value"])})
    facts = keys.with_fact_keys(pl.DataFrame(rows, schema_overrides={"value": pl.Decimal(38, 6),
                                                                     "period_text": pl.Utf8}))
    facts = facts.unique(subset=["fact_key"], keep="first", maintain_order=True)
    names = sorted(set(facts.get_column("indicator_text")))
    dims = {
        "dim_indicator": pl.DataFrame({"indicator_key": [keys.indicator_key(n) for n in names],
                                       "canonical_name": names, "is_catalogued": [False] * len(names)}),
        "dim_unit": dim_unit_frame(facts.get_column("unit").to_list()),
        "dim_period": facts.select("period_key", "period_text").unique("period_key")
        .with_columns(report_year=pl.lit(2022), period_type=pl.lit("annual"),
                      start_date=pl.lit(None, dtype=pl.Date), end_date=pl.lit(None, dtype=pl.Date)),
    }
    return facts, dims, pl.DataFrame(reports)


def test_gold_facts_all_pass(tmp_path: Path) -> None:
    from expectations.validate import validate_run

    facts, dims, reports = gold_frames()
    assert facts.height > 350
    outcome = validate_run(facts, dims, reports, "gold")
    assert outcome.quarantined.select("unit", "raw_value", "expectation", "reason").rows() == []
    assert outcome.success, outcome.failed_expectations
