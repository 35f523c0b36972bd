"""Table contracts: every warehouse table declared once (warehouse/tables.yaml).

The DDL, the polars schema of each frame the loader takes and the loader's column check all
derive from the declaration, so a column cannot exist in one place and not in another.
A frame with a missing or an unexpected column is refused (dlt's frozen schema contract) rather
than loaded with NULLs.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml

TABLES_YAML = Path(__file__).with_name("tables.yaml")
DISPOSITIONS = frozenset({"merge", "replace_rows", "delete_insert", "append"})

_POLARS_TYPES: dict[str, pl.DataType] = {
    "VARCHAR": pl.Utf8, "INTEGER": pl.Int32, "BIGINT": pl.Int64, "BOOLEAN": pl.Boolean,
    "DATE": pl.Date, "TIMESTAMP": pl.Datetime("us"), "DOUBLE": pl.Float64, "JSON": pl.Utf8,
    "DECIMAL(38, 6)": pl.Decimal(38, 6), "VARCHAR[]": pl.List(pl.Utf8),
}


class ContractError(ValueError):
    """A frame does not match its table's contract; the message names the table and columns."""


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    not_null: bool
    comment: str
    loader_fills: bool

    @property
    def polars_type(self) -> pl.DataType:
        return _POLARS_TYPES[self.sql_type]


@dataclass(frozen=True)
class Table:
    name: str
    kind: str
    grain: str
    primary_key: tuple[str, ...]
    disposition: str
    comment: str
    columns: tuple[Column, ...]
    key_index: bool = True  # False: no PRIMARY KEY in DuckDB; the loader keeps the grain (tables.yaml)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def frame_columns(self) -> list[str]:
        """Columns a frame handed to the loader carries (all but those the loader fills)."""
        return [c.name for c in self.columns if not c.loader_fills]

    def polars_schema(self, with_loader_columns: bool = False) -> dict[str, pl.DataType]:
        return {c.name: c.polars_type for c in self.columns if with_loader_columns or not c.loader_fills}

    def ddl(self) -> str:
        required = {c.name for c in self.columns if c.not_null} | set(self.primary_key)
        lines = [f"    {_q(c.name)} {c.sql_type}{' NOT NULL' if c.name in required else ''}" for c in self.columns]
        if self.key_index:
            lines.append(f"    PRIMARY KEY ({', '.join(_q(k) for k in self.primary_key)})")
        statements = [f"CREATE TABLE IF NOT EXISTS {self.name} (\n" + ",\n".join(lines) + "\n);"]
        statements.append(f"COMMENT ON TABLE {self.name} IS {_literal(self.comment)};")
        statements += [f"COMMENT ON COLUMN {self.name}.{_q(c.name)} IS {_literal(c.comment)};" for c in self.columns]
        return "\n".join(statements)

    def empty_frame(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema())

    def conform(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The frame with exactly the contract's frame columns, in order and cast to their types.

        Refuses (ContractError) a frame with a missing or an unexpected column.
        """
        expected = self.frame_columns
        missing = [c for c in expected if c not in frame.columns]
        extra = [c for c in frame.columns if c not in expected]
        if missing or extra:
            raise ContractError(
                f"{self.name}: frame does not match the contract in warehouse/tables.yaml"
                + (f"; missing {missing}" if missing else "") + (f"; unexpected {extra}" if extra else "")
            )
        schema = self.polars_schema()
        return frame.select([pl.col(c).cast(schema[c]) for c in expected])


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _columns(spec: dict, loader_fills: bool) -> list[Column]:
    out = []
    for name, (sql_type, comment) in (spec or {}).items():
        not_null = sql_type.endswith(" NOT NULL")
        out.append(Column(name, sql_type.removesuffix(" NOT NULL"), not_null, comment, loader_fills))
    return out


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    """Every table contract, in declaration order (which is also DDL order)."""
    raw = yaml.safe_load(TABLES_YAML.read_text(encoding="utf-8"))
    out: dict[str, Table] = {}
    for name, spec in raw.items():
        columns: list[Column] = []
        if spec.get("columns_from"):
            # e.g. quarantine_fact holds fact_indicator's frame columns plus its own
            columns += [c for c in out[spec["columns_from"]].columns if not c.loader_fills]
        columns += _columns(spec.get("columns"), False) + _columns(spec.get("loader_fills"), True)
        if spec["disposition"] not in DISPOSITIONS:
            raise ValueError(f"{TABLES_YAML}: {name}: unknown disposition {spec['disposition']!r}")
        unknown_types = {c.sql_type for c in columns} - set(_POLARS_TYPES)
        if unknown_types:
            raise ValueError(f"{TABLES_YAML}: {name}: types without a polars mapping: {sorted(unknown_types)}")
        out[name] = Table(name, spec["kind"], spec["grain"], tuple(spec["primary_key"]),
                          spec["disposition"], spec["comment"], tuple(columns), spec.get("key_index", True))
    return out


def table(name: str) -> Table:
    try:
        return tables()[name]
    except KeyError:
        raise KeyError(f"no table {name!r} in warehouse/tables.yaml; tables: {sorted(tables())}") from None


def schema_ddl() -> str:
    """CREATE TABLE IF NOT EXISTS + comments for every table: safe to run any number of times."""
    return "\n\n".join(t.ddl() for t in tables().values())
