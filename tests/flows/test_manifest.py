"""The inbox manifest, line by line: bad lines are recorded, good ones used (issue 12.6)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.manifest import issue_failures, parse_manifest, read_manifest, region_conflict
from transforms.regions import RegionIndex

BAIYANG = "330114002"  # 白杨街道, 钱塘区, 杭州市


@pytest.fixture(scope="module")
def regions() -> RegionIndex:
    return RegionIndex.load()


def _jsonl(*lines: object) -> str:
    return "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)


# (what is wrong with line 2, the line, words of its reason)
BAD_LINES = [
    ("not JSON", '{"file": "b.txt", "year": 2022', "not valid JSON"),
    ("not an object", "[1, 2]", "expected an object"),
    ("no file", {"year": 2022}, "'file'"),
    ("unknown key", {"file": "b.txt", "yaer": 2022}, "unknown key(s) ['yaer']"),
    ("bad year", {"file": "b.txt", "year": "去年"}, "'year' must be an integer"),
    ("year out of range", {"file": "b.txt", "year": 1900}, "out of range"),
    ("bad period", {"file": "b.txt", "period": "half"}, "'period' must be one of"),
    ("bad date", {"file": "b.txt", "publish_date": "2023/13/45"}, "'publish_date' must be YYYY-MM-DD"),
    ("malformed code", {"file": "b.txt", "region_code": "33011"}, "2, 4, 6, 9 or 12 digits"),
    ("absolute path", {"file": "/etc/b.txt"}, "absolute path"),
    ("path leaving the inbox", {"file": "../b.txt"}, "leaves the inbox"),
    ("duplicate", {"file": "a.txt", "year": 2020}, "duplicate entry for a.txt (first at manifest.jsonl:1)"),
]


@pytest.mark.parametrize("kind,line,words", BAD_LINES, ids=[b[0] for b in BAD_LINES])
def test_a_bad_line_is_recorded_and_the_others_are_used(kind: str, line: object, words: str,
                                                        regions: RegionIndex) -> None:
    text = _jsonl({"file": "a.txt", "year": 2022, "region_code": BAIYANG}, line, {"file": "c.txt", "period": "H1"})
    m = parse_manifest(text, Path("/inbox/manifest.jsonl"), regions)
    assert sorted(m.entries) == ["a.txt", "c.txt"]
    assert m.entries["a.txt"]["year"] == 2022 and m.entries["c.txt"]["period"] == "H1"
    [issue] = m.issues
    assert issue.where == "manifest.jsonl:2" and words in issue.reason
    [row] = issue_failures(m.issues)
    assert row == {"file_name": "manifest.jsonl:2", "path": "/inbox/manifest.jsonl:2", "content_sha256": None,
                   "stage": "manifest", "error": f"manifest.jsonl:2: {issue.reason}"}


@pytest.mark.parametrize("entry,fallback", [
    ({"file": "a.txt", "region_code": "999999999"}, "the region is inferred from the report instead"),
    ({"file": "a.txt", "region_code": "330114999", "street": "白杨街道"}, "the region is taken from its street instead"),
])
def test_region_code_not_in_the_official_table_is_dropped_with_the_reason(entry: dict, fallback: str,
                                                                          regions: RegionIndex) -> None:
    m = parse_manifest(_jsonl(entry), Path("manifest.jsonl"), regions)
    assert m.entries["a.txt"]["region_code"] is None
    [issue] = m.issues
    assert f"region_code {entry['region_code']} is not in the official" in issue.reason and fallback in issue.reason
    entries, _ = m.for_files(["a.txt"])
    assert "_where" not in entries["a.txt"]


def test_relative_paths_and_bare_names_match_files_in_subfolders(regions: RegionIndex) -> None:
    text = _jsonl({"file": "2023/浙江/a.txt", "year": 2023}, {"file": ".\\2022\\b.txt", "year": 2022},
                  {"file": "c.txt", "year": 2021}, {"file": "dup.txt", "year": 2020},
                  {"file": "gone.txt", "year": 2019})
    m = parse_manifest(text, Path("/inbox/manifest.jsonl"), regions)
    entries, issues = m.for_files(["2023/浙江/a.txt", "2022/b.txt", "old/c.txt", "x/dup.txt", "y/dup.txt"])
    assert {k: v["year"] for k, v in entries.items()} == {"2023/浙江/a.txt": 2023, "2022/b.txt": 2022,
                                                         "old/c.txt": 2021}
    [issue] = issues
    assert issue.where == "manifest.jsonl:4" and "dup.txt matches 2 files (x/dup.txt, y/dup.txt)" in issue.reason


def test_yaml_entries_are_checked_one_by_one(tmp_path: Path, regions: RegionIndex) -> None:
    (tmp_path / "manifest.yaml").write_text(
        "- file: a.txt\n  year: 2022\n- file: b.txt\n  year: twenty\n- file: c.txt\n  period: Q1\n", encoding="utf-8")
    m = read_manifest(tmp_path, regions)
    assert sorted(m.entries) == ["a.txt", "c.txt"]
    assert [str(i) for i in m.issues] == ["manifest.yaml:3: 'year' must be an integer, got 'twenty'"]


def test_yaml_that_does_not_parse_is_one_recorded_issue(tmp_path: Path, regions: RegionIndex) -> None:
    (tmp_path / "manifest.yml").write_text("- file: a.txt\n  year: [2022\n", encoding="utf-8")
    m = read_manifest(tmp_path, regions)
    assert m.entries == {} and "not valid YAML" in m.issues[0].reason


def test_the_bundled_manifest_is_clean(regions: RegionIndex) -> None:
    m = read_manifest(Path(__file__).resolve().parents[2] / "data" / "samples", regions)
    assert len(m.entries) == 5 and m.issues == []


# (manifest code, title, conflict expected?)
CONFLICTS = [
    (BAIYANG, "白杨街道2022年工作总结", None),
    (BAIYANG, "清水河街道2021年工作报告", "but the title names 清水河街道"),
    (BAIYANG, "2022年工作总结", None),  # the title names no place
    (BAIYANG, None, None),
    ("341502005", "金安区清水河街道2021年工作报告", None),  # same street, named with its district
]


@pytest.mark.parametrize("code,title,expected", CONFLICTS)
def test_region_conflict_with_the_title(code: str, title: str | None, expected: str | None,
                                        regions: RegionIndex) -> None:
    flag = region_conflict(code, title, regions)
    if expected is None:
        assert flag is None
    else:
        assert flag is not None and expected in flag and f"manifest region_code {code} is 白杨街道" in flag
