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
