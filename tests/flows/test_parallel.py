"""Extraction on a Dask LocalCluster gives exactly the facts of the single-process path."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from flows.inbox import list_inbox
from flows.parallel import DASK_ADDRESS_ENV, ClusterSpec, extract_chunks
from transforms.report_meta import load_manifest


def _extract(inbox: Path, spec: ClusterSpec, chunk_size: int) -> tuple[pl.DataFrame, list[dict], list[dict]]:
    files = list_inbox(inbox)
    outputs = [o for chunk in extract_chunks(files, load_manifest(inbox), spec, chunk_size=chunk_size,
                                             batch_size=2) for o in chunk]
    facts = pl.concat([f for o in outputs for f in o.facts])
    return facts, [r for o in outputs for r in o.reports], [f for o in outputs for f in o.failures]


@pytest.fixture(scope="module")
def mixed_inbox(tmp_path_factory, samples_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    for path in samples_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zz_broken.txt").write_bytes(b"\x81\xff" * 40)
    (folder / "zz_own.txt").write_text("2024年某街道上半年工作总结\n上半年新增市场主体215家,同比增长8.5%。",
                                       encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def single_process(mixed_inbox: Path):
    return _extract(mixed_inbox, ClusterSpec(workers=0), chunk_size=3)


@pytest.mark.parametrize("workers", [1, 2])
def test_local_cluster_gives_the_single_process_facts(mixed_inbox: Path, single_process, workers: int) -> None:
    facts, reports, failures = _extract(mixed_inbox, ClusterSpec(workers=workers), chunk_size=3)
    expected_facts, expected_reports, expected_failures = single_process
    assert facts.height > 400
    assert facts.equals(expected_facts)  # same rows, same order, same exact decimals
    assert reports == expected_reports
    assert failures == expected_failures
    assert [(f["file_name"], f["stage"]) for f in failures] == [("zz_broken.txt", "decode")]


@pytest.mark.parametrize("options, expected", [
    ({}, ClusterSpec(workers=None, address=None)),
    ({"workers": 0}, ClusterSpec(workers=0)),
    ({"workers": 3, "file_seconds": 5}, ClusterSpec(workers=3, file_seconds=5)),
    ({"address": "tcp://sched:8786"}, ClusterSpec(address="tcp://sched:8786")),
])
def test_cluster_options(monkeypatch, options: dict, expected: ClusterSpec) -> None:
    monkeypatch.delenv(DASK_ADDRESS_ENV, raising=False)
    assert ClusterSpec.from_options(**options) == expected


def test_dask_address_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(DASK_ADDRESS_ENV, "tcp://scheduler.example:8786")
    assert ClusterSpec.from_options(workers=2).address == "tcp://scheduler.example:8786"
    assert ClusterSpec.from_options(address="tcp://other:8786").address == "tcp://other:8786"
    assert not ClusterSpec.from_options().in_process


def test_one_worker_per_core_by_default() -> None:
    import os

    assert ClusterSpec().local_workers() == os.cpu_count()
    assert ClusterSpec(workers=3).local_workers() == 3


@pytest.mark.prefect
def test_the_flow_on_two_workers_loads_what_one_worker_and_one_process_load(prefect_harness, mixed_inbox: Path,
                                                                          tmp_path: Path) -> None:
    import duckdb

    from flows.nightly import nightly
    from warehouse.checksum import table_checksums

    prints = {}
    for workers in (0, 1, 2):
        warehouse = tmp_path / f"w{workers}" / "warehouse.duckdb"
        # 7 files in chunks of 3: three chunks, each validated and loaded in its own transaction
        summary = nightly(inbox=str(mixed_inbox), warehouse=str(warehouse), batch_size=2, chunk_size=3,
                          workers=workers)
        assert (summary["files_new"], summary["files_failed"]) == (6, 1)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            prints[workers] = table_checksums(con)
        report = Path(summary["dq_report"]).read_text(encoding="utf-8")
        assert report.count("<td>fact_key_not_null</td>") == 1  # one report, one row per expectation
    assert prints[0]["fact_indicator"][0] > 400
    assert prints[1] == prints[0] and prints[2] == prints[0]
