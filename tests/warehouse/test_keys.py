"""Hash keys: Python, polars and DuckDB SQL agree, and known values never change."""
from __future__ import annotations

import hashlib

import duckdb
import polars as pl
import pytest

from warehouse import keys


def test_md5_key_is_md5_of_pipe_joined_parts() -> None:
    assert keys.md5_key("a", 1, None, True) == hashlib.md5("a|1||true".encode()).hexdigest()
    # A pinned value: if this changes, every key in every warehouse changes.
    assert keys.md5_key("元") == "c16655df815cf59b03075baa5999a2bf"


def test_pinned_fact_key() -> None:
    assert keys.fact_key("rk", 10, 16, "level", "元", "税收") == \
        hashlib.md5("rk|10|16|level|元|税收".encode()).hexdigest()


@pytest.mark.parametrize("frame", [
    pl.DataFrame({"a": ["x", None, "地方税收"], "n": [1, 2, None], "b": [True, False, None]}),  # all distinct
    pl.DataFrame({"a": ["亩", "亩", "亩", "公顷"], "n": [1, 1, 1, 1], "b": [True, True, True, None]}),  # repeats
])
def test_polars_expression_matches_python(frame: pl.DataFrame) -> None:
    got = frame.select(k=keys.md5_expr("a", "n", "b")).get_column("k").to_list()
    want = [keys.md5_key(a, n, b) for a, n, b in frame.iter_rows()]
    assert got == want


def test_sql_matches_python() -> None:
    con = duckdb.connect()
    sql_key = con.execute("select md5(concat_ws('|', coalesce(cast('rk' as varchar), ''), "
                          "coalesce(cast(10 as varchar), ''), coalesce(cast(null as varchar), '')))").fetchone()[0]
    assert sql_key == keys.md5_key("rk", 10, None)


def test_with_fact_keys_is_stable_and_distinguishes_measures() -> None:
    frame = pl.DataFrame({"report_key": ["r", "r"], "value_start": [5, 5], "value_end": [9, 9],
                          "measure": ["level", "yoy_pct"], "unit": ["元", "%"], "indicator_text": ["税收", "税收"]})
    once = keys.with_fact_keys(frame).get_column("fact_key").to_list()
    twice = keys.with_fact_keys(frame).get_column("fact_key").to_list()
    assert once == twice and once[0] != once[1]
    assert once[0] == keys.fact_key("r", 5, 9, "level", "元", "税收")


def test_one_number_stating_several_facts_gives_several_keys() -> None:
    frame = pl.DataFrame({"report_key": ["r"] * 3, "value_start": [20] * 3, "value_end": [24] * 3,
                          "measure": ["rate"] * 3, "unit": ["%"] * 3, "indicator_text": ["签收率", "派遣率", "结案率"]})
    assert keys.with_fact_keys(frame).get_column("fact_key").n_unique() == 3


def test_empty_frame_gets_an_empty_key_column() -> None:
    frame = pl.DataFrame(schema={"report_key": pl.Utf8, "value_start": pl.Int64, "value_end": pl.Int64,
                                 "measure": pl.Utf8, "unit": pl.Utf8, "indicator_text": pl.Utf8})
    assert keys.with_fact_keys(frame).get_column("fact_key").len() == 0
