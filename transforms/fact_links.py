"""Links between facts of one report: the level a growth rate, share or change qualifies.

财政总收入18.35亿元,同比增长28.69% states two facts; the second only means something next to
the first. `level_fact_keys` gives each yoy_pct / rate / change fact the fact_key of that level:
- a level of the same indicator whose number lies inside the qualifier's evidence, before it
  (the extractor's evidence for 同比增长28.69% runs back over 财政总收入18.35亿元);
- else the nearest level of the same indicator phrase before it in the same section, at most
  LINK_WINDOW characters earlier (…18.35亿元。其中…同比增长28.69% stays unlinked if far).
Both must agree on plan (a growth target qualifies a target). Anything else: null, never a guess.
"""
from __future__ import annotations

import polars as pl

QUALIFYING_MEASURES = ("yoy_pct", "rate", "change")
LINK_WINDOW = 60
LINK_COLUMNS = ("fact_key", "report_key", "indicator", "measure", "plan", "value_start", "value_end",
                "evidence_start", "evidence_end", "section_path")


def level_fact_keys(facts: pl.DataFrame, indicator_col: str = "indicator") -> pl.Series:
    """For every row of `facts` (fact_key, report_key, indicator, measure, plan, offsets,
    section_path; canonical_name optional), the fact_key of the level it qualifies, or null.
    Returned in the frame's row order, named level_fact_key."""
    cols = [c if c != "indicator" else indicator_col for c in LINK_COLUMNS]
    has_canonical = "canonical_name" in facts.columns
    base = facts.select(*cols, *(["canonical_name"] if has_canonical else [])) \
        .rename({indicator_col: "indicator"}).with_row_index("_row")
    if not has_canonical:
        base = base.with_columns(canonical_name=pl.col("indicator"))
    plan = pl.col("plan").fill_null(False)
    qualifiers = base.filter(pl.col("measure").is_in(QUALIFYING_MEASURES)).with_columns(_plan=plan)
    levels = base.filter(pl.col("measure") == "level").select(
        "report_key", pl.col("_row").alias("_l_row"), pl.col("fact_key").alias("level_fact_key"), pl.col("indicator").alias("l_indicator"),
        pl.col("canonical_name").alias("l_canonical"), plan.alias("_plan"),
        pl.col("value_start").alias("l_start"), pl.col("value_end").alias("l_end"),
        pl.col("section_path").alias("l_section"))
    # Both rules need the same phrase or the same canonical name: joining on the name keeps the
    # pairs to same-named facts of a report. Joined on the report alone, a 500-report chunk made
    # ~600,000 pairs of 18 columns (+40 MB RSS for this step in the writer, measured).
    by_phrase = qualifiers.join(levels, left_on=["report_key", "_plan", "indicator"],
                                right_on=["report_key", "_plan", "l_indicator"], how="inner", coalesce=False)
    by_canonical = qualifiers.join(levels, left_on=["report_key", "_plan", "canonical_name"],
                                   right_on=["report_key", "_plan", "l_canonical"], how="inner", coalesce=False)
    pairs = pl.concat([by_phrase, by_canonical.select(by_phrase.columns)]) \
        .unique(subset=["_row", "_l_row"], maintain_order=True) \
        .filter(pl.col("l_end") <= pl.col("value_start"))
    same_name = (pl.col("l_indicator") == pl.col("indicator")) | (pl.col("l_canonical") == pl.col("canonical_name"))
    inside_evidence = same_name & (pl.col("l_start") >= pl.col("evidence_start")) \
        & (pl.col("l_end") <= pl.col("evidence_end"))
    nearby = (pl.col("l_indicator") == pl.col("indicator")) \
        & pl.col("l_section").eq_missing(pl.col("section_path")) \
        & (pl.col("value_start") - pl.col("l_end") <= LINK_WINDOW)
    chosen = (
        pairs.with_columns(_rank=pl.when(inside_evidence).then(0).when(nearby).then(1).otherwise(None))
        .filter(pl.col("_rank").is_not_null())
        .sort(["_row", "_rank", "l_start", "_l_row"], descending=[False, False, True, False])
        .unique(subset="_row", keep="first", maintain_order=True)
        .select("_row", "level_fact_key")
    )
    return base.select("_row").join(chosen, on="_row", how="left", maintain_order="left") \
        .get_column("level_fact_key").alias("level_fact_key")
