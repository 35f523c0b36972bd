"""Shape derived facts and report metadata into star-schema rows with hash keys.

Kind: dimensional model. Grain of fact_indicator: one extracted fact (a number with its unit in
one report version); of dim_report: one report version. Keys are md5 hashes of natural keys
(warehouse/keys.py), so the same content always yields the same rows. Columns and types come
from the table contracts (warehouse/tables.yaml). Analyst corrections are applied here, after
the fact keys are fixed on the extracted values and before periods and indicators are resolved,
so a corrected period or indicator is resolved like an extracted one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from transforms.fact_links import level_fact_keys
from transforms.indicators import canonicalise_indicators, keyword_category
from transforms.periods import normalise_periods
from warehouse.contracts import table
from warehouse.corrections import Correction, apply_corrections
from warehouse.dims import dim_unit_frame
from warehouse.fingerprints import Fingerprints
from warehouse.keys import md5_expr, report_id, report_key, report_natural_key, with_fact_keys

UNKNOWN_REGION = "000000000"


@dataclass
class StarFrames:
    facts: pl.DataFrame                       # fact_indicator frame columns
    dims: dict[str, pl.DataFrame] = field(default_factory=dict)
    rejected: pl.DataFrame | None = None      # facts rejected by corrections (quarantine rows)
    correction_matches: dict[str, int] = field(default_factory=dict)


def reports_frame(report_rows: list[dict]) -> pl.DataFrame:
    """dim_report frame rows; version, is_current and validity are the loader's (they depend on
    what is already loaded)."""
    contract = table("dim_report")
    schema = contract.polars_schema()
    rows = []
    for row in report_rows:
        region = row.get("region_code") or UNKNOWN_REGION
        natural = report_natural_key(row["content_sha256"], row.get("manifest_report_id"), region,
                                     row.get("report_year"), row.get("period_type"), row.get("title"))
        rows.append({**{k: row.get(k) for k in schema}, "region_code": region,
                     "report_key": report_key(row["content_sha256"]), "report_natural_key": natural,
                     "report_id": report_id(natural), "version": 0, "is_current": False,
                     "valid_from": None, "valid_to": None})
    return pl.DataFrame(rows, schema=schema)


def region_dimension(regions: pl.DataFrame) -> pl.DataFrame:
    """Every official division at every level (RegionIndex.frame) plus the unknown member that
    unresolved reports point at."""
    unknown = pl.DataFrame({"region_code": [UNKNOWN_REGION], "region_name": ["(unknown)"], "street_name": ["(unknown)"]})
    return pl.concat([regions, unknown], how="diagonal")


def build_star(fact_frames: list[pl.DataFrame], report_rows: list[dict], regions: pl.DataFrame,
               fingerprints: Fingerprints, corrections: list[Correction] | None = None,
               report_names: dict[str, set[str]] | None = None) -> StarFrames:
    """Facts with every dimension key, plus the dimension frames for these facts.

    report_names: report_key → the names a correction may address the report by (file names,
    report_id, content sha256); defaults to what report_rows say.
    """
    reports = reports_frame(report_rows)
    facts = pl.concat(fact_frames, how="vertical") if fact_frames else None
    if facts is None or facts.is_empty():
        facts = _empty_facts()
    # Joined on the content, not the file name: two streets' reports may share a file name.
    facts = facts.join(
        reports.select("content_sha256", "report_key", "region_code", "report_year",
                       pl.col("period_type").alias("report_period_type")),
        on="content_sha256", how="left",
    )
    facts = with_fact_keys(facts.with_columns(indicator_text=pl.col("indicator")))
    names = {r["report_key"]: {r["file_name"], r["report_id"], r["content_sha256"], r["report_key"]}
             for r in reports.iter_rows(named=True)}
    for key, more in (report_names or {}).items():
        names.setdefault(key, set()).update(more)
    corrected = apply_corrections(facts, corrections or [], names)
    facts = corrected.facts.with_columns(indicator_text=pl.col("indicator"), unit_key=md5_expr("unit"))
    facts = normalise_periods(facts, text_col="period_text", year_col="report_year",
                              report_period_col="report_period_type")
    facts = canonicalise_indicators(facts, column="indicator").with_columns(
        indicator_key=md5_expr("canonical_name"),
        extractor_fingerprint=pl.lit(fingerprints.extractor),
        catalogue_fingerprint=pl.lit(fingerprints.catalogue),
    )
    facts = facts.with_columns(section_topic=_section_topics(facts.get_column("section_title")))
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
    fact_columns = table("fact_indicator").frame_columns
    rejected = corrected.rejected
    if rejected.height:
        rejected = rejected.with_columns(
            indicator_text=pl.col("indicator"), unit_key=md5_expr("unit"), indicator_key=pl.lit(None, dtype=pl.Utf8),
            period_key=pl.lit(None, dtype=pl.Utf8), section_topic=pl.lit(None, dtype=pl.Utf8),
            level_fact_key=pl.lit(None, dtype=pl.Utf8),
            extractor_fingerprint=pl.lit(fingerprints.extractor), catalogue_fingerprint=pl.lit(fingerprints.catalogue),
        ).select(fact_columns + ["expectation", "reason"])
    else:
        rejected = None
    return StarFrames(facts=facts.select(fact_columns), dims=dims, rejected=rejected,
                      correction_matches=corrected.matches)


def unit_dimension(units: pl.Series) -> pl.DataFrame:
    """dim_unit for the canonical units seen (warehouse.dims)."""
    return dim_unit_frame(units.drop_nulls().to_list())


def _section_topics(titles: pl.Series) -> pl.Series:
    """The topic of each section heading, by the same keywords that categorise indicators."""
    distinct = titles.drop_nulls().unique().to_list()
    return titles.replace_strict({t: keyword_category(t) for t in distinct}, default=None, return_dtype=pl.Utf8)


def _empty_facts() -> pl.DataFrame:
    """No facts, in the extractor's columns (Contract 1) plus the content they were read from."""
    from transforms.extract import FACT_SCHEMA

    return pl.DataFrame(schema={**FACT_SCHEMA, "content_sha256": pl.Utf8})
