"""The query sandbox: every attack of issue 12 is refused and no database file changes."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from baogao.cli import main
from warehouse import sandbox


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    """A warehouse, another program's database beside it, and a private text file."""
    warehouse, other, secret = tmp_path / "w.duckdb", tmp_path / "other.duckdb", tmp_path / "secret.csv"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table fact_indicator (indicator_text varchar, value decimal(38,6))")
        con.execute("insert into fact_indicator values ('新增就业岗位', 120), ('税收收入', 320000000)")
    with duckdb.connect(str(other)) as con:
        con.execute("create table fact_indicator as select 1 as v")
    secret.write_text("password,hunter2\n", encoding="utf-8")
    return {"warehouse": warehouse, "other": other, "secret": secret, "dir": tmp_path}


# (name, SQL with {warehouse}/{other}/{secret}/{dir} placeholders, words the refusal must contain)
ATTACKS: list[tuple[str, str, str]] = [
    ("copy to the warehouse file", "COPY (select 1) TO '{warehouse}' (FORMAT csv)", "COPY"),
    ("copy to another file", "COPY fact_indicator TO '{dir}/dump.csv'", "COPY"),
    ("attach another db read-write, delete",
     "ATTACH '{other}' AS o (READ_ONLY false); DELETE FROM o.fact_indicator", "ATTACH"),
    ("attach read-only", "ATTACH '{other}' AS o (READ_ONLY)", "ATTACH"),
    ("export database", "EXPORT DATABASE '{dir}/exported'", "EXPORT"),
    ("read_csv of /etc/passwd", "select * from read_csv('/etc/passwd')", "disabled by configuration"),
    ("read_csv of a file beside the warehouse", "select * from read_csv('{secret}')", "disabled by configuration"),
    ("read_text", "select * from read_text('/etc/passwd')", "disabled by configuration"),
    ("read_blob of another database", "select * from read_blob('{other}')", "disabled by configuration"),
    ("glob of /root", "select * from glob('/root/**')", "disabled by configuration"),
    ("file as a table", "select * from '{secret}'", "secret.csv"),
    ("install httpfs", "INSTALL httpfs", "INSTALL/LOAD"),
    ("load httpfs", "LOAD httpfs", "INSTALL/LOAD"),
    ("set enable_external_access", "SET enable_external_access = true", "SET"),
    ("reset enable_external_access", "RESET enable_external_access", "SET"),
    ("set lock_configuration", "SET lock_configuration = false", "SET"),
    ("pragma setting", "PRAGMA enable_profiling", "PRAGMA"),
    ("delete", "delete from fact_indicator", "read-only"),
    ("drop", "drop table fact_indicator", "read-only"),
    ("create table", "create table t as select 1", "read-only"),
    ("smuggled after a select", "select 1; COPY (select 1) TO '{warehouse}' (FORMAT csv)", "COPY"),
    ("smuggled after a comment", "select 1 /* harmless; */; ATTACH '{other}' AS o", "ATTACH"),
    ("smuggled after a line comment", "-- just reading\nselect 1;\nSET enable_external_access=true", "SET"),
    ("smuggled behind a string with a semicolon", "select ';'; INSTALL httpfs", "INSTALL/LOAD"),
    ("detach the warehouse", "DETACH w", "DETACH"),
    ("use another catalog", "USE memory", "SET"),
    ("pivot that expands into statements", "pivot fact_indicator on indicator_text using sum(value)", "IN ("),
]


