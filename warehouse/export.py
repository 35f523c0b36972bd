"""Export of the warehouse to files: every table and view (Parquet, or CSV on request)."""
from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db import STAR_TABLES

EXPORT_FORMATS = {"parquet": "(FORMAT parquet, COMPRESSION zstd)", "csv": "(FORMAT csv, HEADER true)"}


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every user table and view of the main schema, tables first, each group by name."""
    rows = con.execute(
        "SELECT table_name, 0 FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal "
        "UNION ALL SELECT view_name, 1 FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal "
        "ORDER BY 2, 1").fetchall()
    return [r[0] for r in rows]


def export_relations(con: duckdb.DuckDBPyConnection, folder: Path, fmt: str = "parquet") -> list[Path]:
    """Write every table and view to folder/<name>.<fmt> (overwriting); returns the paths.
    Works on a read-only connection (the published snapshot)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"export format must be one of {sorted(EXPORT_FORMATS)}, not {fmt!r}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in relations(con):
        target = folder / f"{name}.{fmt}"
        con.execute(f'COPY (SELECT * FROM "{name}") TO {_literal(target)} {EXPORT_FORMATS[fmt]}')
        written.append(target)
    return written


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> list[Path]:
    """Write every star-schema table to folder/<table>.parquet (overwriting); returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in STAR_TABLES:
        target = folder / f"{table}.parquet"
        con.execute(f"COPY {table} TO {_literal(target)} {EXPORT_FORMATS['parquet']}")
        written.append(target)
    return written
