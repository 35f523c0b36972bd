"""Checksums of what the warehouse holds: rows and a checksum of keys and values per table.

Two warehouses that loaded the same reports have equal checksums however their runs went
(one run, many, interrupted and rerun, one worker or many): columns that only say *which run* or
*when* (run ids, load timestamps, and dim_report's validity bounds, which fall back to the load
time when a report has no publish date) are left out, and so are the per-run records (etl_*,
dq_expectation_result, dq_correction). Used by the kill -9 benchmark and the parallel-extraction tests.
"""
from __future__ import annotations

import duckdb

# Per-run bookkeeping: differs between an interrupted-then-rerun history and a single run.
RUN_RECORD_TABLES: frozenset[str] = frozenset({"dq_expectation_result", "dq_correction"})
LOAD_TIME_COLUMNS: frozenset[str] = frozenset({"valid_from", "valid_to"})
RUN_RECORD_PREFIXES: tuple[str, ...] = ("etl_",)


def _is_run_column(name: str) -> bool:
    return name.endswith("run_id") or name.endswith("_at") or name in LOAD_TIME_COLUMNS


def table_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """table → (row count, order-independent checksum of its non-run columns)."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal "
        "ORDER BY table_name").fetchall()]
    out: dict[str, tuple[int, int]] = {}
    for table in tables:
        if table in RUN_RECORD_TABLES or table.startswith(RUN_RECORD_PREFIXES):
            continue
        columns = [r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? "
            "ORDER BY column_index", [table]).fetchall() if not _is_run_column(r[0])]
        if not columns:
            continue
        quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
        rows, checksum = con.execute(
            f'SELECT count(*), coalesce(sum(hash({quoted}))::HUGEINT, 0) FROM "{table}"').fetchone()
        out[table] = (int(rows), int(checksum))
    return out
