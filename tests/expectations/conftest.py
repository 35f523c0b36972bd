"""One validation of a small hand-made run, shared by the module (GX import ≈ 4 s, once)."""
from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from warehouse import keys

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

REPORT = {
    "report_key": keys.report_key("sha-a"), "file_name": "a.txt", "content_sha256": "sha-a",
    "report_id": keys.report_id("a.txt"), "title": "白杨街道2022年工作总结", "report_year": 2022,
    "period_type": "annual", "publish_date": date(2022, 12, 20), "region_code": "330114002",
    "region_source": "manifest", "region_reason": "manifest", "char_count": 5000,
}
UNIT_KINDS = {"元": "currency", "%": "percent", "个": "count", "人": "people", "万元": "currency",
              "元/月": "rate"}


def fact(name: str, raw: str, value: str, unit: str, measure: str = "level", start: int = 0,
         evidence: str | None = None, **over: Any) -> dict[str, Any]:
    evidence = evidence if evidence is not None else f"{name}{raw}"
    row = {
        "report_key": REPORT["report_key"], "region_code": REPORT["region_code"],
        "indicator_key": keys.indicator_key(name), "unit_key": keys.unit_key(unit),
        "period_key": keys.period_key(2022, None, "annual"), "indicator_text": name,
        "value": Decimal(value), "raw_value": raw, "unit_written": unit, "unit": unit,
        "measure": measure, "qualifier": "exact", "plan": False, "period_text": None,
        "evidence": evidence, "evidence_start": start, "evidence_end": start + len(evidence),
        "value_start": start + len(name), "value_end": start + len(name) + len(raw),
        "section_path": "一", "section_title": "经济",
    }
    row.update(over)
    return row


def frames(rows: list[dict[str, Any]], extra_units: tuple[str, ...] = ()) -> dict[str, Any]:
    facts = keys.with_fact_keys(pl.DataFrame(rows, schema_overrides={"value": pl.Decimal(38, 6),
                                                                     "period_text": pl.Utf8}))
    # dim members for everything the clean facts use (tests break membership on purpose)
    names = sorted({r["indicator_text"] for r in rows})
    units = sorted({r["unit"] for r in rows} | set(extra_units))
    dims = {
        "dim_indicator": pl.DataFrame({"indicator_key": [keys.indicator_key(n) for n in names],
                                       "canonical_name": names, "category": ["x"] * len(names),
                                       "is_catalogued": [True] * len(names)}),
        "dim_unit": pl.DataFrame({"unit_key": [keys.unit_key(u) for u in units], "unit": units,
                                  "unit_kind": [UNIT_KINDS.get(u, "count") for u in units]}),
        "dim_period": pl.DataFrame({"period_key": [keys.period_key(2022, None, "annual")],
                                    "report_year": [2022], "period_text": [None],
                                    "period_type": ["annual"], "start_date": [date(2022, 1, 1)],
                                    "end_date": [date(2022, 12, 31)], "label": ["2022年"]},
                                   schema_overrides={"period_text": pl.Utf8}),
        "dim_region": pl.DataFrame({"region_code": ["330114002", "000000000"],
                                    "street_name": ["白杨街道", "未知"]}),
    }
    return {"facts": facts, "dims": dims, "reports": pl.DataFrame([REPORT])}
