"""The canonical mapping on the gold facts: precision first.

gold_canonical.csv holds every gold fact (tests/golden/gold) with the catalogued indicator it
names, checked by hand once ('' = none of the catalogue's: the fact stays its own phrase).
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from transforms.indicators import canonicalise_indicators

FIXTURE = Path(__file__).with_name("gold_canonical.csv")
MIN_PRECISION = 0.97
MIN_RECALL = 0.90


def test_mapping_precision_and_recall_on_the_gold_facts() -> None:
    gold = pl.read_csv(FIXTURE, schema_overrides={c: pl.Utf8 for c in ("canonical", "raw_value")}) \
        .with_columns(pl.col("canonical").fill_null(""))
    got = canonicalise_indicators(gold.drop("canonical"))
    predicted = pl.when(got["is_catalogued"]).then(got["canonical_name"]).otherwise(pl.lit(""))
    frame = gold.with_columns(predicted=got.select(predicted.alias("p"))["p"])
    mapped = frame.filter(pl.col("predicted") != "")
    expected = frame.filter(pl.col("canonical") != "")
    correct = mapped.filter(pl.col("predicted") == pl.col("canonical")).height
    precision = correct / mapped.height
    recall = correct / expected.height
    print(f"canonical mapping on {gold.height} gold facts: {mapped.height} mapped, {expected.height} expected, "
          f"precision {precision:.3f}, recall {recall:.3f}")
    wrong = mapped.filter(pl.col("predicted") != pl.col("canonical"))
    assert precision >= MIN_PRECISION, wrong.select("indicator", "unit", "predicted", "canonical").to_dicts()
    assert recall >= MIN_RECALL, expected.filter(pl.col("predicted") != pl.col("canonical")).to_dicts()


def test_fixture_covers_every_gold_fact() -> None:
    gold_files = sorted((Path(__file__).parents[1] / "golden" / "gold").glob("*.jsonl"))
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in gold_files)
    assert pl.read_csv(FIXTURE).height == lines
