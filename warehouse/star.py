"""Shape one run's extracted facts and report metadata into star-schema rows with hash keys.

Kind: dimensional model. Grain of fact_indicator: one extracted fact (a number with its unit in
one report version). Keys are md5 hashes of natural keys (warehouse/keys.py), so the same content
always yields the same rows. All joins and key columns are polars expressions over whole frames.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from transforms.fact_links import level_fact_keys
from transforms.indicators import canonicalise_indicators, keyword_category
from transforms.periods import normalise_periods
from transforms.units import VALUE_DTYPE
from warehouse.dims import dim_unit_frame
from warehouse.keys import md5_expr, with_fact_keys

UNKNOWN_REGION = "000000000"

REPORT_COLUMNS = {
    "report_key": pl.Utf8, "file_name": pl.Utf8, "content_sha256": pl.Utf8, "report_id": pl.Utf8,
    "title": pl.Utf8, "report_year": pl.Int32, "period_type": pl.Utf8, "publish_date": pl.Date,
    "region_code": pl.Utf8, "region_source": pl.Utf8, "region_reason": pl.Utf8, "char_count": pl.Int64,
}

FACT_COLUMNS = (
    "fact_key", "report_key", "region_code", "indicator_key", "unit_key", "period_key", "indicator_text",
    "value", "raw_value", "unit", "measure", "qualifier", "plan", "period_text", "evidence",
    "evidence_start", "evidence_end", "value_start", "value_end", "section_path", "section_title",
    "section_topic", "section_titles", "level_fact_key",
)


@dataclass
class StarFrames:
    facts: pl.DataFrame
    dims: dict[str, pl.DataFrame] = field(default_factory=dict)


def reports_frame(report_rows: list[dict]) -> pl.DataFrame:
    """dim_report rows (version and is_current are the loader's: they depend on what is loaded)."""
    frame = pl.DataFrame(
        [{k: row.get(k) for k in REPORT_COLUMNS if k not in ("report_key", "report_id")} for row in report_rows],
        schema={k: v for k, v in REPORT_COLUMNS.items() if k not in ("report_key", "report_id")},
    )
    return frame.with_columns(
        report_key=md5_expr("content_sha256"),
        report_id=md5_expr("file_name"),
        region_code=pl.col("region_code").fill_null(UNKNOWN_REGION),
    ).select(list(REPORT_COLUMNS))


def unit_dimension(units: pl.Series) -> pl.DataFrame:
    """dim_unit for the canonical units seen, kinds in dim_unit's vocabulary (warehouse.dims:
    the unit table's kinds mapped, weight → mass, 人次 → person_times; unknown measure words → count)."""
    return dim_unit_frame(units.drop_nulls().to_list())


def region_dimension(regions: pl.DataFrame) -> pl.DataFrame:
    """Every official street/town plus the unknown member that unresolved reports point at."""
    unknown = pl.DataFrame({"region_code": [UNKNOWN_REGION], "street_name": ["(unknown)"]})
    return pl.concat([regions, unknown], how="diagonal")


def build_star(fact_frames: list[pl.DataFrame], report_rows: list[dict], regions: pl.DataFrame) -> StarFrames:
    """Facts with every dimension key, plus the dimension frames for this run's facts."""
    reports = reports_frame(report_rows)
    facts = pl.concat(fact_frames, how="vertical") if fact_frames else None
    if facts is None or facts.is_empty():
        facts = _empty_facts()
    facts = facts.join(
        reports.select(pl.col("file_name").alias("doc"), "report_key", "region_code", "report_year",
                       pl.col("period_type").alias("report_period_type")),
        on="doc", how="left",
    )
    facts = normalise_periods(facts, text_col="period_text", year_col="report_year",
                              report_period_col="report_period_type")
    facts = canonicalise_indicators(facts, column="indicator").with_columns(
        indicator_key=md5_expr("canonical_name"),
        indicator_text=pl.col("indicator"),
    )
    facts = with_fact_keys(facts).with_columns(section_topic=_section_topics(facts.get_column("section_title")))
    facts = facts.with_columns(level_fact_key=level_fact_keys(facts))

    dims = {
        "dim_report": reports,
        "dim_region": region_dimension(regions),
        "dim_indicator": facts.select("indicator_key", "canonical_name", "category", "is_catalogued")
        .unique(subset="indicator_key", keep="first", maintain_order=True),
        "dim_unit": unit_dimension(facts.get_column("unit")),
        "dim_period": facts.filter(pl.col("period_key").is_not_null())
        .select("period_key", "report_year", "period_text", "period_type",
                pl.col("period_start").alias("start_date"), pl.col("period_end").alias("end_date"),
                pl.col("period_label").alias("label"))
        .unique(subset="period_key", keep="first", maintain_order=True),
    }
    return StarFrames(facts=facts.select(FACT_COLUMNS), dims=dims)


def _section_topics(titles: pl.Series) -> pl.Series:
    """The topic of each section heading, by the same keywords that categorise indicators."""
    distinct = titles.drop_nulls().unique().to_list()
    return titles.replace_strict({t: keyword_category(t) for t in distinct}, default=None, return_dtype=pl.Utf8)


def _empty_facts() -> pl.DataFrame:
    schema = {
        "doc": pl.Utf8, "evidence": pl.Utf8, "evidence_start": pl.Int64, "evidence_end": pl.Int64,
        "value_start": pl.Int64, "value_end": pl.Int64, "indicator": pl.Utf8, "raw_value": pl.Utf8,
        "unit_written": pl.Utf8, "value": VALUE_DTYPE, "unit": pl.Utf8, "measure": pl.Utf8,
        "qualifier": pl.Utf8, "period_text": pl.Utf8, "plan": pl.Boolean, "section_path": pl.Utf8,
        "section_title": pl.Utf8, "section_titles": pl.Utf8,
    }
    return pl.DataFrame(schema=schema)
