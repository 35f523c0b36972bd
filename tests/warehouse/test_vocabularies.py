"""Every documented vocabulary (a column comment starting "vocabulary: a | b | …") holds exactly
what the data holds: `select distinct` on the sample warehouse is a subset of it."""
from __future__ import annotations

import re

import duckdb
import polars as pl
import pytest

from warehouse.contracts import tables
from transforms.indicators import CATALOGUE_CSV, KEYWORDS_CSV

VOCABULARY = re.compile(r"^vocabulary: (?P<words>[^.]+)\.")


def _documented() -> list[tuple[str, str, set[str]]]:
    out = []
    for t in tables().values():
        for c in t.columns:
            m = VOCABULARY.match(c.comment)
            if m:
                out.append((t.name, c.name, {w.strip() for w in m["words"].split("|")}))
    return out


def test_the_contracts_document_the_status_and_type_vocabularies() -> None:
    documented = {(t, c) for t, c, _ in _documented()}
    assert {("etl_run", "status"), ("etl_file", "status"), ("report_build", "status"), ("dim_report", "period_type"),
            ("dim_period", "period_type"), ("fact_indicator", "measure"), ("fact_indicator", "qualifier"),
            ("dim_unit", "unit_kind"), ("dq_correction", "status")} <= documented


@pytest.mark.parametrize("table_name, column, words", _documented(), ids=lambda x: x if isinstance(x, str) else "")
def test_distinct_values_are_documented(sample_warehouse, table_name: str, column: str, words: set[str]) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        seen = {r[0] for r in con.execute(f'select distinct "{column}" from {table_name}').fetchall()}
    assert seen - {None} <= words


def test_categories_come_from_the_catalogue_and_keyword_tables(sample_warehouse) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        seen = {r[0] for r in con.execute("select distinct category from dim_indicator").fetchall()}
        view_comment = con.execute("select comment from duckdb_columns() where table_name = 'v_facts' "
                                   "and column_name = 'period_type'").fetchall()[0][0]
    categories = {c for path in (CATALOGUE_CSV, KEYWORDS_CSV) for c in pl.read_csv(path)["category"].to_list()}
    assert seen - {None} <= categories | {"其他"}
    assert view_comment.startswith("vocabulary: report | annual")  # the fact's span, not the report's
