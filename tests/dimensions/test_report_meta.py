from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from transforms.decode import DocumentMeta
from transforms.regions import RegionIndex
from transforms.report_meta import ManifestError, infer_report_meta, load_manifest

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"

SAMPLE_FILES = sorted(p.name for p in SAMPLES.glob("*.txt"))


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_samples_without_manifest(name: str, regions: RegionIndex, truth: dict) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    m = infer_report_meta(name, text, regions)
    exp = truth[name]
    assert (m.region_code, m.report_year, m.period_type) == (exp["region_code"], exp["year"], exp["period"])
    assert m.title == exp["title"]
    assert (m.publish_date.isoformat() if m.publish_date else None) == exp["publish_date"]
    assert m.region_source == "inferred"
    assert m.sources["report_year"] == "inferred" and m.sources["region_code"] == "inferred"


def test_samples_manifest_roundtrip(regions: RegionIndex) -> None:
    man = load_manifest(SAMPLES)
    assert len(man) == 5
    e = man["002_50a008da145c979f.txt"]
    assert e["publish_date"] == date(2022, 3, 30) and e["year"] == 2021


def test_manifest_overrides_inference(tmp_path: Path, regions: RegionIndex) -> None:
    (tmp_path / "manifest.jsonl").write_text(
        json.dumps({"file": "r.txt", "region_code": "610502013", "year": 2020, "period": "H1"},
                   ensure_ascii=False) + "\n", encoding="utf-8")
    text = "白杨街道2022年工作总结\n2022年,白杨街道在钱塘区委领导下推进各项工作。\n2023年1月5日"
    man = load_manifest(tmp_path)
    m = infer_report_meta("r.txt", text, regions, man["r.txt"])
    assert (m.region_code, m.city, m.region_source) == ("610502013", "渭南市", "manifest")
    assert (m.report_year, m.period_type) == (2020, "H1")
    assert m.sources["report_year"] == "manifest" and m.sources["period_type"] == "manifest"
    # fields the manifest leaves out are still inferred
    assert m.title == "白杨街道2022年工作总结" and m.sources["title"] == "inferred"
    assert m.publish_date == date(2023, 1, 5) and m.sources["publish_date"] == "inferred"


def test_manifest_yaml(tmp_path: Path, regions: RegionIndex) -> None:
    (tmp_path / "manifest.yaml").write_text(
        "- file: a.txt\n  street: 清水河街道\n  district: 罗湖区\n  year: 2021\n", encoding="utf-8")
    man = load_manifest(tmp_path)
    m = infer_report_meta("a.txt", "清水河街道全年工作总结如下。", regions, man["a.txt"])
    assert (m.region_code, m.report_year, m.region_source) == ("440303010", 2021, "manifest")


