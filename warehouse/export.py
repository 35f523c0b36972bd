"""Parquet export of the star schema (one file per table)."""
from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db import STAR_TABLES


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> list[Path]:
    """Write every star-schema table to folder/<table>.parquet (overwriting); returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in STAR_TABLES:
        target = folder / f"{table}.parquet"
        literal = "'" + str(target).replace("'", "''") + "'"
        con.execute(f"COPY {table} TO {literal} (FORMAT parquet, COMPRESSION zstd)")
        written.append(target)
    return written
