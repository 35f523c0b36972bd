"""One batch of files through decode → metadata → extraction, without Prefect."""
from __future__ import annotations

from pathlib import Path

from flows.batch import process_files
from flows.inbox import list_inbox
from transforms.regions import RegionIndex


def test_a_bad_file_is_a_failure_row_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text("2023年某街道工作总结\n全年新增就业岗位120个。", encoding="utf-8")
    (tmp_path / "b_bad.txt").write_bytes(b"\x81\xff" * 30)
    (tmp_path / "c_scan.pdf").write_bytes(b"%PDF-1.7 ...")
    out = process_files(list_inbox(tmp_path), {}, RegionIndex.load())
    assert [r["file_name"] for r in out.reports] == ["a_good.txt"]
    assert out.facts[0].get_column("value").cast(float).to_list() == [120.0]
    failures = {f["file_name"]: (f["stage"], f["error"]) for f in out.failures}
    assert failures["b_bad.txt"][0] == "decode" and "not decodable" in failures["b_bad.txt"][1]
    assert failures["c_scan.pdf"][0] == "decode" and "damaged PDF" in failures["c_scan.pdf"][1]


def test_manifest_entry_overrides_inferred_metadata(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("2023年上半年工作总结\n新增托位30个。", encoding="utf-8")
    manifest = {"r.txt": {"file": "r.txt", "region_code": "330114002", "year": 2022, "period": "annual"}}
    out = process_files(list_inbox(tmp_path), manifest, RegionIndex.load())
    row = out.reports[0]
    assert (row["region_code"], row["report_year"], row["period_type"]) == ("330114002", 2022, "annual")


def test_a_file_past_its_time_budget_fails_alone_with_its_stage(tmp_path: Path) -> None:
    paragraph = "今年全镇新建村级道路12公里,新增就业岗位340个,改造农村危房56户。\n"
    (tmp_path / "a_long.txt").write_text("2024年某镇工作总结\n" + paragraph * 20000, encoding="utf-8")
    (tmp_path / "b_short.txt").write_text("2024年某镇工作总结\n" + paragraph, encoding="utf-8")
    regions = RegionIndex.load()
    process_files(list_inbox(tmp_path)[1:], {}, regions)  # warm-up: the segmenter's dictionary loads once
    out = process_files(list_inbox(tmp_path), {}, regions, file_seconds=0.5)
    assert [r["file_name"] for r in out.reports] == ["b_short.txt"]
    assert out.facts[0].height == 3
    [failure] = out.failures
    assert failure["file_name"] == "a_long.txt" and failure["stage"] in ("metadata", "extract")
    assert failure["raw"].text.startswith("2024年某镇工作总结")  # decoded text kept: it lands in the raw layer
    assert failure["error"].startswith("TimeBudgetExceeded: a_long.txt: still running after the per-file "
                                       "time budget of 0.5 s")