@pytest.mark.parametrize("name,template,expected", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_is_refused_and_no_file_changes(files: dict[str, Path], name: str, template: str,
                                               expected: str) -> None:
    before = {k: _md5(files[k]) for k in ("warehouse", "other", "secret")}
    sql = template.format(**{k: str(v) for k, v in files.items()})
    result = CliRunner().invoke(main, ["query", "--warehouse", str(files["warehouse"]), "--", sql])
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
    assert {k: _md5(files[k]) for k in ("warehouse", "other", "secret")} == before
    assert not (files["dir"] / "dump.csv").exists() and not (files["dir"] / "exported").exists()
    # and the warehouse still answers a select
    ok = CliRunner().invoke(main, ["query", "select count(*) as n from fact_indicator", "--format", "csv",
                                   "--warehouse", str(files["warehouse"])])
    assert ok.exit_code == 0 and ok.output.splitlines() == ["n", "2"], ok.output


# The engine alone (statement check bypassed) must hold too: a second layer, not a keyword list.
ENGINE_ATTACKS: list[str] = [
    "COPY (select 1) TO '{warehouse}' (FORMAT csv)",
    "ATTACH '{other}' AS o (READ_ONLY false)",
    "EXPORT DATABASE '{dir}/exported'",
    "select * from read_text('{secret}')",
    "select * from glob('{dir}/*')",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "RESET enable_external_access",
    "SET allowed_paths = ['/']",
    "PRAGMA threads = 1",
    "delete from fact_indicator",
]


@pytest.mark.parametrize("template", ENGINE_ATTACKS)
def test_engine_refuses_even_without_the_statement_check(files: dict[str, Path], template: str) -> None:
    before = _md5(files["warehouse"]), _md5(files["other"])
    with sandbox.connect(files["warehouse"]) as con:
        with pytest.raises(duckdb.Error):
            con.execute(template.format(**{k: str(v) for k, v in files.items()})).fetchall()
        assert con.execute("select count(*) from fact_indicator").fetchone() == (2,)
    assert (_md5(files["warehouse"]), _md5(files["other"])) == before


READS: list[str] = [
    "select indicator_text from fact_indicator order by value",
    "select ';ATTACH x' as s",  # a keyword inside a string literal is not a statement
    "/* COPY x TO 'y' */ select 1",
    "explain select * from fact_indicator",
    "describe fact_indicator",
    "show tables",
    "select * from pragma_table_info('fact_indicator')",
    "call pragma_version()",
    "select 1; select 2",
    "pivot fact_indicator on indicator_text in ('税收收入') using sum(value)",
]


@pytest.mark.parametrize("sql", READS)
def test_reading_statements_pass(files: dict[str, Path], sql: str) -> None:
    assert sandbox.check_sql(sql) == []
    result = CliRunner().invoke(main, ["query", sql, "--warehouse", str(files["warehouse"])])
    assert result.exit_code == 0, result.output


def test_allow_files_lets_copy_write_only_the_named_file(files: dict[str, Path]) -> None:
    out = files["dir"] / "result.csv"
    before = _md5(files["warehouse"])
    args = ["--warehouse", str(files["warehouse"]), "--allow-files", str(out)]
    ok = CliRunner().invoke(main, ["query", f"COPY (select indicator_text from fact_indicator order by 1) TO '{out}'",
                                   *args])
    assert ok.exit_code == 0, ok.output
    assert out.read_text(encoding="utf-8").splitlines() == ["indicator_text", "新增就业岗位", "税收收入"]
    again = CliRunner().invoke(main, ["query", f"COPY (select 1 as n) TO '{out}'", *args])  # overwrite
    assert again.exit_code == 0, again.output
    assert out.read_text(encoding="utf-8").splitlines() == ["n", "1"]
    other_target = files["dir"] / "elsewhere.csv"
    bad = CliRunner().invoke(main, ["query", f"COPY (select 1) TO '{other_target}'", *args])
    assert bad.exit_code == 1 and "disabled by configuration" in bad.output
    assert not other_target.exists()
    read = CliRunner().invoke(main, ["query", f"select * from read_csv('{files['secret']}')", *args])
    assert read.exit_code == 1
    assert _md5(files["warehouse"]) == before


def test_allow_files_never_reaches_the_warehouse_through_copys_temporary_name(tmp_path: Path) -> None:
    warehouse = tmp_path / "tmp_w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table t as select 1 as v")
    before = _md5(warehouse)
    result = CliRunner().invoke(main, ["query", f"COPY (select 1) TO '{tmp_path / 'w.duckdb'}'",
                                       "--warehouse", str(warehouse), "--allow-files", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1 and "warehouse's own file" in result.output
    assert _md5(warehouse) == before


@pytest.mark.parametrize("target", ["warehouse", "other"])
def test_allow_files_never_names_a_database(files: dict[str, Path], target: str) -> None:
    before = _md5(files[target])
    result = CliRunner().invoke(main, ["query", f"COPY (select 1) TO '{files[target]}' (FORMAT csv)",
                                       "--warehouse", str(files["warehouse"]), "--allow-files", str(files[target])])
    assert result.exit_code == 1 and "--allow-files" in result.output, result.output
    assert _md5(files[target]) == before


def test_refusal_names_each_statement() -> None:
    refusals = sandbox.check_sql("select 1; attach 'x.db' as x; set threads=1")
    assert [(r.statement, r.kind) for r in refusals] == [(2, "ATTACH"), (3, "SET")]
