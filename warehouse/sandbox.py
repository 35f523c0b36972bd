"""The query sandbox: the only way the project hands the warehouse to a user's SQL.

Two layers, so that one mistake in either does not open the file system:
- the engine: the file is opened read-only, extensions are neither installed nor loaded, file
  system access is off (`enable_external_access = false`) except for the paths the user names
  with `--allow-files`, and the configuration is then locked so no SET/PRAGMA/RESET can undo it;
- the statements: the SQL is split by DuckDB's own parser (`extract_statements`, so a comment
  or a string literal cannot hide or fake a statement) and every statement must be of a kind a
  reader needs (SELECT, EXPLAIN, CALL; COPY only with `--allow-files`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

# Statement kinds a reader needs. Anything else is refused before it reaches the engine.
_READ_KINDS: frozenset[str] = frozenset({"SELECT", "EXPLAIN", "CALL"})

# Why each refused kind is refused (the user sees this; other kinds are refused as writes).
_REFUSED_WHY: dict[str, str] = {
    "ATTACH": "ATTACH opens another database file",
    "DETACH": "DETACH changes the attached databases",
    "COPY": "COPY reads or writes files; pass --allow-files PATH to write a result to PATH",
    "EXPORT": "EXPORT DATABASE writes files",
    "LOAD": "INSTALL/LOAD fetch or load extensions",
    "SET": "SET/RESET/USE change the session's configuration",
    "MULTI": "a PIVOT without IN (…) expands into several statements, which the sandbox does not run; "
             "list the values: PIVOT … ON col IN ('a', 'b') USING …",
    "PRAGMA": "PRAGMA changes settings (read the same facts with select * from pragma_table_info('t') "
              "or duckdb_settings())",
}

# Engine settings fixed at connect time (before any user SQL runs).
_ENGINE_CONFIG: dict[str, object] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
}

_DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file


class QueryRefused(ValueError):
    """The SQL (or an --allow-files path) is not allowed; the message says which and why."""


@dataclass(frozen=True)
class Refusal:
    statement: int  # 1-based position in the SQL string
    kind: str
    text: str
    why: str

    def __str__(self) -> str:
        snippet = " ".join(self.text.split())[:80]
        return f"statement {self.statement} ({self.kind}: {snippet!r}) refused: {self.why}"


def check_sql(sql: str, allow_files: bool = False) -> list[Refusal]:
    """Every statement of `sql` that the sandbox refuses (empty list: all may run).

    Raises duckdb.ParserException for SQL that does not parse (the caller shows DuckDB's message).
    """
    refusals = []
    for i, stmt in enumerate(duckdb.extract_statements(sql), 1):
        kind = stmt.type.name
        if kind in _READ_KINDS or (kind == "COPY" and allow_files):
            continue
        why = _REFUSED_WHY.get(kind, f"{kind} statements write, and the warehouse is read-only for queries")
        refusals.append(Refusal(i, kind, stmt.query, why))
    return refusals


def connect(warehouse: Path | str, allow_files: tuple[Path | str, ...] = ()) -> duckdb.DuckDBPyConnection:
    """Open `warehouse` read-only for user SQL, with only the `allow_files` paths reachable.

    The warehouse itself (and its WAL and lock file) and any existing DuckDB database can never
    be an allowed path: `COPY … TO` must not replace a database.
    """
    warehouse = Path(warehouse)
    allowed = [path for p in allow_files for path in _allowed_paths(Path(p), warehouse)]
    con = duckdb.connect(str(warehouse), read_only=True, config=dict(_ENGINE_CONFIG))
    try:
        if allowed:
            # allowed_paths can only be set once the database runs, and before access is cut.
            con.execute("SET allowed_paths = ?", [allowed])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def sql(con: duckdb.DuckDBPyConnection, query: str, allow_files: bool = False) -> duckdb.DuckDBPyRelation | None:
    """Run `query` on a sandbox connection after checking every statement; raise QueryRefused
    naming each refused statement and why."""
    refusals = check_sql(query, allow_files=allow_files)
    if refusals:
        raise QueryRefused("; ".join(str(r) for r in refusals))
    return con.sql(query)


def _allowed_paths(path: Path, warehouse: Path) -> list[str]:
    """The file the user named, and the `tmp_<name>` beside it that DuckDB's COPY writes first
    when the file exists (then renames over it)."""
    target = path.expanduser().resolve()
    own = warehouse.expanduser().resolve()
    forbidden = {own, own.with_name(own.name + ".wal"), own.with_name(own.name + ".lock")}
    paths = [target, target.with_name("tmp_" + target.name)]
    for p in paths:
        if p in forbidden:
            raise QueryRefused(f"--allow-files {path}: COPY would write the warehouse's own file {p}; "
                               "choose another path")
        if p.is_dir():
            raise QueryRefused(f"--allow-files {path}: {p} is a folder; name the file to write")
        if p.exists() and _is_duckdb_file(p):
            raise QueryRefused(f"--allow-files {path}: {p} is a DuckDB database; COPY would destroy it")
    return [str(p) for p in paths]


def _is_duckdb_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
    except OSError:
        return False
    return head[8:12] == _DUCKDB_MAGIC
