"""One validation of a small hand-made run, shared by the module (GX import ≈ 4 s, once)."""
from __future__ import annotations

import os
import time
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
              "元/月": "rate", "元/人/月": "rate", "百分点": "percentage_point", "千瓦": "power", "人次": "person_times",
              "岁": "duration", "‰": "percent"}


def fact(name: str, raw: str, value: str, unit: str, measure: str = "level", start: int = 0,
         evidence: str | None = None, **over: Any) -> dict[str, Any]:
    evidence = evidence if evidence is not None else f"{name}{raw}"
    row = {
        "report_key": REPORT["report_key"], "region_code": REPORT["region_code"],
        "indicator_key": keys.indicator_key(name), "unit_key": keys.unit_key(unit),
        "period_key": keys.md5_key(2022, None, "annual"), "indicator_text": name,
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
        "dim_period": pl.DataFrame({"period_key": [keys.md5_key(2022, None, "annual")],
                                    "report_year": [2022], "period_text": [None],
                                    "period_type": ["annual"], "start_date": [date(2022, 1, 1)],
                                    "end_date": [date(2022, 12, 31)], "label": ["2022年"]},
                                   schema_overrides={"period_text": pl.Utf8}),
        "dim_region": pl.DataFrame({"region_code": ["330114002", "000000000"],
                                    "region_name": ["白杨街道", "(unknown)"], "street_name": ["白杨街道", "未知"]}),
    }
    return {"facts": facts, "dims": dims, "reports": pl.DataFrame([REPORT])}


# ───────────── the shared validation (session-scoped: GX import and one run, once) ─────────────
import pytest  # noqa: E402

CASES = {
    # name → (fact row, expected failing expectation or None)
    "clean_money": (fact("地方税收收入", "8.63亿元", "863000000", "元", evidence="地方税收收入达8.63亿元", start=0), None),
    "clean_growth": (fact("地方税收收入", "1.89%", "1.89", "%", measure="yoy_pct", start=20), None),
    "clean_rate": (fact("签约率", "89.23%", "89.23", "%", measure="rate", start=40), None),
    "clean_count": (fact("检查企业", "120家次", "120", "家次", start=60, qualifier="more_than"), None),
    "clean_per_unit": (fact("人均补贴", "500元/月", "500", "元/月", start=80), None),
    "clean_change": (fact("平均年龄", "2.5岁", "-2.5", "岁", measure="change", start=100), None),
    "clean_points": (fact("占比提高", "1.2个百分点", "1.2", "百分点", measure="change", start=340), None),
    "clean_kilowatt": (fact("光伏装机", "500千瓦", "500", "千瓦", start=360), None),
    "clean_person_times": (fact("服务群众", "3万人次", "30000", "人次", start=380), None),
    "clean_per_person_month": (fact("生活补贴", "300元/人/月", "300", "元/人/月", start=400), None),
    "clean_permille": (fact("人口出生率", "8.5‰", "8.5", "‰", measure="rate", start=420), None),
    "clean_head_or_each": (fact("生猪存栏", "3.2万头（只）", "32000", "头（只）", start=440), None),
    "unit_wan_yuan": (fact("财政收入", "5万元", "5", "万元", start=120), "unit_has_no_magnitude_prefix"),
    "rate_250": (fact("完成率", "250%", "250", "%", measure="rate", start=140), "rate_percent_plausible"),
    "raw_not_in_evidence": (fact("新增就业岗位", "120个", "120", "个", start=160, evidence="新增就业岗位一百二十个"),
                            "raw_value_in_evidence"),
    "missing_indicator": (fact("无名指标", "3个", "3", "个", start=180), "indicator_key_in_dim_indicator"),
    "missing_period": (fact("培训", "3场", "3", "场", start=200, period_key="no-such-period"),
                       "period_key_in_dim_period"),
    "yoy_2000": (fact("工业产值", "2000%", "2000", "%", measure="yoy_pct", start=220), "yoy_pct_plausible"),
    "negative_level": (fact("企业数", "-3家", "-3", "家", start=240), "level_non_negative"),
    "bad_measure": (fact("企业数", "4家", "4", "家", measure="total", start=260), "measure_in_set"),
    "bad_qualifier": (fact("企业数", "5家", "5", "家", start=280, qualifier="roughly"), "qualifier_in_set"),
    "wan_ge": (fact("新建项目", "2万个", "20000", "万个", start=300), "unit_has_no_magnitude_prefix"),
    "unknown_unit": (fact("面积", "30亩", "30", "亩", start=320), "unit_is_canonical"),
}
NOT_IN_DIMS = {"missing_indicator"}  # its indicator is left out of dim_indicator


def _case_frames() -> dict:
    rows = [dict(row, indicator_text=row["indicator_text"]) for row, _ in CASES.values()]
    built = frames(rows)
    skip = {keys.indicator_key(CASES[c][0]["indicator_text"]) for c in NOT_IN_DIMS}
    built["dims"]["dim_indicator"] = built["dims"]["dim_indicator"].filter(~pl.col("indicator_key").is_in(list(skip)))
    # 亩 is not canonical and not a measure word: give it the kind a careless classifier would
    built["dims"]["dim_unit"] = built["dims"]["dim_unit"].with_columns(
        unit_kind=pl.when(pl.col("unit") == "亩").then(pl.lit("area")).otherwise(pl.col("unit_kind")))
    built["case_of_key"] = dict(zip(built["facts"].get_column("fact_key").to_list(), CASES))
    built["expected"] = {name: expected for name, (_, expected) in CASES.items()}
    return built


@pytest.fixture(scope="session")
def validated(tmp_path_factory):
    from expectations.validate import validate_run

    built = _case_frames()
    docs = tmp_path_factory.mktemp("dq") / "run-1"
    import great_expectations  # noqa: F401  (import outside the timing)

    started = time.perf_counter()
    outcome = validate_run(built["facts"], built["dims"], built["reports"], "run-1")
    built["seconds"] = time.perf_counter() - started
    built["outcome"] = outcome
    built["docs"] = docs
    return built


@pytest.fixture(scope="session")
def make():
    """The row builders, for tests that need their own frames."""
    return {"fact": fact, "frames": frames, "report": REPORT}