def test_manifest_bad_line_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "manifest.jsonl"
    p.write_text('{"file": "a.txt", "year": 2022}\n{"file": "b.txt", "period": "half"}\n', encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.jsonl:2: 'period'"):
        load_manifest(tmp_path)
    p.write_text('{"file": "a.txt"\n', encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.jsonl:1: not valid JSON"):
        load_manifest(tmp_path)


def test_manifest_yaml_bad_entry_line(tmp_path: Path) -> None:
    (tmp_path / "manifest.yml").write_text(
        "- file: a.txt\n  year: 2022\n- file: b.txt\n  year: twenty\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.yml:3: 'year'"):
        load_manifest(tmp_path)


def test_no_manifest_is_empty(tmp_path: Path) -> None:
    assert load_manifest(tmp_path) == {}


@pytest.mark.parametrize(
    ("text", "year", "period"),
    [
        ("某镇2022年上半年工作总结\n上半年,全镇……", 2022, "H1"),
        ("某镇2021年前三季度工作总结\n……", 2021, "Q3"),
        ("某镇2023年一季度工作总结\n……", 2023, "Q1"),
        ("某镇2022年1-10月工作总结\n……", 2022, "M10"),
        ("某镇2019年度工作总结和2020年工作计划\n……", 2019, "annual"),
        # no title: the body tells
        ("今年上半年,全镇经济平稳。上半年完成投资3亿元。二、下半年工作打算\n今年是2021年。", 2021, "H1"),
        ("2020年以来,全镇上下共同努力。现将全年工作总结如下。", 2020, "annual"),
    ],
)
def test_year_and_period_rules(text: str, year: int, period: str, regions: RegionIndex) -> None:
    m = infer_report_meta("x.txt", text, regions)
    assert (m.report_year, m.period_type) == (year, period)


def test_closing_date_line_is_publish_date(regions: RegionIndex) -> None:
    m = infer_report_meta("x.txt", "2022年,全镇推进各项工作。\n某某镇人民政府\n2023年1月12日\n", regions)
    assert m.publish_date == date(2023, 1, 12)


def test_sentence_first_line_is_not_a_title(regions: RegionIndex) -> None:
    m = infer_report_meta("x.txt", "2022年,东港街道坚决贯彻落实各项决策部署。\n正文", regions)
    assert m.title is None and m.sources["title"] == "unknown"


@pytest.mark.parametrize(
    ("text", "year", "period"),
    [
        ("2023年上半年,全镇上下凝心聚力。", 2023, "H1"),
        ("今年1-9月,全镇实现财政收入2亿元。今年是2021年。", 2021, "Q3"),
        ("\ufeff2020年,全镇上下共同努力。", 2020, "annual"),
    ],
)
def test_opening_words(text: str, year: int, period: str, regions: RegionIndex) -> None:
    m = infer_report_meta("x.txt", text, regions)
    assert (m.report_year, m.period_type) == (year, period)


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("钱塘区2023年政府工作报告", 2022),  # delivered early in 2023, reviews 2022
        ("2024年某县人民政府政府工作报告", 2023),
        ("某镇2023年工作总结", 2023),  # names the year it reviews
        ("某市2023年国民经济和社会发展统计公报", 2023),
        ("关于2022年预算执行情况和2023年预算草案的报告", 2022),
    ],
)
def test_reviewed_year_from_title_wording(title: str, year: int, regions: RegionIndex) -> None:
    m = infer_report_meta("x.txt", f"{title}\n过去一年,各项工作取得新成效。", regions)
    assert (m.title, m.report_year) == (title, year)


def test_region_level_and_issuing_department(regions: RegionIndex) -> None:
    m = infer_report_meta("x.txt", "杭州市统计局2023年全市经济运行分析\n全市生产总值增长。", regions)
    assert (m.region_code, m.region_level, m.issuing_department) == ("3301", "prefecture", "统计局")
    m = infer_report_meta("x.txt", "某镇工作总结\n全镇推进各项工作。", regions, {"region_code": "330114"})
    assert (m.region_code, m.region_level, m.region_source) == ("330114", "county", "manifest")


def test_html_page_date_and_document_title(regions: RegionIndex) -> None:
    html_meta = DocumentMeta("html", title="某镇2023年工作总结", publish_date="2024-01-16")
    m = infer_report_meta("x.html", "某镇2023年工作总结\n全镇推进各项工作。\n2024年1月5日", regions, None, html_meta)
    assert m.publish_date == date(2024, 1, 16) and "page's publish date" in m.reasons["publish_date"]
    # a DOCX whose text opens without a title line: the core-properties title is used
    docx_meta = DocumentMeta("docx", title="某街道2022年工作总结", publish_date="2023-01-09")
    m = infer_report_meta("x.docx", "2022年,街道全年推进各项工作。", regions, None, docx_meta)
    assert (m.title, m.sources["title"], m.report_year) == ("某街道2022年工作总结", "inferred", 2022)
    assert m.publish_date == date(2023, 1, 9)  # creation date as the last resort
    # an editor's default title is not a title
    pdf_meta = DocumentMeta("pdf", title="Microsoft Word - 文档1.doc")
    assert infer_report_meta("x.pdf", "2022年,街道全年推进各项工作。", regions, None, pdf_meta).title is None
